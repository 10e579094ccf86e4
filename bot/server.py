"""The ASGI application: health endpoints plus the routes of every enabled channel."""

from __future__ import annotations

import contextlib
import logging
import secrets
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
from bot.check_links import CheckLinks
from bot.check_page import CheckPage
from bot.config import MAX_BODY_BYTES, Settings
from bot.config_file_routes import config_file_routes
from bot.conversation_store import ConversationStore, StoreUnavailableError
from bot.credential_check import CheckTarget
from bot.engine import Clock, Engine, system_clock
from bot.i18n import Catalogs
from bot.login_checks import CheckSettings, LoginChecks
from bot.profile_loader import load_profile
from bot.rate_limit import SlidingWindowLimiter
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
    secret = settings.secret
    if not secret:
        # Fine for one process; several replicas must share MAILMOVE_SECRET, or a link minted
        # by one is refused by another.
        _LOGGER.warning("MAILMOVE_SECRET is not set: login-check links work on this process only")
        secret = secrets.token_bytes(32)
    links = CheckLinks(secret, settings.base_url)
    engine = Engine(
        store or store_from_url(settings.store_url), profile, catalogs, clock, links=links
    )
    return Runtime(
        settings=settings, engine=engine, catalogs=catalogs, tasks=BackgroundTasks(), links=links
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
        SlidingWindowLimiter(settings.check_limit, float(settings.check_window)),
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
    runtime = build_runtime(settings, clock=clock, store=store)
    channels = enabled_channels(runtime, exclude=exclude_channels)
    page = CheckPage(login_checks(runtime, check), runtime.catalogs)
    extra = [*page.routes(), *config_file_routes(runtime.engine.profile)]
    return _app(runtime, channels, extra)


def _app(runtime: Runtime, channels: list[Channel], extra: Sequence[BaseRoute]) -> Starlette:
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
    routes.extend(extra)
    for channel in channels:
        routes.extend(channel.routes())
    app = Starlette(
        routes=routes,
        lifespan=lifespan,
        middleware=[Middleware(BodyLimit, max_bytes=MAX_BODY_BYTES)],
    )
    app.state.runtime = runtime
    return app
