"""The mark of a bot reply a platform refused goes under that reply, found by what it is.

`_mark` looked the reply up by its words: the latest bot line *beginning* with them. A later
line that begins with the same words (the same sentence asked again as a question, with its
buttons after it) hid the reply itself, and the mark named no line at all; a later copy of
the same words in another shape (a question's text sent as a plain line) took its place.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import cast

import pytest

from bot.delivery import NotDeliveredError
from bot.desk.agent_messages import UNDELIVERED
from bot.desk.handoff import Handoffs
from bot.desk.undelivered_replies import UndeliveredReplies
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    TranscriptEntry,
    Update,
    record_key,
)
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from dialogs.vocabulary import (
    Choice,
    ChoicesReply,
    LinkReply,
    Reply,
    TextReply,
    reply_as_plain_text,
    reply_to_dict,
)

T0 = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)
KEY = record_key("telegram", "c1")
WORDS = "ログインの確認をもう一度お試しください。"


class Desks:
    """The desks' side: what they were told."""

    def __init__(self) -> None:
        self.notes: list[str] = []

    def note_to_desks(self, channel: str, key: str, note: str) -> None:
        self.notes.append(note)


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    yield store
    await store.close()


async def said(store: SQLiteStore, *replies: Reply) -> None:
    """The bot's lines, stored as the engine stores them, one turn each."""
    record = ConversationRecord(KEY, "telegram", Owner.BOT, DialogState(), T0, T0)
    for number, reply in enumerate(replies):
        line = TranscriptEntry(T0, "bot", reply_as_plain_text(reply), reply_to_dict(reply))
        await store.transact(KEY, f"e{number}", _writing(record, line))


def _writing(record: ConversationRecord, line: TranscriptEntry) -> Update[None]:
    return lambda _: Change(record, [line], None)


async def marked_under(store: SQLiteStore, catalogs: Catalogs, refused: Reply) -> object:
    desks = Desks()
    listener = UndeliveredReplies(store, catalogs, cast(Handoffs, desks), BackgroundTasks())
    await listener("telegram", "c1", [refused], NotDeliveredError("Forbidden: bot was blocked"))
    [note] = [x for x in await store.transcript(KEY) if (x.reply or {}).get("type") == UNDELIVERED]
    assert desks.notes
    return (note.reply or {}).get("seq")


async def test_a_later_line_beginning_with_the_same_words_does_not_hide_it(
    store: SQLiteStore, catalogs: Catalogs
) -> None:
    refused = TextReply(WORDS)
    later = ChoicesReply(WORDS, (Choice("yes", "はい"), Choice("no", "いいえ")))
    await said(store, refused, later)
    assert await marked_under(store, catalogs, refused) == 1


async def test_a_link_is_found_by_its_link(store: SQLiteStore, catalogs: Catalogs) -> None:
    # The check link the engine filled in: two links of the same words, the first refused.
    first = LinkReply(WORDS, "https://mailmove.example.jp/check/" + "a" * 32)
    second = LinkReply(WORDS, "https://mailmove.example.jp/check/" + "b" * 32)
    await said(store, first, second)
    assert await marked_under(store, catalogs, first) == 1
