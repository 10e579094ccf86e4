"""Pipelined requests under real uvicorn: each head bounded alone, and only a few read ahead.

httptools parses every request in what one read brings (up to 256 KiB), and uvicorn queues
each one it cannot answer yet with its scope, headers and an event. One connection writing
`GET /healthz` a few thousand times held about 5,000 such requests (a 64 KiB head limit
counted over all of them), 27 MB that only Python's full garbage collection gave back:
30 such connections in a row took a replica from 214 to 842 MB, past the pods' 512 MB.
Past `max_pipelined` queued requests the connection reads nothing more: the ones queued are
answered, in order, and the connection is closed after the last, as a server may close a
pipelining client's connection (RFC 9112 section 9.3.2; the client sends the rest again).
"""

from __future__ import annotations

import asyncio
import re
import socket
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.web.http_limits import BoundedHttpToolsProtocol
from testbed.loopback import serving

MAX_HEAD: Final = 4096
MAX_PIPELINED: Final = 8
HEAD_TIMEOUT: Final = 0.5
# Longer than the head's deadline: a slow answer (a login check takes up to 105 s).
SLOW_ANSWER: Final = 1.5
SOCKET_TIMEOUT: Final = 10.0


async def echo(request: Request) -> Response:
    return PlainTextResponse(request.query_params.get("n", ""))


async def slow(request: Request) -> Response:
    await asyncio.sleep(SLOW_ANSWER)  # the work of a slow answer, not a wait for the test
    return PlainTextResponse(request.query_params.get("n", ""))


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    app = Starlette(routes=[Route("/echo", echo), Route("/slow", slow)])
    protocol = BoundedHttpToolsProtocol.with_limits(
        max_head=MAX_HEAD, head_timeout=HEAD_TIMEOUT, max_pipelined=MAX_PIPELINED
    )
    with serving(app, http=protocol) as url:
        parts = urlsplit(url)
        yield parts.hostname or "127.0.0.1", parts.port or 80


def exchange(address: tuple[str, int], data: bytes) -> bytes:
    """Send `data` at once, then read until the server closes the connection."""
    with socket.create_connection(address, timeout=SOCKET_TIMEOUT) as sock:
        sock.settimeout(SOCKET_TIMEOUT)
        sock.sendall(data)
        chunks = []
        try:
            while chunk := sock.recv(65536):
                chunks.append(chunk)
        except ConnectionResetError:  # the rest of what was sent was not read: fine
            pass
        return b"".join(chunks)


def request(n: int, *, padding: int = 0, close: bool = False, path: str = "/echo") -> bytes:
    head = f"GET {path}?n={n} HTTP/1.1\r\nHost: a\r\nX-Pad: {'p' * padding}\r\n"
    return (head + ("Connection: close\r\n" if close else "") + "\r\n").encode()


def answers(raw: bytes) -> list[tuple[int, str]]:
    """(status, body) of each response, in the order sent."""
    found = []
    for match in re.finditer(rb"HTTP/1\.1 (\d{3}) [^\r]*\r\n(.*?)\r\n\r\n", raw, re.S):
        length = int(re.search(rb"content-length: (\d+)", match.group(2)).group(1))  # type: ignore[union-attr]
        start = match.end()
        found.append((int(match.group(1)), raw[start : start + length].decode()))
    return found


def test_each_pipelined_head_has_the_limit_to_itself(address: tuple[str, int]) -> None:
    # Six heads of 1 KiB each, 6 KiB together: under the 4 KiB limit one by one. They
    # were counted together and the fifth got 431, written before the answers to the four
    # before it.
    data = b"".join(request(n, padding=1000, close=n == 5) for n in range(6))
    assert answers(exchange(address, data)) == [(200, str(n)) for n in range(6)]


def test_past_the_pipelining_bound_the_queued_ones_are_answered_and_the_connection_closed(
    address: tuple[str, int],
) -> None:
    data = b"".join(request(n) for n in range(2000))
    got = answers(exchange(address, data))
    # The one being answered, and `max_pipelined` waiting behind it; none out of order.
    assert 1 <= len(got) <= MAX_PIPELINED + 1
    assert got == [(200, str(n)) for n in range(len(got))]


def test_a_pipelining_client_within_the_bound_is_answered_in_full(
    address: tuple[str, int],
) -> None:
    data = b"".join(request(n, close=n == MAX_PIPELINED) for n in range(MAX_PIPELINED + 1))
    got = answers(exchange(address, data))
    assert got == [(200, str(n)) for n in range(MAX_PIPELINED + 1)]


def test_a_slow_answer_to_a_pipelined_request_is_not_cut_by_the_head_deadline(
    address: tuple[str, int],
) -> None:
    # The second request was whole before the first was answered; the head deadline armed
    # after the first answer closed the connection while the second was being answered.
    data = request(0) + request(1, path="/slow", close=True)
    assert answers(exchange(address, data)) == [(200, "0"), (200, "1")]


def test_nonsense_bounds_are_refused() -> None:
    with pytest.raises(ValueError, match="max_pipelined"):
        BoundedHttpToolsProtocol.with_limits(max_pipelined=0)
