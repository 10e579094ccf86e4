"""Simulated subscribers walk the whole questionnaire over the web chat API on loopback.

The server measured is the one that ships: `mailmove serve` in its own process, with its
default JSON logging (to a file, as a log collector would read it) and its metrics, on the
SQLite store and on a real redis-server. A bare Starlette endpoint that only echoes JSON
runs the same load in the same run, so the ratios compare like with like on this machine,
however busy it is. The client is a minimal keep-alive HTTP/1.1 client on asyncio streams,
so it costs the server's core as little as possible.

Besides turns per second and latency percentiles, each store reports what the stored
conversations cost: the SQLite file and its WAL, or the growth of Redis' `used_memory`,
divided by the conversations the run created.

Run: `make bench` (or `python -m bench.webchat_throughput --users 50 --rounds 6`);
`--source DIR` serves another checkout of mailmove (an A/B against an older commit).
"""

from __future__ import annotations

import argparse
import asyncio
import itertools
import json
import os
import socket
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator, Mapping, Sequence
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

from bench.keepalive import Connection
from testbed.redis_server import running_redis

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
# Each subscriber types an address of their own (taro1@…, taro2@…): one address typed by all
# made what is worked out per address (the redaction's names, the card) look free (speed6).
TYPED_ADDRESS: Final = "taro@vp.117.ne.jp"
_SUBSCRIBERS: Final = itertools.count(1)
# Every simulated subscriber comes from 127.0.0.1, one client as the per-client limits see
# it: those limits are lifted, nothing else of the shipped configuration changes.
UNLIMITED: Final = str(10**9)
STARTUP_TIMEOUT: Final = 60.0
KINDS: Final = ("echo", "sqlite", "redis")


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@dataclass
class Served:
    """A server under load: its port, and where its store and its log are."""

    port: int
    store: str
    log: Path
    process: subprocess.Popen[bytes]
    database: Path | None = None
    # Other processes the server needs (redis-server), whose CPU counts too.
    helpers: list[int] = field(default_factory=list)

    def stop(self) -> None:
        """SIGTERM, as a deployment stops it, and wait until it has exited."""
        if self.process.poll() is None:
            self.process.terminate()
        self.process.wait(timeout=30)


def _wait_for_port(port: int, process: subprocess.Popen[bytes], kind: str) -> None:
    deadline = time.monotonic() + STARTUP_TIMEOUT
    while True:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.2).close()
            return
        except OSError:
            if time.monotonic() > deadline or process.poll() is not None:
                raise RuntimeError(f"{kind} server did not start") from None
            time.sleep(0.05)  # polling for the port, not synchronising a test


@contextmanager
def server(kind: str, source: Path = ROOT) -> Iterator[Served]:
    """Serve `kind` (echo, sqlite, redis; desk) on a free port until the block ends."""
    port = free_port()
    with ExitStack() as stack:
        folder = Path(stack.enter_context(tempfile.TemporaryDirectory()))
        log = folder / "server.log"
        env = {**os.environ, "PYTHONPATH": str(source)}
        database: Path | None = None
        helpers: list[int] = []
        if kind in ("echo", "desk"):
            # bench.serve: the echo, or the app with the agent API (bench.agent_delivery).
            store = str(folder / "bench.sqlite3")
            command = [sys.executable, "-m", "bench.serve", kind, str(port), store]
        else:
            if kind == "redis":
                redis = stack.enter_context(running_redis())
                store = f"{redis.url}?prefix=bench:"
                helpers += [redis.process.pid] if redis.process else []
            else:
                database = folder / "store" / "mailmove.sqlite3"
                store = f"sqlite:///{database}"
            command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
            command += ["--store", store]
            env |= {
                "MAILMOVE_WEBCHAT_CONVERSATION_LIMIT": UNLIMITED,
                "MAILMOVE_WEBCHAT_MESSAGE_LIMIT": UNLIMITED,
                "MAILMOVE_WEBCHAT_READ_LIMIT": UNLIMITED,
            }
        with log.open("wb") as sink:
            process = subprocess.Popen(  # noqa: S603 - our own modules
                command, cwd=source, env=env, stdout=sink, stderr=sink
            )
        try:
            _wait_for_port(port, process, kind)
            yield Served(port, store, log, process, database, helpers)
        finally:
            Served(port, store, log, process).stop()


RETRIES: Final = 5


async def subscriber(
    port: int, rounds: int, latencies: list[float], errors: list[int] | None = None
) -> None:
    """Walk the questionnaire `rounds` times; a refused message (503) is sent again.

    A page sends a message again when it gets no answer; each refusal is counted in
    `errors` (when given) and its time is not a turn's.
    """
    connection = await Connection.open(port)
    try:
        for _ in range(rounds):
            status, payload = await connection.call("POST", "/api/webchat/conversations", {})
            if status != 201:
                raise RuntimeError(f"create answered {status}")
            conversation = json.loads(payload)["conversation_id"]
            path = f"/api/webchat/conversations/{conversation}/messages"
            own = {"text": TYPED_ADDRESS.replace("@", f"{next(_SUBSCRIBERS)}@")}
            for body in SCRIPT:
                body = own if body.get("text") == TYPED_ADDRESS else body
                for _ in range(RETRIES):
                    started = time.perf_counter()
                    status, _ = await connection.call("POST", path, body)
                    if status == 200:
                        latencies.append(time.perf_counter() - started)
                        break
                    if errors is None or status < 500:
                        raise RuntimeError(f"message answered {status}")
                    errors.append(status)
                else:
                    raise RuntimeError(f"message refused {RETRIES} times")
    finally:
        connection.close()


@dataclass
class Load:
    """What one load run measured; `cpu` holds the CPU seconds each watched process used."""

    seconds: float
    latencies: list[float]
    errors: list[int]
    cpu: list[float]


async def load(port: int, users: int, rounds: int, watched: Sequence[int] = ()) -> Load:
    errors: list[int] = []
    # A warm-up round so imports, caches and the SQLite file are settled.
    await asyncio.gather(*(subscriber(port, 1, [], errors) for _ in range(users)))
    errors.clear()
    latencies: list[float] = []
    cpu = [cpu_seconds(pid) for pid in watched]
    started = time.perf_counter()
    await asyncio.gather(*(subscriber(port, rounds, latencies, errors) for _ in range(users)))
    elapsed = time.perf_counter() - started
    used = [cpu_seconds(pid) - before for pid, before in zip(watched, cpu, strict=True)]
    return Load(elapsed, latencies, errors, used)


def percentile(values: list[float], fraction: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(fraction * len(ordered)))]


def cpu_seconds(pid: int) -> float:
    """User and system CPU time a process has used so far (Linux `/proc/PID/stat`)."""
    fields = Path(f"/proc/{pid}/stat").read_text().rpartition(")")[2].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _size(path: Path) -> int:
    return path.stat().st_size if path.exists() else 0


def _sqlite_bytes(database: Path) -> int:
    return _size(database) + _size(Path(f"{database}-wal"))


def _conversations(database: Path) -> int:
    with sqlite3.connect(f"file:{database}?mode=ro", uri=True) as db:
        return int(db.execute("SELECT COUNT(*) FROM conversations").fetchone()[0])


async def _redis_used_memory(url: str) -> int:
    import redis.asyncio as aioredis  # only the Redis run needs it

    client = aioredis.Redis.from_url(url.partition("?")[0])
    try:
        info = await client.info("memory")
        return int(info["used_memory"])
    finally:
        await client.aclose()


def measure(kind: str, users: int, rounds: int, source: Path = ROOT) -> dict[str, float]:
    """One kind's figures: turns, turns/s, p50/p95/p99 (ms), and bytes per conversation."""
    with server(kind, source) as served:
        before = asyncio.run(_redis_used_memory(served.store)) if kind == "redis" else 0
        watched = [served.process.pid, *served.helpers]
        run = asyncio.run(load(served.port, users, rounds, watched))
        latencies = run.latencies
        elapsed = run.seconds
        figures = {
            "turns": len(latencies),
            # CPU per turn: steadier than turns/s on a machine that others share.
            "cpu_ms_per_turn": run.cpu[0] * 1000 / len(latencies),
            "refused": len(run.errors),
            "per_second": len(latencies) / elapsed,
            "p50_ms": statistics.median(latencies) * 1000,
            "p95_ms": percentile(latencies, 0.95) * 1000,
            "p99_ms": percentile(latencies, 0.99) * 1000,
        }
        # Warm-up and measured questionnaires: every conversation the store now holds.
        conversations = users * (rounds + 1)
        if served.helpers:
            figures["redis_cpu_ms_per_turn"] = run.cpu[1] * 1000 / len(latencies)
        if kind == "redis":
            used = asyncio.run(_redis_used_memory(served.store)) - before
            figures["bytes_per_conversation"] = used / conversations
        elif served.database is not None:
            figures["bytes_per_conversation"] = _sqlite_bytes(served.database) / conversations
        served.stop()
        if served.database is not None:
            # Closed: the last checkpoint folded the WAL into the file and truncated it.
            stored = _conversations(served.database)
            figures["bytes_per_conversation_closed"] = _size(served.database) / stored
        figures["log_bytes_per_turn"] = _size(served.log) / max(1, len(latencies))
    return figures


def report(
    users: int, rounds: int, runs: Mapping[str, list[dict[str, float]]]
) -> dict[str, dict[str, float]]:
    """The median of each figure over the repeats, and each store's ratio to the echo."""
    summary = {
        kind: {name: statistics.median(run[name] for run in repeats) for name in repeats[0]}
        for kind, repeats in runs.items()
    }
    echo, echo_cpu = summary["echo"]["per_second"], summary["echo"]["cpu_ms_per_turn"]
    for kind in summary:
        summary[kind]["ratio"] = summary[kind]["per_second"] / echo
        # What the ratio would be if each server had a core of its own, whatever else runs.
        summary[kind]["cpu_ratio"] = echo_cpu / summary[kind]["cpu_ms_per_turn"]
    print(f"{users} concurrent subscribers, {rounds} questionnaires each, medians of each run")
    print(
        f"{'endpoint':<26}{'turns/s':>9}{'ratio':>7}{'CPU ratio':>10}"
        f"{'p50 ms':>8}{'p95 ms':>8}{'p99 ms':>8}"
        f"{'CPU ms':>8}{'B/conv':>9}{'log B/turn':>11}{'503s':>6}"
    )
    names = {"echo": "bare Starlette echo", "sqlite": "mailmove serve, SQLite"}
    names["redis"] = "mailmove serve, Redis"
    for kind, figures in summary.items():
        stored = figures.get("bytes_per_conversation")
        logged = figures["log_bytes_per_turn"]
        print(
            f"{names[kind]:<26}{figures['per_second']:>9.0f}{figures['ratio']:>7.2f}"
            f"{figures['cpu_ratio']:>10.2f}"
            f"{figures['p50_ms']:>8.1f}{figures['p95_ms']:>8.1f}{figures['p99_ms']:>8.1f}"
            f"{figures['cpu_ms_per_turn']:>8.2f}"
            f"{'' if stored is None else f'{stored:.0f}':>9}"
            f"{'' if kind == 'echo' else f'{logged:.0f}':>11}{figures['refused']:>6.0f}"
        )
    print("CPU ms: the server process's CPU time per turn (the echo's per request);")
    print("CPU ratio: the echo's CPU per request over the server's per turn")
    if "redis" in summary:
        redis_cpu = summary["redis"]["redis_cpu_ms_per_turn"]
        print(f"redis-server's own CPU per turn: {redis_cpu:.2f} ms")
    closed = summary.get("sqlite", {}).get("bytes_per_conversation_closed")
    if closed is not None:
        print(f"SQLite bytes per conversation once closed (WAL folded in): {closed:.0f}")
    return summary


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--users", type=int, default=50, help="concurrent subscribers")
    parser.add_argument("--rounds", type=int, default=6, help="questionnaires per subscriber")
    parser.add_argument("--repeat", type=int, default=2, help="runs of each, interleaved")
    parser.add_argument(
        "--only", choices=KINDS, action="append", help="measure only these (echo always runs)"
    )
    parser.add_argument("--source", type=Path, default=ROOT, help="the checkout to serve")
    parser.add_argument("--json", type=Path, help="also write the figures to this file")
    args = parser.parse_args()
    kinds = ["echo", *(kind for kind in KINDS[1:] if not args.only or kind in args.only)]
    runs: dict[str, list[dict[str, float]]] = {kind: [] for kind in kinds}
    # Interleaved, so that a neighbour's burst of work falls on every kind alike.
    for _ in range(args.repeat):
        for kind in kinds:
            runs[kind].append(measure(kind, args.users, args.rounds, args.source.resolve()))
    summary = report(args.users, args.rounds, runs)
    if args.json:
        args.json.write_text(json.dumps({"summary": summary, "runs": runs}, indent=2))


if __name__ == "__main__":
    main()
