"""What the shared limiter's key names give away: nothing a dictionary could turn back.

Key names are what a Redis memory report, `--bigkeys`, a key browser or `SCAN` show to
whoever may list keys without reading them. An unsalted SHA-256 of `taro@vp.117.ne.jp` is
found again by hashing every likely local part at the known domain; a keyed HMAC is not,
while every replica on the same Redis still names the same subscriber's count alike.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import AsyncIterator, Iterator

import pytest
import redis.asyncio as aioredis

from bot.store.rate_limit import check_keys
from bot.store.redis_rate_limit import RedisRateLimiter
from testbed.redis_server import RedisServer, running_redis

PREFIX = "names:"
ADDRESS = "taro@vp.117.ne.jp"


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


async def counted_names(client: aioredis.Redis) -> list[str]:
    return sorted([key.decode() async for key in client.scan_iter(match=f"{PREFIX}rate:*")])


async def test_an_address_cannot_be_found_again_from_its_count_by_hashing_guesses(
    redis_client: aioredis.Redis,
) -> None:
    limits = RedisRateLimiter(redis_client, 5, 60.0, prefix=PREFIX)
    await limits.acquire(check_keys("telegram:4711", ADDRESS))

    names = " ".join(await counted_names(redis_client))
    # The guesser's dictionary: the address as check_keys normalises it, hashed as it was.
    guess = hashlib.sha256(ADDRESS.encode()).hexdigest()
    assert guess not in names
    assert hashlib.sha256(f"address:{guess}".encode()).hexdigest() not in names
    assert "4711" not in names
    # What is counted stays readable by kind, for an operator reading a memory report.
    assert re.fullmatch(
        rf"{PREFIX}rate:address:[0-9a-f]{{64}} {PREFIX}rate:conversation:[0-9a-f]{{64}}", names
    )


async def test_a_client_address_is_not_a_key_name_but_its_limit_is(
    redis_client: aioredis.Redis,
) -> None:
    limits = RedisRateLimiter(redis_client, 5, 60.0, prefix=PREFIX)
    await limits.acquire(["client:webchat_messages:2001:db8:1:2::/64"])

    (name,) = await counted_names(redis_client)
    assert re.fullmatch(rf"{PREFIX}rate:client:webchat_messages:[0-9a-f]{{64}}", name)


async def test_two_replicas_on_one_redis_share_the_key_and_so_the_count(
    redis_server: RedisServer,
) -> None:
    one = aioredis.Redis.from_url(redis_server.url)
    other = aioredis.Redis.from_url(redis_server.url)
    try:
        await one.flushdb()
        first = RedisRateLimiter(one, 2, 60.0, prefix=PREFIX)
        second = RedisRateLimiter(other, 2, 60.0, prefix=PREFIX)
        keys = check_keys("webchat:a", ADDRESS)[1:]
        assert await first.try_acquire(keys)
        assert await second.try_acquire(keys)
        assert not await first.try_acquire(keys)
        assert not await second.try_acquire(keys)
        assert len(await counted_names(one)) == 1
    finally:
        await one.aclose()
        await other.aclose()


async def test_the_key_expires_by_itself_but_long_after_any_window(
    redis_client: aioredis.Redis,
) -> None:
    limits = RedisRateLimiter(redis_client, 5, 900.0, prefix=PREFIX)
    await limits.acquire(["address:x"])

    forever = [
        key.decode()
        async for key in redis_client.scan_iter(match=f"{PREFIX}*")
        if await redis_client.pttl(key) == -1
    ]
    assert forever == []
    lifetime = await redis_client.pttl(f"{PREFIX}limit-key")
    assert lifetime > 24 * 3600 * 1000


async def test_a_key_lost_from_redis_is_made_again_and_shared(
    redis_server: RedisServer,
) -> None:
    # A flushed (or expired) key: the replicas that held the old one take the new one up
    # within their refresh, so their counts meet again.
    now = [1000.0]
    one = aioredis.Redis.from_url(redis_server.url)
    other = aioredis.Redis.from_url(redis_server.url)
    try:
        await one.flushdb()
        first = RedisRateLimiter(one, 2, 600.0, prefix=PREFIX, clock=lambda: now[0])
        await first.acquire(["address:y"])
        await one.flushdb()
        second = RedisRateLimiter(other, 2, 600.0, prefix=PREFIX, clock=lambda: now[0])
        await second.acquire(["address:y"])
        now[0] += 61
        await first.acquire(["address:y"])
        assert len(await counted_names(one)) == 1
    finally:
        await one.aclose()
        await other.aclose()
