"""A SQLite file another process holds locked answers a turn 503, naming the file.

An operator's `sqlite3` session left in a transaction (or any tool that takes the write lock,
a VACUUM of the file in place) holds it past the store's busy timeout: `BEGIN IMMEDIATE`
raised sqlite3's own error, which no layer turned into the store's, and every web chat
message was answered 500 with a traceback logged at ERROR, counted in no metric.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore
from tests.bot.store.test_sqlite_store import always, turn


async def test_a_write_lock_held_elsewhere_is_the_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        # Not the 5 s a replica waits: the test needs the lock's outcome, not its wait.
        store._conn.execute("PRAGMA busy_timeout=50")
        other.execute("BEGIN IMMEDIATE")
        locked = turn("test:c0", "x")
        with pytest.raises(StoreUnavailableError) as refused:
            await store.transact(locked.record.key, "e0", always(locked))
        other.execute("ROLLBACK")
        # The lock gone, the same event is taken: nothing of the refused turn was kept.
        assert await store.transact(locked.record.key, "e0", always(locked)) == locked
        assert await store.load("test:c0") is not None
    finally:
        other.close()
        await store.close()
    assert str(refused.value) == f"writing a turn to {path} failed: database is locked"
