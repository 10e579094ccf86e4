"""Faults under load: a replica killed with SIGKILL, Redis killed and restarted, a replica drained.

The platform keeps redelivering what was not answered (same event id, next replica), as
real platforms do. Afterwards every conversation is read back from Redis: each answer of
the script stored exactly once, in order, and the settings card delivered once. The fault
is triggered by what the load has reached (so many turns answered, so many 503s), never
by the clock.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Coroutine, Iterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest

from bot.store.redis_outage import PROBE_EVERY
from testbed.cluster import Platform, Replica, Tally, audit_store, start_all
from testbed.redis_server import RedisServer, running_redis

SUBSCRIBERS: Final = 40
TURNS: Final = SUBSCRIBERS * 8  # the greeting and seven answers each


@pytest.fixture
def redis_server() -> Iterator[RedisServer]:
    # Fsynced on every write: the drill that restarts Redis must not lose what it answered.
    # One per drill, so a drill that fails with Redis down cannot fail the next one too.
    with running_redis(persistent=True) as server:
        yield server


def two_replicas(server: RedisServer, folder: Path, name: str) -> list[Replica]:
    # A short lock: the conversations a killed replica was in are blocked for that long.
    url = f"{server.url}?prefix={name}:&lock_ms=500"
    replicas = [Replica(url, folder / f"{name}-{n}.log") for n in range(2)]
    start_all(replicas)
    return replicas


async def run_load(platform: Platform, fault: Coroutine[Any, Any, None]) -> list[str]:
    """Every subscriber's whole script, with `fault` striking along the way."""
    started = time.monotonic()
    try:
        # Gathered together, so a fault that fails stops the drill at once.
        _, *conversations = await asyncio.gather(
            fault, *(platform.subscriber(n) for n in range(SUBSCRIBERS))
        )
    finally:
        await platform.close()
    platform.tally.seconds = round(time.monotonic() - started, 2)
    return [c for c in conversations if c is not None]


def assert_nothing_lost(tally: Tally) -> None:
    assert tally.conversations == SUBSCRIBERS
    assert tally.events == TURNS
    assert tally.lost == 0, "an acknowledged turn is missing from the store"
    assert tally.processed_twice == 0, "a turn was handled (and answered) twice"
    assert tally.incomplete == 0, "a conversation did not reach the settings card"


async def test_a_replica_killed_under_load_loses_no_acknowledged_turn(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    doomed, survivor = two_replicas(redis_server, tmp_path, "kill")
    platform = Platform([doomed, survivor])

    async def kill_then_restart() -> None:
        await platform.wait_for_acks(TURNS // 4)
        doomed.kill()  # kill -9, with requests in flight
        await platform.wait_for_acks(TURNS // 2)
        # Half the remaining turns go back to the restarted replica.
        await asyncio.to_thread(doomed.start)

    try:
        conversations = await run_load(platform, kill_then_restart())
        await audit_store(survivor.store_url, conversations, platform.tally)
    finally:
        for replica in (doomed, survivor):
            replica.kill()
    tally = platform.tally
    tally.report("kill_replica")

    assert_nothing_lost(tally)
    assert tally.dropped > 0, "the kill did not cut any delivery: the drill proved nothing"


async def _ready_within(client: httpx.AsyncClient, url: str, seconds: float) -> int:
    """`/readyz`'s status once it answers 200, or its last status after `seconds`.

    Asked as an orchestrator asks it, again until it says ready: right after Redis is back,
    a turn's own probe of it may still be in flight (one per PROBE_EVERY), and until it is
    answered the replica fails other calls at once, the readiness probe's too (a loaded
    machine once answered the first probe after the restart 503).
    """
    deadline = time.monotonic() + seconds
    while True:
        status = (await client.get(f"{url}/readyz")).status_code
        if status == 200 or time.monotonic() > deadline:
            return status
        await asyncio.sleep(PROBE_EVERY / 10)  # the pause between probes


async def test_redis_killed_and_restarted_mid_load_loses_and_repeats_nothing(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    replicas = two_replicas(redis_server, tmp_path, "outage")
    platform = Platform(replicas)
    readiness: list[int] = []

    async def outage() -> None:
        await platform.wait_for_acks(TURNS // 3)
        redis_server.kill()
        async with httpx.AsyncClient() as client:
            readiness.append((await client.get(f"{replicas[0].url}/readyz")).status_code)
            await platform.wait_for_unavailable(60)
            await asyncio.to_thread(redis_server.start)
            readiness.append(await _ready_within(client, replicas[0].url, PROBE_EVERY * 5))

    try:
        conversations = await run_load(platform, outage())
        await audit_store(replicas[0].store_url, conversations, platform.tally)
    finally:
        for replica in replicas:
            replica.kill()
    tally = platform.tally
    tally.report("redis_restart")

    assert_nothing_lost(tally)
    assert tally.unavailable >= 60  # 503s while Redis was down...
    assert readiness == [503, 200]  # ...not ready while down, ready once it is back


async def test_a_stopped_replica_finishes_its_turns_and_takes_no_new_ones(
    redis_server: RedisServer, tmp_path: Path
) -> None:
    stopping, staying = two_replicas(redis_server, tmp_path, "drain")
    platform = Platform([stopping, staying])
    exit_codes: list[int] = []

    async def stop() -> None:
        await platform.wait_for_acks(TURNS // 3)
        exit_codes.append(await asyncio.to_thread(stopping.terminate))  # SIGTERM

    try:
        conversations = await run_load(platform, stop())
        await audit_store(staying.store_url, conversations, platform.tally)
    finally:
        staying.kill()
    tally = platform.tally
    tally.report("drain_replica")

    assert_nothing_lost(tally)
    # A clean drain returns (uvicorn's re-raise of the signal is held back): exit status 0.
    assert exit_codes == [0]
    log = stopping.log_tail(50)
    assert "Application shutdown complete." in log
    assert "Cancel" not in log  # no turn in flight was cut short
    # Every turn the stopping replica took was answered: none needed recovering afterwards.
    assert tally.recovered == 0
