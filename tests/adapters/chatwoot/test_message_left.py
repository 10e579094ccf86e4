"""A message left for the desk reaches Chatwoot's agents, in the mirror inbox or in place.

The real app (web chat and Chatwoot) against the fake Chatwoot API on loopback; the profile's
desk answers on weekdays only and the clock says Sunday noon, so asking for a person offers
to leave a message. Chatwoot's side is its webhook bodies (recorded shapes).
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Owner
from testbed.clock import IN_WINDOW
from tests.adapters.chatwoot.test_channel import message
from tests.adapters.chatwoot.test_mirror_desk import (
    INBOX,
    MIRROR,
    WEBHOOK_TOKEN,
    Subscriber,
    from_agent,
    mirror_status,
    webhook,
)
from tests.bot.desk.test_desk_hours import weekday_profile
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, FakeChatwoot

LEFT: Final = "送信できません。03-1234-5678 にお電話ください"
TYPED_SECRET: Final = "Secr3tPw!x"
AGENT_TOKEN: Final = "agent-token-0123456789"
# Sunday noon in Tokyo (the desk is closed), moved on by a test as time passes.
NOW: Final = [IN_WINDOW]
CONVERSATION: Final = "1234"  # the recorded payloads' Chatwoot conversation


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    fake = FakeChatwoot()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def app(fake: FakeChatwoot, tmp_path: Path) -> AsyncIterator[Starlette]:
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
    }
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        environ=environ,
        agent_tokens=(AGENT_TOKEN,),
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "chatwoot"))
    app = build_app(settings, clock=lambda: NOW[0], exclude_channels=others)
    NOW[:] = [IN_WINDOW]
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:
        yield client


async def test_a_web_chat_message_left_opens_a_mirror_whose_reply_takes_the_chat(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    await subscriber.say("担当者と話したい")
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    await client.post(url, json={"choice": "desk_message"})
    await app.state.runtime.tasks.idle()
    assert fake.calls_to("chatwoot", "conversations") == []  # no handoff out of hours
    for _ in range(2):  # the page's retry: one message, shown once
        await client.post(url, json={"text": LEFT, "event_id": "e-left"})
    await app.state.runtime.tasks.idle()
    (created_mirror,) = fake.calls_to("chatwoot", "conversations")
    assert created_mirror.params["custom_attributes"] == {"mailmove_key": subscriber.key}
    (note,) = fake.messages(private=True)
    assert note["conversation"] == MIRROR
    assert "【伝言】" in note["content"]
    assert "03-1234-5678" in note["content"]
    assert "お電話ください" in note["content"]
    assert (await subscriber.page())["owner"] == "bot"  # the bot still answers them

    # An agent answers in the mirror: the subscriber gets it, and the agent has the chat.
    assert (await webhook(client, from_agent(subscriber.key, "お電話いたします", 1))).status_code
    page = await subscriber.page()
    agent_lines = [m for m in page["messages"] if m["author"] == "agent"]
    assert [(m["reply"]["text"], m["agent"]) for m in agent_lines] == [("お電話いたします", "佐藤")]
    assert (page["owner"], page["agent"]) == ("agent", "佐藤")


async def test_a_mirror_resolved_in_chatwoot_no_longer_waits_in_the_queue(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Called back and resolved in Chatwoot: the console must not go on listing it.
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    await subscriber.say("担当者と話したい")
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    await client.post(url, json={"choice": "desk_message"})
    await client.post(url, json={"text": LEFT})
    await app.state.runtime.tasks.idle()
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}

    async def waiting() -> set[str]:
        listed = await client.get("/api/agent/conversations?desk=true", headers=headers)
        return {row["key"] for row in listed.json()["conversations"]}

    assert await waiting() == {subscriber.key}
    NOW[0] += dt.timedelta(minutes=20)  # the agent called back meanwhile
    for _ in range(2):  # an account webhook and an agent bot's delivery of one change
        resolved = await webhook(client, mirror_status(subscriber.key, "resolved"))
        assert resolved.status_code == 200
    assert await waiting() == set()
    assert (await subscriber.page())["owner"] == "bot"
    lines = [x.text for x in await app.state.runtime.engine.store.transcript(subscriber.key)]
    # The bot had the chat all along: nobody handed it back (the console said
    # 「佐藤 花子がボットに戻しました」), the message was dealt with.
    assert lines.count("message dealt with by 佐藤 花子") == 1
    assert not [line for line in lines if line.startswith("handback")]
    assert await subscriber.say("こんにちは") != []  # the bot answers as before
    # Asked for a person again, the subscriber is offered a new message: the old one was
    # dealt with, and 「伝言はお預かりしています」 said otherwise.
    again = json.dumps(await subscriber.say("担当者と話したい"), ensure_ascii=False)
    assert "伝言はお預かりしています" not in again
    assert "desk_message" in again


def contact(text: str, n: int) -> bytes:
    return json.dumps(message(text, n), ensure_ascii=False).encode()


async def post(client: httpx.AsyncClient, body: dict[str, Any] | bytes) -> httpx.Response:
    content = body if isinstance(body, bytes) else json.dumps(body, ensure_ascii=False).encode()
    return await client.post(
        f"/webhooks/chatwoot/{WEBHOOK_TOKEN}",
        content=content,
        headers={"content-type": "application/json"},
    )


async def test_a_chatwoot_contacts_message_is_a_private_note_and_a_reply_opens_it(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    runtime = app.state.runtime
    key = f"chatwoot:{CONVERSATION}"
    for n, words in enumerate((f"パスワードは {TYPED_SECRET} です", "担当者と話したい"), 1):
        assert (await post(client, contact(words, n))).status_code == 200
        await runtime.tasks.idle()
    offered = json.dumps(fake.messages(), ensure_ascii=False)
    assert "受付時間外" in offered
    assert (await post(client, contact("伝言を残す", 3))).status_code == 200
    await runtime.tasks.idle()
    assert (await post(client, contact(LEFT, 4))).status_code == 200
    assert (await post(client, contact(LEFT, 4))).status_code == 200  # sent twice
    await runtime.tasks.idle()
    (note,) = fake.messages(private=True)
    assert note["conversation"] == CONVERSATION
    assert "【伝言】" in note["content"]
    assert "03-1234-5678" in note["content"]
    assert TYPED_SECRET not in json.dumps(fake.messages(private=None), ensure_ascii=False)
    # Still pending: the bot goes on answering the contact.
    assert fake.toggles() == []
    record = await runtime.engine.store.load(key)
    assert record is not None
    assert record.owner is Owner.BOT

    # A Chatwoot agent answers it there: she has it, and it is opened for her.
    reply = message("お電話いたします", 5, name="message_created_outgoing")
    reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
    assert (await post(client, reply)).status_code == 200
    await runtime.tasks.idle()
    assert fake.toggles() == [(CONVERSATION, "open")]
    record = await runtime.engine.store.load(key)
    assert record is not None
    assert record.owner is Owner.AGENT
    lines = [(x.author, x.text) for x in await runtime.engine.store.transcript(key)][-2:]
    assert lines == [
        ("system", "taken over by 佐藤 花子 (Chatwoot)"),
        ("agent", "お電話いたします"),
    ]
