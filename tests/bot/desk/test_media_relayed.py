"""A photo or sticker sent while an agent has the chat reaches the desk in words (subscriber12).

The Slack thread and the Chatwoot mirror were posted 「お客様: [media]」: the store's mark,
which says nothing to an agent about a photo of the screen they cannot see either.
"""

from __future__ import annotations

import pytest

from bot.delivery import Delivery
from bot.desk.handoff import Handoffs
from bot.desk.summary import HandoffSummary
from bot.engine import TurnOutcome
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from testbed.clock import IN_WINDOW


class _Thread:
    """A desk whose agents read the subscriber's later words where the handoff is."""

    name = "thread"

    def __init__(self) -> None:
        self.relayed: list[str] = []

    def accepts(self, channel: str) -> bool:
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        pass

    async def relay(self, key: str, text: str, said: str = "") -> None:
        self.relayed.append(text)

    async def relay_note(self, key: str, text: str) -> None:
        self.relayed.append(text)


@pytest.mark.parametrize(
    ("mark", "key"),
    [
        ("[media]", "summary.media_sent"),
        ("[sticker]", "summary.sticker_sent"),
        ("[location]", "summary.location_sent"),
    ],
)
async def test_a_wordless_message_is_relayed_in_words(
    catalogs: Catalogs, mark: str, key: str
) -> None:
    store = SQLiteStore(":memory:")
    await store.open()
    chat = "line:U1"
    record = ConversationRecord(chat, "line", Owner.AGENT, DialogState(), IN_WINDOW, IN_WINDOW)
    line = TranscriptEntry(IN_WINDOW, "subscriber", mark)
    await store.transact(chat, None, lambda _: Change(record, [line], None))
    tasks = BackgroundTasks()
    thread = _Thread()
    handoffs = Handoffs(
        store,
        Delivery(tasks),
        catalogs,
        [thread],
        "http://127.0.0.1:8080",
        load_profile(),
        tasks,
        message_waiting=lambda record, transcript: IN_WINDOW,
        now=lambda: IN_WINDOW,
    )
    await handoffs.relay(TurnOutcome(record=record, for_agent=mark))
    await tasks.idle()
    assert thread.relayed == [catalogs("ja", key)]
    await store.close()
