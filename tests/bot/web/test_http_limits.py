"""A request's head is bounded in size and in time, its body in time, under real uvicorn."""

from __future__ import annotations

import logging
import select
import socket
from collections.abc import Iterator
from typing import Any, ClassVar, Final
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response
from starlette.routing import Route

from bot.web.http_limits import BoundedHttpToolsProtocol
from testbed.loopback import serving

MAX_HEAD: Final = 4096
HEAD_TIMEOUT: Final = 0.5
BODY_TIMEOUT: Final = 0.5
# Bounds every wait on a socket: a refusal arrives long before.
SOCKET_TIMEOUT: Final = 10.0


async def healthz(_: Request) -> Response:
    return PlainTextResponse("ok")


async def length(request: Request) -> Response:
    return PlainTextResponse(str(len(await request.body())))


@pytest.fixture(scope="module")
def address() -> Iterator[tuple[str, int]]:
    app = Starlette(routes=[Route("/healthz", healthz), Route("/length", length, methods=["POST"])])
    protocol = BoundedHttpToolsProtocol.with_limits(
        max_head=MAX_HEAD, head_timeout=HEAD_TIMEOUT, body_timeout=BODY_TIMEOUT
    )
    with serving(app, http=protocol) as url:
        parts = urlsplit(url)
        yield parts.hostname or "127.0.0.1", parts.port or 80


def connect(address: tuple[str, int]) -> socket.socket:
    sock = socket.create_connection(address, timeout=SOCKET_TIMEOUT)
    sock.settimeout(SOCKET_TIMEOUT)
    return sock


def read_all(sock: socket.socket) -> bytes:
    """Everything the server sends until it closes the connection."""
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def test_a_request_line_past_the_limit_gets_431_and_the_connection_closes(
    address: tuple[str, int],
) -> None:
    with connect(address) as sock:
        sock.sendall(b"GET /" + b"a" * (MAX_HEAD + 1))
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 431 ")
    assert httpx.get(f"http://{address[0]}:{address[1]}/healthz").text == "ok"


def test_headers_past_the_limit_get_431(address: tuple[str, int]) -> None:
    headers = b"".join(b"x-filler-%d: %s\r\n" % (n, b"b" * 100) for n in range(60))
    with connect(address) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: x\r\n" + headers + b"\r\n")
        assert read_all(sock).startswith(b"HTTP/1.1 431 ")


def test_a_head_not_finished_in_time_gets_408_and_is_closed(address: tuple[str, int]) -> None:
    with connect(address) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: x\r\n")
        assert read_all(sock).startswith(b"HTTP/1.1 408 ")


def test_a_connection_that_sends_nothing_is_closed(address: tuple[str, int]) -> None:
    with connect(address) as sock:
        assert read_all(sock) == b""


def test_a_body_is_not_part_of_the_head(address: tuple[str, int]) -> None:
    body = b"x" * (MAX_HEAD * 4)
    answered = httpx.post(f"http://{address[0]}:{address[1]}/length", content=body)
    assert answered.text == str(len(body))


def test_a_body_not_finished_in_time_gets_408_and_is_closed(address: tuple[str, int]) -> None:
    # A slow body held its connection and its request for as long as the client liked.
    with connect(address) as sock:
        sock.sendall(b"POST /length HTTP/1.1\r\nhost: x\r\ncontent-length: 100\r\n\r\n{")
        assert read_all(sock).startswith(b"HTTP/1.1 408 ")
    assert httpx.get(f"http://{address[0]}:{address[1]}/healthz").text == "ok"


def test_a_body_sent_in_time_is_read_whole(address: tuple[str, int]) -> None:
    with connect(address) as sock:
        sock.sendall(b"POST /length HTTP/1.1\r\nhost: x\r\ncontent-length: 4\r\n\r\nab")
        sock.sendall(b"cd")
        assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")


def test_a_keep_alive_connection_serves_requests_one_after_another(
    address: tuple[str, int],
) -> None:
    with httpx.Client(base_url=f"http://{address[0]}:{address[1]}") as client:
        assert [client.get("/healthz").text for _ in range(3)] == ["ok"] * 3


def test_nonsense_limits_are_refused() -> None:
    with pytest.raises(ValueError, match="max_head"):
        BoundedHttpToolsProtocol.with_limits(max_head=10)
    with pytest.raises(ValueError, match="head_timeout"):
        BoundedHttpToolsProtocol.with_limits(head_timeout=0)
    with pytest.raises(ValueError, match="body_timeout"):
        BoundedHttpToolsProtocol.with_limits(body_timeout=-1)


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(b"GET /healthz HTTP/1.1\r\n\r\n", id="HTTP/1.1 without Host"),
        pytest.param(b"GET /healthz HTTP/1.1\r\nhost: a\r\nhost: b\r\n\r\n", id="two Hosts"),
        pytest.param(b"GET /healthz HTTP/1.1\r\nHost: a\r\nhOST: a\r\n\r\n", id="same Host twice"),
        pytest.param(b"GET /healthz HTTP/1.0\r\nhost: a\r\nhost: b\r\n\r\n", id="HTTP/1.0, two"),
    ],
)
def test_a_request_without_one_host_gets_400_and_is_closed(
    address: tuple[str, int], head: bytes
) -> None:
    # RFC 9112 section 3.2: a server MUST answer 400 to an HTTP/1.1 request without Host and
    # to any request with more than one (a proxy and the app could each read another one).
    with connect(address) as sock:
        sock.sendall(head)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Host" in answer.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize(
    "head",
    [
        pytest.param(b"GET /healthz HTTP/1.1\r\nHost: a\r\nconnection: close\r\n\r\n", id="1.1"),
        pytest.param(b"GET /healthz HTTP/1.0\r\n\r\n", id="HTTP/1.0 needs none"),
    ],
)
def test_a_request_with_one_host_or_an_http_1_0_one_without_is_served(
    address: tuple[str, int], head: bytes
) -> None:
    with connect(address) as sock:
        sock.sendall(head)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b"ok")


@pytest.mark.parametrize(
    "host",
    [
        pytest.param(b"a b", id="a space"),
        pytest.param(b"x@y", id="userinfo"),
        pytest.param(b"a/b", id="a path"),
        pytest.param(b"a?b", id="a query"),
        pytest.param(b"a#b", id="a fragment"),
        pytest.param(b"[::1", id="an unclosed IPv6 literal"),
        pytest.param(b"[zz]", id="not an IPv6 address"),
        pytest.param(b"a:b", id="a port that is not a number"),
        pytest.param(b"%zz", id="a broken percent-encoding"),
        pytest.param(b"\xff", id="a byte past ASCII"),
    ],
)
def test_a_host_that_is_not_a_host_gets_400_and_is_closed(
    address: tuple[str, int], host: bytes
) -> None:
    # RFC 9112 section 3.2: 400 also for "a Host header field with an invalid field value"
    # (RFC 9110 section 7.2: uri-host [ ":" port ]). Each of these was served 200.
    with connect(address) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: " + host + b"\r\n\r\n")
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 400 ")
    assert b"Host" in answer.partition(b"\r\n\r\n")[2]


@pytest.mark.parametrize(
    "host",
    [
        b"mailmove.example.jp",
        b"mailmove.example.jp.",
        b"10.0.0.7:8080",
        b"[::1]:8080",
        b"[2001:db8::7]",
        b"my_host-1:",
        b"",  # RFC 9112 section 3.2: a target without an authority
    ],
)
def test_every_kind_of_host_is_served(address: tuple[str, int], host: bytes) -> None:
    with connect(address) as sock:
        sock.sendall(b"GET /healthz HTTP/1.1\r\nHost: " + host + b"\r\nconnection: close\r\n\r\n")
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")


CHUNKED_BODY: Final = b"2\r\n{}\r\n0\r\n\r\n"


@pytest.mark.parametrize(
    ("version", "codings", "status"),
    [
        pytest.param(b"1.1", [b"gzip, chunked"], b"501", id="gzip, chunked"),
        pytest.param(b"1.1", [b"gzip", b"chunked"], b"501", id="gzip and chunked, two lines"),
        pytest.param(b"1.1", [b"identity, chunked"], b"501", id="identity, chunked"),
        pytest.param(b"1.1", [b"x-made-up, chunked"], b"501", id="a made-up coding"),
        pytest.param(b"1.0", [b"chunked"], b"400", id="HTTP/1.0 with Transfer-Encoding"),
    ],
)
def test_a_transfer_coding_other_than_chunked_is_refused_and_the_connection_closed(
    address: tuple[str, int], version: bytes, codings: list[bytes], status: bytes
) -> None:
    # RFC 9112 section 6.1. httptools framed `gzip, chunked` by its last coding and gave the
    # app the still-compressed bytes as the body (200); and it framed an HTTP/1.0 request by
    # a Transfer-Encoding, which a proxy in front frames by Content-Length or the
    # connection's end: two readers disagreeing on where a request ends.
    lines = b"".join(b"transfer-encoding: %s\r\n" % coding for coding in codings)
    with connect(address) as sock:
        sock.sendall(
            b"POST /length HTTP/%s\r\nhost: x\r\n%s\r\n%s" % (version, lines, CHUNKED_BODY)
        )
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 %s " % status)
    assert b"Transfer-Encoding" in answer.partition(b"\r\n\r\n")[2]


def test_a_chunked_body_is_still_read(address: tuple[str, int]) -> None:
    with connect(address) as sock:
        head = b"POST /length HTTP/1.1\r\nhost: x\r\ntransfer-encoding: Chunked\r\n"
        sock.sendall(head + b"connection: close\r\n\r\n" + CHUNKED_BODY)
        answer = read_all(sock)
    assert answer.startswith(b"HTTP/1.1 200 ")
    assert answer.endswith(b"\r\n\r\n2")


def test_a_flood_of_malformed_requests_is_said_once_with_its_count(
    address: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    # uvicorn writes "Invalid HTTP request received." for each: one client wrote 3,000
    # warning lines in 0.8 s, burying the lines an operator looks for.
    with caplog.at_level(logging.WARNING, logger="uvicorn.error"):
        for _ in range(50):
            with connect(address) as sock:
                sock.sendall(b"GET /healthz HTTP/1.1\r\nhost: a\x01\r\n\r\n")
                assert read_all(sock).startswith(b"HTTP/1.1 400 ")
    said = [r for r in caplog.records if r.getMessage().startswith("Invalid HTTP request")]
    # Said when it starts (unless an earlier test's were said within the minute), then
    # once a minute with how many requests the line stands for.
    assert len(said) <= 1
    assert all(r.getMessage().endswith(" request(s))") for r in said)


def test_a_flood_of_websocket_handshakes_is_not_a_line_each(
    address: tuple[str, int], caplog: pytest.LogCaptureFixture
) -> None:
    # mailmove serves no WebSocket, but uvicorn took each handshake and, once the app
    # refused it, wrote two INFO lines ('127.0.0.1:39192 - "WebSocket /check/<link>" 403',
    # 'connection rejected (403 Forbidden)'), none held back: one client wrote 1,032 lines
    # in 2 s, with the path it asked for (a login-check link, a percent-encoded address).
    handshake = (
        b"GET /check/secret-link HTTP/1.1\r\nhost: x\r\nconnection: Upgrade, close\r\n"
        b"upgrade: websocket\r\nsec-websocket-key: dGhlIHNhbXBsZSBub25jZQ==\r\n"
        b"sec-websocket-version: 13\r\n\r\n"
    )
    with caplog.at_level(logging.INFO, logger="uvicorn"):
        for _ in range(50):
            with connect(address) as sock:
                sock.sendall(handshake)
                answer = read_all(sock)
            # Read as the plain request it also is: no route, so 404, never a switch.
            assert answer.startswith(b"HTTP/1.1 404 ")
    said = [r.getMessage() for r in caplog.records if r.name.startswith("uvicorn")]
    assert not any("secret-link" in line for line in said)
    assert len(said) <= 1


class _Recording(BoundedHttpToolsProtocol):
    """The bounded protocol, keeping each request's cycle for the test to look into."""

    cycles: ClassVar[list[Any]] = []

    def on_headers_complete(self) -> None:
        super().on_headers_complete()
        self.cycles.append(self.cycle)


def test_a_body_answered_unread_is_not_kept_with_the_answered_request() -> None:
    # 1,500 connections each sending 256 KiB to a route that answered 413 unread held 188 MB
    # until each sent the rest or reached the body deadline (bench/body_flood.py): uvicorn
    # kept what it had read of each body with the answered request.
    app = Starlette(routes=[Route("/healthz", healthz, methods=["GET", "POST"])])
    with serving(app, http=_Recording) as url:
        parts = urlsplit(url)
        where = (parts.hostname or "127.0.0.1", parts.port or 80)
        with connect(where) as sock:
            sock.sendall(
                b"POST /healthz HTTP/1.1\r\nhost: x\r\ncontent-length: 60000\r\n\r\n" + b"a" * 50000
            )
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            # Another connection answered: the server's loop has finished the first answer
            # (the answered request's bookkeeping runs in the same step as its last write).
            assert httpx.get(f"{url}/healthz").text == "ok"
            [answered, _] = _Recording.cycles
            assert answered.response_complete
            # The connection is still open, its body unfinished: nothing of it is kept.
            assert len(answered.body) == 0


def test_a_keep_alive_connection_waits_idle_past_the_head_deadline_for_the_proxy() -> None:
    """Idle between requests is the keep-alive's time, not the 10 s a head may take.

    A proxy in front (ingress-nginx 60 s, AWS' load balancers 60 s) keeps idle upstream
    connections longer than uvicorn's 5 s, and the head deadline closed them at 10 s: a
    request the proxy wrote as the server closed got the proxy's 502, and a POST is not sent
    again. Here the deadline is 0.5 s and the keep-alive 30 s.
    """
    app = Starlette(routes=[Route("/healthz", healthz)])
    protocol = BoundedHttpToolsProtocol.with_limits(head_timeout=HEAD_TIMEOUT)
    request = b"GET /healthz HTTP/1.1\r\nhost: x\r\n\r\n"
    with serving(app, http=protocol, timeout_keep_alive=30) as url:
        parts = urlsplit(url)
        with connect((parts.hostname or "127.0.0.1", parts.port or 80)) as sock:
            sock.sendall(request)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            # Four head deadlines of idleness: the server neither writes nor closes.
            readable, _, _ = select.select([sock], [], [], 4 * HEAD_TIMEOUT)
            assert readable == []
            sock.sendall(request)
            assert sock.recv(65536).startswith(b"HTTP/1.1 200 ")
            # The next head, once begun, is bounded again: a slow one still gets 408.
            sock.sendall(b"GET /healthz HTTP/1.1\r\n")
            assert read_all(sock).startswith(b"HTTP/1.1 408 ")
