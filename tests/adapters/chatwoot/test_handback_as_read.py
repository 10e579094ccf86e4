"""Chatwoot's pending or resolved acts on the conversation as read, who has it included.

Set pending (or resolved) in Chatwoot, a conversation waiting in the queue was read, found
no other desk's agent's, and handed back onto the record as read. A console agent's first
words landing between that look and the write changed the record, so the hand-back read it
again, and went ahead on the new record without asking again who had it: the contact read
鈴木's answer, then the bot's greeting and first question, and 鈴木 was cut off. Each read
now asks who has it, as the console's refusal (409) and the first look do.
"""

from __future__ import annotations

import asyncio
import functools
import time
from collections.abc import Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from tests.adapters.chatwoot import test_mirror_desk as mirror
from tests.adapters.chatwoot.test_channel import KEY, message, status_event
from tests.adapters.chatwoot.test_held_elsewhere import delivered, toggled_since
from tests.adapters.chatwoot.test_take_races import HEADERS, _app
from tests.fakes.acting_store import ActingBetween
from tests.fakes.chatwoot_api import FakeChatwoot, running_chatwoot


def suzuki_writes_first(client: httpx.AsyncClient, path: str) -> Callable[[], Awaitable[None]]:
    async def write() -> None:
        body = {"agent": "鈴木", "text": "鈴木です。確認いたします", "event_id": "1"}
        response = await client.post(f"{path}/messages", headers=HEADERS, json=body)
        assert response.status_code == 201, response.text

    return write


def _changes(read: dict[str, object]) -> list[str]:
    lines = read["transcript"]
    assert isinstance(lines, list)
    starts = ("taken over", "handback: ", "closed")
    return [str(x["text"]) for x in lines if str(x["text"]).startswith(starts)]


@pytest.mark.parametrize("status", ["pending", "resolved"])
async def test_a_status_set_as_a_console_agent_writes_first_leaves_it_theirs(
    tmp_path: Path, status: str
) -> None:
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store):
            for n, words in enumerate(("こんにちは", "人と話したい"), start=1):
                await delivered(client, message(words, n))
            await fake.wait_for(lambda: bool(fake.toggles()))
            path = f"/api/agent/conversations/{KEY}"
            assert (await client.get(path, headers=HEADERS)).json()["holder"] == "queue"
            toggled = len(fake.toggles())
            # 鈴木's first words land just after the status change looked at who has it.
            store.after_transcript = True
            store.between = suzuki_writes_first(client, path)
            await delivered(
                client, status_event("conversation_status_changed", status, time.time())
            )
            assert store.between is None
            read = (await client.get(path, headers=HEADERS)).json()
            assert (read["owner"], read["agent"]) == ("agent", "鈴木")
            assert _changes(read) == ["taken over by 鈴木"]
            # Chatwoot shows it open again, and its agents read why.
            await fake.wait_for(functools.partial(toggled_since, fake, toggled))
            assert fake.toggles()[-1][1] == "open"
            notes = [m["content"] for m in fake.messages(private=True)]
            assert any("鈴木さんが対応中" in note for note in notes), notes


async def test_a_mirror_set_pending_as_a_console_agent_writes_first_stays_theirs(
    tmp_path: Path,
) -> None:
    store = ActingBetween(tmp_path / "s.sqlite3")
    async with running_chatwoot() as fake:
        assert isinstance(fake, FakeChatwoot)
        async for client in _app(fake, store, desk_inbox=mirror.INBOX):
            created = (await client.post("/api/webchat/conversations", json={})).json()
            subscriber = mirror.Subscriber(client, created["conversation_id"])
            await subscriber.say("taro@vp.117.ne.jp")
            await subscriber.say("人と話したいです")
            await fake.wait_for(lambda: bool(fake.messages(private=True)))  # the mirror is open
            path = f"/api/agent/conversations/{subscriber.key}"
            store.after_transcript = True  # after the look at who has it
            store.between = suzuki_writes_first(client, path)
            pending = mirror.mirror_status(subscriber.key, "pending")
            assert (await mirror.webhook(client, pending)).status_code == 200
            await delivered_tasks()
            assert store.between is None
            read = (await client.get(path, headers=HEADERS)).json()
            assert (read["owner"], read["agent"]) == ("agent", "鈴木")
            assert _changes(read) == ["taken over by 鈴木"]
            # The subscriber read 鈴木's words, and no greeting of the bot after them.
            page = (await subscriber.page())["messages"]
            at = max(n for n, m in enumerate(page) if m["author"] == "agent")
            assert not [m for m in page[at + 1 :] if m["author"] == "bot"], page[at:]


async def delivered_tasks() -> None:
    """The channel's background turns (named `chatwoot:...`) are done."""
    running = [t for t in asyncio.all_tasks() if t.get_name().startswith("chatwoot:")]
    await asyncio.gather(*running)
