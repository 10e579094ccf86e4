"""A SQLite file damaged on disk: a read is the store unavailable (503), not a 500.

Bytes of the file overwritten (a disk's bad sector, a copy cut short, another program
writing into it): every web chat history read of a conversation in the damaged pages was
answered 500 with an ERROR traceback ("sqlite3.DatabaseError: database disk image is
malformed"), one per request and counted in no metric, while a write of the same turn was
already 503 naming the file. Found by damaging a served file's transcript pages: 15 of 40
reads got 500. Now every read method raises StoreUnavailableError naming the file.
"""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore
from tests.bot.store.test_sqlite_store import always, turn


def _damage_the_transcript_table(path: Path) -> None:
    with sqlite3.connect(path) as db:
        (root,) = db.execute(
            "SELECT rootpage FROM sqlite_master WHERE name = 'transcript'"
        ).fetchone()
        (page_size,) = db.execute("PRAGMA page_size").fetchone()
    db.close()
    with path.open("r+b") as file:
        file.seek((root - 1) * page_size)
        file.write(b"\xff" * 64)


async def test_a_read_of_a_damaged_file_is_the_store_unavailable(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    first = turn("test:c0", "before")
    assert await store.transact("test:c0", "e0", always(first)) == first
    await store.close()
    _damage_the_transcript_table(path)

    store = SQLiteStore(path)
    await store.open()
    try:
        with pytest.raises(StoreUnavailableError) as failed:
            await store.transcript("test:c0")
        with pytest.raises(StoreUnavailableError):
            await store.latest_line("test:c0", "subscriber", "")
    finally:
        await store.close()
    assert str(failed.value).startswith(f"reading {path} failed: ")
    assert isinstance(failed.value.__cause__, sqlite3.DatabaseError)
