"""An agent takes a closed conversation to follow it up: the subscriber is told a person has it.

Taking a closed conversation through the agent API (the console's 「対応を引き継ぐ」) reopened
it for that agent without a word to the subscriber: their last message from us was
「解決しましたか？」, their answer went to the agent, and nothing said a person now had it
(only the web chat's header changed, and no other channel has one).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.ops.catalogs import Catalogs
from bot.server import build_app
from dialogs import feedback
from tests.bot.desk.test_agent_api import HEADERS, Chat, client_for, settings_for


def said(message: dict[str, object]) -> object:
    """The words of a message in the web chat's history (none for a line without a reply)."""
    reply = message.get("reply")
    return reply.get("text") if isinstance(reply, dict) else None


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for each in client_for(build_app(settings_for(tmp_path))):
        yield each


async def read(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    response = await client.get(f"/api/agent/conversations/{key}", headers=HEADERS)
    assert response.status_code == 200
    body: dict[str, Any] = response.json()
    return body


async def test_a_closed_conversation_taken_again_tells_the_subscriber(
    client: httpx.AsyncClient, catalogs: Catalogs
) -> None:
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    url = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{url}/take", headers=HEADERS, json={"agent": "佐藤"})).is_success
    assert (await client.post(f"{url}/close", headers=HEADERS, json={"agent": "佐藤"})).is_success
    asked = (await chat.history())[-1]
    assert asked["author"] == "bot"

    taken = await client.post(f"{url}/take", headers=HEADERS, json={"agent": "佐藤"})
    assert taken.status_code == 200
    assert taken.json()["owner"] == "agent"
    # The subscriber reads that a person follows it up, under the question they were asked,
    # and the page's header names who has it.
    told = [m for m in await chat.history() if m["author"] == "bot"][-1]
    assert said(told) == catalogs.fill("ja", feedback.REOPENED_KEY, {})
    page = (await client.get(f"/api/webchat/conversations/{chat.id}/messages")).json()
    assert (page["owner"], page["agent"]) == ("agent", "佐藤")
    lines = (await read(client, chat.key))["transcript"]
    assert [line["text"] for line in lines[-2:]] == [said(told), "taken over by 佐藤"]

    # Their answer to 「解決しましたか？」 is theirs to the agent now: kept, relayed, unanswered.
    assert await chat.send(choice=feedback.UNSOLVED) == []
    assert (await read(client, chat.key))["transcript"][-1]["author"] == "subscriber"


async def test_taking_it_again_twice_tells_the_subscriber_once(
    client: httpx.AsyncClient, catalogs: Catalogs
) -> None:
    chat = await Chat.start(client)
    url = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{url}/close", headers=HEADERS, json={"agent": "佐藤"})).is_success
    for _ in range(2):
        taken = await client.post(f"{url}/take", headers=HEADERS, json={"agent": "佐藤"})
        assert taken.status_code == 200
    texts = [line["text"] for line in (await read(client, chat.key))["transcript"]]
    assert texts.count("taken over by 佐藤") == 1
    words = catalogs.fill("ja", feedback.REOPENED_KEY, {})
    assert texts.count(words) == 1
    told = [m for m in await chat.history() if said(m) == words]
    assert len(told) == 1
