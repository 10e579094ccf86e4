"""A login check's link is the subscriber's alone: agents see `/check/…` (attacker13).

The link works once, for ten minutes, for whoever opens it first. The bot's line that offers
it was returned whole by the agent API (and so the console): anyone at the desk could open
it and use up the subscriber's check. A subscriber who pastes it back (「このリンクが開きません
https://…/check/<token>」) sent it to the Slack thread, the Chatwoot mirror and the handoff
summary. The subscriber's own web chat still shows it after a reload.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.desk.summary import latest_left_message, latest_words
from bot.engine import DESK_MESSAGE_LINE
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import TranscriptEntry
from bot.web.check_path import hide_check_tokens
from testbed.clock import IN_WINDOW, fixed_clock
from tests.bot.desk.test_agent_api import (
    HANDBACK_PATH,
    HEADERS,
    Chat,
    check,
    client_for,
    settings_for,
)
from tests.bot.desk.test_long_conversations_listed import AGENT
from tests.bot.desk.test_long_conversations_listed import TOKEN as AGENT_TOKEN
from tests.bot.mailcheck.check_flow import ADDRESS

TOKEN = "Zk2mWq9pXr4tYu7iOp0aSd3fGh6jKl1z"  # a link's token, as minted
PASTED = f"このリンクが開きません https://chat.example.jp/check/{TOKEN} どうすれば？"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(build_app(settings_for(tmp_path), clock=fixed_clock())):
        yield client


async def test_the_agent_api_shows_the_offered_link_without_its_token(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    for body in (
        {"choice": "settings"},
        {"text": ADDRESS},
        {"choice": "program:thunderbird"},
        {"choice": "yes"},
    ):
        await chat.send(**body)
    replies = await chat.send(choice="check")
    url = next(str(reply["url"]) for reply in replies if reply["type"] == "link")
    token = url.rsplit("/check/", 1)[1]
    assert len(token) == 32
    read = await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)
    shown = "\n".join(str(line["text"]) for line in read.json()["transcript"])
    assert "/check/…" in shown
    assert token not in shown
    assert token not in read.text
    # The subscriber's own chat keeps it, to open after a reload.
    assert token in str(await chat.history())


def test_a_pasted_link_is_quoted_without_its_token_in_the_summary() -> None:
    lines = [
        TranscriptEntry(IN_WINDOW, "subscriber", PASTED),
        TranscriptEntry(IN_WINDOW, "system", DESK_MESSAGE_LINE),
    ]
    said = latest_words(lines)
    message, _ = latest_left_message(lines)
    for quoted in (*said, message):
        assert TOKEN not in quoted
        assert "https://chat.example.jp/check/…" in quoted


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        (f"/check/{TOKEN}", "/check/…"),
        (f"<https://x.jp/check/{TOKEN}|開く>", "<https://x.jp/check/…|開く>"),
        (f"https://x.jp/check/{TOKEN}。", "https://x.jp/check/…。"),
        # Not a link: left as written.
        ("チェックして /check/ のページ", "チェックして /check/ のページ"),
        ("https://x.jp/help/check", "https://x.jp/help/check"),
    ],
)
def test_only_the_token_is_hidden(text: str, shown: str) -> None:
    assert hide_check_tokens(text) == shown


async def test_a_handback_to_the_check_answers_the_agent_without_the_token(
    tmp_path: Path,
) -> None:
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(
        Settings(store_url=store, agent_tokens=(f"佐藤:{AGENT_TOKEN}",)), clock=fixed_clock()
    )
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        facts = {"address": ADDRESS, "program": "thunderbird", "smtp_host": "old", "step": "check"}
        back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
        assert back.status_code == 200
        link = next(reply for reply in back.json()["replies"] if reply["type"] == "link")
        assert str(link["url"]).endswith("/check/…")
        check(HANDBACK_PATH, "post", 200, back.json())
        sent = next(
            reply["url"]
            for message in await chat.history()
            if isinstance(reply := message.get("reply"), dict) and reply["type"] == "link"
        )
        token = str(sent).rsplit("/check/", 1)[1]
        assert len(token) == 32
        assert token not in back.text
        assert token not in (await client.get(url, headers=AGENT)).text
