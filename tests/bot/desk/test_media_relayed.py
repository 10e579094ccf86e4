"""A photo or sticker sent while an agent has the chat reaches the desk in words (subscriber12).

The Slack thread and the Chatwoot mirror were posted 「お客様: [media]」: the store's mark,
which says nothing to an agent about a photo of the screen they cannot see either.
"""

from __future__ import annotations

import pytest

from bot.delivery import Delivery
from bot.desk.handoff import Handoffs
from bot.desk.summary import HandoffSummary
from bot.engine import MEDIA_MARK, TYPED_BRACKET_GUARD, Engine, TurnOutcome
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from testbed.clock import IN_WINDOW, fixed_clock
from tests.bot.engine_turns import KEY, typed


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


@pytest.mark.parametrize("typed_words", ["[media]", "エラーです\n[media]", "[yes]"])
async def test_words_typed_like_a_mark_are_relayed_as_typed(
    catalogs: Catalogs, typed_words: str
) -> None:
    # A subscriber who typed 「[media]」 was shown to the agent as having sent a photo (the
    # store's mark is the same text), and 「[yes]」 as having pressed はい.
    store = SQLiteStore(":memory:")
    await store.open()
    profile = load_profile()
    record = ConversationRecord(KEY, "test", Owner.AGENT, DialogState(), IN_WINDOW, IN_WINDOW)
    await store.transact(KEY, None, lambda _: Change(record, [], None))
    outcome = await Engine(store, profile, catalogs, fixed_clock()).handle(typed("e1", typed_words))
    tasks = BackgroundTasks()
    thread = _Thread()
    handoffs = Handoffs(
        store,
        Delivery(tasks),
        catalogs,
        [thread],
        "http://127.0.0.1:8080",
        profile,
        tasks,
        message_waiting=lambda record, transcript: IN_WINDOW,
        now=lambda: IN_WINDOW,
    )
    await handoffs.relay(outcome)
    await tasks.idle()
    assert [text.replace(TYPED_BRACKET_GUARD, "") for text in thread.relayed] == [typed_words]
    said = [x.text for x in await store.transcript(KEY) if x.author == "subscriber"]
    assert MEDIA_MARK not in said
    await store.close()
