"""Simulated subscribers walk the whole questionnaire over the web chat API on loopback.

The same load runs against a bare Starlette endpoint that only echoes JSON, in the same
run, so the figures compare like with like on this machine. The client is a minimal
keep-alive HTTP/1.1 client on asyncio streams, so it costs the server's core as little as
possible. Run: `make bench` (or `python -m bench.webchat_throughput --users 50`).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from bench.keepalive import Connection

ROOT = Path(__file__).resolve().parents[1]
# One subscriber's whole questionnaire, from greeting to settings card.
SCRIPT: list[dict[str, str]] = [
    {"choice": "yes"},
    {"text": "はい"},
    {"choice": "yes"},
    {"choice": "yes"},
    {"text": "taro@vp.117.ne.jp"},
    {"choice": "program:thunderbird"},
    {"choice": "yes"},
]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def server(kind: str) -> Iterator[int]:
    port = free_port()
    with tempfile.TemporaryDirectory() as folder:
        process = subprocess.Popen(  # noqa: S603 - our own module
            [sys.executable, "-m", "bench.serve", kind, str(port), f"{folder}/bench.sqlite3"],
            cwd=ROOT,
        )
        try:
            deadline = time.monotonic() + 30
            while True:
                try:
                    socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
                    break
                except OSError:
                    if time.monotonic() > deadline or process.poll() is not None:
                        raise RuntimeError(f"{kind} server did not start") from None
                    time.sleep(0.05)  # polling for the port, not synchronising a test
            yield port
        finally:
            process.terminate()
            process.wait(timeout=10)


async def subscriber(port: int, rounds: int, latencies: list[float]) -> None:
    connection = await Connection.open(port)
    try:
        for _ in range(rounds):
            status, payload = await connection.call("POST", "/api/webchat/conversations", {})
            if status != 201:
                raise RuntimeError(f"create answered {status}")
            conversation = json.loads(payload)["conversation_id"]
            path = f"/api/webchat/conversations/{conversation}/messages"
            for body in SCRIPT:
                started = time.perf_counter()
                status, _ = await connection.call("POST", path, body)
                latencies.append(time.perf_counter() - started)
                if status != 200:
                    raise RuntimeError(f"message answered {status}")
    finally:
        connection.close()


async def load(port: int, users: int, rounds: int) -> tuple[float, list[float]]:
    latencies: list[float] = []
    # A warm-up round so imports, caches and the SQLite file are settled.
    await asyncio.gather(*(subscriber(port, 1, []) for _ in range(users)))
    started = time.perf_counter()
    await asyncio.gather(*(subscriber(port, rounds, latencies) for _ in range(users)))
    return time.perf_counter() - started, latencies


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def measure(kind: str, users: int, rounds: int) -> dict[str, float]:
    with server(kind) as port:
        elapsed, latencies = asyncio.run(load(port, users, rounds))
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
    bare = measure("echo", args.users, args.rounds)
    bot = measure("mailmove", args.users, args.rounds)
    print(f"{args.users} concurrent subscribers, {args.rounds} questionnaires each")
    print(f"{'endpoint':<22}{'turns':>8}{'turns/s':>10}{'p50 ms':>9}{'p99 ms':>9}")
    for name, figures in (("bare Starlette echo", bare), ("mailmove web chat", bot)):
        print(
            f"{name:<22}{figures['turns']:>8.0f}{figures['per_second']:>10.0f}"
            f"{figures['p50_ms']:>9.2f}{figures['p99_ms']:>9.2f}"
        )
    print(f"throughput ratio mailmove / bare: {bot['per_second'] / bare['per_second']:.2f}")


if __name__ == "__main__":
    main()
