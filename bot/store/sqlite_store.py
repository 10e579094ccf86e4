"""The default store: one SQLite file in WAL mode, for a single bot process.

Statements run synchronously on the event loop: a turn's statements take a few tens of
microseconds on a local file, less than handing them to a thread would cost, and WAL keeps
readers (`mailmove stats`, a second process) from waiting on the writer. Concurrent turns
share their COMMIT (see `transact`). Several bot processes need the Redis store instead.

SQLite's own busy wait sleeps in the calling thread, so on this connection it is only
LOOP_BUSY_MS: a write lock another process holds (a `sqlite3` session left in BEGIN, a
VACUUM, a second server on the file) is waited for by polling from the event loop
(`_begin`), up to the store's `lock_wait` (LOCK_WAIT), and then the turn fails with
StoreUnavailableError (503 with Retry-After). SQLite's 5 s wait had held the loop, so
`/healthz` and every other conversation waited behind one locked turn.

A write that fails other than on the lock (the disk full, an I/O error, the file made
read-only) makes `ping` fail too, until a write works again: reads still work then, and
`/readyz` said "ready" while every message got 503 (see `_write_failure`).
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import logging
import os
import sqlite3
import stat
import time
import urllib.parse
from collections.abc import Callable, Coroutine, Mapping, Sequence
from pathlib import Path
from typing import Any, Concatenate, Final, ParamSpec, TypeVar, cast

import orjson

from bot.store import file_access
from bot.store.conversation_store import (
    WITHDRAWN_REPLY_TEXT,
    WITHDRAWN_TEXT,
    Author,
    Change,
    ConversationRecord,
    LinkGrant,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    Update,
    event_tag,
)
from dialogs import frozen
from dialogs.state import DialogState

_SCHEMA: Final = """
CREATE TABLE IF NOT EXISTS conversations (
    key TEXT PRIMARY KEY,
    channel TEXT NOT NULL,
    owner TEXT NOT NULL,
    stage TEXT NOT NULL,
    dialog TEXT NOT NULL,
    created_at TEXT NOT NULL,
    updated_at TEXT NOT NULL,
    question TEXT
);
CREATE INDEX IF NOT EXISTS conversations_updated ON conversations (updated_at);
CREATE TABLE IF NOT EXISTS transcript (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    key TEXT NOT NULL,
    at TEXT NOT NULL,
    author TEXT NOT NULL,
    text TEXT NOT NULL,
    reply TEXT,
    event TEXT
);
CREATE INDEX IF NOT EXISTS transcript_key ON transcript (key, id);
CREATE TABLE IF NOT EXISTS audit (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    at TEXT NOT NULL,
    channel TEXT NOT NULL,
    kind TEXT NOT NULL,
    detail TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS audit_at ON audit (at);
CREATE TABLE IF NOT EXISTS events (
    event_id TEXT PRIMARY KEY,
    at TEXT NOT NULL
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS link_grants (
    digest TEXT PRIMARY KEY,
    key TEXT NOT NULL,
    expires_at TEXT NOT NULL
) WITHOUT ROWID;
"""
# Columns added since the first release: a file made before gets them when it is opened.
_ADDED_COLUMNS: Final = (("conversations", "question", "TEXT"), ("transcript", "event", "TEXT"))
CHECKPOINT_INTERVAL: Final = 1.0
# The -shm byte every open connection holds a read lock on (SQLite's os_unix.c: UNIX_SHM_DMS,
# the wal-index's locks from byte 120, eight of them, then this one).
_SHM_DMS_BYTE: Final = 128
FAILURE_SAID_EVERY: Final = 60.0
# Past this size the WAL is folded into the file and truncated (TRUNCATE checkpoint), and
# SQLite cuts it back to this size whenever it restarts: without a bound, a WAL that busy
# turns never let a passive checkpoint restart grew to 5 GB and stayed there.
WAL_LIMIT: Final = 64 * 1024 * 1024
# SQLite's busy wait on the event loop's connection: long enough for a checkpoint's or a
# reader's brief hold on the WAL index, short enough not to be felt by other requests.
LOOP_BUSY_MS: Final = 10
# How long a turn waits (polling, the loop free) for a write lock another process holds,
# before it is answered 503: the busy timeout the store had, now spent off the loop.
LOCK_WAIT: Final = 5.0
_INCREMENTAL: Final = 2  # PRAGMA auto_vacuum's number for INCREMENTAL
# Opening the file (start-up) may wait for the lock on the loop: nothing else runs yet.
OPEN_WAIT: Final = 5.0
# The row `ping` writes (and deletes in the same transaction) to find out whether writes work
# again after one failed: an event id no channel makes (theirs are `channel:key:...`).
_PROBE_EVENT: Final = "mailmove:write-probe"
# How much `ping`'s probe writes: more than a turn's few pages, since the space the failed
# turn's frames took at the end of the WAL is free for a smaller write (a 4 kB probe worked
# on a full disk where every turn failed).
PROBE_BYTES: Final = 64 * 1024
# Lock contention is another process's transaction, not a store that cannot write.
_LOCK_ERRORS: Final = frozenset({sqlite3.SQLITE_BUSY, sqlite3.SQLITE_LOCKED})
_WRITE_FAILURE_HINT: Final = (
    "free space on its disk, or make the file writable: ready again once a write works"
)
# How every SQLite 3 database file begins (https://www.sqlite.org/fileformat.html).
_HEADER: Final = b"SQLite format 3\x00"
_LOCK_POLL_FIRST: Final = 0.005
_LOCK_POLL_MAX: Final = 0.1
_LOGGER: Final = logging.getLogger(__name__)
_SELECT_RECORDS: Final = (
    "SELECT key, channel, owner, dialog, created_at, updated_at, question FROM conversations"
)
_SELECT_ONE: Final = _SELECT_RECORDS + " WHERE key = ?"
# A turn's one read: whether its event was handled, how many transcript lines the
# conversation has (`ConversationRecord.lines`, from the index alone), and the record (NULLs
# when there is none). The dialog comes as the UTF-8 bytes it is stored as: JSON is parsed
# from bytes, and they are compared with the bytes this process wrote (`_cached_record`)
# without decoding them.
_CLAIM_AND_READ: Final = (
    "SELECT EXISTS (SELECT 1 FROM events WHERE event_id = ?1),"
    " (SELECT count(*) FROM transcript WHERE key = ?2), c.key, c.channel, c.owner,"
    " CAST(c.dialog AS BLOB), c.created_at, c.updated_at, c.question"
    " FROM (SELECT 1) LEFT JOIN conversations AS c ON c.key = ?2"
)
# Records remembered as last written (see `_cached_record`): the conversations active now.
REMEMBERED_RECORDS: Final = 4096
T = TypeVar("T")
P = ParamSpec("P")
R = TypeVar("R")


def _failing_as_unavailable(
    doing: str,
) -> Callable[
    [Callable[Concatenate[SQLiteStore, P], Coroutine[Any, Any, R]]],
    Callable[Concatenate[SQLiteStore, P], Coroutine[Any, Any, R]],
]:
    """SQLite's own errors of a store method raised as StoreUnavailableError naming the file.

    A file damaged on disk ("database disk image is malformed"), or an I/O error, in a read:
    the request was answered 500 with an ERROR traceback, one per request, counted in no
    metric; it is the store unavailable (503, "Answered 503 … reading /…/mailmove.sqlite3
    failed: …" once a minute), as a failed write already was.
    """

    def wrap(
        method: Callable[Concatenate[SQLiteStore, P], Coroutine[Any, Any, R]],
    ) -> Callable[Concatenate[SQLiteStore, P], Coroutine[Any, Any, R]]:
        async def failing_as_unavailable(
            self: SQLiteStore, /, *args: P.args, **kwargs: P.kwargs
        ) -> R:
            try:
                return await method(self, *args, **kwargs)
            except sqlite3.Error as err:
                if doing.startswith("writing"):
                    self._write_failed(err)
                raise StoreUnavailableError(f"{doing} {self.path} failed: {err}") from err

        # Not `functools.wraps` as a decorator: mypy cannot match its result to the method's.
        functools.update_wrapper(failing_as_unavailable, method)
        return failing_as_unavailable

    return wrap


class SQLiteStore:
    """`ConversationStore` on one SQLite file."""

    def __init__(self, path: Path | str, *, lock_wait: float = LOCK_WAIT) -> None:
        if lock_wait < 0:
            raise ValueError(f"lock_wait must be 0 seconds or more, not {lock_wait}")
        self._path = str(path)
        self._lock_wait = lock_wait
        self._opening = asyncio.Lock()  # see `_begin`
        self._db: sqlite3.Connection | None = None
        # The turns waiting for the next COMMIT, each on its own future (see `_committed`).
        self._batch: list[asyncio.Future[None]] | None = None
        self._checkpointer: asyncio.Task[None] | None = None
        self._commits_since_checkpoint = 0
        self._records: dict[str, tuple[list[str | bytes | None], ConversationRecord]] = {}
        # The file opened (device, inode): one deleted or replaced under the running server
        # is noticed (`_file_gone`), not written to unseen (see `_refuse_a_lost_file`).
        self._file_id: tuple[int, int] | None = None
        # Why the last write failed, while no write has worked since ("": writes work): a
        # full disk leaves reads working, so `ping` must try a write to see it.
        self._write_failure = ""

    @classmethod
    def from_url(cls, url: str) -> SQLiteStore:
        """`sqlite:///relative/path.sqlite3`, `sqlite:////absolute/path`, or `sqlite://:memory:`."""
        if not url.startswith("sqlite://"):
            raise ValueError(f"not a sqlite URL: {url!r}")
        rest = url.removeprefix("sqlite://")
        if rest == ":memory:":
            return cls(":memory:")
        return cls(rest.removeprefix("/") if not rest.startswith("//") else rest[1:])

    @property
    def path(self) -> str:
        """The database file (or `:memory:`)."""
        return self._path

    async def open(self) -> None:
        """Open the file (creating its folder and tables) in WAL mode.

        A file that cannot be made or read as a database raises StoreUnavailableError
        naming the file and the reason, which `mailmove` prints on one line.
        """
        db: sqlite3.Connection | None = None
        try:
            if self._path != ":memory:":
                _private_file(Path(self._path))
                _refuse_a_wal_of_another_file(self._path)
            # The wait from the first statement: sqlite3.connect's own 5 s default applied
            # to the PRAGMAs before busy_timeout is set, whatever OPEN_WAIT said.
            db = sqlite3.connect(
                self._path, isolation_level=None, check_same_thread=False, timeout=OPEN_WAIT
            )
            # Pages freed by expiry go back to the file system after each expiry run
            # (`_shrink`), so a flood of conversations does not leave the file at its peak
            # size for good. Set first: it takes effect only on a new file (an older one
            # keeps its size, its free pages reused, until a `VACUUM`: README).
            # Asked only when it would change something: setting it takes the write lock,
            # and a server starting beside another one mid-turn (or a `sqlite3` session in
            # BEGIN) failed to open a file already set.
            if db.execute("PRAGMA auto_vacuum").fetchone()[0] != _INCREMENTAL:
                db.execute("PRAGMA auto_vacuum=INCREMENTAL")
            db.execute("PRAGMA journal_mode=WAL")
            # NORMAL in WAL mode: a committed turn survives the process being killed; only a
            # power cut could lose the last few, which is the trade every chat service makes.
            db.execute("PRAGMA synchronous=NORMAL")
            # At start-up, before any request: a second server's turn may hold the lock.
            db.execute(f"PRAGMA busy_timeout={int(OPEN_WAIT * 1000)}")
            # Expired transcripts (personal data) are overwritten, not left in free pages:
            # Debian's SQLite does this by default, other builds do not.
            db.execute("PRAGMA secure_delete=ON")
            db.executescript(_SCHEMA)
            _add_missing_columns(db)
            db.execute(f"PRAGMA busy_timeout={LOOP_BUSY_MS}")
        except (OSError, sqlite3.Error) as err:
            if db is not None:
                db.close()
            reason = err.strerror if isinstance(err, OSError) and err.strerror else str(err)
            if self._path != ":memory:" and (fix := file_access.explain(Path(self._path), err)):
                reason = f"{reason}: {fix}"
            elif isinstance(err, sqlite3.OperationalError) and "database is locked" in reason:
                # Said alone, the operator was left to guess what held it, and whether the
                # file was damaged and to be restored.
                reason = (
                    f"{reason}: another process held a lock on it for {OPEN_WAIT:g} s (a sqlite3"
                    " session in a transaction, a restore or VACUUM under way); end it, then"
                    " start mailmove again"
                )
            raise StoreUnavailableError(f"{self._path}: {reason}") from None
        if self._path != ":memory:":
            # A checkpoint fsyncs the file; inside a commit it would stall every turn on
            # the event loop for its duration. A worker thread does it instead (below).
            db.execute("PRAGMA wal_autocheckpoint=0")
            db.execute(f"PRAGMA journal_size_limit={WAL_LIMIT}")
            self._checkpointer = asyncio.create_task(self._checkpoints(), name="wal-checkpoint")
            self._file_id = _file_id(self._path)
        self._db = db

    async def _checkpoints(self) -> None:
        """Copy the WAL into the database file now and then, off the event loop.

        A failure that lasts (the file read-only, the disk full) is said when it starts, when
        its reason changes and at most once every FAILURE_SAID_EVERY, not at every try (one a
        second while turns commit); and said again when a checkpoint works.
        """
        failed, reason, said_at = 0, "", 0.0
        lost = ""
        while True:
            await asyncio.sleep(CHECKPOINT_INTERVAL)
            gone = self._file_gone()
            if gone != lost and gone:
                # ERROR: every turn is refused until someone acts (see `_refuse_a_lost_file`).
                _LOGGER.error("%s; turns get 503 until the server is restarted", gone)
            lost = gone
            if gone or not self._commits_since_checkpoint:
                continue
            self._commits_since_checkpoint = 0
            try:
                await self.checkpoint()
            except (sqlite3.Error, OSError) as err:
                failed += 1
                now = time.monotonic()
                if str(err) != reason or now - said_at >= FAILURE_SAID_EVERY:
                    _LOGGER.warning(
                        "WAL checkpoint of %s failed: %s; the WAL file grows until it works"
                        " (check the disk's free space and the file's permissions)",
                        self._path,
                        err,
                    )
                    reason, said_at = str(err), now
                continue
            except Exception:
                # Ended by it, the checkpointer left the WAL to grow until the next restart.
                _LOGGER.exception("WAL checkpoint of %s failed unexpectedly", self._path)
                continue
            if failed:
                _LOGGER.info(
                    "WAL checkpoint of %s works again (after %d failed tries)", self._path, failed
                )
                failed, reason = 0, ""

    async def checkpoint(self) -> None:
        """Fold the WAL into the file; past `WAL_LIMIT`, truncate it too."""
        mode = "TRUNCATE" if self._wal_size() > WAL_LIMIT else "PASSIVE"
        await asyncio.to_thread(self._checkpoint, mode)

    def _wal_size(self) -> int:
        try:
            return Path(f"{self._path}-wal").stat().st_size
        except FileNotFoundError:
            return 0

    def _file_gone(self) -> str:
        """Why the file opened is no longer at its path ("": it is), for the log and a 503."""
        if self._file_id is None:
            return ""
        try:
            now = _file_id(self._path)
        except FileNotFoundError:
            change = "was deleted"
        except OSError as err:
            return f"{self._path} cannot be looked at: {err.strerror or err}"
        else:
            if now == self._file_id:
                return ""
            change = "was replaced by another file"
        return (
            f"{self._path} {change} while the server ran: what it writes goes to the old"
            " file, which is gone once the server stops (restart the server: it then opens"
            " what is at the path, a backup restored there or a new file)"
        )

    def _refuse_a_lost_file(self) -> None:
        """StoreUnavailableError if the file was deleted or replaced under the server.

        SQLite writes on to the file it opened: an operator's `rm` of it (or a restore
        copied over it) left every later turn acknowledged (200) and kept nowhere anyone
        would find it, lost at the next restart, and the checkpointer made a new empty file
        (mode 0644) at the path. Asked once per write transaction: a `stat`.
        """
        if gone := self._file_gone():
            raise StoreUnavailableError(gone)

    def _checkpoint(self, mode: str) -> None:
        # Its own connection: the writer's stays free, and WAL lets both work at once. Never
        # a new file: mode=rw fails on a file deleted under the server (`_file_gone`).
        with contextlib.closing(
            sqlite3.connect(_existing(self._path), isolation_level=None, uri=True)
        ) as db:
            db.execute("PRAGMA busy_timeout=5000")
            db.execute(f"PRAGMA wal_checkpoint({mode})")

    async def close(self) -> None:
        """Commit what is pending, fold the WAL into the file, and close it."""
        if self._batch is not None:
            await self._committed()
        if self._checkpointer is not None:
            self._checkpointer.cancel()
            self._checkpointer = None
            with contextlib.suppress(sqlite3.Error):
                await asyncio.to_thread(self._checkpoint, "TRUNCATE")
        if self._db is not None:
            self._db.close()
            self._db = None

    @property
    def _conn(self) -> sqlite3.Connection:
        if self._db is None:
            raise StoreUnavailableError("the SQLite store is not open")
        return self._db

    async def ping(self) -> None:
        """Fail unless the file answers a query, and is still the one at its path.

        After a write failed (`_write_failure`), fail unless a write works again: on a full
        disk reads work, and `/readyz` said 200 while every turn got 503.
        """
        self._refuse_a_lost_file()
        try:
            self._conn.execute("SELECT 1").fetchone()
        except sqlite3.Error as err:
            raise StoreUnavailableError(str(err)) from err
        if self._write_failure:
            await self._probe_write()

    async def _probe_write(self) -> None:
        """Write a row and delete it again in one transaction; StoreUnavailableError if it fails.

        A real change: a transaction that changes nothing writes nothing to the WAL, so it
        would work on a full disk. Never left behind, and no channel's event id.
        """
        await self._begin(join=False)
        db = self._conn
        try:
            db.execute(
                "INSERT OR REPLACE INTO events (event_id, at) VALUES (?, zeroblob(?))",
                (_PROBE_EVENT, PROBE_BYTES),
            )
            db.execute("DELETE FROM events WHERE event_id = ?", (_PROBE_EVENT,))
            db.execute("COMMIT")
        except sqlite3.Error as err:
            if db.in_transaction:
                db.execute("ROLLBACK")
            self._write_failed(err)
            raise StoreUnavailableError(
                f"writing to {self._path} still fails: {err} ({_WRITE_FAILURE_HINT})"
            ) from err
        self._write_failure = ""

    def _write_failed(self, err: sqlite3.Error) -> None:
        """Remember a failed write for `ping`, unless it was only another process's lock."""
        if getattr(err, "sqlite_errorcode", None) not in _LOCK_ERRORS:
            self._write_failure = str(err)

    async def transact(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        """Claim the event, read the record, write what `update` returns; then group-commit.

        Turns share one transaction and return only once it has committed. Nothing between
        a turn's read and its last write awaits, so turns never interleave on the
        connection, and turns that finish in the same event-loop iteration share one COMMIT:
        the commit (a WAL write) is most of a turn's storage cost, and sharing it is what
        lets one process keep up with many subscribers. A turn writes only once `update`
        has returned, so an `update` that raises or declines leaves nothing to undo; a write
        that fails rolls the whole batch back and every turn in it fails (503, and the
        platform sends them again). The first turn of a batch takes the write lock before it
        reads (`_begin`), waiting for another process's without holding the event loop.
        """
        db = self._conn
        if not db.in_transaction:
            # The write lock first, then the read: the await is before the read, so nothing
            # between a turn's read and its writes awaits, and what it reads no other
            # process can change before it writes.
            await self._begin(join=True)
        change: Change[T] | None = None
        try:
            seen, lines, *row = db.execute(_CLAIM_AND_READ, (event_id, key)).fetchone()
            if not seen:
                change = update(
                    self._cached_record(key, row, lines) if row[0] is not None else None
                )
            if change is not None:
                self._write_turn(change, event_id)
        except sqlite3.Error as err:
            self._write_failed(err)
            self._abandon_batch(err)
            raise StoreUnavailableError(f"writing a turn to {self._path} failed: {err}") from err
        except BaseException:
            # An `update` that raised wrote nothing; the lock is let go with the batch's commit.
            self._commit_soon()
            raise
        if change is None:
            # Nothing written: the batch's commit lets the lock go, with no need to wait for it.
            self._commit_soon()
            return None
        await self._committed()
        return change

    async def _begin(self, *, join: bool) -> None:
        """Open a write transaction, waiting for another process's lock off the event loop.

        With `join`, a batch this process opened meanwhile is joined instead. Otherwise
        (`rename`, `expire`: a transaction of their own) this process's batch is waited out
        first. Past `lock_wait`, StoreUnavailableError names the file and the lock.
        """
        db = self._conn
        if not db.in_transaction:
            self._refuse_a_lost_file()
        deadline = time.monotonic() + self._lock_wait
        # One opener at a time, in the order they came (asyncio's lock is first come, first
        # served): a turn that arrives while another waits for the lock queues behind it,
        # instead of taking the lock the moment it is free and overtaking an earlier turn
        # of the same conversation. Free, it is taken without a pause.
        async with self._opening:
            await self._open(db, join=join, deadline=deadline)

    async def _open(self, db: sqlite3.Connection, *, join: bool, deadline: float) -> None:
        pause = _LOCK_POLL_FIRST
        while True:
            if db.in_transaction:
                if join:
                    return
                await self._committed()
                continue
            try:
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.OperationalError as err:
                if err.sqlite_errorcode != sqlite3.SQLITE_BUSY:
                    self._write_failed(err)
                    raise StoreUnavailableError(
                        f"writing a turn to {self._path} failed: {err}"
                    ) from err
                if time.monotonic() >= deadline:
                    raise StoreUnavailableError(
                        f"writing a turn to {self._path} failed: {err}"
                        f" (another process held the write lock for {self._lock_wait:g} s:"
                        " a sqlite3 session in a transaction, a VACUUM or restore, a second"
                        " server; end it and turns are taken again at once)"
                    ) from err
                await asyncio.sleep(pause)
                pause = min(pause * 2, _LOCK_POLL_MAX)
            else:
                return

    def _cached_record(
        self, key: str, row: list[str | bytes | None], lines: int
    ) -> ConversationRecord:
        # The record this process wrote last is reused when the stored row is still the one
        # it wrote (compared whole, so another writer or a rolled-back batch is noticed):
        # parsing the dialog back is most of a read's cost.
        known = self._records.get(key)
        if known is None or known[0] != row:
            return _record(row, lines)  # type: ignore[arg-type]  # key is not None: the row exists
        record = known[1]
        return record if record.lines == lines else frozen.replace(record, lines=lines)

    def _write_turn(self, change: Change[T], event_id: str | None) -> None:
        db = self._conn
        if event_id is not None:
            db.execute("INSERT INTO events (event_id, at) VALUES (?, ?)", (event_id, _now_iso()))
        self._write(change.record, change.transcript, event_id)
        if change.withdrawn:
            # secure_delete is on: the words are overwritten on disk, not left in a free page.
            db.executemany(
                "UPDATE transcript SET text = ?, reply = NULL"
                " WHERE key = ? AND author = 'subscriber' AND event = ?",
                [(WITHDRAWN_TEXT, change.record.key, tag) for tag in change.withdrawn],
            )
        if change.replies_withdrawn:
            db.executemany(
                "UPDATE transcript SET text = ?, reply = NULL"
                " WHERE key = ? AND author = 'bot' AND event = ?",
                [
                    (WITHDRAWN_REPLY_TEXT, change.record.key, tag)
                    for tag in change.replies_withdrawn
                ],
            )
        for words, shown in change.masked:
            # Later turns' lines that said the withdrawn words back: replaced in place (the
            # reply is JSON text, and the words an address's ASCII, so no escape differs).
            # The bot's alone: a system line's name for the sender is the platform's.
            db.execute(
                "UPDATE transcript SET text = replace(text, ?1, ?2), reply = replace(reply, ?1, ?2)"
                " WHERE key = ?3 AND author = 'bot'"
                " AND (instr(text, ?1) > 0 OR instr(reply, ?1) > 0)",
                (words, shown, change.record.key),
            )
        if change.audit:
            db.executemany(
                "INSERT INTO audit (at, channel, kind, detail) VALUES (?, ?, ?, ?)",
                [(_iso(a.at), a.channel, a.kind, a.detail) for a in change.audit],
            )
        if change.grants:
            db.executemany(
                "INSERT OR REPLACE INTO link_grants (digest, key, expires_at) VALUES (?, ?, ?)",
                [(g.digest, g.key, _iso(g.expires)) for g in change.grants],
            )

    def _abandon_batch(self, err: Exception) -> None:
        """Roll back every turn not yet committed; their callers get StoreUnavailableError."""
        if self._db is not None and self._db.in_transaction:
            self._db.execute("ROLLBACK")
        batch, self._batch = self._batch, None
        _tell(batch or [], f"a turn of the batch to {self._path} failed: {err}")

    def _commit_soon(self) -> None:
        """Commit the open transaction in the next iteration, with the batch if there is one."""
        if self._batch is None and self._db is not None and self._db.in_transaction:
            self._batch = []
            asyncio.get_running_loop().call_soon(self._commit, self._batch)

    def _committed(self) -> asyncio.Future[None]:
        """A future done once the current batch has committed (or failed), for one turn.

        Each turn waits on its own future, so a cancelled turn (its client gone) cancels
        only its own wait, never its batch's commit: cheaper than a shared future behind
        `asyncio.shield` per turn.
        """
        loop = asyncio.get_running_loop()
        waiter = loop.create_future()
        if self._batch is None:
            self._batch = []
            # call_soon: every turn already ready to run in this iteration joins the batch.
            loop.call_soon(self._commit, self._batch)
        self._batch.append(waiter)
        return waiter

    def _commit(self, batch: list[asyncio.Future[None]]) -> None:
        if batch is not self._batch:
            return  # abandoned: its turns were told already
        self._batch = None
        try:
            if self._conn.in_transaction:
                self._conn.execute("COMMIT")
                self._commits_since_checkpoint += 1
                self._write_failure = ""
        except (sqlite3.Error, StoreUnavailableError) as err:
            if isinstance(err, sqlite3.Error):
                self._write_failed(err)
            if self._db is not None and self._db.in_transaction:
                self._db.execute("ROLLBACK")
            _tell(batch, f"commit to {self._path} failed: {err}")
        else:
            for waiter in batch:
                if not waiter.done():  # a cancelled turn's is
                    waiter.set_result(None)

    def _remember(self, row: list[str | bytes | None], record: ConversationRecord) -> None:
        # Only a record whose times read back identical (UTC) can stand in for the parsed row.
        if record.created_at.tzinfo is not dt.UTC or record.updated_at.tzinfo is not dt.UTC:
            self._records.pop(record.key, None)
            return
        self._records.pop(record.key, None)
        if len(self._records) >= REMEMBERED_RECORDS:
            del self._records[next(iter(self._records))]  # the least recently written
        self._records[record.key] = (row, record)

    @_failing_as_unavailable("reading")
    async def load(self, key: str) -> ConversationRecord | None:
        """The stored record, or None."""
        row = self._conn.execute(_SELECT_ONE, (key,)).fetchone()
        return _record(row) if row else None

    def _write(
        self,
        record: ConversationRecord,
        transcript: Sequence[TranscriptEntry],
        event_id: str | None,
    ) -> None:
        # JSON goes in as orjson's UTF-8 bytes, made TEXT by SQLite (CAST): decoding them
        # to a str only for sqlite3 to encode it again was a tenth of a turn's cost.
        row: list[str | bytes | None] = [
            record.key,
            record.channel,
            record.owner.value,
            orjson.dumps(record.dialog.to_json()),
            _iso(record.created_at),
            _iso(record.updated_at),
            record.question,
        ]
        self._conn.execute(
            "INSERT INTO conversations (key, channel, owner, dialog, created_at,"
            " updated_at, question, stage) VALUES (?, ?, ?, CAST(? AS TEXT), ?, ?, ?, ?)"
            " ON CONFLICT (key) DO UPDATE SET owner = excluded.owner,"
            " stage = excluded.stage, dialog = excluded.dialog,"
            " updated_at = excluded.updated_at, question = excluded.question",
            (*row, record.dialog.stage.value),
        )
        self._remember(row, record)
        if transcript:
            event = event_tag(event_id) if event_id is not None else None
            self._conn.executemany(
                "INSERT INTO transcript (key, at, author, text, reply, event)"
                " VALUES (?, ?, ?, ?, CAST(? AS TEXT), ?)",
                [
                    (
                        record.key,
                        _iso(e.at),
                        e.author,
                        e.text,
                        orjson.dumps(e.reply) if e.reply is not None else None,
                        event,
                    )
                    for e in transcript
                ],
            )

    @_failing_as_unavailable("reading")
    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        """The conversation's lines past `after`, oldest first, numbered from 1.

        With `last`, only the latest `last` of them are read out of the database.
        """
        # The row id orders lines; the line number is derived, so it never has gaps: the
        # count of the conversation's lines (from the index alone) numbers the newest, and
        # only the rows asked for are read, from the newest back. Numbering every row with
        # a window function read all of a long conversation's rows for its latest 200.
        (total,) = self._conn.execute(
            "SELECT count(*) FROM transcript WHERE key = ?", (key,)
        ).fetchone()
        wanted = total - max(after, 0)
        if last is not None:
            wanted = min(wanted, last)
        if wanted <= 0:
            return []
        rows = self._conn.execute(
            "SELECT at, author, text, reply, event FROM transcript WHERE key = ?"
            " ORDER BY id DESC LIMIT ?",
            (key, wanted),
        ).fetchall()
        rows.reverse()
        first = total - len(rows) + 1
        return [
            TranscriptEntry(
                at=dt.datetime.fromisoformat(at),
                author=cast(Author, author),
                text=text,
                reply=orjson.loads(reply) if reply else None,
                seq=seq,
                event=event,
            )
            for seq, (at, author, text, reply, event) in enumerate(rows, start=first)
        ]

    @_failing_as_unavailable("reading")
    async def latest_line(self, key: str, author: Author, prefix: str) -> TranscriptEntry | None:
        """The latest line by `author` beginning with `prefix`: the index read from the end."""
        row = self._conn.execute(
            "SELECT id, at, text, reply, event FROM transcript WHERE key = ? AND author = ?"
            " AND substr(text, 1, ?) = ? ORDER BY id DESC LIMIT 1",
            (key, author, len(prefix), prefix),
        ).fetchone()
        if row is None:
            return None
        row_id, at, text, reply, event = row
        (seq,) = self._conn.execute(
            "SELECT count(*) FROM transcript WHERE key = ? AND id <= ?", (key, row_id)
        ).fetchone()
        return TranscriptEntry(
            at=dt.datetime.fromisoformat(at),
            author=author,
            text=text,
            reply=orjson.loads(reply) if reply else None,
            seq=seq,
            event=event,
        )

    @_failing_as_unavailable("reading")
    async def find_grant(self, digest: str) -> LinkGrant | None:
        """The link grant stored under `digest`, or None."""
        row = self._conn.execute(
            "SELECT key, expires_at FROM link_grants WHERE digest = ?", (digest,)
        ).fetchone()
        if row is None:
            return None
        return LinkGrant(digest, row[0], dt.datetime.fromisoformat(row[1]))

    @_failing_as_unavailable("reading")
    async def list_records(
        self, *, owner: Owner | None = None, limit: int = 100
    ) -> list[ConversationRecord]:
        """The most recently updated conversations."""
        query = _SELECT_RECORDS
        params: tuple[object, ...] = ()
        if owner is not None:
            query += " WHERE owner = ?"
            params = (owner.value,)
        query += " ORDER BY updated_at DESC LIMIT ?"
        rows = self._conn.execute(query, (*params, limit)).fetchall()
        return [_record(row) for row in rows]

    @_failing_as_unavailable("reading")
    async def conversation_keys(self, channel: str) -> list[str]:
        """The keys of `channel`'s conversations."""
        rows = self._conn.execute("SELECT key FROM conversations WHERE channel = ?", (channel,))
        return [key for (key,) in rows.fetchall()]

    @_failing_as_unavailable("writing to")
    async def rename(self, renames: Mapping[str, str]) -> int:
        """Move conversations to new keys, all in one transaction (see the protocol)."""
        db = self._conn
        moved = 0
        await self._begin(join=False)
        try:
            for old, new in renames.items():
                exists = "SELECT EXISTS (SELECT 1 FROM conversations WHERE key = ?)"
                if old == new or db.execute(exists, (new,)).fetchone()[0]:
                    continue
                if not db.execute(
                    "UPDATE conversations SET key = ? WHERE key = ?", (new, old)
                ).rowcount:
                    continue
                db.execute("UPDATE transcript SET key = ? WHERE key = ?", (new, old))
                db.execute("UPDATE link_grants SET key = ? WHERE key = ?", (new, old))
                # The event ids `old:...`, found by the primary key's order (':' is followed
                # by ';'), keep what follows the old key.
                db.execute(
                    "UPDATE events SET event_id = ?1 || substr(event_id, ?2)"
                    " WHERE event_id >= ?3 AND event_id < ?4",
                    (f"{new}:", len(old) + 2, f"{old}:", f"{old};"),
                )
                self._records.pop(old, None)
                moved += 1
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        return moved

    @_failing_as_unavailable("reading")
    async def audit_counts(
        self, since: dt.datetime, until: dt.datetime
    ) -> dict[tuple[str, str], int]:
        """Audit events per (kind, detail) in [since, until)."""
        rows = self._conn.execute(
            "SELECT kind, detail, COUNT(*) FROM audit WHERE at >= ? AND at < ?"
            " GROUP BY kind, detail",
            (_iso(since), _iso(until)),
        ).fetchall()
        return {(kind, detail): count for kind, detail, count in rows}

    @_failing_as_unavailable("writing to")
    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        """Delete what has not been touched since `before`, transcripts and old event ids too.

        With `after`, only what was touched after it.
        """
        db = self._conn
        # UTC ISO text compares as the instants do; every such text is after ''.
        span = (_iso(before), _iso(after) if after is not None else "")
        await self._begin(join=False)
        try:
            db.execute(
                "DELETE FROM transcript WHERE key IN (SELECT key FROM conversations"
                " WHERE updated_at < ?1 AND updated_at > ?2)",
                span,
            )
            removed = db.execute(
                "DELETE FROM conversations WHERE updated_at < ?1 AND updated_at > ?2", span
            )
            db.execute("DELETE FROM events WHERE at < ?1 AND at > ?2", span)
            db.execute("DELETE FROM link_grants WHERE expires_at < ?1 AND expires_at > ?2", span)
            db.execute("COMMIT")
        except BaseException:
            db.execute("ROLLBACK")
            raise
        if removed.rowcount and self._path != ":memory:":
            await asyncio.to_thread(self._shrink)
        return removed.rowcount

    def _shrink(self) -> None:
        # Its own connection, off the event loop, as for checkpoints: the freed pages are
        # cut from the end of the file once the WAL is folded back in.
        with contextlib.closing(
            sqlite3.connect(_existing(self._path), isolation_level=None, uri=True)
        ) as db:
            db.execute("PRAGMA busy_timeout=5000")
            # `execute` steps it once, freeing one page; a script steps it to the end.
            db.executescript("PRAGMA incremental_vacuum;")
            db.execute("PRAGMA wal_checkpoint(TRUNCATE)")


def _tell(batch: list[asyncio.Future[None]], failure: str) -> None:
    """Fail every turn still waiting in `batch` with StoreUnavailableError(`failure`)."""
    for waiter in batch:
        if not waiter.done():
            waiter.set_exception(StoreUnavailableError(failure))


def _file_id(path: str) -> tuple[int, int]:
    found = os.stat(path)
    return found.st_dev, found.st_ino


def _existing(path: str) -> str:
    """An SQLite URI for `path` that opens it read-write and never creates it."""
    return f"file:{urllib.parse.quote(os.path.abspath(path))}?mode=rw"


def _add_missing_columns(db: sqlite3.Connection) -> None:
    for table, column, kind in _ADDED_COLUMNS:
        present = {row[1] for row in db.execute(f"PRAGMA table_info({table})")}
        if column not in present:
            # Added as NULL: an old conversation's question is unknown, its lines' events too.
            db.execute(f"ALTER TABLE {table} ADD COLUMN {column} {kind}")


def _refuse_a_wal_of_another_file(path: str) -> None:
    """StoreUnavailableError if the WAL left beside the file does not fit it.

    A backup copied over the file after the server was killed (or crashed), its -wal and
    -shm left beside it: SQLite reads the WAL's pages as the file's newest, written against
    the file replaced, and served a malformed database as ready; the first connection closed
    then checkpointed them into the restored file, damaging it for good. Looked at only when
    a WAL is there (a clean stop leaves none), read-only, so nothing is written: the copy
    stays as restored.
    """
    wal = Path(f"{path}-wal")
    if not wal.exists() or wal.stat().st_size == 0:
        return
    if _wal_in_use(path):
        # A live connection's WAL is its own: `mailmove stats` or a backup beside a serving
        # server paid a quick_check of the whole file each run (2.1-2.6 s on 50,000
        # conversations, 1.1 GB, from the page cache), where only a restart after a kill
        # or crash can meet a WAL of another file.
        return
    with contextlib.closing(
        sqlite3.connect(f"{_existing(path).removesuffix('?mode=rw')}?mode=ro", uri=True)
    ) as probe:
        try:
            found = str(probe.execute("PRAGMA quick_check(1)").fetchone()[0])
        except sqlite3.DatabaseError as err:
            found = str(err)
    if found == "ok":
        return
    found = " ".join(found.split())  # quick_check's lines, on the one line said
    raise StoreUnavailableError(
        f"{path}: the file and its WAL ({wal.name}) do not fit together ({found});"
        f" if a backup was copied over the file, delete {wal} and {path}-shm (they belong to the"
        " file it replaced) and start again; else restore the last backup (nothing was written)"
    )


def _wal_in_use(path: str) -> bool:
    """Whether a process has the database open, read from Linux's /proc/locks.

    Each SQLite connection in WAL mode holds a read lock on byte 128 of the -shm file (the
    wal-index's DMS lock) until it closes, and a killed process holds none. Read from the
    kernel's table rather than asked with fcntl: closing a file opened to ask would drop
    every POSIX lock this process holds on it, its own SQLite connections' too. Where the
    table cannot be read, or names the file otherwise (another kernel, a layered file
    system), False: the file is looked over as before.
    """
    try:
        shm = os.stat(f"{path}-shm")
        table = Path("/proc/locks").read_text(encoding="ascii", errors="replace")
    except OSError:
        return False
    inode = f"{os.major(shm.st_dev):02x}:{os.minor(shm.st_dev):02x}:{shm.st_ino}"
    for line in table.splitlines():
        # "5: POSIX  ADVISORY  READ 8041 fe:00:2402165 128 128"; a waiter's has "->" after
        # its number, and holds nothing yet.
        fields = line.split()
        if len(fields) != 8 or fields[1] != "POSIX" or fields[5] != inode:
            continue
        start, end = fields[6], fields[7]
        if (
            start.isdigit()
            and int(start) <= _SHM_DMS_BYTE
            and (end == "EOF" or (end.isdigit() and int(end) >= _SHM_DMS_BYTE))
        ):
            return True
    return False


def _private_file(path: Path) -> None:
    """Make `path` readable by its owner only (0600) in a folder only they enter (0700).

    Transcripts hold personal data. SQLite creates the WAL and shared-memory files with the
    database file's mode, so these three are the only permissions to set. What is not a
    SQLite database, or empty, is refused (StoreUnavailableError) as it is: a mistyped
    MAILMOVE_STORE made /dev/null, or /etc/passwd, readable by root alone before SQLite said
    it was no database, and every other user's program on the host failed on it.
    """
    folder = path.parent
    if not folder.exists():
        folder.mkdir(mode=0o700, parents=True)
    opened = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
    try:
        # The header read, not the size: a /proc file says it has none.
        if not stat.S_ISREG(os.fstat(opened).st_mode):
            raise StoreUnavailableError(f"{path}: not a regular file (left as it was)")
        if os.pread(opened, len(_HEADER), 0) not in (b"", _HEADER):
            raise StoreUnavailableError(f"{path}: file is not a database (left as it was)")
    finally:
        os.close(opened)
    for file in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
        if file.exists():
            file.chmod(0o600)


@functools.lru_cache(maxsize=256)
def _iso(moment: dt.datetime) -> str:
    # Stored as UTC text so that comparing strings compares instants. Remembered: a turn's
    # record, lines and audit events all carry the same instant.
    return moment.astimezone(dt.UTC).isoformat()


_clock_second: list[tuple[int, str]] = [(0, "")]


def _now_iso() -> str:
    """The current UTC second as ISO text: when an event id was handled (kept two days)."""
    second = int(time.time())
    last, text = _clock_second[0]
    if second != last:
        text = dt.datetime.fromtimestamp(second, dt.UTC).isoformat()
        _clock_second[0] = (second, text)
    return text


def _record(
    row: tuple[str, str, str, str | bytes, str, str, str | None], lines: int = 0
) -> ConversationRecord:
    key, channel, owner, dialog, created_at, updated_at, question = row
    try:
        state = DialogState.from_json(orjson.loads(dialog))
    except (orjson.JSONDecodeError, ValueError, TypeError):
        # A record written by an incompatible version restarts its dialog rather than failing.
        state = DialogState()
    return ConversationRecord(
        key=key,
        channel=channel,
        owner=Owner(owner),
        dialog=state,
        created_at=dt.datetime.fromisoformat(created_at),
        updated_at=dt.datetime.fromisoformat(updated_at),
        question=question,
        lines=lines,
    )
