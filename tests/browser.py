"""Debian's Chromium for the browser tests, driven by Playwright (never a downloaded one).

One Chromium per pytest process (per xdist worker), started by the first module that asks
for it and closed when the session ends (`close_chromium`, from tests/conftest.py): starting
Playwright's driver and the browser took 1–2 s, and some fifteen modules ask. A module is as
isolated as it was with a browser of its own: it gets only contexts it opens, contexts share
no cookies, storage or cache, and every context it left open is closed when it is done.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import Browser, Playwright, sync_playwright

CHROMIUM: Final = Path("/usr/bin/chromium")
# Without the background-networking flags Chromium tries to reach Google at every start,
# which this machine's closed network refuses.
LAUNCH_ARGS: Final = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--no-first-run",
    "--disable-sync",
]
SCREENSHOTS: Final = Path(__file__).resolve().parents[1] / "build" / "screenshots"


@dataclass(frozen=True)
class _Running:
    playwright: Playwright
    browser: Browser
    loop: asyncio.AbstractEventLoop


_running: list[_Running] = []  # this process's Chromium, once started


def chromium() -> Iterator[Browser]:
    """This process's headless Chromium for a module's fixture to yield.

    Missing → fail under CI, else skip.
    """
    if not CHROMIUM.exists():
        reason = f"{CHROMIUM} is missing: install Debian's chromium and fonts-noto-cjk"
        if os.environ.get("CI") == "true":
            pytest.fail(reason)
        pytest.skip(reason)
    running = _started()
    before = set(running.browser.contexts)
    # Between its calls, Playwright's sync API marks its own event loop as the thread's
    # running loop, and an asyncio test's loop refuses to run beside it. Stopping Playwright
    # after each module cleared the mark; now the module's use of the browser sets it and
    # its end clears it, so that the asyncio tests of other modules run as before.
    _mark_running(running.loop)
    try:
        yield running.browser
    finally:
        for context in running.browser.contexts:
            if context not in before:
                context.close()
        _mark_running(None)


def chromium_keeping_pages() -> Iterator[Browser]:
    """A Chromium of the module's own with the back/forward cache on, as phones have it.

    Playwright starts every browser with `--disable-back-forward-cache`, so that `go_back`
    always loads the page again. A phone's browser keeps the page instead (Safari; Chrome
    156 even a `no-store` page such as the login check's form) and shows it as it was left,
    typed fields and all; only a browser with the cache on shows what that keeps. Closed
    when the module is done. `go_back(wait_until="commit")`: a kept page fires no load.
    """
    for _ in chromium():
        running = _started()
        own = running.playwright.chromium.launch(
            executable_path=str(CHROMIUM),
            args=LAUNCH_ARGS,
            ignore_default_args=["--disable-back-forward-cache"],
        )
        try:
            yield own
        finally:
            own.close()


def close_chromium() -> None:
    """Close this process's Chromium and Playwright's driver, if they were started."""
    while _running:
        running = _running.pop()
        _mark_running(running.loop)
        try:
            if running.browser.is_connected():
                running.browser.close()
        finally:
            # Playwright's exit runs its loop once more, which clears the mark itself.
            running.playwright.stop()


def _started() -> _Running:
    if _running and not _running[0].browser.is_connected():
        close_chromium()  # it crashed or was closed: the next module gets a new one
    if not _running:
        playwright = sync_playwright().start()
        browser = playwright.chromium.launch(executable_path=str(CHROMIUM), args=LAUNCH_ARGS)
        _running.append(_Running(playwright, browser, asyncio.get_running_loop()))
        _mark_running(None)
    return _running[0]


def _mark_running(loop: asyncio.AbstractEventLoop | None) -> None:
    asyncio.events._set_running_loop(loop)
