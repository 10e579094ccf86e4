"""Two replicas on one Redis: any replica takes any turn, and a redelivered event is answered once.

Real processes (uvicorn on loopback, `python -m testbed.replica`) on a real
redis-server. The figures of each drill land in build/drills/*.json.
"""

from __future__ import annotations

import asyncio
import json
import time
import uuid
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest

from testbed.cluster import (
    ADDRESS,
    SCRIPT,
    Platform,
    Replica,
    audit_store,
    start_all,
)
from testbed.redis_server import RedisServer, running_redis

SUBSCRIBERS: Final = 40


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture(scope="module")
def replicas(
    redis_server: RedisServer, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[list[Replica]]:
    folder = tmp_path_factory.mktemp("replicas")
    url = f"{redis_server.url}?prefix=drill:&lock_ms=1000"
    started = [Replica(url, folder / f"replica-{n}.log") for n in range(2)]
    start_all(started)
    yield started
    for replica in started:
        replica.terminate()


def turn_lines(replica: Replica) -> list[dict[str, object]]:
    lines = replica.log_path.read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines]  # every line is one JSON object
    return [record for record in records if record.get("event") == "turn"]


def turns_served(replica: Replica) -> float:
    text = httpx.get(f"{replica.url}/metrics", timeout=5).text
    return sum(
        float(line.rsplit(" ", 1)[1])
        for line in text.splitlines()
        if line.startswith("mailmove_turns_total{")
    )


async def test_conversations_spread_over_two_replicas_all_complete(
    replicas: list[Replica],
) -> None:
    logged_before = sum(len(turn_lines(r)) for r in replicas)
    platform = Platform(replicas)
    started = time.monotonic()
    try:
        # Each subscriber's turns alternate between the replicas.
        conversations = await asyncio.gather(*(platform.subscriber(n) for n in range(SUBSCRIBERS)))
    finally:
        await platform.close()
    tally = platform.tally
    tally.seconds = round(time.monotonic() - started, 2)
    await audit_store(replicas[0].store_url, conversations, tally)
    tally.report("spread")

    assert tally.conversations == SUBSCRIBERS
    assert tally.events == SUBSCRIBERS * (len(SCRIPT) + 1)
    assert tally.replied == tally.events
    assert (tally.lost, tally.processed_twice, tally.incomplete) == (0, 0, 0)
    assert (tally.duplicates, tally.unavailable, tally.dropped) == (0, 0, 0)
    assert all(turns_served(r) > 0 for r in replicas)
    # One log line per turn, and nothing in them that identifies a subscriber.
    logs = "".join(r.log_path.read_text(encoding="utf-8") for r in replicas)
    assert sum(len(turn_lines(r)) for r in replicas) - logged_before == tally.requests
    assert ADDRESS not in logs
    assert not [c for c in conversations if c in logs]


async def test_every_event_delivered_three_times_is_answered_once(
    replicas: list[Replica],
) -> None:
    platform = Platform(replicas)
    answers_per_event: list[int] = []

    async def subscriber(number: int) -> str:
        conversation = await platform.start_conversation(number)
        path = f"/api/webchat/conversations/{conversation}/messages"
        for step, body in enumerate(SCRIPT, start=1):
            event = {**body, "event_id": uuid.uuid4().hex}
            platform.tally.events += 1
            here, there = replicas[(number + step) % 2], replicas[(number + step + 1) % 2]
            # Three copies at once, interleaved across the replicas, as a platform that
            # timed out twice would send them.
            answers = await asyncio.gather(
                *(platform.post(replica, path, event) for replica in (here, there, here))
            )
            assert all(status == 200 for status, _ in answers), answers
            with_replies = [body for _, body in answers if not body.get("duplicate")]
            answers_per_event.append(len(with_replies))
            platform.tally.replied += len(with_replies)
            platform.tally.duplicates += len(answers) - len(with_replies)
        return conversation

    started = time.monotonic()
    try:
        conversations = await asyncio.gather(*(subscriber(n) for n in range(SUBSCRIBERS)))
    finally:
        await platform.close()
    tally = platform.tally
    tally.seconds = round(time.monotonic() - started, 2)
    await audit_store(replicas[0].store_url, conversations, tally)
    tally.report("triple_delivery")

    assert answers_per_event == [1] * (SUBSCRIBERS * len(SCRIPT))
    assert tally.duplicates == 2 * SUBSCRIBERS * len(SCRIPT)
    assert (tally.lost, tally.processed_twice, tally.incomplete) == (0, 0, 0)


def test_the_replica_logs_are_json_lines(replicas: list[Replica], tmp_path: Path) -> None:
    for replica in replicas:
        assert turn_lines(replica), f"{replica.log_path} has no turn lines"
