"""Many large unauthenticated bodies at once: `mailmove serve`'s memory and `/healthz` meanwhile.

An attacker needs no credential to make the server read a body: a platform's webhook reads
the whole body before it can check the signature, and LINE's takes 2 MiB. `--connections`
sockets each send a head declaring `--megabytes` to `/line/webhook` and all of the body but
its last byte, and hold it there (the body deadline, 30 s, is theirs to use); then each sends
its last byte. `/healthz` is asked every 50 ms on another connection the whole time.

Reported: the server's peak resident memory (VmHWM of the `mailmove serve` process), its
resident memory before and while the bodies are held, how the attacking requests were
answered (status counts), and `/healthz`'s p50 and slowest latency during the attack.
The server is `mailmove serve` as shipped (a subprocess, SQLite in a temporary folder, LINE on
with a channel secret; its API address goes nowhere, so nothing leaves the machine).

Run: `python -m bench.body_flood [--connections 100] [--megabytes 2] [--path /line/webhook]`
(`--path /api/webchat/conversations --megabytes 0.0625 --connections 1500`: the most bodies
of the size every other route takes).
"""

from __future__ import annotations

import argparse
import asyncio
import collections
import contextlib
import json
import multiprocessing
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from multiprocessing.synchronize import Event as EventType
from pathlib import Path
from typing import Any, Final

import httpx

CHUNK: Final = 64 * 1024


def free_port() -> int:
    """A port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def memory_kb(pid: int) -> dict[str, int]:
    """VmRSS and VmHWM (peak) of `pid`, in kB, from /proc."""
    found = {}
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            name, _, value = line.partition(":")
            if name in ("VmRSS", "VmHWM"):
                found[name] = int(value.split()[0])
    return found


@contextlib.contextmanager
def serving(folder: Path) -> Iterator[tuple[str, subprocess.Popen[bytes]]]:
    """`mailmove serve` on a free loopback port with LINE on, until the block ends."""
    port = free_port()
    environ = {
        **os.environ,
        "MAILMOVE_STORE": f"sqlite:///{folder}/bench.sqlite3",
        "MAILMOVE_LOG_FORMAT": "json",
        "LINE_CHANNEL_SECRET": "0123456789abcdef0123456789abcdef",
        "LINE_CHANNEL_ACCESS_TOKEN": "bench-line-access-token",
        # Nothing answers there: the token's check at start-up is said and passed over.
        "LINE_API_URL": "http://127.0.0.1:9",
    }
    command = [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)]
    with open(folder / "serve.log", "wb") as log:
        # The command is this interpreter and fixed arguments.
        server = subprocess.Popen(command, env=environ, stdout=log, stderr=log)  # noqa: S603
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + 60
            while True:
                with contextlib.suppress(httpx.HTTPError):
                    if httpx.get(f"{url}/healthz", timeout=2).status_code == 200:
                        break
                if server.poll() is not None or time.monotonic() > deadline:
                    raise RuntimeError(f"mailmove serve did not start: see {folder}/serve.log")
                time.sleep(0.2)
            yield url, server
        finally:
            server.terminate()
            server.wait(30)


async def one_body(port: int, path: str, size: int, held: asyncio.Event, go: asyncio.Event) -> str:
    """Send a head and `size - 1` bytes, wait for `go`, send the last byte; the status."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port)
    except OSError:
        held.set()
        return "not connected"
    answered = asyncio.ensure_future(reader.readline())
    try:
        try:
            writer.write(
                b"POST %s HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                b"Content-Type: application/json\r\nX-Line-Signature: AAAA\r\n"
                b"Content-Length: %d\r\n\r\n" % (path.encode(), size)
            )
            left = size - 1
            while left and not answered.done():
                writer.write(b"a" * min(CHUNK, left))
                left -= min(CHUNK, left)
                await writer.drain()
        except OSError:
            pass  # answered and closed before the whole body was sent: read the answer
        held.set()
        if not answered.done():
            await go.wait()
            with contextlib.suppress(OSError):
                writer.write(b"a")
                await writer.drain()
        line = await asyncio.wait_for(answered, 60)
        return line.decode("ascii", "replace").split(" ")[1] if line else "closed"
    except (OSError, TimeoutError, IndexError):
        return "closed"
    finally:
        held.set()
        answered.cancel()
        writer.close()
        with contextlib.suppress(OSError):
            await writer.wait_closed()


def probe(url: str, stop: EventType, results: multiprocessing.Queue[list[float]]) -> None:
    """Ask `/healthz` every 50 ms until `stop`; put the latencies in `results`."""
    latencies = []
    with httpx.Client(base_url=url, timeout=30) as client:
        while not stop.is_set():
            started = time.perf_counter()
            client.get("/healthz")
            latencies.append(time.perf_counter() - started)
            stop.wait(0.05)
    results.put(latencies)


async def attack(
    url: str, server: subprocess.Popen[bytes], count: int, size: int, path: str
) -> dict[str, Any]:
    """Hold `count` bodies of `size` bytes, then finish them; memory and /healthz meanwhile."""
    port = int(url.rsplit(":", 1)[1])
    before = memory_kb(server.pid)
    # The prober is a process of its own: in this one, the attack's writes would delay it.
    stop = multiprocessing.Event()
    results: multiprocessing.Queue[list[float]] = multiprocessing.Queue()
    prober = multiprocessing.Process(target=probe, args=(url, stop, results))
    prober.start()
    go = asyncio.Event()
    helds = [asyncio.Event() for _ in range(count)]
    bodies = [asyncio.create_task(one_body(port, path, size, held, go)) for held in helds]
    await asyncio.wait_for(asyncio.gather(*(held.wait() for held in helds)), 120)
    # Every body is in (or refused): what the server holds now is what the attack costs.
    await asyncio.sleep(1)
    holding = memory_kb(server.pid)
    go.set()
    statuses = collections.Counter(await asyncio.gather(*bodies))
    stop.set()
    latencies = results.get(timeout=60)
    prober.join()
    after = memory_kb(server.pid)
    return {
        "path": path,
        "connections": count,
        "body_mib": round(size / 2**20, 2),
        "answers": dict(statuses),
        "rss_before_mb": round(before["VmRSS"] / 1000, 1),
        "rss_holding_mb": round(holding["VmRSS"] / 1000, 1),
        "peak_rss_mb": round(after["VmHWM"] / 1000, 1),
        "healthz_p50_ms": round(statistics.median(latencies) * 1000, 1),
        "healthz_max_ms": round(max(latencies) * 1000, 1),
        "healthz_probes": len(latencies),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--connections", type=int, default=100)
    parser.add_argument("--megabytes", type=float, default=2.0, help="each body, in MiB")
    parser.add_argument("--path", default="/line/webhook", help="where to (64 KiB elsewhere)")
    args = parser.parse_args()
    size = int(args.megabytes * 2**20)
    with tempfile.TemporaryDirectory() as folder, serving(Path(folder)) as (url, server):
        result = asyncio.run(attack(url, server, args.connections, size, args.path))
    print(json.dumps(result, indent=2))


if __name__ == "__main__":
    main()
