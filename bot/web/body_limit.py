"""An ASGI middleware that refuses request bodies over a size limit with 413.

It checks Content-Length first and then counts what actually arrives, so a client that
lies about the length (or streams chunked) is cut off too, before anything is parsed.
The refusal is JSON, for the APIs; a page that people post to from their browser (the
login check's form) can answer in HTML instead, through `page`.

It also bounds the bytes of request bodies held at once across the process (`budget`). A
platform's webhook reads its whole body before it can check the signature, so anyone can
make the process hold a body of LINE's or Chatwoot's 2 MiB without a credential; each
limit held alone, 100 such bodies at once took `mailmove serve` from 203 to 414 MB
(`bench/body_flood.py`), and about 150 would have passed a 512 MB pod's limit. A request
whose declared length does not fit in what is left of the budget is answered 503 with
`Retry-After` before any of its body is read; a body that grows past it as it arrives
(chunked, or several growing at once) is answered so too. The bytes are counted as they
arrive, not as declared: a client that declares 2 MiB and sends nothing holds nothing.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Callable, Mapping
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.ops import metrics
from bot.ops.repeated import Repeated
from bot.web.browser_page import BrowserPage

RefusalStatus = Callable[[Scope], int]
"""The status a request refused for a moment gets (503, or what its platform retries on)."""

_LOGGER: Final = logging.getLogger(__name__)
_BODY: Final = json.dumps({"error": "request body too large"}).encode()
_BUSY: Final = json.dumps(
    {"error": "the server is reading too many request bodies at once; retry"}
).encode()
# Bytes of request bodies held at once by the process. 64 MiB is 32 of LINE's largest bodies,
# or a thousand of the 64 KiB every other route takes; measured with 2 MiB bodies, the
# process held about 1.05 MB for each MiB of body, so the budget costs at most about 70 MB
# over a replica's 200 MB at rest, within the pods' 512 MB.
BODY_BUDGET: Final = 64 * 1024 * 1024
# Bodies held past the budget go within the body deadline (30 s, bot.web.http_limits) at
# worst, most within a second: a platform or the page that sends again after this is likely
# to be taken.
BUSY_RETRY_AFTER: Final = "5"


class BodyTooLargeError(Exception):
    """Raised inside the app when a streamed body passes the limit."""


class OverBudgetError(Exception):
    """Raised inside the app when a body arriving passes what is left of the budget."""


class BodiesInFlight:
    """The bytes of request bodies held at once, against a budget; one per process.

    One event loop serves the process, so a plain count needs no lock.
    """

    def __init__(self, budget: int = BODY_BUDGET) -> None:
        if budget < 1:
            raise ValueError("a budget of request bodies must be at least one byte")
        self.budget = budget
        self.held = 0
        self._said = Repeated()

    def fits(self, size: int) -> bool:
        """Whether `size` more bytes fit in what is left of the budget."""
        return self.held + size <= self.budget

    def refused(self) -> None:
        """Count a request answered 503 for the budget; said at first, then once a minute."""
        metrics.rejected("http", "bodies_in_flight")
        if count := self._said.happened():
            _LOGGER.warning(
                "Answered 503 to %d request(s): request bodies held at once reached the"
                " budget of %d MiB; clients send them again",
                count,
                self.budget // (1024 * 1024),
            )


class BodyLimit:
    """Wrap `app`; HTTP requests with bodies over `max_bytes` get 413 (`page`'s, if any).

    `larger`: paths that take more (a platform's signed webhook whose events can weigh more),
    each with its own limit. `bodies`: the process's bytes of bodies held at once, and
    their budget; a request past it gets 503 (`busy`'s page, if any; `refused_with`, a
    function of the scope, may name another status for a platform that redelivers only
    after it).
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        page: BrowserPage | None = None,
        larger: Mapping[str, int] | None = None,
        *,
        bodies: BodiesInFlight | None = None,
        busy: BrowserPage | None = None,
        refused_with: RefusalStatus | None = None,
    ) -> None:
        self._app = app
        self._max = max_bytes
        self._page = page
        self._larger = dict(larger or {})
        self._bodies = bodies if bodies is not None else BodiesInFlight()
        self._busy = busy
        self._refused_with = refused_with

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Pass the request on, unless its body is over the limit."""
        if scope["type"] != "http":
            await self._app(scope, receive, send)
            return
        limit = self._larger.get(scope.get("path", ""), self._max)
        for name, value in scope.get("headers", []):
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = limit + 1
                if declared > limit:
                    await self._too_large(scope, receive, send)
                    return
                if not self._bodies.fits(declared):
                    # Refused before a byte of it is read.
                    await self._over_budget(scope, receive, send)
                    return
        received = 0
        started = False
        bodies = self._bodies

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                size = len(message.get("body", b""))
                received += size
                bodies.held += size
                if received > limit:
                    raise BodyTooLargeError
                if bodies.held > bodies.budget:
                    raise OverBudgetError
            return message

        async def tracking_send(message: Message) -> None:
            nonlocal started
            if message["type"] == "http.response.start":
                started = True
            await send(message)

        try:
            await self._app(scope, counting_receive, tracking_send)
        except BodyTooLargeError:
            if not started:
                await self._too_large(scope, receive, send)
        except OverBudgetError:
            if not started:
                await self._over_budget(scope, receive, send)
        finally:
            # The app is done with the body (or gone with it): its bytes are free again.
            bodies.held -= received

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = await self._page(scope) if self._page is not None else None
        if page is None:
            await _json_too_large(send)
        else:
            await page(scope, receive, send)

    async def _over_budget(self, scope: Scope, receive: Receive, send: Send) -> None:
        self._bodies.refused()
        # Closed after the answer: what is left of the body is not read at all.
        headers = {"Retry-After": BUSY_RETRY_AFTER, "Connection": "close"}
        page = await self._busy(scope) if self._busy is not None else None
        if page is None:
            status = self._refused_with(scope) if self._refused_with is not None else 503
            page = Response(_BUSY, status_code=status, media_type="application/json")
        page.headers.update(headers)
        await page(scope, receive, send)


async def _json_too_large(send: Send) -> None:
    await send(
        {
            "type": "http.response.start",
            "status": 413,
            "headers": [
                (b"content-type", b"application/json"),
                (b"content-length", str(len(_BODY)).encode()),
            ],
        }
    )
    await send({"type": "http.response.body", "body": _BODY})


async def client_gone(_: Request, __: Exception) -> Response:
    """The exception handler for a client that left before its body was whole.

    Starlette raises ClientDisconnect where the route reads the body (a client that gave up,
    or one cut off by the body deadline in `bot.web.http_limits`); unhandled, every such
    client wrote an ERROR traceback into the log. Nobody is left to read an answer.
    """
    return Response(status_code=400)
