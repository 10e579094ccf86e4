"""A conversation's lock on Redis never stalls the platform's retry (issue 15, finding 21).

A replica killed with SIGKILL in the middle of a turn leaves the conversation's lock behind,
and Redis restarted from its append-only file brings such a lock back. Either way, the
retry that the platform sends is answered within a second. The dying replica is a real
process running a real turn on a real redis-server, killed while its turn is under way.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Final

import pytest

from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.redis_store import RedisStore
from dialogs.state import DialogState
from testbed.redis_server import RedisServer, running_redis

KEY: Final = "webchat:c1"
EVENT: Final = "e1"
T0: Final = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)
# A replica whose turn stalls inside the dialog step, holding the lock, until it is killed.
STALLED_REPLICA: Final = """
import asyncio, sys, time
from bot.store.redis_store import RedisStore

async def main() -> None:
    store = RedisStore.from_url(sys.argv[1])
    await store.open()

    def stall(_):
        print("locked", flush=True)
        time.sleep(120)

    await store.transact(sys.argv[2], sys.argv[3], stall)

asyncio.run(main())
"""
ROOT: Final = Path(__file__).resolve().parents[2]


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    # Fsynced on every write, so a restart brings back every lock that was taken.
    with running_redis(persistent=True) as server:
        yield server


@pytest.fixture
async def store(redis_server: RedisServer) -> AsyncIterator[RedisStore]:
    chosen = RedisStore.from_url(f"{redis_server.url}?prefix=drill:")
    await chosen.open()
    yield chosen
    await chosen.close()


def first_turn(_: ConversationRecord | None) -> Change[None]:
    record = ConversationRecord(KEY, "webchat", Owner.BOT, DialogState(), T0, T0)
    return Change(record, [TranscriptEntry(T0, "subscriber", "retried")], None)


def kill_mid_turn(url: str) -> float:
    """Run a replica process into the middle of a turn of KEY, then SIGKILL it.

    Returns when (monotonic) the replica was known to hold the lock.
    """
    replica = subprocess.Popen(  # noqa: S603 - our own interpreter and code
        [sys.executable, "-c", STALLED_REPLICA, url, KEY, EVENT],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert replica.stdout is not None
        assert replica.stdout.readline() == "locked\n", "the replica never began its turn"
        return time.monotonic()
    finally:
        replica.kill()
        replica.wait(timeout=10)


async def test_a_retry_after_a_replica_died_mid_turn_is_answered_within_a_second(
    redis_server: RedisServer, store: RedisStore
) -> None:
    locked = await asyncio.to_thread(kill_mid_turn, f"{redis_server.url}?prefix=drill:")
    assert await store.client.exists(f"drill:lock:{KEY}") == 1  # the dead replica's lock

    assert await store.transact(KEY, EVENT, first_turn) is not None

    # Counted from when the lock was taken: a retry sent the moment the replica died.
    assert time.monotonic() - locked < 1.0
    assert [line.text for line in await store.transcript(KEY)] == ["retried"]


async def test_a_lock_restored_from_the_append_only_file_stalls_no_retry(
    redis_server: RedisServer, store: RedisStore
) -> None:
    await asyncio.to_thread(kill_mid_turn, f"{redis_server.url}?prefix=drill:")
    redis_server.stop()
    log = b"".join(path.read_bytes() for path in redis_server.folder.rglob("*.aof"))
    assert f"drill:lock:{KEY}".encode() in log  # written to the AOF: a restart replays it
    redis_server.start()
    restarted = time.monotonic()

    assert await store.transact(KEY, EVENT, first_turn) is not None

    assert time.monotonic() - restarted < 1.0
    assert [line.text for line in await store.transcript(KEY)] == ["retried"]
