"""The console shows, beside the address typed, the one it becomes where the domain changes.

With `examples/domain-change.toml`, in real headless Chromium against the real server on
loopback; Playwright's auto-waiting, no sleeps.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, expect

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.adapters.agent_console.test_browser import DESKTOP, TOKEN, owner_badge, sign_in
from tests.browser import chromium

PROFILE: Final = Path(__file__).resolve().parents[3] / "examples" / "domain-change.toml"
IN_WINDOW: Final = dt.datetime(2027, 2, 10, 3, 0, tzinfo=dt.UTC)

expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("console-new-domain")
    settings = Settings(
        store_url=f"sqlite:///{folder}/console.sqlite3",
        agent_tokens=(TOKEN,),
        profile_path=PROFILE,
    )
    with serving(build_app(settings, clock=fixed_clock(IN_WINDOW)), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_the_conversation_shows_the_new_address(browser: Browser, base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as chat:
        conversation = chat.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        for body in ({"choice": "yes"}, {"text": "taro@minato-net.example.jp"}):
            said = chat.post(f"/api/webchat/conversations/{conversation}/messages", json=body)
            assert said.status_code == 200
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP", base_url=base_url)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"/agent/#{key_of(conversation)}")
        sign_in(page)
        expect(owner_badge(page)).to_have_text("ボット対応中")
        expect(page.locator("#conversation-address")).to_have_text(
            "taro@minato-net.example.jp（移行後はtaro@kaigan-hikari.example.jp）"
        )
    finally:
        context.close()
    assert errors == []
