"""The agent console alone is a desk: with only agent tokens set, a handoff reaches its queue.

No Slack channel, Chatwoot or webhook is configured; the agents work from the console,
which lists the conversations waiting for a person. A subscriber who asks for one in the
desk's hours is handed over and told so, as with any other desk.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

import httpx

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import IN_WINDOW, fixed_clock
from tests.adapters.webchat.test_api_contract import MESSAGES, check_response
from tests.bot.desk.test_agent_api import Chat, check, client_for
from tests.bot.desk.test_desk_hours import weekday_profile

TOKEN = "sato-token-9f3c1e7a5b2d8046"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


def console_only(tmp_path: Path, *, hours: bool = False) -> Settings:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{TOKEN}",)
    )
    return settings.with_overrides(profile_path=weekday_profile(tmp_path)) if hours else settings


async def test_with_only_the_console_a_handoff_reaches_its_queue(tmp_path: Path) -> None:
    app = build_app(console_only(tmp_path), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        said = await chat.send(text="担当者と話したい")
        words = " ".join(str(r.get("text", "")) for r in said)
        assert "担当者におつなぎします" in words
        assert "おつなぎできません" not in words
        await app.state.runtime.tasks.idle()
        listed = await client.get("/api/agent/conversations?desk=true", headers=HEADERS)
        check("/api/agent/conversations", "get", 200, listed.json())
        (waiting,) = listed.json()["conversations"]
        assert (waiting["key"], waiting["holder"], waiting["reason"]) == (
            chat.key,
            "queue",
            "asked",
        )
        page = await client.get(f"/api/webchat/conversations/{chat.id}/messages")
        assert page.json()["owner"] == "queue"
        # Nobody gave it back for want of a desk: it waits for the agent.
        assert (await chat.send(text="まだですか")) == []


async def test_outside_the_hours_the_console_takes_a_message_instead(tmp_path: Path) -> None:
    # The fixed clock's Sunday noon: the desk of the weekday profile is closed.
    app = build_app(console_only(tmp_path, hours=True), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        said = await chat.send(text="担当者と話したい")
        assert "受付時間外" in " ".join(str(r.get("text", "")) for r in said)
    monday_noon = IN_WINDOW + dt.timedelta(days=1)
    app = build_app(console_only(tmp_path, hours=True), clock=fixed_clock(monday_noon))
    async for client in client_for(app):
        chat = await Chat.start(client)
        said = await chat.send(text="担当者と話したい")
        assert "担当者におつなぎします" in " ".join(str(r.get("text", "")) for r in said)


async def answered(client: httpx.AsyncClient, chat: Chat, text: str) -> dict[str, object]:
    """The web chat's answer to `text`, checked against its description."""
    sent = await client.post(f"/api/webchat/conversations/{chat.id}/messages", json={"text": text})
    body: dict[str, object] = check_response(sent, MESSAGES, "post")
    return body


async def test_the_web_chat_answer_says_who_has_the_conversation(tmp_path: Path) -> None:
    # Issue 10: "Web chat responses and the transcript endpoint say whether the bot, the
    # queue or an agent has the conversation". The answer to a message said nothing: a
    # client learnt of the handoff only from a later read of the transcript.
    app = build_app(console_only(tmp_path), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        said = await answered(client, chat, "はい")
        assert (said["owner"], said["agent"]) == ("bot", None)
        said = await answered(client, chat, "担当者と話したい")
        assert (said["owner"], said["agent"]) == ("queue", None)
        agent_url = f"/api/agent/conversations/{chat.key}/messages"
        wrote = await client.post(agent_url, headers=HEADERS, json={"text": "佐藤です"})
        assert wrote.status_code == 201
        said = await answered(client, chat, "よろしくお願いします")
        assert (said["replies"], said["owner"], said["agent"]) == ([], "agent", "佐藤")
