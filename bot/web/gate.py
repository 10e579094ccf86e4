"""The server's door: drain on shutdown, and refuse writes the store could not keep.

A replica told to stop (SIGTERM) drains: it stops taking new turns (503, so the platform
retries on another replica), finishes the ones in flight, then exits. While the store is
down every write gets 503 too, so nothing is acknowledged that was not stored. A platform
that redelivers only after other statuses (Chatwoot: 429 or 500) says so with its route
(`RefusedWith`).
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable, Collection
from typing import Any, Final

from starlette.responses import JSONResponse, Response
from starlette.routing import Match, Route
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.ops.metrics import Metrics
from bot.ops.repeated import Repeated
from bot.store.conversation_store import ConversationStore, StoreUnavailableError
from bot.store.observed_store import ObservedStore
from bot.web.browser_page import BrowserPage

_LOGGER: Final = logging.getLogger(__name__)


class StoreRefusals:
    """Requests answered 503 because the store is down: counted, and said once a minute.

    One count for the gate's refusals (writes, once the store is known to be down) and the
    exception handler's (a request the store failed), so the log's "Answered 503 to N
    request(s)" is every subscriber and platform turned away, not only those whose request
    got as far as the store.
    """

    def __init__(self, metrics: Metrics) -> None:
        self._metrics = metrics
        self._said = Repeated()

    def refused(self, err: StoreUnavailableError) -> None:
        """Count one request answered 503; say so when the outage starts, then once a minute."""
        if requests := self._said.happened():
            # Every platform redelivers on 5xx; the event id makes the redelivery safe.
            _LOGGER.warning(
                "Answered 503 to %d request(s): the store is unavailable: %s;"
                " platforms and the web chat page try again",
                requests,
                err,
            )
        self._metrics.rejected("http", "store_unavailable")

    def ended(self) -> int:
        """The store answers again: how many requests its outage turned away (0: none said)."""
        return self._said.ended()


class Draining:
    """Whether this replica is shutting down; set once, by a signal or by the lifespan.

    `stopping` is set too, for work that waits on its own (a login check's round trip) to
    stop waiting and finish within the shutdown grace.
    """

    def __init__(self) -> None:
        self.active = False
        self.stopping = asyncio.Event()

    def begin(self) -> None:
        """Stop taking new turns (safe to call from a signal handler: it only sets a flag).

        The event is set through the loop's thread-safe call, which a signal handler may
        make: its waiters wake once the handler has returned.
        """
        self.active = True
        try:
            loop = asyncio.get_running_loop()
        except RuntimeError:
            self.stopping.set()
        else:
            loop.call_soon_threadsafe(self.stopping.set)


_READS: Final = frozenset({"GET", "HEAD", "OPTIONS"})
REFUSED: Final = 503


class RefusedWith(Route):
    """A webhook route whose platform sends an event again only after `status`.

    Refused while draining or while the store is down, its requests get `status` instead
    of 503: Chatwoot answers a 503 to its agent bot by opening the conversation to agents
    with an error note, and redelivers only after 429 or 500.
    """

    def __init__(
        self,
        path: str,
        endpoint: Callable[..., Any],
        *,
        status: int,
        methods: Collection[str] | None = None,
    ) -> None:
        super().__init__(path, endpoint, methods=list(methods) if methods else None)
        self.refused_with = status


def refusal_status(scope: Scope) -> int:
    """The status a request refused for a moment gets: 503, or its route's `RefusedWith`."""
    # Only asked while refusing (draining, store down): the happy path matches no route here.
    app = scope.get("app")
    for route in getattr(getattr(app, "router", None), "routes", ()):
        if isinstance(route, RefusedWith) and route.matches(scope)[0] is Match.FULL:
            return route.refused_with
    return REFUSED


class RequestGate:
    """Routes `bot.ops.metrics` calls to this app's metrics; refuses writes it cannot keep.

    A write (POST...) gets 503 while the replica drains, and while the store is down. The
    platform channels store a turn before they answer, so they refuse on their own; this
    also covers any route that answers first (an agent's button click), so that no event
    is acknowledged that could not be stored. While the store works this costs nothing;
    once an operation failed, each write pings it until it answers again.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        metrics: Metrics,
        draining: Draining,
        store: ConversationStore,
        refusals: StoreRefusals,
        page: BrowserPage | None = None,
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.draining = draining
        self.store = store
        self.refusals = refusals
        self.page = page
        self._cut = 0

    def _say_cut(self) -> None:
        _LOGGER.warning(
            "Answered 503 to %d request(s) still running when the shutdown grace ran"
            " out; platforms and the web chat page send them again",
            self._cut,
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a write with 503 when draining or the store is down; pass the rest on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.metrics.current():
            if scope["method"] not in _READS:
                refusal = await self._refusal(scope)
                if refusal is not None:
                    await refusal(scope, receive, send)
                    return
            started = False

            async def tracking_send(message: Message) -> None:
                nonlocal started
                started = started or message["type"] == "http.response.start"
                await send(message)

            try:
                await self.app(scope, receive, tracking_send)
            except asyncio.CancelledError:
                # uvicorn cancels what still runs when the shutdown grace is up (a turn
                # waiting on a store that stopped answering) and answers it 500 with an
                # ERROR traceback: a drained request gets the drain's 503 instead.
                if not self.draining.active or started:
                    raise
                await self._cut_at_shutdown(scope, receive, send)

    async def _cut_at_shutdown(self, scope: Scope, receive: Receive, send: Send) -> None:
        # uvicorn cancels them all at once: one line for all, once every one has counted.
        self._cut += 1
        if self._cut == 1:
            asyncio.get_running_loop().call_soon(self._say_cut)
        refusal = await self._refusal(scope)
        if refusal is not None:
            with contextlib.suppress(OSError, RuntimeError):  # the client may be gone
                await refusal(scope, receive, send)

    async def _refusal(self, scope: Scope) -> Response | None:
        if self.draining.active:
            self.metrics.rejected("http", "draining")
            error = "this replica is shutting down; retry"
            headers = {"Retry-After": "1", "Connection": "close"}
        elif isinstance(self.store, ObservedStore) and (down := await _down(self.store)):
            self.refusals.refused(down)
            error = "the conversation store is unavailable; retry later"
            headers = {"Retry-After": "2"}
        else:
            return None
        page = await self.page(scope) if self.page is not None else None
        if page is not None:
            # A person's browser (the login check's form): the form again, worded.
            page.headers.update(headers)
            return page
        return JSONResponse({"error": error}, status_code=refusal_status(scope), headers=headers)


async def _down(store: ObservedStore) -> StoreUnavailableError | None:
    """Why the store does not answer, or None: free while it does, a ping once it failed."""
    if store.available:
        return None
    try:
        await store.ping()
    except StoreUnavailableError as err:
        return err
    return None
