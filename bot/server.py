"""The ASGI application: health endpoints plus the routes of every enabled channel.

Operations: `/healthz` (alive), `/readyz` (store reachable, not shutting down), `/metrics`
(Prometheus). A store outage answers every turn with 503 so platforms redeliver later. A
replica told to stop (SIGTERM) drains: it stops taking new turns (503, so the platform
retries on another replica), finishes the ones in flight, then exits.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import gc
import logging
import secrets
from collections.abc import AsyncIterator, Sequence
from types import FrameType
from typing import Final

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.agent_api import AgentApi
from bot.background import BackgroundTasks
from bot.body_limit import BodyLimit
from bot.channels import Channel, Runtime, enabled_channels
from bot.check_links import CheckLinks
from bot.check_page import CheckPage
from bot.config import MAX_BODY_BYTES, Settings
from bot.config_file_routes import config_file_routes
from bot.conversation_store import ConversationStore, StoreUnavailableError
from bot.credential_check import CheckTarget
from bot.delivery import Delivery
from bot.engine import Clock, Engine, system_clock
from bot.handoff import Desk, Handoffs, WebhookDesk
from bot.i18n import Catalogs
from bot.logging_setup import TurnLog
from bot.login_checks import CheckSettings, LoginChecks
from bot.metrics import Metrics, ObservedStore, Observers
from bot.profile_loader import load_profile
from bot.stores import rate_limiter_for, store_from_url

_LOGGER: Final = logging.getLogger(__name__)
EXPIRY_INTERVAL: Final = 3600.0
GC_YOUNG_THRESHOLD: Final = 50_000
# Within Kubernetes' default 30 s termination grace, with room for the lifespan's own drain.
SHUTDOWN_GRACE: Final = 20


def build_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    store: ConversationStore | None = None,
    metrics: Metrics | None = None,
) -> Runtime:
    """Load the profile and catalogs, and wire the engine to its store and its metrics."""
    metrics = metrics or Metrics()
    profile = load_profile(settings.profile_path)
    catalogs = Catalogs.load()
    secret = settings.secret
    if not secret:
        # Fine for one process; several replicas must share MAILMOVE_SECRET, or a link minted
        # by one is refused by another.
        _LOGGER.warning("MAILMOVE_SECRET is not set: login-check links work on this process only")
        secret = secrets.token_bytes(32)
    links = CheckLinks(secret, settings.base_url)
    engine = Engine(
        ObservedStore(store or store_from_url(settings.store_url), metrics),
        profile,
        catalogs,
        clock,
        observer=Observers(metrics, TurnLog()),
        links=links,
    )
    delivery = Delivery()
    desks: list[Desk] = []
    if settings.desk_webhook_url:
        desks.append(WebhookDesk(settings.desk_webhook_url, settings.desk_webhook_secret))
    tasks = BackgroundTasks()
    handoffs = Handoffs(engine.store, delivery, catalogs, desks, settings.base_url, profile, tasks)
    engine.handoff = handoffs
    return Runtime(
        settings=settings,
        engine=engine,
        catalogs=catalogs,
        tasks=tasks,
        delivery=delivery,
        links=links,
        handoffs=handoffs,
    )


def login_checks(runtime: Runtime, check: CheckSettings | None = None) -> LoginChecks:
    """The live login check against the profile's servers (tests pass loopback ones)."""
    settings = runtime.settings
    if runtime.links is None:
        raise ValueError("the runtime has no link maker")
    return LoginChecks(
        runtime.engine,
        runtime.delivery,
        runtime.links,
        # Shared by every replica when the store is Redis, else kept in this process.
        rate_limiter_for(runtime.engine.store, settings.check_limit, float(settings.check_window)),
        check
        or CheckSettings(
            target=CheckTarget.from_profile(runtime.engine.profile),
            timeout=float(settings.check_timeout),
        ),
    )


def build_app(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    store: ConversationStore | None = None,
    check: CheckSettings | None = None,
    exclude_channels: Sequence[str] = ("console",),
) -> Starlette:
    """The whole server. Tests pass a fixed `clock`, their own `store` and mail servers."""
    metrics = Metrics()
    runtime = build_runtime(settings, clock=clock, store=store, metrics=metrics)
    channels = enabled_channels(runtime, exclude=exclude_channels)
    page = CheckPage(login_checks(runtime, check), runtime.catalogs)
    agents = AgentApi(runtime.engine, runtime.delivery, runtime.settings.agent_tokens)
    extra = [*page.routes(), *agents.routes(), *config_file_routes(runtime.engine.profile)]
    return _app(runtime, channels, extra, metrics)


def _app(
    runtime: Runtime, channels: list[Channel], extra: Sequence[BaseRoute], metrics: Metrics
) -> Starlette:
    store = runtime.engine.store
    draining = Draining()

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        if draining.active:
            return JSONResponse({"status": "draining"}, status_code=503)
        try:
            await store.ping()
        except StoreUnavailableError as err:
            _LOGGER.warning("Store not ready: %s", err)
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    async def metrics_page(_: Request) -> Response:
        body, media_type = metrics.exposition()
        return Response(body, headers={"Content-Type": media_type})

    async def store_unavailable(_: Request, err: Exception) -> Response:
        # Every platform redelivers on 5xx; the event id makes the redelivery safe.
        _LOGGER.warning("Answering 503, the store is unavailable: %s", err)
        metrics.rejected("http", "store_unavailable")
        return JSONResponse(
            {"error": "the conversation store is unavailable; retry later"},
            status_code=503,
            headers={"Retry-After": "2"},
        )

    async def expire_old_conversations() -> None:
        # Transcripts hold personal data: keep them no longer than the retention period.
        retention = dt.timedelta(days=runtime.settings.retention_days)
        while True:
            try:
                removed = await store.expire(runtime.engine.now() - retention)
                if removed:
                    _LOGGER.info("Expired %d conversations", removed)
            except StoreUnavailableError as err:
                _LOGGER.warning("Expiry skipped: %s", err)
            await asyncio.sleep(EXPIRY_INTERVAL)

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        # Tasks that channels start from here (polling) inherit this app's metrics.
        metrics.activate()
        await store.open()
        for channel in channels:
            await channel.start()
        expiry = asyncio.create_task(expire_old_conversations(), name="expiry")
        tune_garbage_collector()
        try:
            yield
        finally:
            expiry.cancel()
            draining.begin()
            # Finish the turns already acknowledged to a platform before closing anything.
            await runtime.tasks.drain()
            for channel in reversed(channels):
                await channel.stop()
            await store.close()

    # Channels first: Starlette tries routes in order, and their webhooks carry the load.
    routes: list[BaseRoute] = [route for channel in channels for route in channel.routes()]
    routes += [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
        Route("/metrics", metrics_page, methods=["GET"]),
        *extra,
    ]
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[
            Middleware(RequestGate, metrics=metrics, draining=draining, store=store),
            Middleware(BodyLimit, max_bytes=MAX_BODY_BYTES),
        ],
        exception_handlers={StoreUnavailableError: store_unavailable},
    )
    app.state.runtime = runtime
    app.state.metrics = metrics
    app.state.draining = draining
    return app


def tune_garbage_collector() -> None:
    """Fewer, cheaper collections once the server is up.

    What start-up loaded (catalogs, profile, SDKs, the state machine) lives as long as the
    process: frozen, the collector never walks it again. A turn allocates many short-lived
    objects and few cycles, so collecting the young generation less often costs little
    memory; full collections were the pauses behind the worst latencies under load
    (`make bench`: p99 from about 60 ms to about 25 ms at 50 concurrent subscribers).
    """
    gc.collect()
    gc.freeze()
    gc.set_threshold(GC_YOUNG_THRESHOLD, 50, 100)


class Draining:
    """Whether this replica is shutting down; set once, by a signal or by the lifespan."""

    def __init__(self) -> None:
        self.active = False

    def begin(self) -> None:
        """Stop taking new turns (safe to call from a signal handler: it only sets a flag)."""
        self.active = True


_READS: Final = frozenset({"GET", "HEAD", "OPTIONS"})


class RequestGate:
    """Routes `bot.metrics` calls to this app's metrics; refuses writes it cannot keep.

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


def serve(app: Starlette, host: str, port: int) -> None:
    """Run `app` under uvicorn until SIGTERM/SIGINT, draining first (see the module doc)."""
    import uvicorn  # imported here: tests and `mailmove chat` need no web server

    class DrainingServer(uvicorn.Server):
        def handle_exit(self, sig: int, frame: FrameType | None) -> None:
            # First refuse new turns and fail readiness, then let uvicorn stop accepting
            # connections and wait for the requests in flight.
            app.state.draining.begin()
            super().handle_exit(sig, frame)

    config = uvicorn.Config(
        app,
        host=host,
        port=port,
        # Logging is configured by the caller (JSON lines under `mailmove serve`); the
        # per-turn log line replaces the access log, which would carry conversation ids.
        log_config=None,
        log_level="info",
        access_log=False,
        timeout_graceful_shutdown=SHUTDOWN_GRACE,
    )
    DrainingServer(config).run()
