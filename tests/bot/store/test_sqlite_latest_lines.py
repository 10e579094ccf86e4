"""SQLite reads a long transcript's latest lines without reading its other rows.

Counted in SQLite's virtual-machine steps (its progress handler), which are the same on
any machine at any load: no clock.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState

T0: Final = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)
WORDS: Final = "メールが送れません。設定を確認しましたが、やはりエラーが出ます。"


async def _conversation(store: SQLiteStore, key: str, lines: int) -> None:
    record = ConversationRecord(key, "test", Owner.AGENT, DialogState(), T0, T0)
    said = [TranscriptEntry(T0, "subscriber", f"{WORDS} {n}") for n in range(lines)]
    await store.transact(key, None, lambda _: Change(record, said, None))


async def _steps(store: SQLiteStore, key: str, *, after: int = 0, last: int) -> int:
    steps = 0

    def step() -> int:
        nonlocal steps
        steps += 1
        return 0

    store._conn.set_progress_handler(step, 1)  # SQLite's own step count
    try:
        await store.transcript(key, after=after, last=last)
    finally:
        store._conn.set_progress_handler(None, 1)
    return steps


async def test_the_latest_lines_cost_about_the_same_at_any_length(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    await store.open()
    try:
        await _conversation(store, "test:short", 20)
        await _conversation(store, "test:long", 5000)
        short = await _steps(store, "test:short", last=20)
        # Counting the lines from the index is the one step per line left: a few each.
        assert await _steps(store, "test:long", last=20) < 3 * short + 5000 * 4
        assert await _steps(store, "test:long", after=4990, last=200) < 3 * short + 5000 * 4
        lines = await store.transcript("test:long", after=4990, last=5)
        assert [(line.seq, line.text) for line in lines] == [
            (n, f"{WORDS} {n - 1}") for n in range(4996, 5001)
        ]
    finally:
        await store.close()
