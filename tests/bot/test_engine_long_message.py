"""A message longer than the transcript keeps: its first part, a note, and no password.

Slack lets 40,000 characters through and Chatwoot 150,000; masking a password is linear in
the length, so the engine reads `KEPT_LENGTH` and `READ_PAST_CUT` after it, and keeps the
first part. Asserted by what is stored and relayed, never by time.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Final

import pytest

from bot.engine import KEPT_LENGTH, Engine
from bot.store.conversation_store import Change, Owner, record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.vocabulary import Inbound
from testbed.disk import files_holding
from tests.bot.engine_turns import typed

SECRET: Final = "Kq7xyz99"
# Words with no password in them, ten characters each.
STORY: Final = "メールが送れません。"
NOTE_JA: Final = "（長いメッセージのため、ここには最初の4,000文字だけを記録しています。"


def _story(length: int) -> str:
    return (STORY * (length // len(STORY) + 1))[:length]


async def _subscriber_lines(store: SQLiteStore) -> list[str]:
    lines = await store.transcript(record_key("test", "c1"))
    return [line.text for line in lines if line.author == "subscriber"]


async def _agent_owned(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    record = await store.load(record_key("test", "c1"))
    assert record is not None
    owned = dataclasses.replace(record, owner=Owner.AGENT)
    await store.transact(record.key, None, lambda _: Change(owned, [], None))


@pytest.mark.parametrize("length", [40_000, 150_000])
async def test_a_long_message_keeps_its_first_part_and_says_how_long_it_was(
    engine: Engine, store: SQLiteStore, tmp_path: Path, length: int
) -> None:
    """Chatwoot's 150,000 characters were stored whole, masked all through (a second's work)."""
    told = f"パスワードは{SECRET}です。"
    words = _story(length - len(told)) + told
    await engine.handle(typed("e1", "こんにちは"))
    await engine.handle(typed("e2", words))
    last = (await _subscriber_lines(store))[-1]
    kept, note = last.split("\n")
    assert kept == words[:KEPT_LENGTH]
    assert note.startswith(NOTE_JA)
    assert f"{length:,}文字" in note
    # The password beyond the cut is read by nothing and kept nowhere.
    await store.close()
    assert not files_holding(tmp_path, SECRET.encode())
    await store.open()


@pytest.mark.parametrize(
    ("before_cut", "after_cut"),
    [
        # The password's naming beyond the cut: the part before it alone names nothing.
        (SECRET, "がパスワードです。"),
        (f"{SECRET[:4]}", f"{SECRET[4:]}がパスワードです。"),
        # The word before the cut, the password split by it.
        (f"パスワードは{SECRET[:3]}", f"{SECRET[3:]}です。"),
    ],
)
async def test_a_password_at_the_cut_is_masked_in_what_is_kept_and_relayed(
    engine: Engine, store: SQLiteStore, tmp_path: Path, before_cut: str, after_cut: str
) -> None:
    """The words past the cut are read for a password too: none reaches a desk or the store."""
    await _agent_owned(engine, store)
    words = _story(KEPT_LENGTH - len(before_cut)) + before_cut + after_cut
    words += _story(40_000 - len(words))
    outcome = await engine.handle(typed("e2", words))
    last = (await _subscriber_lines(store))[-1]
    assert outcome.for_agent == last
    kept = last.split("\n")[0]
    assert kept.startswith(_story(KEPT_LENGTH - len(before_cut)))
    assert "*" in kept
    for piece in (SECRET[:3], SECRET[3:], SECRET[4:]):
        assert piece not in last
    await store.close()
    assert not files_holding(tmp_path, SECRET[:3].encode())
    await store.open()


async def test_a_message_within_the_limit_is_kept_whole(engine: Engine, store: SQLiteStore) -> None:
    words = _story(KEPT_LENGTH)
    await engine.handle(typed("e1", words))
    assert (await _subscriber_lines(store))[-1] == words


async def test_in_an_english_conversation_the_note_is_english(
    engine: Engine, store: SQLiteStore
) -> None:
    words = ("The mail does not go out. " * 2000)[:50_000]
    await engine.handle(
        Inbound(channel="test", conversation_key="c1", event_id="e1", text=words, locale="en")
    )
    note = (await _subscriber_lines(store))[-1].split("\n")[1]
    assert note == (
        "(A long message: only its first 4,000 characters are kept here; "
        "the whole message has 50,000.)"
    )
