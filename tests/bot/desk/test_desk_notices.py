"""A desk the first server could not tell of a message left is told by the next one.

The help desk behind the webhook answers 503 to the message left out of hours, and the
server stops before its retry; a new server on the same store (a restart, another
replica) tells the desk. The body carries the message's `notice` id, the same at every
showing, so a help desk that did take the first can drop the second.
"""

from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

from bot.delivery import Delivery
from bot.desk.handoff import DeskUnavailableError, Handoffs
from bot.desk.summary import HandoffSummary
from bot.engine import TurnOutcome
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    StoreUnavailableError,
)
from bot.store.desk_notices import DeskNotice, MemoryDeskNotices, desk_notices_for
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.loopback import serving
from tests.bot.desk.test_agent_api import Chat, Desk, client_for
from tests.bot.desk.test_desk_hours import settings

LATER = IN_WINDOW + dt.timedelta(minutes=5)


async def test_the_next_server_tells_the_webhook_desk_what_the_last_could_not(
    tmp_path: Path,
) -> None:
    receiver = Desk()
    with serving(receiver.app()) as url:
        configured: Settings = settings(tmp_path, f"{url}/hook")
        receiver.fail = True
        first = build_app(configured, clock=fixed_clock())  # Sunday noon: the desk is closed
        async for client in client_for(first):
            chat = await Chat.start(client)
            await chat.send(text="担当者と話したい")
            await chat.send(choice="desk_message")
            await chat.send(text="送信できません。03-1234-5678 にお電話ください")
            await first.state.runtime.tasks.drain(grace=5.0)  # stopping before the retry
        assert len(receiver.received) == 1
        receiver.fail = False
        second = build_app(configured, clock=fixed_clock(LATER))
        async for _ in client_for(second):
            runtime = second.state.runtime
            assert await runtime.handoffs.retry_overdue() == 1
            await runtime.tasks.idle()
            assert await desk_notices_for(runtime.engine.store).overdue(LATER) == []
    (failed, _), (told, _) = receiver.received
    before, after = json.loads(failed), json.loads(told)
    assert (after["kind"], after["key"]) == ("message_left", chat.key)
    assert after["notice"] == before["notice"] != ""
    assert (before["retried"], after["retried"]) == (False, True)


class _OneDeskDown:
    """A desk that cannot be told the first time, and hears every time after."""

    name = "webhook"

    def __init__(self) -> None:
        self.told: list[HandoffSummary] = []

    def accepts(self, channel: str) -> bool:
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        self.told.append(summary)
        if len(self.told) == 1:
            raise DeskUnavailableError("503")


class _NoticesDownAtFirst(MemoryDeskNotices):
    """The store of notices failing when the first notice is kept, and back by its retry."""

    def __init__(self) -> None:
        super().__init__()
        self.down = True

    async def keep(self, notice: DeskNotice) -> None:
        if self.down:
            raise StoreUnavailableError("SQLite failed: database is locked")
        await super().keep(notice)


async def test_a_notice_the_store_could_not_keep_is_still_tried_by_its_own_process() -> None:
    # The store failed as the notice was kept ("kept in this process only", the log said)
    # and was back by the retry: the claim found no such notice, took it for another
    # replica's, and the desk never heard.
    store = SQLiteStore(":memory:")
    await store.open()
    key = "webchat:abc"
    stored = ConversationRecord(key, "webchat", Owner.BOT, DialogState(), IN_WINDOW, IN_WINDOW)
    await store.transact(key, None, lambda _: Change(stored, [], None))
    tasks = BackgroundTasks()
    desk, notices = _OneDeskDown(), _NoticesDownAtFirst()
    handoffs = Handoffs(
        store,
        Delivery(tasks),
        Catalogs.load(),
        [desk],
        "http://127.0.0.1:8080",
        load_profile(),
        tasks,
        message_waiting=lambda record, transcript: IN_WINDOW,
        notices=notices,
        now=lambda: IN_WINDOW,
    )

    async def store_back(seconds: float) -> bool:
        notices.down = False
        return True

    handoffs.wait = store_back
    await handoffs.after_message_left(TurnOutcome(record=stored))
    await tasks.idle()
    assert [summary.retried for summary in desk.told] == [False, True]
    assert await notices.overdue(LATER + dt.timedelta(days=1)) == []
    await store.close()
