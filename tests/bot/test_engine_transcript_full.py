"""One conversation's transcript stops growing at MAX_TRANSCRIPT_LINES, and the sender is told.

A web chat client may send 300 messages a minute of 2,000 characters (Telegram, LINE and
Slack senders have their own per-sender rates), all into one conversation. attacker13 sent
3,000 to one on Redis (ten minutes at that rate): its transcript weighed 22 MB, the agent
API's read of it (which the console repeats at every change) answered 18 MB in 0.45 s, and a
withdrawal's commit, which reads the whole list inside Redis, held every replica's Redis for
0.78 s. A day at that rate is 432,000 lines. Past the cap nothing of the sender's is kept:
they get one answer with where to call, and the record does not change.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.engine import MAX_TRANSCRIPT_LINES, Engine
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, TextReply
from testbed.clock import IN_WINDOW
from tests.bot.engine_turns import KEY, pressed, typed


async def _filled_to(
    store: SQLiteStore, lines: int, owner: Owner = Owner.BOT, locale: Locale = "ja"
) -> None:
    said = TranscriptEntry(IN_WINDOW, "subscriber", "まだ送れません")
    have = len(await store.transcript(KEY))

    def more(stored: ConversationRecord | None) -> Change[None] | None:
        assert stored is not None
        dialog = dataclasses.replace(stored.dialog, locale=locale)
        written = dataclasses.replace(stored, owner=owner, dialog=dialog)
        return Change(written, [said] * (lines - have), None)

    await store.transact(KEY, None, more)


@pytest.mark.parametrize("owner", [Owner.BOT, Owner.AGENT])
async def test_a_full_transcript_keeps_nothing_more_and_says_where_to_call(
    engine: Engine, store: SQLiteStore, profile: MigrationProfile, owner: Owner
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await _filled_to(store, MAX_TRANSCRIPT_LINES, owner)
    before = await store.load(KEY)

    for n, inbound in enumerate([typed("e2", "まだ送れません"), pressed("e3", "yes")]):
        outcome = await engine.handle(inbound)

        assert len(await store.transcript(KEY)) == MAX_TRANSCRIPT_LINES, n
        assert await store.load(KEY) == before
        assert not outcome.for_agent
        assert not outcome.handed_off
        [reply] = outcome.replies
        assert isinstance(reply, TextReply)
        assert profile.support.contact_ja in reply.text
        assert "長くなりました" in reply.text


async def test_the_answer_is_in_the_conversation_s_language(
    engine: Engine, store: SQLiteStore, profile: MigrationProfile
) -> None:
    await engine.handle(typed("e1", "hello"))
    await _filled_to(store, MAX_TRANSCRIPT_LINES + 5, locale="en")

    outcome = await engine.handle(typed("e3", "still not sending"))

    [reply] = outcome.replies
    assert isinstance(reply, TextReply)
    assert profile.support.contact_en in reply.text
    assert "very long" in reply.text


async def test_a_line_short_of_the_cap_the_message_is_answered_as_ever(
    engine: Engine, store: SQLiteStore
) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await _filled_to(store, MAX_TRANSCRIPT_LINES - 1)

    outcome = await engine.handle(typed("e2", "まだ送れません"))

    assert len(await store.transcript(KEY)) > MAX_TRANSCRIPT_LINES - 1
    assert outcome.record is not None
    assert all("長くなりました" not in getattr(r, "text", "") for r in outcome.replies)


async def test_a_repeated_event_is_still_a_duplicate(engine: Engine, store: SQLiteStore) -> None:
    await engine.handle(typed("e1", "こんにちは"))
    await _filled_to(store, MAX_TRANSCRIPT_LINES)

    outcome = await engine.handle(typed("e1", "こんにちは"))

    assert outcome.duplicate
