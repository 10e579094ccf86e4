"""A Chatwoot conversation a console agent has is not handed back or ended from Chatwoot.

鈴木 took the contact's conversation in the console and was answering; Chatwoot showed it
`open`, and an agent there set it to pending: the bot greeted the contact and asked its first
question in the middle of 鈴木's answers (resolved, it ended). The console refuses to hand
back or close another agent's conversation (409); Chatwoot's status change is refused too,
said in a private note, and the conversation set open again.
"""

from __future__ import annotations

import asyncio
import functools
import time
from pathlib import Path
from typing import Any

import httpx
import pytest

from tests.adapters.chatwoot.test_channel import KEY, message, status_event, webhook
from tests.adapters.chatwoot.test_take_races import HEADERS, _app
from tests.fakes.acting_store import ActingBetween
from tests.fakes.chatwoot_api import FakeChatwoot, running_chatwoot


def toggled_since(fake: FakeChatwoot, count: int) -> bool:
    return len(fake.toggles()) > count


async def delivered(client: httpx.AsyncClient, payload: dict[str, Any]) -> None:
    """Chatwoot delivers `payload` to the bot, which answers 200, and its turns are done."""
    request = webhook(payload)
    response = await client.post(request.path, content=request.body, headers=request.headers)
    assert response.status_code == 200
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("chatwoot:")]
    await asyncio.gather(*running)


async def taken_by_suzuki(client: httpx.AsyncClient) -> str:
    """The contact asks for a person and 鈴木 takes it in the console: its agent API path."""
    for n, words in enumerate(("こんにちは", "人と話したい"), start=1):
        await delivered(client, message(words, n))
    path = f"/api/agent/conversations/{KEY}"
    taken = await client.post(f"{path}/take", headers=HEADERS, json={"agent": "鈴木"})
    assert taken.status_code == 200
    return path


@pytest.mark.parametrize("status", ["pending", "resolved"])
async def test_a_status_set_in_chatwoot_leaves_a_console_agents_conversation_theirs(
    tmp_path: Path, status: str
) -> None:
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            path = await taken_by_suzuki(client)
            body = {"agent": "鈴木", "text": "鈴木です", "event_id": "1"}
            assert (await client.post(f"{path}/messages", headers=HEADERS, json=body)).is_success
            toggled = len(fake.toggles())
            request = webhook(status_event("conversation_status_changed", status, time.time()))
            response = await client.post(
                request.path, content=request.body, headers=request.headers
            )
            assert response.status_code == 200
            read = (await client.get(path, headers=HEADERS)).json()
            assert (read["owner"], read["agent"]) == ("agent", "鈴木")
            assert not any(x["text"].startswith("handback:") for x in read["transcript"])
            await fake.wait_for(functools.partial(toggled_since, fake, toggled))
            assert fake.toggles()[-1][1] == "open"
            notes = [m["content"] for m in fake.messages(private=True)]
            assert any("鈴木さんが対応中" in note for note in notes), notes


async def test_a_chatwoot_agent_who_answered_last_hands_back_her_own_conversation(
    tmp_path: Path,
) -> None:
    # 鈴木 took it in the console; 佐藤 花子 answered in Chatwoot since, and has it as every
    # desk reads it (the console would refuse 鈴木's hand-back naming her). Her pending was
    # refused as another agent's, the private note naming her to herself.
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            path = await taken_by_suzuki(client)
            reply = message("佐藤が代わります", 3, name="message_created_outgoing", status="open")
            reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
            await delivered(client, reply)
            read = (await client.get(path, headers=HEADERS)).json()
            assert (read["owner"], read["agent"]) == ("agent", "佐藤 花子 (Chatwoot)")
            pending = status_event("conversation_status_changed", "pending", time.time())
            await delivered(client, pending)
            read = (await client.get(path, headers=HEADERS)).json()
            assert read["owner"] == "bot"
            notes = [m["content"] for m in fake.messages(private=True)]
            assert not any("さんが対応中" in note for note in notes), notes
