"""The SQLite file: private to its owner, its WAL bounded, its group commit all or nothing."""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import json
import os
import sqlite3
import stat
from collections.abc import Callable
from pathlib import Path
from typing import Any, Final, TypeVar

import pytest

from bot.store import sqlite_store
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
)
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState

T = TypeVar("T")
T0: Final = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)


def turn(key: str, text: str) -> Change[None]:
    record = ConversationRecord(key, "test", Owner.BOT, DialogState(), T0, T0)
    return Change(record, [TranscriptEntry(T0, "subscriber", text)], None)


def always(change: Change[T]) -> Callable[[ConversationRecord | None], Change[T]]:
    return lambda _: change


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def size(path: Path) -> int:
    return path.stat().st_size


async def test_the_folder_and_every_file_are_the_owners_alone(tmp_path: Path) -> None:
    path = tmp_path / "var" / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    try:
        await store.transact("test:c1", "e1", lambda _: turn("test:c1", "hi"))
        assert mode(path.parent) == 0o700
        files = [path, Path(f"{path}-wal"), Path(f"{path}-shm")]
        assert {file.name: mode(file) for file in files} == {file.name: 0o600 for file in files}
    finally:
        await store.close()


async def test_an_existing_world_readable_file_is_made_private(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    first = SQLiteStore(path)
    await first.open()
    await first.close()
    path.chmod(0o644)
    again = SQLiteStore(path)
    await again.open()
    await again.close()
    assert mode(path) == 0o600


@pytest.mark.parametrize("kind", ["text", "fifo"])
async def test_what_is_not_a_database_is_refused_and_left_as_it_was(
    tmp_path: Path, kind: str
) -> None:
    # MAILMOVE_STORE=sqlite:////dev/null (or a path to /etc/passwd) made it readable by
    # root alone before SQLite said it was no database: every other user's program on the
    # host then failed on /dev/null. A FIFO stands in for the device here.
    path = tmp_path / "not-a-store"
    if kind == "text":
        path.write_text("root:x:0:0:root:/root:/bin/bash\n")
    else:
        os.mkfifo(path)
    path.chmod(0o644)
    with pytest.raises(StoreUnavailableError) as refused:
        await SQLiteStore(path).open()
    assert mode(path) == 0o644
    assert str(refused.value).startswith(f"{path}: ")
    assert str(refused.value).endswith(" (left as it was)")


async def test_a_wal_past_its_limit_is_truncated(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sqlite_store, "WAL_LIMIT", 64 * 1024)
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    try:
        for n in range(200):
            change = turn(f"test:c{n}", "x" * 1000)
            await store.transact(change.record.key, f"e{n}", always(change))
        wal = Path(f"{path}-wal")
        assert size(wal) > 64 * 1024
        await store.checkpoint()
        assert size(wal) == 0
        assert len(await store.list_records(limit=1000)) == 200
    finally:
        await store.close()


async def test_a_file_from_before_questions_were_kept_gains_their_columns(tmp_path: Path) -> None:
    path = tmp_path / "old.sqlite3"
    with sqlite3.connect(path) as old:
        old.executescript(
            "CREATE TABLE conversations (key TEXT PRIMARY KEY, channel TEXT NOT NULL,"
            " owner TEXT NOT NULL, stage TEXT NOT NULL, dialog TEXT NOT NULL,"
            " created_at TEXT NOT NULL, updated_at TEXT NOT NULL);"
            "CREATE TABLE transcript (id INTEGER PRIMARY KEY AUTOINCREMENT, key TEXT NOT NULL,"
            " at TEXT NOT NULL, author TEXT NOT NULL, text TEXT NOT NULL, reply TEXT);"
        )
        old.execute(
            "INSERT INTO conversations VALUES ('test:c1', 'test', 'bot', 'start', '{}', ?, ?)",
            (T0.isoformat(), T0.isoformat()),
        )
        old.execute(
            "INSERT INTO transcript (key, at, author, text) VALUES ('test:c1', ?, 'bot', 'hi')",
            (T0.isoformat(),),
        )
    store = SQLiteStore(path)
    await store.open()
    try:
        stored = await store.load("test:c1")
        assert stored is not None
        # Unknown, so no press is refused as stale; the old line has no event.
        assert stored.question is None
        assert [(e.text, e.event) for e in await store.transcript("test:c1")] == [("hi", None)]
        await store.transact("test:c1", "e1", always(turn("test:c1", "again")))
        assert [e.event for e in await store.transcript("test:c1")][-1] is not None
    finally:
        await store.close()
    reopened = SQLiteStore(path)  # a second open finds the columns and adds nothing
    await reopened.open()
    await reopened.close()


def counted(key: str, number: int) -> Change[int]:
    record = ConversationRecord(key, "test", Owner.BOT, DialogState(misunderstood=number), T0, T0)
    return Change(record, [TranscriptEntry(T0, "subscriber", f"m{number}")], number)


async def test_a_row_another_connection_changed_is_read_afresh(tmp_path: Path) -> None:
    # The store reuses the record it wrote last only while the stored row is that one.
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    try:
        await store.transact("test:c1", "e1", always(counted("test:c1", 1)))
        with contextlib.closing(sqlite3.connect(path)) as other, other:
            other.execute(
                "UPDATE conversations SET dialog = ? WHERE key = 'test:c1'",
                (json.dumps(DialogState(misunderstood=7).to_json()),),
            )
        seen: list[int] = []

        def read(current: ConversationRecord | None) -> Change[int]:
            assert current is not None
            seen.append(current.dialog.misunderstood)
            return counted("test:c1", current.dialog.misunderstood + 1)

        await store.transact("test:c1", "e2", read)
        assert seen == [7]
    finally:
        await store.close()


async def test_json_is_stored_as_text_and_the_last_record_written_is_reused(
    tmp_path: Path,
) -> None:
    # The store hands SQLite orjson's bytes (CAST to TEXT), and compares the stored bytes
    # with them to reuse the record it wrote: any reader still finds UTF-8 text.
    path = tmp_path / "store.sqlite3"
    reply: dict[str, object] = {"type": "text", "text": "こんにちは"}
    change = counted("test:c1", 1)
    change = Change(change.record, [TranscriptEntry(T0, "bot", "こんにちは", reply)], 1)
    store = SQLiteStore(path)
    await store.open()
    try:
        await store.transact("test:c1", "e1", always(change))
        seen: list[ConversationRecord | None] = []
        await store.transact("test:c1", "e2", lambda current: seen.append(current))
        assert seen == [change.record]
        assert seen[0] is not None
        # Not parsed again (copied only for its line count).
        assert seen[0].dialog is change.record.dialog
        assert seen[0].lines == 1
        [line] = await store.transcript("test:c1")
        assert line.reply == reply
    finally:
        await store.close()
    with contextlib.closing(sqlite3.connect(path)) as other:
        dialog, kind = other.execute("SELECT dialog, typeof(dialog) FROM conversations").fetchone()
        assert (json.loads(dialog), kind) == (change.record.dialog.to_json(), "text")
        stored, kind = other.execute("SELECT reply, typeof(reply) FROM transcript").fetchone()
        assert (json.loads(stored), kind) == (reply, "text")


async def test_a_write_that_fails_fails_its_whole_batch_and_writes_nothing(
    tmp_path: Path,
) -> None:
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    try:
        broken = counted("test:c2", 1)
        # NOT NULL: the database refuses the line, as it would a full disk.
        broken = Change(broken.record, [TranscriptEntry(T0, "subscriber", None)], 1)  # type: ignore[arg-type]
        results = await asyncio.gather(
            store.transact("test:c1", "e1", always(counted("test:c1", 1))),
            store.transact("test:c2", "e2", always(broken)),
            return_exceptions=True,
        )
        assert [type(result) for result in results] == [StoreUnavailableError] * 2
        assert await store.load("test:c1") is None
        assert await store.load("test:c2") is None
        # Neither event was claimed: both redeliveries are handled.
        assert await store.transact("test:c1", "e1", always(counted("test:c1", 1))) is not None
        assert await store.transact("test:c2", "e2", always(counted("test:c2", 1))) is not None
        assert [line.text for line in await store.transcript("test:c2")] == ["m1"]
    finally:
        await store.close()


async def test_a_turn_cancelled_while_its_batch_commits_leaves_the_others_committed(
    tmp_path: Path,
) -> None:
    # A client that goes away cancels its own turn's wait, not the COMMIT its batch shares:
    # its writes are in the batch already, so its event is handled (a retry is answered).
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    try:
        first = asyncio.create_task(store.transact("test:c1", "e1", always(counted("test:c1", 1))))

        def cancels_the_first(_: ConversationRecord | None) -> Change[int]:
            first.cancel()  # it has written and waits for the commit this turn joins
            return counted("test:c2", 1)

        second = asyncio.create_task(store.transact("test:c2", "e2", cancels_the_first))
        turns = [first, second]
        assert await turns[1] is not None
        with pytest.raises(asyncio.CancelledError):
            await turns[0]
        assert [await store.load(f"test:c{n}") is not None for n in (1, 2)] == [True, True]
        assert await store.transact("test:c1", "e1", always(counted("test:c1", 2))) is None
    finally:
        await store.close()


async def test_an_expired_transcript_leaves_no_trace_in_the_file(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Transcripts hold personal data and expire after MAILMOVE_RETENTION_DAYS. A deleted
    # row stays readable in SQLite's free pages unless secure_delete is on, which Debian's
    # build turns on by default and others do not: a build without it, simulated here.
    connect = sqlite3.connect

    def without_secure_delete(database: str, **kwargs: Any) -> sqlite3.Connection:
        db: sqlite3.Connection = connect(database, **kwargs)
        db.execute("PRAGMA secure_delete=OFF")
        return db

    monkeypatch.setattr(sqlite3, "connect", without_secure_delete)
    path = tmp_path / "store.sqlite3"
    said = "hanako.yamada.expired@vp.117.ne.jp"
    store = SQLiteStore(path)
    await store.open()
    try:
        await store.transact("test:c1", "e1", lambda _: turn("test:c1", said))
    finally:
        await store.close()
    assert said.encode() in path.read_bytes()
    await store.open()
    try:
        assert await store.expire(T0 + dt.timedelta(days=1)) == 1
    finally:
        await store.close()
    assert said.encode() not in path.read_bytes()


async def test_the_file_shrinks_back_once_its_conversations_expire(tmp_path: Path) -> None:
    # A flood of conversations (or a busy month) left the file at its peak size for good:
    # the freed pages were only reused. They go back to the file system after expiry now.
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    try:
        await store.transact("test:kept", "kept", lambda _: turn("test:kept", "kept"))
        await store.close()
        await store.open()
        small = path.stat().st_size
        for n in range(400):
            key = f"test:c{n}"
            await store.transact(key, f"e{n}", always(turn(key, "x" * 2000)))
        await store.close()
        await store.open()
        grown = path.stat().st_size
        assert grown > small + 400 * 2000
        assert await store.expire(T0 + dt.timedelta(days=1)) == 401
    finally:
        await store.close()
    assert path.stat().st_size < small + (grown - small) // 10
