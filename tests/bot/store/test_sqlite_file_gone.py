"""The SQLite file deleted or replaced under a running server: 503, said, no new file made.

SQLite writes on to the file it opened. After an operator's `rm` of the file (or a restore
copied over it with `mv`), every web chat message was still answered 200, its turn kept
only in the deleted file, lost at the next restart; `/readyz` said ready, the log said
nothing, and the checkpointer made a new empty file at the path, readable by everyone
(0644). Now the store refuses turns (503: the web chat page and the platforms send them
again later) and `/readyz` fails, naming the file and what to do, and nothing is created.
"""

from __future__ import annotations

import os
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore
from tests.bot.store.test_sqlite_store import always, turn


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    opened = SQLiteStore(tmp_path / "store.sqlite3")
    await opened.open()
    first = turn("test:c0", "before")
    assert await opened.transact("test:c0", "e0", always(first)) == first
    yield opened
    await opened.close()


def _files(path: str) -> list[str]:
    return sorted(name for name in os.listdir(Path(path).parent) if name.startswith("store"))


async def test_a_deleted_file_refuses_turns_and_is_not_made_again(store: SQLiteStore) -> None:
    for suffix in ("", "-wal", "-shm"):
        os.unlink(f"{store.path}{suffix}")

    later = turn("test:c1", "after")
    with pytest.raises(StoreUnavailableError, match=r"store\.sqlite3 was deleted while the server"):
        await store.transact("test:c1", "e1", always(later))
    with pytest.raises(StoreUnavailableError, match="restart the server: it then opens"):
        await store.ping()
    with pytest.raises(sqlite3.OperationalError):
        await store.checkpoint()
    await store.close()
    assert _files(store.path) == []


async def test_a_file_replaced_under_the_server_refuses_turns(
    store: SQLiteStore, tmp_path: Path
) -> None:
    other = tmp_path / "restored.sqlite3"
    sqlite3.connect(other).close()
    os.replace(other, store.path)

    later = turn("test:c1", "after")
    with pytest.raises(StoreUnavailableError, match="was replaced by another file"):
        await store.transact("test:c1", "e1", always(later))
