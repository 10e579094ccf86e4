"""A SQLite file another process holds locked: waited for off the event loop, then 503.

An operator's `sqlite3` session left in a transaction (or any tool that takes the write lock,
a VACUUM of the file in place, a second server on the file) holds it. `BEGIN IMMEDIATE`
raised sqlite3's own error, which no layer turned into the store's, and every web chat
message was answered 500 (0dec30b). Then SQLite's 5 s busy wait slept on the event loop:
`/healthz` took 4.6 s while another process held the lock, and every conversation waited
behind the one locked turn. Now the store polls for the lock from the loop, up to its
`lock_wait`, and then the turn is the store unavailable (503 with Retry-After).
"""

from __future__ import annotations

import asyncio
import datetime as dt
import sqlite3
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import StoreUnavailableError
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import fixed_clock
from tests.bot.store.test_sqlite_store import always, turn


@pytest.fixture
async def held(tmp_path: Path) -> AsyncIterator[tuple[Path, sqlite3.Connection]]:
    """The store's file, and another connection holding its write lock."""
    path = tmp_path / "store.sqlite3"
    made = SQLiteStore(path)
    await made.open()
    await made.close()
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    yield path, other
    other.close()


async def test_a_write_lock_held_past_the_wait_is_the_store_unavailable(
    held: tuple[Path, sqlite3.Connection],
) -> None:
    path, other = held
    # Not the 5 s a server waits: the test needs the lock's outcome, not its wait.
    store = SQLiteStore(path, lock_wait=0.05)
    await store.open()
    try:
        locked = turn("test:c0", "x")
        with pytest.raises(StoreUnavailableError) as refused:
            await store.transact(locked.record.key, "e0", always(locked))
        other.execute("ROLLBACK")
        # The lock gone, the same event is taken: nothing of the refused turn was kept.
        assert await store.transact(locked.record.key, "e0", always(locked)) == locked
        assert await store.load("test:c0") is not None
    finally:
        await store.close()
    assert str(refused.value) == (
        f"writing a turn to {path} failed: database is locked"
        " (another process held the write lock for 0.05 s: a sqlite3 session in a"
        " transaction, a VACUUM or restore, a second server; end it and turns are taken again"
        " at once)"
    )


async def test_a_turn_waiting_for_the_lock_leaves_the_loop_to_other_requests(
    held: tuple[Path, sqlite3.Connection],
) -> None:
    path, other = held
    store = SQLiteStore(path)
    await store.open()
    try:
        locked = turn("test:c0", "x")
        waiting = asyncio.create_task(store.transact(locked.record.key, "e0", always(locked)))
        # The turn starts and meets the lock. SQLite's busy wait held the loop here until
        # it gave up (5 s), and the turn had failed before the ping below could run.
        await asyncio.sleep(0)
        await store.ping()
        assert await store.load("test:c0") is None
        assert not waiting.done()
        other.execute("ROLLBACK")
        assert await waiting == locked
        assert [line.text for line in await store.transcript("test:c0")] == ["x"]
    finally:
        await store.close()


async def test_expiry_waits_for_the_lock_off_the_loop_too(
    held: tuple[Path, sqlite3.Connection],
) -> None:
    path, other = held
    store = SQLiteStore(path)
    await store.open()
    try:
        expiring = asyncio.create_task(store.expire(dt.datetime.now(dt.UTC)))
        await asyncio.sleep(0)
        await store.ping()
        assert not expiring.done()
        other.execute("ROLLBACK")
        assert await expiring == 0
    finally:
        await store.close()


async def test_a_repeated_event_lets_the_write_lock_go(tmp_path: Path) -> None:
    """A turn that writes nothing took the lock all the same (it reads under it): let go."""
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    other = sqlite3.connect(path, isolation_level=None)
    try:
        first = turn("test:c0", "x")
        assert await store.transact(first.record.key, "e0", always(first)) == first
        assert await store.transact(first.record.key, "e0", always(first)) is None
        assert await store.transact("test:c1", "e1", lambda _: None) is None
        await asyncio.sleep(0)  # the empty batch's commit, scheduled with call_soon
        other.execute("PRAGMA busy_timeout=0")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
    finally:
        other.close()
        await store.close()


async def test_an_update_that_raises_lets_the_write_lock_go(tmp_path: Path) -> None:
    path = tmp_path / "store.sqlite3"
    store = SQLiteStore(path)
    await store.open()
    other = sqlite3.connect(path, isolation_level=None)

    def fails(_: object) -> None:
        raise LookupError("nothing planned")

    try:
        with pytest.raises(LookupError):
            await store.transact("test:c0", "e0", fails)
        await asyncio.sleep(0)
        other.execute("PRAGMA busy_timeout=0")
        other.execute("BEGIN IMMEDIATE")
        other.execute("ROLLBACK")
        assert await store.load("test:c0") is None
    finally:
        other.close()
        await store.close()


async def test_turns_waiting_for_the_lock_keep_their_order(
    held: tuple[Path, sqlite3.Connection],
) -> None:
    """A turn that comes once the lock is free does not overtake one that waited for it.

    Before the wait was off the loop nothing could come meanwhile; polling, the later turn
    took the lock the moment it was free and the conversation's lines were stored out of
    the order they were said.
    """
    path, other = held
    store = SQLiteStore(path)
    await store.open()
    try:
        first = asyncio.create_task(store.transact("test:c0", "e1", always(turn("test:c0", "1"))))
        await asyncio.sleep(0)  # it meets the lock, and waits for it
        other.execute("ROLLBACK")
        second = asyncio.create_task(store.transact("test:c0", "e2", always(turn("test:c0", "2"))))
        await asyncio.gather(first, second)
        assert [line.text for line in await store.transcript("test:c0")] == ["1", "2"]
    finally:
        await store.close()


async def test_a_file_locked_at_start_up_is_refused_with_what_to_do(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A file not yet in WAL mode (a first start on a copied file, a restore under way) that
    # another connection holds: start-up said "database is locked" and nothing else, and the
    # operator was left to guess what held it and whether to restore.
    path = tmp_path / "store.sqlite3"
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("CREATE TABLE taken (n)")
    other.execute("BEGIN EXCLUSIVE")
    monkeypatch.setattr("bot.store.sqlite_store.OPEN_WAIT", 0.05)
    try:
        with pytest.raises(StoreUnavailableError) as refused:
            await SQLiteStore(path).open()
    finally:
        other.close()
    assert str(refused.value) == (
        f"{path}: database is locked: another process held a lock on it for 0.05 s (a sqlite3"
        " session in a transaction, a restore or VACUUM under way); end it, then start"
        " mailmove again"
    )


async def test_readyz_stays_ready_while_another_process_holds_the_write_lock(
    held: tuple[Path, sqlite3.Connection],
) -> None:
    """Ready: only the turns wait, and the server says what holds them; not the whole replica.

    A SQLite store is one replica (one file, one process). Taken out of the Service, the
    ingress would answer its own 503 to everything: the chat page, the transcripts and the
    login-check page, which the held lock does not stop (WAL readers do not wait for it),
    and it would come back only a probe period after the lock went. Ready, the turns get
    mailmove's own 503 with Retry-After (platforms and the page send them again), the
    warning says which process to end, and MailmoveStoreErrors pages. A full disk is
    different (test_sqlite_disk_full): nothing anyone ends frees it.
    """
    path, other = held
    app = build_app(
        Settings(store_url=f"sqlite:///{path}"),
        clock=fixed_clock(),
        store=SQLiteStore(path, lock_wait=0.05),
    )
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        other.execute("ROLLBACK")
        created = await client.post("/api/webchat/conversations", json={})
        messages = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
        other.execute("BEGIN IMMEDIATE")
        sent = await client.post(messages, json={"text": "はい"})
        ready = await client.get("/readyz")
        read = await client.get(messages)
        page = await client.get("/")
        other.execute("ROLLBACK")
        again = await client.post(messages, json={"text": "はい"})

    assert (sent.status_code, sent.headers["Retry-After"]) == (503, "2")
    assert (ready.status_code, ready.json()) == (200, {"status": "ready"})
    assert (read.status_code, page.status_code, again.status_code) == (200, 200, 200)
