"""The default store: one SQLite file in WAL mode, for a single bot process.

Statements run synchronously on the event loop. Each is a few tens of microseconds on a
local file, less than handing it to a thread would cost, and WAL keeps readers from ever
waiting on the writer. Several processes need the Redis store instead: the per-conversation
lock here is an asyncio lock, which only one process can see.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import json
import sqlite3
from collections.abc import AsyncIterator, Sequence
from contextlib import asynccontextmanager
from pathlib import Path
from typing import Final, cast

from bot.conversation_store import (
    Author,
    ConversationRecord,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
)
from dialogs.state import DialogState

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS conversations (
    key TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    owner TEXT NOT NULL,
    stage TEXT NOT NULL,
    dialog TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated_at);
CREATE TABLE IF NOT EXISTS transcript (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS transcript_key ON transcript (key, id);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS events_at ON events (at);
"""


class SQLiteStore:
    """`ConversationStore` on one SQLite file."""

    def __init__(self, path: Path | str) -> None:
        self._path = str(path)
        self._db: sqlite3.Connection | None = None
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @classmethod
    def from_url(cls, url: str) -> SQLiteStore:
        """`sqlite:///relative/path.sqlite3`, `sqlite:////absolute/path`, or `sqlite://:memory:`."""
        if not url.startswith("sqlite://"):
            raise ValueError(f"not a sqlite URL: {url!r}")
        rest = url.removeprefix("sqlite://")
        if rest == ":memory:":
            return cls(":memory:")
        return cls(rest.removeprefix("/") if not rest.startswith("//") else rest[1:])

    async def open(self) -> None:
        """Open the file (creating its folder and tables) in WAL mode."""
        if self._path != ":memory:":
            Path(self._path).parent.mkdir(parents=True, exist_ok=True)
        db = sqlite3.connect(self._path, isolation_level=None, check_same_thread=False)
        db.execute("PRAGMA journal_mode=WAL")
        # NORMAL in WAL mode: a committed turn survives the process being killed; only a
        # power cut could lose the last few, which is the trade every chat service makes.
        db.execute("PRAGMA synchronous=NORMAL")
        db.execute("PRAGMA busy_timeout=5000")
        db.executescript(_SCHEMA)
        self._db = db

    async def close(self) -> None:
        """Close the file."""
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreUnavailableError("the SQLite store is not open")
        return self._db

    async def ping(self) -> None:
        """Fail unless the file answers a query."""
        try:
            self._conn.execute("SELECT 1").fetchone()
        except sqlite3.Error as err:
            raise StoreUnavailableError(str(err)) from err

    @asynccontextmanager
    async def lock(self, key: str) -> AsyncIterator[None]:
        """One turn at a time per conversation, within this process."""
        lock, users = self._locks.get(key, (asyncio.Lock(), 0))
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            lock, users = self._locks[key]
            if users <= 1:
                del self._locks[key]
            else:
                self._locks[key] = (lock, users - 1)

    async def seen(self, event_id: str) -> bool:
        """Whether the event was recorded by an earlier `save`."""
        row = self._conn.execute("SELECT 1 FROM events WHERE event_id = ?", (event_id,)).fetchone()
        return row is not None

    async def load(self, key: str) -> ConversationRecord | None:
        """The stored record, or None."""
        row = self._conn.execute(
            "SELECT key, channel, owner, dialog, created_at, updated_at"
            " FROM conversations WHERE key = ?",
            (key,),
        ).fetchone()
        return _record(row) if row else None

    async def save(
        self,
        record: ConversationRecord,
        transcript: Sequence[TranscriptEntry],
        event_id: str | None,
    ) -> None:
        """Record, transcript lines and event id in one transaction."""
        db = self._conn
        try:
            db.execute("BEGIN IMMEDIATE")
            db.execute(
                "INSERT INTO conversations (key, channel, owner, stage, dialog, created_at,"
                " updated_at) VALUES (?, ?, ?, ?, ?, ?, ?)"
                " ON CONFLICT (key) DO UPDATE SET owner = excluded.owner,"
                " stage = excluded.stage, dialog = excluded.dialog,"
                " updated_at = excluded.updated_at",
                (
                    record.key,
                    record.channel,
                    record.owner.value,
                    record.dialog.stage.value,
                    json.dumps(record.dialog.to_json(), ensure_ascii=False),
                    record.created_at.isoformat(),
                    record.updated_at.isoformat(),
                ),
            )
            db.executemany(
                "INSERT INTO transcript (key, at, author, text) VALUES (?, ?, ?, ?)",
                [(record.key, e.at.isoformat(), e.author, e.text) for e in transcript],
            )
            if event_id is not None:
                db.execute(
                    "INSERT OR IGNORE INTO events (event_id, at) VALUES (?, ?)",
                    (event_id, record.updated_at.isoformat()),
                )
            db.execute("COMMIT")
        except BaseException:
            if db.in_transaction:
                db.execute("ROLLBACK")
            raise

    async def transcript(self, key: str) -> list[TranscriptEntry]:
        """Every line of the conversation, oldest first."""
        rows = self._conn.execute(
            "SELECT at, author, text FROM transcript WHERE key = ? ORDER BY id", (key,)
        ).fetchall()
        return [
            TranscriptEntry(dt.datetime.fromisoformat(at), cast(Author, author), text)
            for at, author, text in rows
        ]

    async def list_records(
        self, *, owner: Owner | None = None, limit: int = 100
    ) -> list[ConversationRecord]:
        """The most recently updated conversations."""
        query = "SELECT key, channel, owner, dialog, created_at, updated_at FROM conversations"
        params: tuple[object, ...] = ()
        if owner is not None:
            query += " WHERE owner = ?"
            params = (owner.value,)
        query += " ORDER BY updated_at DESC LIMIT ?"
        rows = self._conn.execute(query, (*params, limit)).fetchall()
        return [_record(row) for row in rows]

    async def expire(self, before: dt.datetime) -> int:
        """Delete what has not been touched since `before`, transcripts and old event ids too."""
        db = self._conn
        cutoff = before.isoformat()
        db.execute("BEGIN IMMEDIATE")
        try:
            db.execute(
                "DELETE FROM transcript WHERE key IN"
                " (SELECT key FROM conversations WHERE updated_at < ?)",
                (cutoff,),
            )
            removed = db.execute("DELETE FROM conversations WHERE updated_at < ?", (cutoff,))
            db.execute("DELETE FROM events WHERE at < ?", (cutoff,))
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return removed.rowcount


def _record(row: tuple[str, str, str, str, str, str]) -> ConversationRecord:
    key, channel, owner, dialog, created_at, updated_at = row
    try:
        state = DialogState.from_json(json.loads(dialog))
    except (ValueError, TypeError):
        # A record written by an incompatible version restarts its dialog rather than failing.
        state = DialogState()
    return ConversationRecord(
        key=key,
        channel=channel,
        owner=Owner(owner),
        dialog=state,
        created_at=dt.datetime.fromisoformat(created_at),
        updated_at=dt.datetime.fromisoformat(updated_at),
    )
