"""The console says a photo or a sticker came, not `[media]` / `[sticker]` (subscriber12).

An older subscriber on LINE sends a photo of the screen; the agent who takes the chat read
「[media]」 where it came. The console now says that a photo, voice message or file was sent
and that the bot could not see it, so the agent asks what it shows.

And a subscriber's line no font can draw in its bubble (letters under hundreds of combining
marks) stays inside it (attacker5).
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import Browser, expect

from adapters.webchat.conversation_key import key_of
from bot.engine import as_typed
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.loopback import serving
from tests.adapters.agent_console.test_browser import sign_in, transcript
from tests.browser import chromium

TOKEN: Final = "agent-token-0123456789"
KEY: Final = key_of("1f1e2d3c4b5a69788796a5b4c3d2e1f0")
MARKED: Final = key_of("2f1e2d3c4b5a69788796a5b4c3d2e1f0")
# Letters each carrying 300 combining marks (above and below, in turn): one grapheme each,
# which no line break may split, as the web chat takes it (2,000 characters).
PILED: Final = "".join(
    letter + "".join(chr(0x300 + (n * 7) % 0x70) for n in range(300)) for letter in "ZALGO"
)[:1990]

expect.set_options(timeout=10_000)


async def seed(path: Path) -> None:
    store = SQLiteStore(path)
    await store.open()
    at = IN_WINDOW - dt.timedelta(minutes=5)
    record = ConversationRecord(KEY, "webchat", Owner.BOT, DialogState(), at, at)
    lines = [
        TranscriptEntry(at, "subscriber", "エラーが出ます"),
        TranscriptEntry(at, "subscriber", "[media]"),
        TranscriptEntry(at, "subscriber", "[sticker]"),
        # The web chat's language button, which no question of the bot's offered.
        TranscriptEntry(at, "subscriber", "[lang:en]"),
        # A bot's or an agent's words that happen to read so are theirs, not a mark.
        TranscriptEntry(at, "agent", "[media]"),
        # So are the subscriber's, typed: kept as the engine keeps them.
        TranscriptEntry(at, "subscriber", as_typed("[media]")),
    ]

    def create(_: ConversationRecord | None) -> Change[None]:
        return Change(record, lines, None)

    await store.transact(KEY, None, create)
    marked = ConversationRecord(MARKED, "webchat", Owner.AGENT, DialogState(), at, at)
    said = [
        TranscriptEntry(at, "subscriber", "こんにちは"),
        TranscriptEntry(at, "subscriber", PILED),
    ]

    def create_marked(_: ConversationRecord | None) -> Change[None]:
        return Change(marked, said, None)

    await store.transact(MARKED, None, create_marked)
    await store.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("wordless-lines")
    asyncio.run(seed(folder / "s.sqlite3"))
    settings = Settings(store_url=f"sqlite:///{folder}/s.sqlite3", agent_tokens=(TOKEN,))
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_the_console_says_a_photo_and_a_sticker_came(base_url: str, browser: Browser) -> None:
    # base_url first: its seeding runs an event loop, which the browser's would forbid.
    errors: list[str] = []
    context = browser.new_context(base_url=base_url, locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/agent/#{KEY}")
    sign_in(page)
    lines = transcript(page)
    expect(lines).to_contain_text("写真・音声・ファイルなどが送られました")
    expect(lines).to_contain_text("（スタンプが送られました）")
    expect(lines).to_contain_text("言語ボタンで英語を選びました")
    expect(lines).not_to_contain_text("[lang:en]")
    expect(lines.locator(".line--agent .line__text")).to_have_text("[media]")
    expect(lines.locator(".line--subscriber .line__text").last).to_have_text(as_typed("[media]"))
    expect(lines.get_by_text("写真・音声・ファイルなどが送られました")).to_have_count(1)
    page.get_by_role("button", name="English").click()
    expect(lines).to_contain_text("a photo, voice message or file was sent")
    expect(lines).to_contain_text("(a sticker was sent)")
    expect(lines).to_contain_text("chose English with the language button")
    context.close()
    assert errors == []


def test_a_line_of_piled_up_marks_stays_inside_its_bubble(base_url: str, browser: Browser) -> None:
    # Each letter under 300 marks is one grapheme, wider than the transcript (or, where the
    # font stacks them, a tower over the lines above): the subscriber's bubble spilled out
    # of the transcript and gave the whole console a horizontal scroll bar (1,536 px of
    # page in a 1,280 px window), over the agent's other lines.
    context = browser.new_context(
        base_url=base_url,
        locale="ja-JP",
        timezone_id="Asia/Tokyo",
        viewport={"width": 1280, "height": 900},
    )
    page = context.new_page()
    page.goto(f"/agent/#{MARKED}")
    sign_in(page)
    lines = transcript(page)
    expect(lines).to_contain_text("こんにちは")
    expect(lines.locator(".line--subscriber")).to_have_count(2)
    spilled = page.evaluate(
        """() => {
            const page = document.documentElement;
            const lines = document.querySelector(".transcript__lines");
            return [page.scrollWidth - page.clientWidth, lines.scrollWidth - lines.clientWidth];
        }"""
    )
    context.close()
    assert spilled == [0, 0]
