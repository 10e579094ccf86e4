"""An ASGI middleware that refuses request bodies over a size limit with 413.

It checks Content-Length first and then counts what actually arrives, so a client that
lies about the length (or streams chunked) is cut off too, before anything is parsed.
The refusal is JSON, for the APIs; a page that people post to from their browser (the
login check's form) can answer in HTML instead, through `page`.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.web.browser_page import BrowserPage

_BODY: Final = json.dumps({"error": "request body too large"}).encode()


class BodyTooLargeError(Exception):
    """Raised inside the app when a streamed body passes the limit."""


class BodyLimit:
    """Wrap `app`; HTTP requests with bodies over `max_bytes` get 413 (`page`'s, if any).

    `larger`: paths that take more (a platform's signed webhook whose events can weigh more),
    each with its own limit.
    """

    def __init__(
        self,
        app: ASGIApp,
        max_bytes: int,
        page: BrowserPage | None = None,
        larger: Mapping[str, int] | None = None,
    ) -> None:
        self._app = app
        self._max = max_bytes
        self._page = page
        self._larger = dict(larger or {})

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
        received = 0
        started = False

        async def counting_receive() -> Message:
            nonlocal received
            message = await receive()
            if message["type"] == "http.request":
                received += len(message.get("body", b""))
                if received > limit:
                    raise BodyTooLargeError
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

    async def _too_large(self, scope: Scope, receive: Receive, send: Send) -> None:
        page = await self._page(scope) if self._page is not None else None
        if page is None:
            await _json_too_large(send)
        else:
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
