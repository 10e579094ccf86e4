"""The console's mark under an agent's undelivered message survives a store blink.

The platform refused the message (the subscriber blocked the bot) just as the store was
briefly unreachable (a Redis restart, SQLite locked): the mark was written once, failed,
and only the log said so. The console showed the message as sent, with no button to send
it again. The mark is tried again after a short wait.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import TypeVar

import httpx
import pytest

from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, StoreUnavailableError, Update
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import fixed_clock
from tests.adapters.slack.test_desk import AGENT_TOKEN, Desk, environ
from tests.adapters.slack.test_desk_relay import ThreadFake
from tests.adapters.slack.test_undelivered_in_thread import handed_off_on_telegram
from tests.adapters.telegram.test_channel import CHAT, SECRET, TOKEN

T = TypeVar("T")
WORDS = "佐藤です。設定を確認いたします。"


class BlinkingStore(SQLiteStore):
    """SQLite, refusing the next `blinks` writes that name no event (notes, marks)."""

    blinks = 0

    async def transact(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        if event_id is None and self.blinks:
            self.blinks -= 1
            raise StoreUnavailableError("blinked for the test")
        return await super().transact(key, event_id, update)


@pytest.fixture
async def thread_fake() -> AsyncIterator[ThreadFake]:
    fake = ThreadFake()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def store(tmp_path: Path) -> BlinkingStore:
    return BlinkingStore(tmp_path / "s.sqlite3")


@pytest.fixture
async def desk(thread_fake: ThreadFake, store: BlinkingStore) -> AsyncIterator[Desk]:
    settings = Settings(
        agent_tokens=(AGENT_TOKEN,),
        environ={
            **environ(thread_fake.url),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_URL": f"{thread_fake.url}/telegram",
        },
    )
    wanted = ("telegram", "slack_desk")
    others = tuple(n for n in available_factories() if n not in wanted)
    app = build_app(settings, clock=fixed_clock(), store=store, exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Desk(app, thread_fake, client)


async def test_the_mark_is_written_after_the_store_comes_back(
    desk: Desk, store: BlinkingStore
) -> None:
    await handed_off_on_telegram(desk)
    key = f"/api/agent/conversations/telegram:{CHAT}"
    bearer = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    taken = await desk.client.post(f"{key}/take", headers=bearer, json={"agent": "佐藤"})
    assert taken.status_code == 200, taken.text
    await desk.runtime.tasks.idle()
    desk.fake.telegram_blocked.add(CHAT)
    store.blinks = 1
    posted = await desk.client.post(
        f"{key}/messages", headers=bearer, json={"text": WORDS, "event_id": "m-1"}
    )
    assert posted.status_code == 201, posted.text
    await desk.runtime.tasks.idle()
    assert store.blinks == 0  # the first mark was refused
    read = (await desk.client.get(key, headers=bearer)).json()
    (line,) = [x for x in read["transcript"] if x["text"] == WORDS]
    assert line.get("delivery") == "not_delivered", read["transcript"][-3:]


async def test_the_mark_under_the_bots_greeting_is_written_after_the_store_comes_back(
    desk: Desk, store: BlinkingStore
) -> None:
    await handed_off_on_telegram(desk)
    key = f"/api/agent/conversations/telegram:{CHAT}"
    bearer = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    taken = await desk.client.post(f"{key}/take", headers=bearer, json={"agent": "佐藤"})
    assert taken.status_code == 200, taken.text
    await desk.runtime.tasks.idle()
    desk.fake.telegram_blocked.add(CHAT)
    store.blinks = 1
    back = await desk.client.post(f"{key}/handback", headers=bearer, json={"agent": "佐藤"})
    assert back.status_code == 200, back.text
    await desk.runtime.tasks.idle()
    assert store.blinks == 0  # the first mark was refused
    read = (await desk.client.get(key, headers=bearer)).json()
    notes = [x["note"] for x in read["transcript"] if "note" in x]
    assert [(n["type"], n["by"]) for n in notes] == [("undelivered", "bot")], notes
