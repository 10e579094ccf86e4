"""A WAL checkpoint that keeps failing is said once, and so is its end; a full disk is named.

The file read-only, or the disk full: the checkpointer tries every second while turns
commit, and each try logged "WAL checkpoint failed: …", a line a second that named neither
the file nor what to do, and nothing said when it worked again.
"""

from __future__ import annotations

import asyncio
import logging
import sqlite3
from pathlib import Path

import pytest

from bot.store import sqlite_store
from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore
from tests.bot.store.test_sqlite_store import always, turn


async def test_a_failing_checkpoint_is_said_once_and_its_end_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(sqlite_store, "CHECKPOINT_INTERVAL", 0.0)
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    loop = asyncio.get_running_loop()
    tried: asyncio.Queue[str] = asyncio.Queue()
    failing = True
    real = store._checkpoint

    def read_only(mode: str) -> None:
        # As SQLite says it of a file it may no longer write (chattr +i, a read-only mount).
        try:
            if failing:
                raise sqlite3.OperationalError("attempt to write a readonly database")
            real(mode)
        finally:
            loop.call_soon_threadsafe(tried.put_nowait, mode)

    monkeypatch.setattr(store, "_checkpoint", read_only)
    await store.open()
    try:
        with caplog.at_level(logging.INFO, logger="bot.store"):
            for n in range(6):
                if n == 4:
                    failing = False
                change = turn(f"test:c{n}", "x")
                await store.transact(change.record.key, f"e{n}", always(change))
                await asyncio.wait_for(tried.get(), 10)
    finally:
        await store.close()
    assert [r.getMessage() for r in caplog.records] == [
        f"WAL checkpoint of {path} failed: attempt to write a readonly database; the WAL"
        " file grows until it works (check the disk's free space and the file's permissions)",
        f"WAL checkpoint of {path} works again (after 4 failed tries)",
    ]


async def test_a_full_disk_names_the_file(tmp_path: Path) -> None:
    # "writing a turn failed: database or disk is full" was the whole of the 503's log line:
    # which of the replica's disks to free was the operator's to find out.
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    try:
        first = turn("test:c0", "x")
        await store.transact(first.record.key, "e0", always(first))
        # As a full disk does: SQLite can grow the file no further.
        (pages,) = store._conn.execute("PRAGMA page_count").fetchone()
        store._conn.execute(f"PRAGMA max_page_count={pages}")
        big = turn("test:c1", "x" * 100_000)
        with pytest.raises(StoreUnavailableError) as refused:
            await store.transact(big.record.key, "e1", always(big))
    finally:
        await store.close()
    assert str(refused.value) == f"writing a turn to {path} failed: database or disk is full"
