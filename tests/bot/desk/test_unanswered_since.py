"""Back from lunch, an agent sees which of her conversations has a subscriber waiting on her.

The list gave a conversation an agent has the wait since its handoff (`waiting_since`): two
held conversations, one whose subscriber wrote 「まだですか？」 an hour ago and one the agent
had answered last, both read 「1時間以上待ち」. `unanswered_since` is when the subscriber's
first line since anyone last answered them was written, and null when nothing waits.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from bot.ops.settings import Settings
from bot.server import build_app
from tests.bot.desk.test_agent_api import Chat, check, client_for
from tests.bot.desk.test_closed_while_waiting import Clock

TOKEN = "sato-token-0123456789abcdef"
SATO = {"Authorization": f"Bearer {TOKEN}"}
START = dt.datetime(2008, 6, 2, 1, 0, tzinfo=dt.UTC)  # 10:00 in Tokyo, a Monday


async def test_only_the_subscriber_who_wrote_last_is_waiting(tmp_path: Path) -> None:
    clock = Clock(START)
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{TOKEN}",)
    )
    app = build_app(settings, clock=clock)
    async for client in client_for(app):
        chats: list[Chat] = []
        for _ in range(3):
            chat = await Chat.start(client)
            await chat.send(text="担当者と話したい")
            chats.append(chat)
        for n, chat in enumerate(chats[:2]):
            url = f"/api/agent/conversations/{chat.key}"
            assert (await client.post(f"{url}/take", headers=SATO, json={})).status_code == 200
            body = {"text": "確認いたします。", "event_id": f"e{n}"}
            assert (
                await client.post(f"{url}/messages", headers=SATO, json=body)
            ).status_code == 201
        clock.now = START + dt.timedelta(minutes=10)
        await chats[0].send(text="まだですか？")
        clock.now = START + dt.timedelta(minutes=70)
        await chats[0].send(text="お昼休みでしょうか")
        await app.state.runtime.tasks.idle()
        listed = await client.get("/api/agent/conversations", headers=SATO)
        check("/api/agent/conversations", "get", 200, listed.json())
        rows = {row["key"]: row for row in listed.json()["conversations"]}
        # Waiting on the agent since the first line after her answer, not since the handoff.
        assert rows[chats[0].key]["unanswered_since"] == "2008-06-02T01:10:00+00:00"
        assert rows[chats[0].key]["waiting_since"] == "2008-06-02T01:00:00+00:00"
        # The agent wrote last: nobody waits on her there.
        assert rows[chats[1].key]["unanswered_since"] is None
        # Still in the queue: waiting since the handoff, as before.
        assert rows[chats[2].key]["holder"] == "queue"
        assert rows[chats[2].key]["unanswered_since"] == "2008-06-02T01:00:00+00:00"


async def test_a_subscriber_taken_from_the_bot_waits_from_the_take(tmp_path: Path) -> None:
    # Taken from the bot mid-question, the subscriber is told 「少々お待ちください」 and waits
    # on the agent, as the late-reply notice counts it (agent_silence), but with no handoff
    # the list said null: the console showed no wait and put the conversation last, though
    # the subscriber had written to her and waited an hour.
    clock = Clock(START)
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{TOKEN}",)
    )
    app = build_app(settings, clock=clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(choice="yes")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=SATO, json={})).status_code == 200
        clock.now = START + dt.timedelta(minutes=5)
        await chat.send(text="会社でもメールを使います")
        clock.now = START + dt.timedelta(minutes=65)
        await app.state.runtime.tasks.idle()
        listed = await client.get("/api/agent/conversations", headers=SATO)
        check("/api/agent/conversations", "get", 200, listed.json())
        (row,) = listed.json()["conversations"]
        assert row["holder"] == "agent"
        assert row["unanswered_since"] == "2008-06-02T01:00:00+00:00"
        # Once she writes, nobody waits on her.
        body = {"text": "確認いたします。", "event_id": "e1"}
        assert (await client.post(f"{url}/messages", headers=SATO, json=body)).status_code == 201
        listed = await client.get("/api/agent/conversations", headers=SATO)
        assert listed.json()["conversations"][0]["unanswered_since"] is None


async def test_a_subscriber_handed_to_a_colleague_waits_from_the_transfer(tmp_path: Path) -> None:
    # 佐藤 answered, then handed the conversation to 鈴木: the subscriber was told
    # 「ここからは、サポート担当の鈴木が引き継いでご案内します。…少々お待ちください。」 and waits
    # on 鈴木, but 佐藤's words counted as the answer: 鈴木's list showed no wait.
    clock = Clock(START)
    suzuki = "suzuki-token-9876543210"
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(f"佐藤:{TOKEN}", f"鈴木:{suzuki}"),
    )
    app = build_app(settings, clock=clock)
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=SATO, json={})).status_code == 200
        body = {"text": "確認いたします。", "event_id": "e1"}
        assert (await client.post(f"{url}/messages", headers=SATO, json=body)).status_code == 201
        clock.now = START + dt.timedelta(minutes=5)
        handed = await client.post(f"{url}/transfer", headers=SATO, json={"to": "鈴木"})
        assert handed.status_code == 200
        clock.now = START + dt.timedelta(minutes=65)
        listed = await client.get("/api/agent/conversations", headers=SATO)
        (row,) = listed.json()["conversations"]
        assert (row["agent"], row["unanswered_since"]) == ("鈴木", "2008-06-02T01:05:00+00:00")
        # The subscriber writing meanwhile waits from the transfer still, not from the line.
        clock.now = START + dt.timedelta(minutes=70)
        await chat.send(text="まだですか？")
        listed = await client.get("/api/agent/conversations", headers=SATO)
        assert listed.json()["conversations"][0]["unanswered_since"] == "2008-06-02T01:05:00+00:00"
        body = {"text": "鈴木です。お待たせしました。", "event_id": "e2"}
        wrote = await client.post(
            f"{url}/messages", headers={"Authorization": f"Bearer {suzuki}"}, json=body
        )
        assert wrote.status_code == 201
        listed = await client.get("/api/agent/conversations", headers=SATO)
        assert listed.json()["conversations"][0]["unanswered_since"] is None
