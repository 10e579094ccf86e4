"""Throughput and latency of one replica versus two on the same Redis (and SQLite for scale).

Simulated subscribers walk the whole questionnaire over the web chat API on loopback, with
the keep-alive client of `bench.webchat_throughput`; with two replicas, every other
subscriber talks to the second one. Replicas are the drills' (`testbed.replica`: the
production server, JSON logs on, fixed clock) on a real redis-server.

This machine has two cores shared by the client, Redis and the replicas, so two replicas
cannot double the throughput here; the figures show what sharing Redis costs per turn and
that a second replica adds capacity rather than contention.

Run: `python -m bench.replicas [--users 50 --rounds 6]`.
"""

from __future__ import annotations

import argparse
import asyncio
import statistics
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

from bench.webchat_throughput import percentile, subscriber
from testbed.cluster import Replica, start_all
from testbed.redis_server import running_redis


async def load(ports: Sequence[int], users: int, rounds: int) -> tuple[float, list[float]]:
    """Every user walks `rounds` questionnaires; user n talks to ports[n % len(ports)]."""
    # A warm-up round so imports, caches and connections are settled on every replica.
    await asyncio.gather(*(subscriber(ports[n % len(ports)], 1, []) for n in range(users)))
    latencies: list[float] = []
    started = time.perf_counter()
    await asyncio.gather(
        *(subscriber(ports[n % len(ports)], rounds, latencies) for n in range(users))
    )
    return time.perf_counter() - started, latencies


def measure(
    store_url: str, replicas: int, users: int, rounds: int, folder: Path
) -> dict[str, float]:
    """Start `replicas` processes on `store_url`, load them, stop them; the figures."""
    started = [Replica(store_url, folder / f"bench-{n}.log") for n in range(replicas)]
    start_all(started)
    try:
        elapsed, latencies = asyncio.run(load([r.port for r in started], users, rounds))
    finally:
        for replica in started:
            replica.terminate()
    return {
        "turns": len(latencies),
        "per_second": len(latencies) / elapsed,
        "p50_ms": statistics.median(latencies) * 1000,
        "p99_ms": percentile(latencies, 0.99) * 1000,
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--users", type=int, default=50, help="concurrent subscribers")
    parser.add_argument("--rounds", type=int, default=6, help="questionnaires per subscriber")
    args = parser.parse_args()
    rows: list[tuple[str, dict[str, float]]] = []
    with tempfile.TemporaryDirectory() as name, running_redis() as redis:
        folder = Path(name)
        rows.append(
            (
                "1 replica, SQLite",
                measure(f"sqlite:///{folder}/bench.sqlite3", 1, args.users, args.rounds, folder),
            )
        )
        for count in (1, 2):
            url = f"{redis.url}?prefix=bench{count}:"
            label = f"{count} replica{'s' if count > 1 else ''}, Redis"
            rows.append((label, measure(url, count, args.users, args.rounds, folder)))
    print(f"{args.users} concurrent subscribers, {args.rounds} questionnaires each")
    print(f"{'setup':<20}{'turns':>8}{'turns/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for label, figures in rows:
        print(
            f"{label:<20}{figures['turns']:>8.0f}{figures['per_second']:>10.0f}"
            f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
        )
    one, two = rows[1][1], rows[2][1]
    print(f"two replicas / one replica on Redis: {two['per_second'] / one['per_second']:.2f}x")


if __name__ == "__main__":
    main()
