"""The web chat's browser tests: the real app under uvicorn on loopback, one Chromium per
module, and a fresh browser profile per page."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import PromptServer, listening
from tests.adapters.webchat.chat_page import DESKTOP, NewPage, bot_turns
from tests.browser import chromium

# -- the server -------------------------------------------------------------------------------


class _StartupSignal:
    """Passes everything to `app`, and sets `event` once its lifespan start-up is complete."""

    def __init__(self, app: ASGIApp, event: threading.Event) -> None:
        self._app = app
        self._event = event

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "lifespan":
            await self._app(scope, receive, send)
            return

        async def watching_send(message: Message) -> None:
            await send(message)
            if message["type"] == "lifespan.startup.complete":
                self._event.set()

        await self._app(scope, receive, watching_send)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real app under uvicorn on a free loopback port, in a background thread."""
    folder = tmp_path_factory.mktemp("webchat")
    # Bound and listening before the thread starts: no port race, and a request that comes
    # early waits in the backlog instead of being refused.
    # listening's socket is TCP's by name, so the answers do not wait on Nagle's algorithm.
    listener = listening()
    url = f"http://127.0.0.1:{listener.getsockname()[1]}"
    # The public URL is where the links the bot hands out (the Apple profile) point.
    settings = Settings(store_url=f"sqlite:///{folder}/browser.sqlite3", public_url=url)
    app = build_app(settings, clock=fixed_clock())
    started = threading.Event()
    config = uvicorn.Config(_StartupSignal(app, started), log_level="warning", lifespan="on")
    server = PromptServer(config)  # stops at once at the module's end (testbed.loopback)
    # uvicorn installs no signal handlers outside the main thread.
    thread = threading.Thread(
        target=server.run, kwargs={"sockets": [listener]}, name="webchat-uvicorn", daemon=True
    )
    thread.start()
    try:
        if not started.wait(timeout=30):
            pytest.fail("the web chat server did not finish starting within 30 s")
        assert httpx.get(f"{url}/healthz", timeout=10).status_code == 200
        yield url
    finally:
        server.should_exit = True
        thread.join(timeout=30)
        listener.close()


# -- the browser ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def new_page(browser: Browser, base_url: str) -> Iterator[NewPage]:
    """Opens the chat in a fresh browser profile; fails the test on any uncaught script error."""
    contexts: list[BrowserContext] = []
    errors: list[str] = []

    def open_page(
        path: str = "/",
        *,
        viewport: ViewportSize = DESKTOP,
        permissions: tuple[str, ...] = (),
        init_script: str | None = None,
        fake_clock: bool = False,
        paused_clock: bool = False,
    ) -> Page:
        context = browser.new_context(
            viewport=viewport,
            # Instant scrolling, so that a screenshot shows where the page settles.
            reduced_motion="reduce",
            locale="ja-JP",
            device_scale_factor=2 if viewport["width"] < 600 else 1,
            base_url=base_url,
        )
        contexts.append(context)
        if permissions:
            context.grant_permissions(list(permissions), origin=base_url)
        if init_script:
            context.add_init_script(init_script)
        if fake_clock or paused_clock:
            # The page's timers (its transcript polling) are Playwright's: a test moves them
            # on with run_for. They still run by themselves as real time passes, so a test
            # that must have no poll in some span holds the polls' requests instead, or
            # pauses the clock (chat_page.pause_clock).
            context.clock.install()
        if paused_clock:
            # Paused before the page loads: even its first read of the transcript, 2 s after
            # the greeting, waits for the test's run_for. Paused after new_page returned, a
            # loaded machine could let that read come first.
            context.clock.pause_at(time.time() + 0.5)
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(path)
        expect(bot_turns(page)).to_have_count(1)
        return page

    yield open_page
    for context in contexts:
        for page in context.pages:
            # A poll may still be in a test's route handler: it no longer matters.
            page.unroute_all(behavior="ignoreErrors")
        context.close()
    assert not errors, f"uncaught script errors: {errors}"
