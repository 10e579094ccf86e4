"""The ASGI application: health endpoints plus the routes of every enabled channel."""

from __future__ import annotations

import contextlib
import logging
from collections.abc import AsyncIterator, Sequence
from typing import Final

from starlette.applications import Starlette
from starlette.middleware import Middleware
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import BaseRoute, Route

from bot.background import BackgroundTasks
from bot.body_limit import BodyLimit
from bot.channels import Channel, Runtime, enabled_channels
from bot.config import MAX_BODY_BYTES, Settings
from bot.conversation_store import ConversationStore, StoreUnavailableError
from bot.engine import Clock, Engine, system_clock
from bot.i18n import Catalogs
from bot.profile_loader import load_profile
from bot.stores import store_from_url

_LOGGER: Final = logging.getLogger(__name__)


def build_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    store: ConversationStore | None = None,
) -> Runtime:
    """Load the profile and catalogs, and wire the engine to its store."""
    profile = load_profile(settings.profile_path)
    catalogs = Catalogs.load()
    engine = Engine(store or store_from_url(settings.store_url), profile, catalogs, clock)
    return Runtime(settings=settings, engine=engine, catalogs=catalogs, tasks=BackgroundTasks())


def build_app(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    store: ConversationStore | None = None,
    exclude_channels: Sequence[str] = ("console",),
) -> Starlette:
    """The whole server. Tests pass a fixed `clock` and their own `store`."""
    runtime = build_runtime(settings, clock=clock, store=store)
    channels = enabled_channels(runtime, exclude=exclude_channels)
    return _app(runtime, channels)


def _app(runtime: Runtime, channels: list[Channel]) -> Starlette:
    store = runtime.engine.store

    async def healthz(_: Request) -> Response:
        return JSONResponse({"status": "ok"})

    async def readyz(_: Request) -> Response:
        try:
            await store.ping()
        except StoreUnavailableError as err:
            _LOGGER.warning("Store not ready: %s", err)
            return JSONResponse({"status": "store unavailable"}, status_code=503)
        return JSONResponse({"status": "ready"})

    @contextlib.asynccontextmanager
    async def lifespan(_: Starlette) -> AsyncIterator[None]:
        await store.open()
        for channel in channels:
            await channel.start()
        try:
            yield
        finally:
            # Finish the turns already acknowledged to a platform before closing anything.
            await runtime.tasks.drain()
            for channel in reversed(channels):
                await channel.stop()
            await store.close()

    routes: list[BaseRoute] = [
        Route("/healthz", healthz, methods=["GET"]),
        Route("/readyz", readyz, methods=["GET"]),
    ]
    for channel in channels:
        routes.extend(channel.routes())
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)],
    )
    app.state.runtime = runtime
    return app
