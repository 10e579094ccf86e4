"""A WAL checkpoint that keeps failing is said once, and so is its end.

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
