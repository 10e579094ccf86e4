"""A quiet sound when a new subscriber starts waiting: off by default, one toggle, remembered.

The page plays it with Web Audio (an oscillator, no file). The test counts the oscillators
the page starts, through a stand-in AudioContext installed before the page's script runs.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, Page, expect

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.browser import chromium

SATO: Final = "9f3c1e7a5b2d8046c1e9a7f35b2d4e80"
# console.js's LIVE_MS: the console reads the list again this long after its last read. The
# test's page runs on Playwright's clock and is moved on by this much instead of waiting.
LIVE_MS: Final = 2_000
expect.set_options(timeout=10_000)

# Counts the tones started; the real AudioContext stays underneath (the page uses its API).
COUNTING_AUDIO: Final = """
(() => {
  window.__tones = 0;
  const Real = window.AudioContext || window.webkitAudioContext;
  if (!Real) { return; }
  const realStart = OscillatorNode.prototype.start;
  OscillatorNode.prototype.start = function (...args) {
    window.__tones += 1;
    document.documentElement.dataset.tones = String(window.__tones);
    return realStart.apply(this, args);
  };
})();
"""


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("sound")
    settings = Settings(
        store_url=f"sqlite:///{folder}/sound.sqlite3", agent_tokens=(f"佐藤:{SATO}",)
    )
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def someone_waits(base_url: str) -> None:
    with httpx.Client(base_url=base_url) as client:
        chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        said = client.post(
            f"/api/webchat/conversations/{chat}/messages", json={"text": "担当者と話したい"}
        )
        assert "おつなぎします" in said.text


def signed_in(page: Page) -> None:
    page.goto("/agent/")
    page.locator("#token").fill(SATO)
    page.locator("#token").press("Enter")
    expect(page.locator("#whoami")).to_be_visible()


def test_the_sound_is_off_until_switched_on_and_then_remembered(
    browser: Browser, base_url: str
) -> None:
    context = browser.new_context(base_url=base_url, locale="ja-JP")
    context.add_init_script(COUNTING_AUDIO)
    # The page's timers are Playwright's: they still run as real time passes.
    context.clock.install()
    try:
        page = context.new_page()
        signed_in(page)
        toggle = page.get_by_role("button", name="新着の音")
        expect(toggle).to_have_attribute("aria-pressed", "false")
        someone_waits(base_url)
        page.clock.run_for(LIVE_MS)  # the console's next read of the list
        expect(page.locator("#flash")).to_contain_text("担当者を待っています")
        assert page.evaluate("window.__tones") == 0
        toggle.click()
        expect(toggle).to_have_attribute("aria-pressed", "true")
        # Switched on, it plays once so the agent hears how loud it is: two tones.
        expect(page.locator("html")).to_have_attribute("data-tones", "2")
        someone_waits(base_url)
        page.clock.run_for(LIVE_MS)
        expect(page.locator("html")).to_have_attribute("data-tones", "4")
        # Remembered on this computer: on after a reload, and in a new tab.
        page.reload()
        expect(page.get_by_role("button", name="新着の音")).to_have_attribute(
            "aria-pressed", "true"
        )
        again = context.new_page()
        signed_in(again)
        expect(again.get_by_role("button", name="新着の音")).to_have_attribute(
            "aria-pressed", "true"
        )
        again.get_by_role("button", name="新着の音").click()
        expect(again.get_by_role("button", name="新着の音")).to_have_attribute(
            "aria-pressed", "false"
        )
        assert again.evaluate("localStorage.getItem('mailmove.agent.sound.v1')") == "off"
    finally:
        context.close()
