"""The chat's times in a preview of another day (`mailmove serve --as-of 2008-06-01`).

The bot's messages carried the server's time, the previewed day, and the subscriber's the
phone's, today: staff saw 「6/1 14:03」 under the bot and 「14:03」 under their own words,
as if the conversation crossed sixteen years, and after a reload (the transcript, stamped
with the previewed day) their own words took the previewed date. In a preview the page's
clock follows the server's, so every time is on the day being previewed.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import Browser, Page, expect

from bot.ops.preview_clock import preview_clock
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.loopback import serving
from tests.adapters.webchat.chat_page import PHONE, bot_turns, type_message
from tests.browser import chromium

PREVIEWED: Final = dt.date(2008, 6, 1)
ZONE: Final = "Asia/Tokyo"

# Each time shown: its text, and its day in the page's time zone.
_TIMES: Final = """() => [...document.querySelectorAll('time.turn__time')].map(node => [
  node.textContent,
  new Intl.DateTimeFormat('sv-SE', {timeZone: 'Asia/Tokyo'}).format(new Date(node.dateTime)),
  node.closest('.turn').classList.contains('turn--user') ? 'user' : 'bot',
])"""


@pytest.fixture(scope="module")
def preview_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder: Path = tmp_path_factory.mktemp("preview")
    settings = Settings(store_url=f"sqlite:///{folder}/store.sqlite3", as_of=PREVIEWED)
    with serving(build_app(settings, clock=preview_clock(PREVIEWED, ZONE))) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def assert_all_on_the_previewed_day(page: Page) -> None:
    times = page.evaluate(_TIMES)
    assert {who for _, _, who in times} == {"user", "bot"}, times
    assert {day for _, day, _ in times} == {PREVIEWED.isoformat()}, times
    # The previewed day is the page's today: hours and minutes only, as on any day.
    assert all(re.fullmatch(r"\d\d:\d\d", text) for text, _, _ in times), times


def test_the_subscribers_words_and_the_bots_are_timed_on_the_previewed_day(
    browser: Browser, preview_url: str
) -> None:
    context = browser.new_context(
        viewport=PHONE, locale="ja-JP", timezone_id=ZONE, base_url=preview_url
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(bot_turns(page)).to_have_count(1)
        expect(page.locator("#preview")).to_be_visible()
        type_message(page, "パスワードを忘れました")
        assert_all_on_the_previewed_day(page)
        # Drawn again from the server's transcript, the same.
        page.reload()
        expect(bot_turns(page)).to_have_count(2)
        assert_all_on_the_previewed_day(page)
    finally:
        context.close()
