"""A request head that never ends: uvicorn's plain httptools protocol against the bounded one.

One socket sends `GET /` and then `--megabytes` of `a` while `/healthz` is asked every
50 ms on other connections. Reported per protocol: the process's resident memory before and
after, the slowest `/healthz`, and what the flooding socket was answered. The server runs
in this process (uvicorn in a thread, as the tests run it), so the memory is the server's
plus a constant for the client.

Run: `python -m bench.head_flood [--megabytes 50]`.
"""

from __future__ import annotations

import argparse
import json
import resource
import socket
import threading
import time
from typing import Any, Final
from urllib.parse import urlsplit

import httpx
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.web.http_limits import BoundedHttpToolsProtocol
from testbed.loopback import serving

CHUNK: Final = b"a" * 65536


def rss_mb() -> float:
    """Resident memory now (Linux: from /proc), in MB."""
    with open("/proc/self/statm", encoding="ascii") as statm:
        pages = int(statm.read().split()[1])
    return pages * resource.getpagesize() / 1e6


async def healthz(_: Request) -> Response:
    return PlainTextResponse("ok")


def flood(url: str, megabytes: int) -> dict[str, Any]:
    parts = urlsplit(url)
    address = (parts.hostname or "127.0.0.1", parts.port or 80)
    slowest = 0.0
    stop = threading.Event()

    def probe() -> None:
        nonlocal slowest
        with httpx.Client(base_url=url, timeout=30) as client:
            while not stop.is_set():
                started = time.perf_counter()
                client.get("/healthz")
                slowest = max(slowest, time.perf_counter() - started)
                stop.wait(0.05)

    before = rss_mb()
    prober = threading.Thread(target=probe, daemon=True)
    prober.start()
    sent = 0
    answer = b""
    started = time.perf_counter()
    with socket.create_connection(address, timeout=30) as sock:
        try:
            sock.sendall(b"GET /")
            while sent < megabytes * 1_000_000:
                sock.sendall(CHUNK)
                sent += len(CHUNK)
            answer = sock.recv(100)
        except OSError as err:  # the server closed the connection on us
            answer = answer or repr(err).encode()
    elapsed = time.perf_counter() - started
    stop.set()
    prober.join()
    return {
        "sent_mb": round(sent / 1e6, 1),
        "seconds": round(elapsed, 2),
        "answer": answer[:40].decode("ascii", "replace"),
        "rss_before_mb": round(before, 1),
        "rss_after_mb": round(rss_mb(), 1),
        "slowest_healthz_ms": round(slowest * 1000, 1),
    }


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--megabytes", type=int, default=50)
    args = parser.parse_args()
    app = Starlette(routes=[Route("/healthz", healthz)])
    results = {}
    # Bounded first: the plain protocol's growth would otherwise stay in the process.
    for name, protocol in (("bounded", BoundedHttpToolsProtocol), ("httptools", "httptools")):
        with serving(app, http=protocol) as url:
            results[name] = flood(url, args.megabytes)
    print(json.dumps(results, indent=2))


if __name__ == "__main__":
    main()
