"""A backup copied over the file with the killed server's WAL left beside it: refused, untouched.

docs/operations.md restores a SQLite backup by copying it over the file and deleting
`-wal` and `-shm`. After a server was killed (or crashed) its WAL stays; copied over with
the WAL left, the store opened a malformed database and said ready, and its first close
checkpointed the WAL's pages, written against the file replaced, into the restored copy:
damaged for good (`PRAGMA quick_check`: "btreeInitPage() returns error code 11"). Now start-up
looks at a WAL found beside the file, read-only, and refuses one that does not fit, naming
the two files to delete; a WAL that fits (a killed server's own) is taken as before.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest

from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore


def _killed_with_a_backup(folder: Path) -> Path:
    """A file with a backup taken mid-life, and the WAL a kill left: the backup's path.

    The file is left as the kill left it (`store.sqlite3` with its -wal and -shm).
    """
    path = folder / "store.sqlite3"
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL")
    db.execute("PRAGMA wal_autocheckpoint=0")
    db.execute("CREATE TABLE t (k TEXT PRIMARY KEY, v BLOB)")
    for n in range(60):
        db.execute("INSERT INTO t VALUES (?, ?)", (f"a{n}", os.urandom(1500)))
    backup = folder / "backup.sqlite3"
    with contextlib.closing(sqlite3.connect(backup)) as copy:
        db.backup(copy)
    # The server goes on: a checkpoint moves the file past the backup, the WAL starts again.
    for n in range(60):
        db.execute("INSERT INTO t VALUES (?, ?)", (f"b{n}", os.urandom(1500)))
    db.execute("PRAGMA wal_checkpoint(PASSIVE)")
    for n in range(60):
        db.execute("INSERT INTO t VALUES (?, ?)", (f"c{n}", os.urandom(1500)))
    # Killed: what is on disk now stays (closing would checkpoint and delete the WAL).
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(f"{path}{suffix}", folder / f"killed{suffix}")
    db.close()
    for suffix in ("", "-wal", "-shm"):
        shutil.copy(folder / f"killed{suffix}", f"{path}{suffix}")
    return backup


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


async def test_a_backup_restored_beside_the_old_wal_is_refused_and_left_as_restored(
    tmp_path: Path,
) -> None:
    backup = _killed_with_a_backup(tmp_path)
    path = tmp_path / "store.sqlite3"
    shutil.copy(backup, path)  # the restore, -wal and -shm forgotten
    restored = _digest(path)

    with pytest.raises(StoreUnavailableError) as refused:
        await SQLiteStore(path).open()

    said = str(refused.value)
    assert said.startswith(f"{path}: the file and its WAL (store.sqlite3-wal) do not fit"), said
    assert f"delete {path}-wal and {path}-shm (they belong to the file it replaced)" in said
    assert "\n" not in said
    assert _digest(path) == restored
    # Done as it says, the backup is served as it was taken.
    os.remove(f"{path}-wal")
    os.remove(f"{path}-shm")
    store = SQLiteStore(path)
    await store.open()
    await store.close()
    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("PRAGMA quick_check").fetchone() == ("ok",)
        assert db.execute("SELECT count(*) FROM t").fetchone() == (60,)


async def test_a_killed_servers_own_wal_is_taken(tmp_path: Path) -> None:
    _killed_with_a_backup(tmp_path)
    path = tmp_path / "store.sqlite3"

    store = SQLiteStore(path)
    await store.open()
    await store.close()

    with contextlib.closing(sqlite3.connect(path)) as db:
        assert db.execute("SELECT count(*) FROM t").fetchone() == (180,)


def _wal_bytes(path: Path) -> int:
    return Path(f"{path}-wal").stat().st_size


def _statements_seen(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every statement run on a SQLite connection opened from now on (in this test)."""
    seen: list[str] = []
    connect = sqlite3.connect

    def traced(*args: Any, **kwargs: Any) -> sqlite3.Connection:
        db: sqlite3.Connection = connect(*args, **kwargs)
        db.set_trace_callback(seen.append)
        return db

    monkeypatch.setattr(sqlite3, "connect", traced)
    return seen


async def test_a_wal_a_live_connection_holds_is_not_looked_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # `mailmove stats` or a backup beside a serving server read the whole file with
    # quick_check each run (2.1-2.6 s on 50,000 conversations): a live WAL is its own.
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    await store.close()
    with contextlib.closing(sqlite3.connect(path, isolation_level=None)) as live:
        live.execute("PRAGMA wal_autocheckpoint=0")
        live.execute("CREATE TABLE t (n INTEGER)")
        live.execute("INSERT INTO t VALUES (1)")
        assert _wal_bytes(path) > 0
        seen = _statements_seen(monkeypatch)
        beside = SQLiteStore(path)
        await beside.open()
        await beside.close()
    assert seen, "the store's statements are seen"
    assert not [s for s in seen if "quick_check" in s], seen


async def test_a_wal_no_process_holds_is_looked_over(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    _killed_with_a_backup(tmp_path)
    seen = _statements_seen(monkeypatch)
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    await store.close()
    assert "PRAGMA quick_check(1)" in seen
