"""Operations endpoints, and the 503 every request gets while the store is unreachable.

`/healthz` (alive), `/readyz` (store reachable and writable, not draining), `/metrics` (Prometheus).
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable
from typing import Final, Protocol, runtime_checkable

from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from bot.ops.metrics import Metrics
from bot.ops.repeated import Repeated
from bot.store.conversation_store import ConversationStore, StoreUnavailableError
from bot.store.redis_acl import refused_command
from bot.web.browser_page import BrowserPage
from bot.web.gate import Draining, StoreRefusals

_LOGGER: Final = logging.getLogger(__name__)


@runtime_checkable
class ReportsMemory(Protocol):
    """A store that can say how much memory it uses (Redis)."""

    async def memory(self) -> tuple[int, int]:
        """Bytes used, and the configured maximum (0: none)."""
        ...


def operations_routes(
    store: ConversationStore,
    draining: Draining,
    metrics: Metrics,
    refusals: StoreRefusals | None = None,
) -> list[Route]:
    """The routes an orchestrator and a Prometheus server call."""
    not_ready, memory_unread = Repeated(), Repeated()
    info_refusal_said: list[bool] = []

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        if draining.active:
            return JSONResponse({"status": "draining"}, status_code=503)
        try:
            await store.ping()
        except StoreUnavailableError as err:
            if probes := not_ready.happened():
                # "unavailable", not "unreachable": a SQLite file on a full disk answers
                # reads and refuses writes.
                _LOGGER.warning(
                    "Not ready: the store is unavailable (%d probe(s)): %s; writes get 503"
                    " until it works again (check the store MAILMOVE_STORE names)",
                    probes,
                    err,
                )
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        back = not_ready.ended()
        # The 503s are said when they start and once a minute: how many there were in all
        # is said here, when the store answers again (a probe between them may not fail).
        refused = refusals.ended() if refusals is not None else 0
        if refused:
            _LOGGER.info(
                "Ready again: the store answers (%d request(s) were answered 503 while it did not)",
                refused,
            )
        elif back:
            _LOGGER.info("Ready again: the store answers")
        return JSONResponse({"status": "ready"})

    async def metrics_page(_: Request) -> Response:
        if isinstance(store, ReportsMemory):
            # Read at scrape time, so an alert on used / max sees Redis fill up before it
            # refuses writes.
            try:
                used, limit = await store.memory()
            except StoreUnavailableError as err:
                # No figure rather than the last one read: a Redis down (or restarted empty)
                # kept the value from before, and MailmoveRedisMemoryHigh fired on it.
                metrics.store_memory.clear()
                if err.__cause__ is not None and refused_command(err.__cause__) == "INFO":
                    # INFO is optional (a managed Redis' "+@all -@dangerous" refuses it), and
                    # the ACL is not going to change by itself: said once, not a warning a
                    # minute for as long as Prometheus scrapes.
                    if not info_refusal_said:
                        info_refusal_said.append(True)
                        _LOGGER.warning(
                            "Store memory not read: %s; until then mailmove_store_memory_bytes"
                            " stays empty and MailmoveRedisMemoryHigh cannot fire (said once)",
                            err,
                        )
                elif scrapes := memory_unread.happened():
                    _LOGGER.warning("Store memory not read (%d scrape(s)): %s", scrapes, err)
            else:
                memory_unread.ended()
                metrics.store_memory.labels("used").set(used)
                metrics.store_memory.labels("max").set(limit)
        body, media_type = metrics.exposition()
        return Response(body, headers={"Content-Type": media_type})

    return [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
    ]


def store_unavailable_handler(
    refusals: StoreRefusals, page: BrowserPage | None = None
) -> Callable[[Request, Exception], Awaitable[Response]]:
    """The exception handler that answers StoreUnavailableError with 503 (`page`'s, if any)."""

    async def store_unavailable(request: Request, err: Exception) -> Response:
        if isinstance(err, StoreUnavailableError):
            refusals.refused(err)
        shown = await page(request.scope) if page is not None else None
        if shown is not None:
            shown.headers["Retry-After"] = "2"
            return shown
        return JSONResponse(
            {"error": "the conversation store is unavailable; retry later"},
            status_code=503,
            headers={"Retry-After": "2"},
        )

    return store_unavailable
