"""The console words a login check's line as the handoff summary does, not as audit data.

So too the notes of where a desk keeps the conversation (a Slack thread, a Chatwoot mirror),
and the agents system lines name, as every desk shows them (a Slack member without her member
id, a Chatwoot agent without 「(Chatwoot)」): in the transcript, in the list, the owner's hint
and the take-over bar (the agent API's `agent_name`).

A conversation whose subscriber ran the check is stored first (through the store, as the
engine writes the line); the real app then serves it, and the console in headless Chromium
shows the result in words, in Japanese and in English.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, expect

from adapters.chatwoot.agents import chatwoot_agent
from adapters.slack.desk_members import slack_member
from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import (
    WITHDRAWN_REPLY_TEXT,
    WITHDRAWN_TEXT,
    Change,
    ConversationRecord,
    Owner,
    TranscriptEntry,
)
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.loopback import serving
from tests.adapters.agent_console.test_browser import row_for, sign_in, transcript
from tests.browser import chromium

TOKEN: Final = "agent-token-0123456789"
KEY: Final = key_of("0f1e2d3c4b5a69788796a5b4c3d2e1f0")
AUDIT: Final = "check_result: smtp=auth_failed pop=ok pop_count=3 smtp_port=587 pop_port=110"
JA: Final = "送信（ポート587）: 認証に失敗、受信（ポート110）: 成功"
EN: Final = "sending (port 587): login refused; receiving (port 110): ok"
# A conversation a Slack member has, read by a console agent (佐藤): named as the desks name her.
HELD: Final = key_of("1f2e3d4c5b6a79889786a5b4c3d2e1f0")
MEMBER: Final = slack_member("山田花子", "U0AGENT1")
IN_CHATWOOT: Final = chatwoot_agent("鈴木")

expect.set_options(timeout=10_000)


async def seed(path: Path) -> None:
    store = SQLiteStore(path)
    await store.open()
    at = IN_WINDOW - dt.timedelta(minutes=5)
    record = ConversationRecord(KEY, "webchat", Owner.BOT, DialogState(), at, at)
    lines = [
        TranscriptEntry(at, "subscriber", "ログインを確認したい"),
        TranscriptEntry(at, "system", AUDIT),
        TranscriptEntry(at, "system", "slack_desk thread: C0AGENTS 1212345678.000100"),
        TranscriptEntry(at, "system", "chatwoot mirror: 1001"),
        # Where a subscriber's message was relayed (bookkeeping for its withdrawal), and the
        # withdrawal itself (LINE's unsend).
        TranscriptEntry(at, "subscriber", WITHDRAWN_TEXT),
        # The bot's line that said the withdrawn words back (「さっきのはパスワードです」).
        TranscriptEntry(at, "bot", WITHDRAWN_REPLY_TEXT),
        TranscriptEntry(at, "system", "slack_desk relayed: 0123456789abcdef 1212345678.000200"),
        TranscriptEntry(at, "system", "chatwoot relayed: 0123456789abcdef 1001 100005"),
        TranscriptEntry(at, "system", "withdrawn: 0123456789abcdef"),
        TranscriptEntry(at, "system", "line asked: 468789577898262530 0123456789abcdef"),
        # Resolved in the mirror after the call back: the bot had the chat all along.
        TranscriptEntry(at, "system", "message dealt with by 佐藤 花子"),
        # Chatwoot's assignee removed before she wrote: waiting for an agent again.
        TranscriptEntry(at, "system", f"back in the queue from {IN_CHATWOOT}"),
        # Lines naming agents of other desks, and a console agent's name with brackets of its
        # own, which is hers as typed.
        TranscriptEntry(at, "system", f"taken over by {MEMBER}"),
        TranscriptEntry(
            at,
            "system",
            f"taken over by {IN_CHATWOOT} from {MEMBER}",
            {"type": "take_over", "agent": IN_CHATWOOT, "taken_from": MEMBER},
        ),
        # The address typed follows the name in a hand-back's line (`handback.hand_back`):
        # with no question left between, it was read as part of the name.
        TranscriptEntry(
            at, "system", f"handback: agent={IN_CHATWOOT} typed_address=taro@example.jp"
        ),
        TranscriptEntry(at, "system", f"closed by {MEMBER}"),
        TranscriptEntry(at, "system", "closed by 佐藤 花子 (Sato)"),
    ]
    taken = ConversationRecord(HELD, "webchat", Owner.AGENT, DialogState(), at, at)
    held = [
        TranscriptEntry(at, "subscriber", "担当者と話したい"),
        TranscriptEntry(at, "system", "handoff: asked"),
        TranscriptEntry(at, "system", f"taken over by {MEMBER}"),
        TranscriptEntry(at, "agent", "担当の山田です", {"agent": MEMBER}),
    ]

    for key, stored, written in ((KEY, record, lines), (HELD, taken, held)):

        def create(
            _: ConversationRecord | None,
            stored: ConversationRecord = stored,
            written: list[TranscriptEntry] = written,
        ) -> Change[None]:
            return Change(stored, written, None)

        await store.transact(key, None, create)
    await store.close()


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("check-line")
    asyncio.run(seed(folder / "s.sqlite3"))
    settings = Settings(store_url=f"sqlite:///{folder}/s.sqlite3", agent_tokens=(TOKEN,))
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_the_agent_api_words_the_check_line_in_both_languages(base_url: str) -> None:
    read = httpx.get(
        f"{base_url}/api/agent/conversations/{KEY}",
        headers={"Authorization": f"Bearer {TOKEN}"},
    )
    (line, *_) = [x for x in read.json()["transcript"] if x["author"] == "system"]
    assert line["text"] == AUDIT  # kept as it was, for the audit trail
    assert line["check"] == {"ja": JA, "en": EN}
    names = {x["text"]: x.get("names") for x in read.json()["transcript"]}
    assert names[f"back in the queue from {IN_CHATWOOT}"] == {IN_CHATWOOT: "鈴木"}
    assert names[f"taken over by {IN_CHATWOOT} from {MEMBER}"] == {
        IN_CHATWOOT: "鈴木",
        MEMBER: "山田花子",
    }
    assert names["message dealt with by 佐藤 花子"] is None
    assert names["closed by 佐藤 花子 (Sato)"] is None


def test_the_console_shows_the_check_and_the_desks_notes_in_words(
    base_url: str, browser: Browser
) -> None:
    errors: list[str] = []
    context = browser.new_context(base_url=base_url, locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/agent/#{KEY}")
    sign_in(page)
    expect(transcript(page)).to_contain_text(JA)
    expect(transcript(page)).not_to_contain_text("smtp=")
    expect(transcript(page)).to_contain_text("Slackの担当者チャンネルに投稿しました")
    expect(transcript(page)).to_contain_text("Chatwootの会話1001番に引き継ぎました")
    expect(transcript(page)).not_to_contain_text("C0AGENTS")
    expect(transcript(page)).to_contain_text("佐藤 花子が伝言への対応を済ませました")
    expect(transcript(page)).to_contain_text("お客様がメッセージを取り消しました")
    # The store's marks for the withdrawn lines, in the agent's words, not in English.
    expect(transcript(page)).to_contain_text("（お客様が取り消したメッセージです）")
    expect(transcript(page)).to_contain_text("（取り消されたメッセージへの返信です）")
    expect(transcript(page)).not_to_contain_text("[withdrawn")
    expect(transcript(page)).not_to_contain_text("[reply withdrawn")
    expect(transcript(page)).not_to_contain_text("relayed")
    expect(transcript(page)).not_to_contain_text("line asked")
    expect(transcript(page)).not_to_contain_text("0123456789abcdef")
    expect(transcript(page)).not_to_contain_text("message dealt with")
    expect(transcript(page)).to_contain_text("鈴木の担当が外れたため、対応待ちに戻りました")
    expect(transcript(page)).not_to_contain_text("back in the queue")
    expect(transcript(page)).to_contain_text("山田花子が対応を引き継ぎました")
    expect(transcript(page)).to_contain_text("鈴木が山田花子から対応を引き継ぎました")
    expect(transcript(page)).to_contain_text("鈴木がボットに戻しました")
    expect(transcript(page)).to_contain_text("山田花子が会話を終了しました")
    expect(transcript(page)).to_contain_text("佐藤 花子 (Sato)が会話を終了しました")
    for mark in ("(Chatwoot)", "U0AGENT1", "typed_address", "taro@example.jp"):
        expect(transcript(page)).not_to_contain_text(mark)
    page.get_by_role("button", name="English").click()
    expect(transcript(page)).to_contain_text("鈴木 was unassigned: waiting for an agent")
    expect(transcript(page)).to_contain_text("佐藤 花子 dealt with the message left")
    expect(transcript(page)).to_contain_text(EN)
    expect(transcript(page)).to_contain_text("The subscriber withdrew a message")
    expect(transcript(page)).to_contain_text("(a message the subscriber withdrew)")
    expect(transcript(page)).not_to_contain_text("pop_count")
    assert errors == []


def test_the_console_names_an_agent_of_another_desk_as_the_desks_do(
    base_url: str, browser: Browser
) -> None:
    # The agent API's `agent_name` beside `agent` (who a take-over names): the list, the
    # owner's hint and the take-over bar show 山田花子, not her member id.
    errors: list[str] = []
    context = browser.new_context(base_url=base_url, locale="ja-JP", timezone_id="Asia/Tokyo")
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(f"/agent/#{HELD}")
    sign_in(page)
    expect(row_for(page, HELD)).to_contain_text("山田花子が対応中")
    expect(page.locator("#owner-hint")).to_contain_text("山田花子が対応中です。")
    expect(page.locator("#takeover-text")).to_contain_text("山田花子さんが対応中です。")
    expect(transcript(page)).to_contain_text("担当の山田です")
    for where in (row_for(page, HELD), page.locator("#owner-hint"), page.locator("#takeover")):
        expect(where).not_to_contain_text("U0AGENT1")
    context.close()
    context.close()
    assert errors == []
