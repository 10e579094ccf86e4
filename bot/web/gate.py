"""The server's door: drain on shutdown, and refuse writes the store could not keep.

A replica told to stop (SIGTERM) drains: it stops taking new turns (503, so the platform
retries on another replica), finishes the ones in flight, then exits. While the store is
down every write gets 503 too, so nothing is acknowledged that was not stored.
"""

from __future__ import annotations

from typing import Final

from starlette.responses import JSONResponse, Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.ops.metrics import Metrics
from bot.store.conversation_store import ConversationStore
from bot.store.observed_store import ObservedStore


class Draining:
    """Whether this replica is shutting down; set once, by a signal or by the lifespan."""

    def __init__(self) -> None:
        self.active = False

    def begin(self) -> None:
        """Stop taking new turns (safe to call from a signal handler: it only sets a flag)."""
        self.active = True


_READS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class RequestGate:
    """Routes `bot.ops.metrics` calls to this app's metrics; refuses writes it cannot keep.

    A write (POST...) gets 503 while the replica drains, and while the store is down. The
    platform channels store a turn before they answer, so they refuse on their own; this
    also covers any route that answers first (an agent's button click), so that no event
    is acknowledged that could not be stored. While the store works this costs nothing;
    once an operation failed, each write pings it until it answers again.
    """

    def __init__(
        self, app: ASGIApp, *, metrics: Metrics, draining: Draining, store: ConversationStore
    ) -> None:
        self.app = app
        self.metrics = metrics
        self.draining = draining
        self.store = store

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a write with 503 when draining or the store is down; pass the rest on."""
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        with self.metrics.current():
            if scope["method"] not in _READS:
                refusal = await self._refusal()
                if refusal is not None:
                    await refusal(scope, receive, send)
                    return
            await self.app(scope, receive, send)

    async def _refusal(self) -> Response | None:
        if self.draining.active:
            self.metrics.rejected("http", "draining")
            return JSONResponse(
                {"error": "this replica is shutting down; retry"},
                status_code=503,
                headers={"Retry-After": "1", "Connection": "close"},
            )
        if isinstance(self.store, ObservedStore) and not await self.store.reachable():
            self.metrics.rejected("http", "store_unavailable")
            return JSONResponse(
                {"error": "the conversation store is unavailable; retry later"},
                status_code=503,
                headers={"Retry-After": "2"},
            )
        return None
