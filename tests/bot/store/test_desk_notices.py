"""Pending desk notices live in the store, so a restarted server or another replica tries them.

The same behaviour from SQLite and Redis: kept, listed when overdue, claimed by one caller
only (two replicas reading the same notice: one gets it), dropped; one that cannot be read
is dropped rather than stop the others being listed.
"""

from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import datetime as dt
import logging
import sqlite3
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import orjson
import pytest

from bot.store.conversation_store import ConversationStore
from bot.store.desk_notices import DeskNotice, RedisDeskNotices, desk_notices_for
from bot.store.observed_store import ObservedStore
from bot.store.redis_store import RedisStore
from bot.store.sqlite_store import SQLiteStore
from testbed.redis_server import RedisServer, running_redis
from tests.bot.store.test_redis_store import redis_url

T0 = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)
NOTICE = DeskNotice(
    key="webchat:abc",
    desk="slack_desk",
    since=T0,
    attempt=0,
    due=T0 + dt.timedelta(seconds=30),
)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture(params=["sqlite", "redis"])
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer
) -> AsyncIterator[ConversationStore]:
    chosen: ConversationStore = (
        SQLiteStore(tmp_path / "store.sqlite3")
        if request.param == "sqlite"
        else RedisStore.from_url(redis_url(redis_server))
    )
    await chosen.open()
    yield ObservedStore(chosen, lambda _: None)
    await chosen.close()


async def test_a_notice_outlives_the_process_that_kept_it(store: ConversationStore) -> None:
    await desk_notices_for(store).keep(NOTICE)
    # A new process (a restart, another replica) reads the same store.
    later = desk_notices_for(store)
    assert await later.overdue(NOTICE.due) == []
    assert await later.overdue(NOTICE.due + dt.timedelta(seconds=1)) == [NOTICE]
    await later.drop(NOTICE.key, NOTICE.desk)
    assert await later.overdue(T0 + dt.timedelta(days=1)) == []


async def test_one_claimant_gets_a_notice(store: ConversationStore) -> None:
    notices = desk_notices_for(store)
    await notices.keep(NOTICE)
    until = T0 + dt.timedelta(minutes=2)
    first, second = await asyncio.gather(
        notices.claim(NOTICE, until), desk_notices_for(store).claim(NOTICE, until)
    )
    claimed = [c for c in (first, second) if c is not None]
    assert claimed == [dataclasses.replace(NOTICE, due=until)]
    # Claimed, it is not overdue until its lease ends, and an old read claims nothing.
    assert await notices.overdue(until) == []
    assert await notices.claim(NOTICE, until) is None
    nxt = dataclasses.replace(NOTICE, attempt=1, due=T0 + dt.timedelta(minutes=3))
    await notices.keep(nxt)
    assert await notices.overdue(T0 + dt.timedelta(minutes=4)) == [nxt]


async def test_redis_notices_expire(redis_server: RedisServer) -> None:
    store = RedisStore.from_url(redis_url(redis_server))
    await store.open()
    try:
        notices = desk_notices_for(store)
        assert isinstance(notices, RedisDeskNotices)
        await notices.keep(NOTICE)
        keys = await store.client.keys(f"{store.prefix}desk_notices:*")
        assert len(keys) == 2
        assert [await store.client.pttl(k) > 0 for k in keys] == [True, True]
    finally:
        await store.close()


async def test_an_in_memory_sqlite_store_keeps_its_notices() -> None:
    # `sqlite://:memory:` (the terminal chat): each new connection to it is another, empty
    # database, so the notices cannot live in a table beside the conversations.
    store = SQLiteStore(":memory:")
    await store.open()
    try:
        notices = desk_notices_for(store)
        await notices.keep(NOTICE)
        assert await notices.overdue(NOTICE.due + dt.timedelta(seconds=1)) == [NOTICE]
    finally:
        await store.close()


async def _damage(store: ConversationStore, notice: DeskNotice) -> None:
    """Give `notice` a body of another shape, as another version or a damaged write would."""
    inner = store.inner if isinstance(store, ObservedStore) else store
    body = orjson.dumps({"key": notice.key, "due": "tomorrow"})
    if isinstance(inner, SQLiteStore):
        with contextlib.closing(sqlite3.connect(inner.path)) as db, db:
            db.execute("UPDATE desk_notices SET body = ? WHERE key = ?", (body, notice.key))
    else:
        assert isinstance(inner, RedisStore)
        field = f"{notice.desk} {notice.key}"
        await inner.client.hset(f"{inner.prefix}desk_notices:body", field, body)


async def test_a_notice_that_cannot_be_read_is_dropped_not_listed(
    store: ConversationStore, caplog: pytest.LogCaptureFixture
) -> None:
    # Raised out of `overdue`, it failed every sweep, and no notice behind it was tried.
    notices = desk_notices_for(store)
    damaged = dataclasses.replace(NOTICE, key="webchat:old", due=T0)
    await notices.keep(damaged)
    await notices.keep(NOTICE)
    await _damage(store, damaged)
    later = NOTICE.due + dt.timedelta(seconds=1)
    with caplog.at_level(logging.ERROR, logger="bot.store"):
        assert await notices.overdue(later) == [NOTICE]
        assert await notices.overdue(later) == [NOTICE]  # dropped: said once
    assert [r.getMessage() for r in caplog.records] == [
        "Desk notice of webchat:old for slack_desk cannot be read (KeyError: 'desk'): dropped"
    ]


async def test_a_notice_moves_with_its_conversation_and_only_it(store: ConversationStore) -> None:
    notices = desk_notices_for(store)
    other = dataclasses.replace(NOTICE, key="webchat:other")
    await notices.keep(NOTICE)
    await notices.keep(other)
    assert await notices.move({NOTICE.key: "webchat:new", "webchat:none": "webchat:x"}) == 1
    listed = await notices.overdue(T0 + dt.timedelta(days=1))
    assert sorted(listed, key=lambda n: n.key) == [
        dataclasses.replace(NOTICE, key="webchat:new"),
        other,
    ]


class _ClaimedWhileMoving(RedisDeskNotices):
    """Another replica's sweep claims each notice between this one's read and its move."""

    async def _move_one(self, field: str, body: bytes | str | None, new_key: str) -> int:
        assert body is not None
        read = DeskNotice(**{**orjson.loads(body), "since": T0, "due": NOTICE.due})
        assert await RedisDeskNotices.claim(self, read, T0 + dt.timedelta(minutes=5))
        return await super()._move_one(field, body, new_key)


async def test_a_notice_claimed_while_it_moves_moves_as_claimed(
    redis_server: RedisServer,
) -> None:
    # The move sets the notice under its new key only if it is still as read: a claim made
    # meanwhile (its `due` moved on) is read again and moved as claimed, not overwritten
    # with the `due` read before it, which would let a second replica try it at once.
    redis = RedisStore.from_url(redis_url(redis_server))
    await redis.open()
    try:
        notices = _ClaimedWhileMoving(redis)
        await notices.keep(NOTICE)
        assert await notices.move({NOTICE.key: "webchat:new"}) == 1
        (moved,) = await notices.overdue(T0 + dt.timedelta(days=1))
        assert moved == dataclasses.replace(
            NOTICE, key="webchat:new", due=T0 + dt.timedelta(minutes=5)
        )
    finally:
        await redis.close()
