"""`acquire`: one call that records an attempt or says how long to wait, in memory and in Redis.

The same tests run against both limiters: they must count alike, since the runtime picks one
or the other by the store URL.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Callable, Iterator

import pytest
import redis.asyncio as aioredis
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff

from bot.store.conversation_store import StoreUnavailableError
from bot.store.rate_limit import MIN_WAIT, RateLimiter, SlidingWindowLimiter
from bot.store.redis_outage import PROBE_EVERY, Outage
from bot.store.redis_rate_limit import RedisRateLimiter
from testbed.redis_server import RedisServer, free_port, running_redis

PREFIX = "acq:"
Build = Callable[[int, float], RateLimiter]


class Clock:
    def __init__(self) -> None:
        self.now = 1_000_000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
async def redis_client(redis_server: RedisServer) -> AsyncIterator[aioredis.Redis]:
    client = aioredis.Redis.from_url(redis_server.url)
    await client.flushdb()
    yield client
    await client.aclose()


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture(params=["memory", "redis"])
def make_limiter(request: pytest.FixtureRequest, clock: Clock) -> Build:
    if request.param == "memory":
        return lambda limit, window: SlidingWindowLimiter(limit, window, clock=clock)
    client = request.getfixturevalue("redis_client")
    return lambda limit, window: RedisRateLimiter(client, limit, window, prefix=PREFIX, clock=clock)


async def test_acquire_records_until_full_then_says_how_long(
    make_limiter: Build, clock: Clock
) -> None:
    limits = make_limiter(2, 60.0)
    assert await limits.acquire(["k"]) == 0
    clock.now += 15
    assert await limits.acquire(["k"]) == 0
    clock.now += 5

    # Full: the first attempt leaves the window in 40 s; the refusal records nothing.
    assert await limits.acquire(["k"]) == pytest.approx(40.0)
    assert await limits.acquire(["k"]) == pytest.approx(40.0)
    assert await limits.retry_after(["k"]) == pytest.approx(40.0)
    clock.now += 40
    assert await limits.acquire(["k"]) == 0
    assert await limits.acquire(["k"]) == pytest.approx(15.0)


async def test_a_refusal_waits_for_the_fullest_key_and_counts_against_none(
    make_limiter: Build, clock: Clock
) -> None:
    limits = make_limiter(1, 60.0)
    assert await limits.acquire(["a"]) == 0
    clock.now += 30
    assert await limits.acquire(["b"]) == 0

    assert await limits.acquire(["a", "b", "c"]) == pytest.approx(60.0)
    assert await limits.acquire(["c"]) == 0  # the refusal above did not count against c


async def test_a_refusal_is_never_zero(make_limiter: Build, clock: Clock) -> None:
    # Zero means "recorded": a refusal at the very edge of the window still reports a wait.
    limits = make_limiter(1, 0.5)
    assert await limits.acquire(["k"]) == 0
    clock.now += 0.5 - MIN_WAIT / 10
    assert await limits.acquire(["k"]) >= MIN_WAIT


async def test_redis_counts_expire_with_their_window_under_the_prefix(
    redis_client: aioredis.Redis, clock: Clock
) -> None:
    limits = RedisRateLimiter(redis_client, 5, 30.0, prefix=PREFIX, clock=clock)
    await limits.acquire(["client:webchat_messages:192.0.2.1"])

    keys = [key.decode() async for key in redis_client.scan_iter(match=f"{PREFIX}rate:*")]
    # The client is named by an HMAC (test_limiter_key_names), its limit in the clear.
    assert len(keys) == 1
    assert keys[0].startswith(f"{PREFIX}rate:client:webchat_messages:")
    assert "192.0.2.1" not in keys[0]
    assert 29_000 < await redis_client.pttl(keys[0]) <= 30_000


async def test_concurrent_acquires_sent_together_still_count_exactly(make_limiter: Build) -> None:
    # Calls made in one pass of the event loop share one pipeline; each still counts alone.
    limits = make_limiter(10, 60.0)
    waits = await asyncio.gather(*(limits.acquire(["k", f"own:{n}"]) for n in range(50)))
    assert sum(wait == 0 for wait in waits) == 10
    assert all(wait == pytest.approx(60.0) for wait in waits if wait)
    assert await limits.acquire(["own:49"]) == 0  # the refusals counted against no key


async def test_redis_reloads_its_script_after_a_flush(
    redis_client: aioredis.Redis, clock: Clock
) -> None:
    limits = RedisRateLimiter(redis_client, 2, 60.0, prefix=PREFIX, clock=clock)
    assert await limits.acquire(["k"]) == 0
    await redis_client.script_flush()  # as a restarted Redis forgets it

    waits = await asyncio.gather(limits.acquire(["k"]), limits.acquire(["k"]))

    assert sorted(waits) == [0, pytest.approx(60.0)]


async def test_every_caller_of_a_failed_batch_gets_the_failure(clock: Clock) -> None:
    dead = aioredis.Redis(host="127.0.0.1", port=free_port(), retry=Retry(NoBackoff(), 0))
    limits = RedisRateLimiter(dead, 2, 60.0, prefix=PREFIX, clock=clock)
    try:
        results = await asyncio.gather(
            *(limits.acquire([f"k{n}"]) for n in range(5)), return_exceptions=True
        )
    finally:
        await dead.aclose()
    assert all(isinstance(result, StoreUnavailableError) for result in results)


async def test_a_batch_redis_does_not_answer_fails_every_caller_within_the_socket_timeout(
    redis_server: RedisServer, redis_client: aioredis.Redis, clock: Clock
) -> None:
    # The batch's replies share one deadline (the connection's socket timeout): while Redis
    # holds the scripts unanswered (CLIENT PAUSE: writes wait), every caller fails, and none
    # waits for the pause to end. The pause outlasts the test's patience by far, so a
    # caller waiting for it fails the test however loaded the machine.
    slow = aioredis.Redis.from_url(redis_server.url, socket_timeout=0.2)
    outage = Outage(clock)
    limits = RedisRateLimiter(slow, 2, 60.0, prefix=PREFIX, clock=clock, outage=outage)
    assert await limits.acquire(["warm"]) == 0
    await redis_client.client_pause(600_000, all=False)  # writes wait
    connections = await _connections_received(redis_client)
    try:
        results = await asyncio.wait_for(
            asyncio.gather(*(limits.acquire([f"k{n}"]) for n in range(5)), return_exceptions=True),
            timeout=60,
        )
        # Not sent again on a fresh connection: a Redis that did not answer in the socket
        # timeout would not the second time either, and the resend doubled every wait.
        assert await _connections_received(redis_client) == connections
        # Known not to answer: the next caller fails at once, Redis not asked.
        with pytest.raises(StoreUnavailableError, match=r"not asked again for 1 s"):
            await limits.acquire(["during"])
        assert await _connections_received(redis_client) == connections
    finally:
        await redis_client.client_unpause()
    assert all(isinstance(result, StoreUnavailableError) for result in results)
    assert outage.known_down
    clock.now += PROBE_EVERY  # a probe's turn: it finds Redis answering again
    assert await limits.acquire(["after"]) == 0
    assert not outage.known_down
    await slow.aclose()


async def _connections_received(client: aioredis.Redis) -> int:
    return int((await client.info("stats"))["total_connections_received"])
