"""Desks still to be shown a message left for them, kept in the store so any replica tries.

A desk that could not be shown a message left (Slack or Chatwoot answering 5xx, the
webhook unreachable) is tried again after a while (`bot.desk.handoff`). Kept in the process
alone, that retry died with it: a restart or a replica taken away meant the agents there
never heard. So each pending notice is a row (SQLite, beside the conversations) or a hash
field (Redis, under the store's prefix): which conversation, which desk, which message (when
it was left), how many tries are behind it and when the next is due.

Two replicas must not both try one notice: `claim` moves a notice's `due` forward only if
it is still the one the caller read (compare and set), so exactly one of them gets it.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import sqlite3
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final, Protocol

import orjson
import redis.asyncio as aioredis

from bot.store.conversation_store import ConversationStore, StoreUnavailableError
from bot.store.observed_store import ObservedStore
from bot.store.redis_acl import remember
from bot.store.redis_outage import said
from bot.store.redis_rate_limit import REDIS_FAILURES
from bot.store.redis_store import RedisStore
from bot.store.sqlite_store import SQLiteStore

# A notice waits minutes, not days: one left after that is of no use to anyone (the
# subscriber's message is in the console's queue all along), and Redis keys need a TTL.
NOTICE_LIFETIME: Final = dt.timedelta(days=1)
_LOGGER: Final = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class DeskNotice:
    """Desk `desk` has still to be shown the message left in `key` at `since`.

    `attempt`: how many retries are behind it (0 after the first failure); `due`: when the
    next may be made.
    """

    key: str
    desk: str
    since: dt.datetime
    attempt: int
    due: dt.datetime


class DeskNotices(Protocol):
    """Where pending desk notices are kept."""

    async def keep(self, notice: DeskNotice) -> None:
        """Store `notice`, replacing the one for the same conversation and desk."""

    async def claim(self, notice: DeskNotice, until: dt.datetime) -> DeskNotice | None:
        """Take `notice` to try it: its `due` becomes `until` if it is still as read; else None."""

    async def overdue(self, before: dt.datetime, limit: int = 100) -> list[DeskNotice]:
        """Notices whose `due` is before `before` (nobody tried them when due), oldest first."""

    async def drop(self, key: str, desk: str) -> None:
        """Forget the notice of `key` for `desk` (told, given up, or no longer waiting)."""

    async def move(self, renames: Mapping[str, str]) -> int:
        """Put the notices of each conversation `old` under its new key; how many moved.

        With the conversations (`ConversationStore.rename`): left under the old key, a
        notice's retry found no conversation there and dropped it as dealt with.
        """


def _encode(notice: DeskNotice) -> bytes:
    return orjson.dumps(
        {
            "key": notice.key,
            "desk": notice.desk,
            "since": notice.since.isoformat(),
            "attempt": notice.attempt,
            "due": notice.due.isoformat(),
        }
    )


def _decode(raw: bytes | str) -> DeskNotice:
    data = orjson.loads(raw)
    return DeskNotice(
        key=str(data["key"]),
        desk=str(data["desk"]),
        since=dt.datetime.fromisoformat(data["since"]),
        attempt=int(data["attempt"]),
        due=dt.datetime.fromisoformat(data["due"]),
    )


class MemoryDeskNotices:
    """In the process, for a store that is neither SQLite nor Redis (a test's own)."""

    def __init__(self) -> None:
        self._notices: dict[tuple[str, str], DeskNotice] = {}

    async def keep(self, notice: DeskNotice) -> None:
        """Store `notice`."""
        self._notices[notice.key, notice.desk] = notice

    async def claim(self, notice: DeskNotice, until: dt.datetime) -> DeskNotice | None:
        """Take `notice` if it is still as read."""
        if self._notices.get((notice.key, notice.desk)) != notice:
            return None
        claimed = dataclasses.replace(notice, due=until)
        self._notices[notice.key, notice.desk] = claimed
        return claimed

    async def overdue(self, before: dt.datetime, limit: int = 100) -> list[DeskNotice]:
        """Notices due before `before`."""
        due = sorted((n for n in self._notices.values() if n.due < before), key=lambda n: n.due)
        return due[:limit]

    async def drop(self, key: str, desk: str) -> None:
        """Forget the notice."""
        self._notices.pop((key, desk), None)

    async def move(self, renames: Mapping[str, str]) -> int:
        """Put the notices of the moved conversations under their new keys."""
        moving = [n for n in self._notices.values() if renames.get(n.key, n.key) != n.key]
        for notice in moving:
            del self._notices[notice.key, notice.desk]
            moved = dataclasses.replace(notice, key=renames[notice.key])
            self._notices[moved.key, moved.desk] = moved
        return len(moving)


# The store's own notices; another kind of pending work (an agent's message not yet known
# sent, `bot.desk.agent_messages`) is kept the same way under a name of its own.
DESK_NOTICES: Final = "desk_notices"
AGENT_OUTBOX: Final = "agent_outbox"
# Every kind of pending work kept by conversation key: what moves when keys are renamed.
PENDING_WORK: Final = (DESK_NOTICES, AGENT_OUTBOX)


def _schema(table: str) -> str:
    return f"""
CREATE TABLE IF NOT EXISTS {table} (
    key TEXT NOT NULL,
    desk TEXT NOT NULL,
    body BLOB NOT NULL,
    due TEXT NOT NULL,
    PRIMARY KEY (key, desk)
)
"""


class SQLiteDeskNotices:
    """A table in the conversations' SQLite file, through a connection of its own.

    Notices are rare (a desk down) and each call is one short statement, so a connection
    per call in a worker thread keeps the store's own connection and batching untouched.
    """

    def __init__(self, path: str, table: str = DESK_NOTICES) -> None:
        # Put into the SQL as it is (a table cannot be a parameter): a plain word only, and
        # ours, never a request's (the `noqa: S608` below rest on this).
        if not table.isidentifier():
            raise ValueError(f"a table name is a plain word, not {table!r}")
        self._path = path
        self._table = table
        self._created = False

    def _run(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        with contextlib.closing(sqlite3.connect(self._path, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=5000")
            if not self._created:
                db.execute(_schema(self._table))
                self._created = True
            return list(db.execute(sql, args))

    async def _call(self, sql: str, args: tuple[object, ...] = ()) -> list[tuple[Any, ...]]:
        try:
            return await asyncio.to_thread(self._run, sql, args)
        except sqlite3.Error as err:
            raise StoreUnavailableError(f"SQLite failed: {err}") from err

    async def keep(self, notice: DeskNotice) -> None:
        """Store `notice`."""
        await self._call(
            f"INSERT OR REPLACE INTO {self._table} (key, desk, body, due) VALUES (?, ?, ?, ?)",  # noqa: S608
            (notice.key, notice.desk, _encode(notice), _utc(notice.due)),
        )

    async def claim(self, notice: DeskNotice, until: dt.datetime) -> DeskNotice | None:
        """Take `notice` if it is still as read (one statement: atomic between processes)."""
        claimed = dataclasses.replace(notice, due=until)
        rows = await self._call(
            f"UPDATE {self._table} SET body = ?, due = ? WHERE key = ? AND desk = ? AND body = ? "  # noqa: S608
            "RETURNING key",
            (_encode(claimed), _utc(until), notice.key, notice.desk, _encode(notice)),
        )
        return claimed if rows else None

    async def overdue(self, before: dt.datetime, limit: int = 100) -> list[DeskNotice]:
        """Notices due before `before`."""
        rows = await self._call(
            f"SELECT key, desk, body FROM {self._table} WHERE due < ? ORDER BY due LIMIT ?",  # noqa: S608
            (_utc(before), limit),
        )
        return await _readable(self, [(str(key), str(desk), body) for key, desk, body in rows])

    async def drop(self, key: str, desk: str) -> None:
        """Forget the notice."""
        await self._call(f"DELETE FROM {self._table} WHERE key = ? AND desk = ?", (key, desk))  # noqa: S608

    async def move(self, renames: Mapping[str, str]) -> int:
        """Put the notices of the moved conversations under their new keys, in one transaction."""
        asked = {old: new for old, new in renames.items() if old != new}
        if not asked:
            return 0
        try:
            return await asyncio.to_thread(self._move, asked)
        except sqlite3.Error as err:
            raise StoreUnavailableError(f"SQLite failed: {err}") from err

    def _move(self, renames: Mapping[str, str]) -> int:
        with contextlib.closing(sqlite3.connect(self._path, isolation_level=None)) as db:
            db.execute("PRAGMA busy_timeout=5000")
            db.execute(_schema(self._table))
            # The notices are few (a desk down): read them all rather than ask per key (a
            # start-up moves thousands of conversations).
            db.execute("BEGIN IMMEDIATE")
            try:
                rows = db.execute(f"SELECT key, desk, body FROM {self._table}").fetchall()  # noqa: S608
                moved = 0
                for key, desk, body in rows:
                    if key not in renames:
                        continue
                    try:
                        notice = dataclasses.replace(_decode(body), key=renames[key])
                    except (ValueError, KeyError, TypeError):
                        continue  # `overdue` drops it and says so
                    db.execute(f"DELETE FROM {self._table} WHERE key = ? AND desk = ?", (key, desk))  # noqa: S608
                    db.execute(
                        f"INSERT OR REPLACE INTO {self._table} (key, desk, body, due)"  # noqa: S608
                        " VALUES (?, ?, ?, ?)",
                        (notice.key, notice.desk, _encode(notice), _utc(notice.due)),
                    )
                    moved += 1
                db.execute("COMMIT")
            except BaseException:
                db.execute("ROLLBACK")
                raise
        return moved


# Compare and set in one step: the field still holds what the caller read.
_CLAIM: Final = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HSET', KEYS[1], ARGV[1], ARGV[3])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('PEXPIRE', KEYS[1], ARGV[5])
redis.call('PEXPIRE', KEYS[2], ARGV[5])
return 1
"""


# Move one notice if it is still as read (a replica may claim it meanwhile): the old field's
# body and due time go, the new field's come. KEYS: bodies, due times. ARGV: old field, body
# read, new field, new body, due time (score), lifetime in ms.
_MOVE: Final = """
if redis.call('HGET', KEYS[1], ARGV[1]) ~= ARGV[2] then return 0 end
redis.call('HDEL', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[2], ARGV[1])
redis.call('HSET', KEYS[1], ARGV[3], ARGV[4])
redis.call('ZADD', KEYS[2], ARGV[5], ARGV[3])
redis.call('PEXPIRE', KEYS[1], ARGV[6])
redis.call('PEXPIRE', KEYS[2], ARGV[6])
return 1
"""
# Known by their SHA-1, so that an ACL refusal met in one names its command (`redis_acl`).
for _script in (_CLAIM, _MOVE):
    remember(_script)
# A notice claimed between its read and its move is read again, this many times at most.
_MOVE_TRIES: Final = 3


class RedisDeskNotices:
    """A hash of notices and a sorted set of their due times, under the store's prefix."""

    def __init__(self, store: RedisStore, name: str = DESK_NOTICES) -> None:
        # The store's client is read at each call: closed and opened again, it is a new one.
        self._store = store
        self._bodies = f"{store.prefix}{name}:body"
        self._due = f"{store.prefix}{name}:due"
        self._lifetime_ms = int(NOTICE_LIFETIME.total_seconds() * 1000)

    @property
    def _client(self) -> aioredis.Redis:
        return self._store.client

    async def keep(self, notice: DeskNotice) -> None:
        """Store `notice`."""
        field = _field(notice.key, notice.desk)
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.hset(self._bodies, field, _encode(notice))
                pipe.zadd(self._due, {field: notice.due.timestamp()})
                pipe.pexpire(self._bodies, self._lifetime_ms)
                pipe.pexpire(self._due, self._lifetime_ms)
                await pipe.execute()
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err

    async def claim(self, notice: DeskNotice, until: dt.datetime) -> DeskNotice | None:
        """Take `notice` if it is still as read."""
        claimed = dataclasses.replace(notice, due=until)
        field = _field(notice.key, notice.desk)
        try:
            done = await self._client.eval(
                _CLAIM,
                2,
                self._bodies,
                self._due,
                field,
                _encode(notice),
                _encode(claimed),
                until.timestamp(),
                self._lifetime_ms,
            )
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        return claimed if done else None

    async def overdue(self, before: dt.datetime, limit: int = 100) -> list[DeskNotice]:
        """Notices due before `before`."""
        try:
            fields = [
                field.decode() if isinstance(field, bytes) else str(field)
                for field in await self._client.zrangebyscore(
                    self._due, "-inf", f"({before.timestamp()}", start=0, num=limit
                )
            ]
            if not fields:
                return []
            bodies = await self._client.hmget(self._bodies, fields)
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        rows: list[tuple[str, str, bytes | str]] = []
        for field, body in zip(fields, bodies, strict=True):
            if body is not None:
                desk, _, key = field.partition(" ")  # as `_field` joins them
                rows.append((key, desk, body))
        return await _readable(self, rows)

    async def drop(self, key: str, desk: str) -> None:
        """Forget the notice."""
        field = _field(key, desk)
        try:
            async with self._client.pipeline(transaction=True) as pipe:
                pipe.hdel(self._bodies, field)
                pipe.zrem(self._due, field)
                await pipe.execute()
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err

    async def move(self, renames: Mapping[str, str]) -> int:
        """Put the notices of the moved conversations under their new keys, each atomically."""
        asked = {old: new for old, new in renames.items() if old != new}
        if not asked:
            return 0
        moved = 0
        try:
            # The notices are few (a desk down): one read of them all, not one per key.
            for field, body in (await self._client.hgetall(self._bodies)).items():
                name = field.decode() if isinstance(field, bytes) else str(field)
                key = name.partition(" ")[2]  # as `_field` joins them
                if key in asked:
                    moved += await self._move_one(name, body, asked[key])
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        return moved

    async def _move_one(self, field: str, body: bytes | str | None, new_key: str) -> int:
        for _ in range(_MOVE_TRIES):
            if body is None:
                return 0  # dropped meanwhile (told, given up)
            try:
                notice = dataclasses.replace(_decode(body), key=new_key)
            except (ValueError, KeyError, TypeError):
                return 0  # `overdue` drops it and says so
            done = await self._client.eval(
                _MOVE,
                2,
                self._bodies,
                self._due,
                field,
                body,
                _field(notice.key, notice.desk),
                _encode(notice),
                notice.due.timestamp(),
                self._lifetime_ms,
            )
            if done:
                return 1
            body = await self._client.hget(self._bodies, field)
        _LOGGER.warning("Desk notice %s not moved to %s: claimed again each time", field, new_key)
        return 0


async def _readable(
    notices: DeskNotices, rows: list[tuple[str, str, bytes | str]]
) -> list[DeskNotice]:
    """The notices of `rows` (key, desk, body); one that cannot be read is dropped, and said.

    A body of another shape (written by another version, or damaged) raised out of
    `overdue`: every sweep then failed on it, and no notice behind it was ever tried again.
    """
    readable: list[DeskNotice] = []
    for key, desk, body in rows:
        try:
            readable.append(_decode(body))
        except (ValueError, KeyError, TypeError) as err:
            _LOGGER.error(
                "Desk notice of %s for %s cannot be read (%s: %s): dropped",
                key,
                desk,
                type(err).__name__,
                err,
            )
            await notices.drop(key, desk)
    return readable


def desk_notices_for(store: ConversationStore, name: str = DESK_NOTICES) -> DeskNotices:
    """Where `store` keeps desk notices: beside its conversations, so every replica sees them.

    `name`: the table (SQLite) or the keys' name (Redis) of one kind of pending work.
    """
    inner = store.inner if isinstance(store, ObservedStore) else store
    if isinstance(inner, SQLiteStore) and inner.path != ":memory:":
        # An in-memory database is private to its connection: another would be empty.
        return SQLiteDeskNotices(inner.path, name)
    if isinstance(inner, RedisStore):
        return RedisDeskNotices(inner, name)
    return MemoryDeskNotices()


async def move_pending_work(store: ConversationStore, renames: Mapping[str, str]) -> int:
    """Move every kind of pending work (`PENDING_WORK`) of each conversation `old` to its new key.

    With the conversations (`ConversationStore.rename`): an agent's message left pending
    under the old key was found by no conversation at the next start, and dropped unmarked,
    so the agent never learnt that it may not have arrived.
    """
    moved = 0
    for name in PENDING_WORK:
        moved += await desk_notices_for(store, name).move(renames)
    return moved


def _field(key: str, desk: str) -> str:
    # A desk's name is a plain word (`slack_desk`, `chatwoot`, `webhook`): the key's end.
    return f"{desk} {key}"


def _utc(moment: dt.datetime) -> str:
    # Compared as text in SQL: one zone and one format, so the order is the time order.
    return moment.astimezone(dt.UTC).strftime("%Y-%m-%dT%H:%M:%S.%f")
