"""A repeated event of a long conversation is answered from its latest lines.

Platforms repeat an event they got no quick answer to (Slack after 3 s), which a long
conversation makes likelier; the cost is counted in transcript lines read, never timed.
"""

from __future__ import annotations

from pathlib import Path

from bot.engine import MAX_TRANSCRIPT_LINES, Engine
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    TranscriptEntry,
    record_key,
)
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Inbound, reply_to_dict
from testbed.clock import IN_WINDOW, fixed_clock
from tests.fakes.counting_store import CountingStore

# As long as a conversation may grow: past MAX_TRANSCRIPT_LINES it keeps nothing more.
LINES = MAX_TRANSCRIPT_LINES - 10


async def test_a_repeated_event_reads_back_to_its_first_answer(
    tmp_path: Path, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    store = CountingStore(tmp_path / "s.sqlite3")
    await store.open()
    try:
        engine = Engine(store, profile, catalogs, fixed_clock())
        await engine.handle(Inbound("test", "c1", "e1", text="こんにちは"))
        said = TranscriptEntry(IN_WINDOW, "subscriber", "まだ送れません")

        def more(stored: ConversationRecord | None) -> Change[None] | None:
            assert stored is not None
            return Change(stored, [said] * LINES, None)

        await store.transact(record_key("test", "c1"), None, more)
        first = await engine.handle(Inbound("test", "c1", "e2", choice="yes"))
        store.lines_read = 0
        again = await engine.handle(Inbound("test", "c1", "e2", choice="yes"), replay=True)
        assert first.replies
        assert again.replayed == tuple(reply_to_dict(r) for r in first.replies)
        # and the latest line, read by every turn for the transcript's cap
        assert store.lines_read <= 200 + 1
    finally:
        await store.close()
