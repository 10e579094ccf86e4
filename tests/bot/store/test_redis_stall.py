"""A Redis that takes connections and never answers: one socket timeout, then 503 at once.

Stopped with SIGSTOP (as a stalled host, or a disk that holds its fsync, leaves it), Redis
cost every call its socket timeout (2 s) and every call's resend one more: about 4 s in
the per-client limiter and 4 s in the store per web chat message, the turns of one
conversation queued behind each other, and the gate's ping as long again for every write
once the store was known down. Now a timeout is not sent again, and once one call has met
it the store, its limiters and its ping fail at once (`bot.store.redis_outage`) until a
probe, one per PROBE_EVERY, finds Redis answering.
"""

from __future__ import annotations

import asyncio
import os
import signal
from collections.abc import AsyncIterator, Iterator

import pytest

from bot.store.conversation_store import StoreUnavailableError
from bot.store.redis_outage import PROBE_EVERY
from bot.store.redis_store import RedisStore
from testbed.redis_server import RedisServer, running_redis
from tests.bot.store.test_sqlite_store import always, turn


class Ticks:
    """The outage's clock, moved by hand: the probe's turn comes when the test says."""

    def __init__(self) -> None:
        self.now = 1_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with running_redis() as started:
        yield started


@pytest.fixture
async def store(server: RedisServer, ticks: Ticks) -> AsyncIterator[RedisStore]:
    # A short socket timeout: the test waits it out once, not the 2 s a replica does.
    made = RedisStore(f"{server.url}?socket_timeout=0.2", prefix="stall:", clock=ticks)
    await made.open()
    yield made
    await made.close()


@pytest.fixture
def ticks() -> Ticks:
    return Ticks()


def _stopped(server: RedisServer) -> _Stop:
    if server.process is None:
        raise RuntimeError("redis-server is not running")
    return _Stop(server.process.pid)


class _Stop:
    """SIGSTOP for the block's length (SIGCONT after, whatever happens)."""

    def __init__(self, pid: int) -> None:
        self._pid = pid

    def __enter__(self) -> None:
        os.kill(self._pid, signal.SIGSTOP)

    def __exit__(self, *_: object) -> None:
        os.kill(self._pid, signal.SIGCONT)


async def test_turns_queued_behind_a_stall_fail_at_once(
    server: RedisServer, store: RedisStore, ticks: Ticks
) -> None:
    first = turn("test:stall", "before")
    assert await store.transact("test:stall", "e0", always(first)) == first
    limiter = store.rate_limiter(5, 60.0)
    with _stopped(server):
        # Three turns of one conversation at once: the first waits out the socket timeout,
        # the two queued behind it then fail without waiting out theirs.
        failures = await asyncio.gather(
            *(
                store.transact("test:stall", f"e{n}", always(turn("test:stall", str(n))))
                for n in (1, 2, 3)
            ),
            return_exceptions=True,
        )
        with pytest.raises(StoreUnavailableError, match=r"not asked again for 1 s") as limited:
            await limiter.acquire(["client:x"])
        with pytest.raises(StoreUnavailableError, match=r"not asked again for 1 s"):
            await store.ping()
    said = [str(failure) for failure in failures]
    assert all(isinstance(failure, StoreUnavailableError) for failure in failures), said
    assert "not asked again" not in said[0]
    assert all(text.startswith("a turn: Redis failed: ") for text in said[1:]), said
    assert all(text.endswith("(not asked again for 1 s)") for text in said[1:]), said
    assert "rate limiter" in str(limited.value)
    # Back: a probe, once its turn comes, finds it answering, and every call goes again.
    ticks.now += PROBE_EVERY
    await store.ping()
    assert not store.outage.known_down
    assert await limiter.acquire(["client:x"]) == 0
    again = turn("test:stall", "after")
    assert await store.transact("test:stall", "e4", always(again)) == again


async def test_a_read_refused_in_a_stall_says_redis_once(
    server: RedisServer, store: RedisStore
) -> None:
    """The log line quotes it: 'Not ready: … Redis: Redis failed: …' said Redis twice."""
    with _stopped(server):
        with pytest.raises(StoreUnavailableError):
            await store.load("test:stall")
        with pytest.raises(StoreUnavailableError) as refused:
            await store.ping()
    assert str(refused.value).startswith("Redis failed: Timeout reading from ")
    assert str(refused.value).endswith(" (not asked again for 1 s)")


async def test_one_call_probes_a_stalled_redis_and_the_others_still_fail_at_once(
    server: RedisServer, store: RedisStore, ticks: Ticks
) -> None:
    """PROBE_EVERY after the failure, one call goes to Redis, not every call until it fails.

    Every call let through while the probe waited out its socket timeout waited it out too:
    in a stall, a second of fast 503s, then the timeout's worth of requests each waiting it.
    """
    with _stopped(server):
        with pytest.raises(StoreUnavailableError):
            await store.load("test:stall")
        ticks.now += PROBE_EVERY
        probe, *others = await asyncio.gather(
            store.load("test:stall"),
            store.load("test:stall"),
            store.ping(),
            store.rate_limiter(5, 60.0).acquire(["client:y"]),
            return_exceptions=True,
        )
    assert isinstance(probe, StoreUnavailableError), probe
    assert "not asked again" not in str(probe)
    said = [str(other) for other in others]
    assert all(isinstance(other, StoreUnavailableError) for other in others), said
    assert all(text.endswith("(not asked again for 1 s)") for text in said), said
