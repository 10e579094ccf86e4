"""A Chatwoot agent's first reply as the console takes the same waiting conversation.

The reply read the conversation as waiting in the queue, and after the console took it,
took it too ('taken over by 佐藤 花子 (Chatwoot)' after 'taken over by 鈴木'): the console's
agent lost a conversation to a reply never meant as a take-over. Written after the console's
take it takes nothing (the words are kept as hers), so it must not when written during it.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from pathlib import Path

import httpx

from bot.ops.settings import Settings
from bot.server import build_app
from tests.adapters.channel_contract import AGENT_TOKEN, all_but
from tests.adapters.chatwoot import test_mirror_desk as mirror
from tests.adapters.chatwoot.test_channel import KEY, WEBHOOK_TOKEN, message, status_event, webhook
from tests.bot.desk.test_agent_api import moving_clock
from tests.fakes.acting_store import ActingBetween
from tests.fakes.chatwoot_api import (
    ACCOUNT,
    API_TOKEN,
    DESK_IDENTIFIER,
    FakeChatwoot,
    running_chatwoot,
)

HEADERS = {"Authorization": f"Bearer {AGENT_TOKEN}"}


async def _app(
    fake: FakeChatwoot, store: ActingBetween, *, desk_inbox: str | None = None
) -> AsyncIterator[httpx.AsyncClient]:
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
    } | (
        {"CHATWOOT_DESK_INBOX_ID": desk_inbox, "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER}
        if desk_inbox
        else {}
    )
    settings = Settings(agent_tokens=(AGENT_TOKEN,), environ=environ)
    # The web chat too, whose handoffs the desk inbox mirrors.
    others = tuple(n for n in all_but("chatwoot") if n != "webchat")
    app = build_app(settings, clock=moving_clock(), store=store, exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield client


async def test_a_chatwoot_reply_as_the_console_takes_it_takes_nothing(tmp_path: Path) -> None:
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            for n, words in enumerate(("こんにちは", "人と話したい"), start=1):
                request = webhook(message(words, n))
                response = await client.post(
                    request.path, content=request.body, headers=request.headers
                )
                assert response.status_code == 200
            await fake.wait_for(lambda: bool(fake.toggles()))
            await _reply_during_take(client, store)


async def _reply_during_take(client: httpx.AsyncClient, store: ActingBetween) -> None:
    path = f"/api/agent/conversations/{KEY}"
    read = (await client.get(path, headers=HEADERS)).json()
    assert read["holder"] == "queue"

    async def console_takes() -> None:
        response = await client.post(f"{path}/take", headers=HEADERS, json={"agent": "鈴木"})
        assert response.status_code == 200

    reply = message("確認いたします", 3, name="message_created_outgoing", status="open")
    reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
    store.after_transcript = True  # the reply has read who has it: the queue
    store.between = console_takes
    request = webhook(reply)
    response = await client.post(request.path, content=request.body, headers=request.headers)
    assert response.status_code == 200
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("chatwoot:")]
    await asyncio.gather(*running)
    assert store.between is None
    read = (await client.get(path, headers=HEADERS)).json()
    taken = [x["text"] for x in read["transcript"] if x["text"].startswith("taken over")]
    assert taken == ["taken over by 鈴木"]
    assert [x["text"] for x in read["transcript"] if x["author"] == "agent"] == ["確認いたします"]


async def test_pending_in_chatwoot_as_the_console_hands_back_greets_once(tmp_path: Path) -> None:
    # Set back to pending in Chatwoot while the console hands the conversation back: each
    # read it as an agent's and handed it back, and the contact was greeted (and asked the
    # questions) twice.
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            for n, words in enumerate(("こんにちは", "人と話したい"), start=1):
                request = webhook(message(words, n))
                response = await client.post(
                    request.path, content=request.body, headers=request.headers
                )
                assert response.status_code == 200
            await fake.wait_for(lambda: bool(fake.toggles()))
            await _pending_during_hand_back(client, store)


async def _pending_during_hand_back(client: httpx.AsyncClient, store: ActingBetween) -> None:
    path = f"/api/agent/conversations/{KEY}"
    taken = await client.post(f"{path}/take", headers=HEADERS, json={"agent": "鈴木"})
    assert taken.status_code == 200

    async def console_hands_back() -> None:
        response = await client.post(f"{path}/handback", headers=HEADERS, json={"agent": "鈴木"})
        assert response.status_code == 200

    store.between = console_hands_back  # right after Chatwoot's event read the record
    request = webhook(status_event("conversation_status_changed", "pending", 2.5))
    response = await client.post(request.path, content=request.body, headers=request.headers)
    assert response.status_code == 200
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("chatwoot:")]
    await asyncio.gather(*running)
    assert store.between is None
    read = (await client.get(path, headers=HEADERS)).json()
    backs = [x["text"] for x in read["transcript"] if x["text"].startswith("handback: ")]
    assert backs == ["handback: agent=鈴木"]


async def test_a_mirror_resolved_as_the_console_hands_back_greets_once(tmp_path: Path) -> None:
    # Chatwoot's agent resolves the mirror of a web chat conversation as the console hands
    # it back: each read it as an agent's, and the subscriber was greeted twice.
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store, desk_inbox=mirror.INBOX):
            await _resolved_during_hand_back(client, store, fake)


async def _resolved_during_hand_back(
    client: httpx.AsyncClient, store: ActingBetween, fake: FakeChatwoot
) -> None:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = mirror.Subscriber(client, created["conversation_id"])
    await subscriber.say("taro@vp.117.ne.jp")
    await subscriber.say("人と話したいです")
    await fake.wait_for(lambda: bool(fake.messages(private=True)))  # the mirror is open
    path = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{path}/take", headers=HEADERS, json={})).status_code == 200

    async def console_hands_back() -> None:
        response = await client.post(f"{path}/handback", headers=HEADERS, json={})
        assert response.status_code == 200

    store.between = console_hands_back  # right after the resolve read the conversation
    resolved = mirror.mirror_status(subscriber.key, "resolved")
    assert (await mirror.webhook(client, resolved)).status_code == 200
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("chatwoot:")]
    await asyncio.gather(*running)
    assert store.between is None
    read = (await client.get(path, headers=HEADERS)).json()
    backs = [x["text"] for x in read["transcript"] if x["text"].startswith("handback: ")]
    assert len(backs) == 1, backs
