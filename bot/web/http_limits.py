"""Limits on a request's head (request line and headers) and body that uvicorn's httptools lacks.

uvicorn's httptools protocol concatenates the URL and keeps the headers for as long as a
client sends them, with no limit and no deadline: one socket sending `GET /` and 150 MB of
`a` made the process grow by 190 MB and stalled every other request for seconds, and a few
hundred sockets each sending half a request held every file descriptor. h11 (uvicorn's
other parser) bounds the head but halves the throughput, so this keeps httptools and adds
the bounds:
- a head larger than `max_head` bytes gets 431 and the connection is closed;
- a connection that has not finished its head `head_timeout` seconds after it opened (or
  after its previous response, for keep-alive) is closed;
- a body not whole `body_timeout` seconds after its head gets 408 and the connection is
  closed: a client that declares 100 bytes and sends one held its request (and its
  connection) open for as long as it liked. The size of a body is bounded by
  `bot.web.body_limit`;
- an HTTP/1.1 request without a Host header, or any request with more than one, gets 400
  and the connection is closed, as RFC 9112 section 3.2 requires (neither httptools nor
  uvicorn checks it: both were served 200, the app reading the first of two Hosts while a
  proxy in front may have routed by the other); so does a Host that is not a host and an
  optional port (`a b`, `x@y`, `a/b`, `[::1`, a byte past ASCII: the same section's
  "invalid field value", which were served 200 too);
- a request whose Transfer-Encoding is anything but `chunked` alone gets 501 (RFC 9112
  section 6.1: a coding the server does not understand), and an HTTP/1.0 request that
  names one gets 400 (its framing is faulty, RFC 9112 section 6.1); the connection is
  closed. httptools framed `gzip, chunked` by its last coding and handed the app the
  still-compressed bytes as the body, and framed an HTTP/1.0 request by a Transfer-Encoding
  that a proxy in front must not read there (it frames such a request by Content-Length or
  by the connection's end): two readers, two ideas of where the request ends;
- a WebSocket handshake is not taken (the app serves none): it is served as a plain request,
  and the warning it causes is said once a minute like the others;
- pipelined requests: each head has the limit to itself, and at most `max_pipelined` are
  read ahead of the one being answered. httptools parses every request in what one read
  brings and uvicorn queues each with its scope, headers and an event: one connection
  writing `GET /healthz` thousands of times queued about 5,000 (27 MB, given back only by
  Python's full garbage collection; 30 such connections took a replica from 214 to 842 MB).
  Past the bound the connection reads nothing more, the queued requests are answered in
  order and the connection is closed after the last (RFC 9112 section 9.3.2: the client
  sends the rest again).
Each refusal's warning (uvicorn's "Invalid HTTP request received." included) is said when
it starts and then once a minute with how many requests it stands for: one client wrote
3,000 lines in 0.8 s, burying what an operator looks for.
In production a buffering reverse proxy (nginx, an ingress controller, a cloud load
balancer) stands in front and absorbs slow clients; these bounds keep a direct client, or a
proxy that passes them through, from taking the process down.
"""

from __future__ import annotations

import asyncio
import collections
import ipaddress
import logging
import re
from typing import Any, ClassVar, Final

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from bot.ops.repeated import Repeated

# A browser's head is under 8 KiB; nginx refuses heads over 4 × 8 KiB by default.
MAX_HEAD: Final = 64 * 1024
HEAD_TIMEOUT: Final = 10.0
# The largest body taken (64 KiB) arrives in a few seconds even over a poor mobile link.
BODY_TIMEOUT: Final = 30.0
# Requests read ahead of the one being answered. Browsers do not pipeline; a client that
# does is answered these and the rest on a new connection.
MAX_PIPELINED: Final = 16
_TOO_LARGE: Final = b"request line and headers too large"
_NOT_ONE_HOST: Final = "a request needs exactly one Host header (RFC 9112 section 3.2)"
_NOT_A_HOST: Final = "the Host header must be a host and an optional port (RFC 9112 section 3.2)"
_CODING_NOT_IMPLEMENTED: Final = b"only Transfer-Encoding: chunked is understood (RFC 9112 6.1)"
_CODING_IN_HTTP_1_0: Final = "an HTTP/1.0 request cannot carry Transfer-Encoding (RFC 9112 6.1)"
# RFC 9110 section 7.2's Host = uri-host [ ":" port ], in RFC 3986 section 3.2.2's words: an
# IP-literal in brackets (read by `ipaddress` below), or an IPv4 address or reg-name (unreserved
# characters, percent-encodings, sub-delims), then digits after a colon. Empty is allowed (RFC
# 9112 section 3.2: a target without an authority). Neither httptools, uvicorn nor Starlette
# checks it, and urllib's parsing takes `a b`; IPvFuture literals are left out (no client
# sends them).
_HOST: Final = re.compile(
    rb"(?:\[(?P<literal>[0-9A-Fa-f:.]+)\]|(?:[A-Za-z0-9\-._~!$&'()*+,;=]|%[0-9A-Fa-f]{2})*)"
    rb"(?::[0-9]*)?"
)


def is_host(value: bytes) -> bool:
    """Whether a Host header's value is a host (name, IPv4, [IPv6]) and an optional port."""
    matched = _HOST.fullmatch(value)
    if matched is None:
        return False
    literal = matched.group("literal")
    if literal is None:
        return True
    try:
        ipaddress.IPv6Address(literal.decode("ascii"))
    except ValueError:
        return False
    return True


_HEAD_TOO_LARGE: Final = "Refused a request head over %d bytes"
_BODY_TOO_SLOW: Final = "Refused a request body not received in %.0f s"
_PIPELINED_TOO_FAR: Final = "Closing a connection that pipelined more than %d requests"
# What uvicorn's protocol warns of, each a client's doing, and this module's refusals.
_CLIENTS_DOING: Final = frozenset(
    {
        "Invalid HTTP request received.",
        "Unsupported upgrade request.",
        "Exceeded concurrency limit.",
        _HEAD_TOO_LARGE,
        _BODY_TOO_SLOW,
        _PIPELINED_TOO_FAR,
    }
)


# What uvicorn adds to "Unsupported upgrade request." when it has no WebSocket protocol: advice
# to install one, which this server goes without on purpose (it serves no WebSocket).
_NO_WEBSOCKET_LIBRARY: Final = "No supported WebSocket library detected."


class _ClientWarnings(logging.Filter):
    """Warnings a client causes at will, each said once a minute with its count."""

    def __init__(self) -> None:
        super().__init__()
        self._said: collections.defaultdict[str, Repeated] = collections.defaultdict(Repeated)

    def filter(self, record: logging.LogRecord) -> bool:
        """Let the first through, then one a minute, standing for the ones held back."""
        if isinstance(record.msg, str) and record.msg.startswith(_NO_WEBSOCKET_LIBRARY):
            return False
        if record.levelno != logging.WARNING or record.msg not in _CLIENTS_DOING:
            return True
        count = self._said[record.msg].happened()
        if not count:
            return False
        record.msg = f"{record.msg} ({count} request(s))"
        return True


# One for the process: every connection's protocol logs through the same uvicorn logger.
_CLIENT_WARNINGS: Final = _ClientWarnings()


class _HeadTooLargeError(Exception):
    """Raised from a parser callback to stop parsing a head past the limit."""


class _NotOneHostError(Exception):
    """Raised from a parser callback to stop a request without exactly one Host header."""


class _TransferCodingError(Exception):
    """Raised from a parser callback to stop a request whose Transfer-Encoding is refused."""


class _PipelinedTooFarError(Exception):
    """Raised from a parser callback to stop reading requests past `max_pipelined`."""


class BoundedHttpToolsProtocol(HttpToolsProtocol):
    """uvicorn's httptools protocol with limits on each request's head and a body deadline."""

    max_head: ClassVar[int] = MAX_HEAD
    head_timeout: ClassVar[float] = HEAD_TIMEOUT
    body_timeout: ClassVar[float] = BODY_TIMEOUT
    max_pipelined: ClassVar[int] = MAX_PIPELINED

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.logger.addFilter(_CLIENT_WARNINGS)  # once: a logger keeps a filter only once
        # No WebSocket handshake is taken: mailmove has no WebSocket route, and uvicorn logged
        # each handshake the app then refused in two INFO lines, with the path (a login-check
        # link) and held back by nothing (1,032 lines in 2 s from one client). A handshake is
        # now "Unsupported upgrade request." (said once a minute) and served as the plain
        # request it also is.
        self.ws_protocol_class = None
        self._in_head = True
        self._head_bytes = 0
        self._hosts = 0
        self._not_one_host = False
        self._host_valid = True
        # The request's transfer codings, every Transfer-Encoding line's in order.
        self._codings: list[bytes] = []
        self._bad_coding = False
        self._head_deadline: asyncio.TimerHandle | None = None
        self._body_deadline: asyncio.TimerHandle | None = None
        # Set once `max_pipelined` requests wait: nothing more is read from the connection.
        self._read_enough = False

    @classmethod
    def with_limits(
        cls,
        *,
        max_head: int = MAX_HEAD,
        head_timeout: float = HEAD_TIMEOUT,
        body_timeout: float = BODY_TIMEOUT,
        max_pipelined: int = MAX_PIPELINED,
    ) -> type[BoundedHttpToolsProtocol]:
        """A protocol class for uvicorn's `http=` with these limits."""
        if max_head < 1024 or head_timeout <= 0 or body_timeout <= 0 or max_pipelined < 1:
            raise ValueError(
                "max_head must be at least 1024 bytes, head_timeout and body_timeout positive,"
                " max_pipelined at least 1"
            )
        limits = {
            "max_head": max_head,
            "head_timeout": head_timeout,
            "body_timeout": body_timeout,
            "max_pipelined": max_pipelined,
        }
        return type(cls.__name__, (cls,), limits)

    def connection_made(self, transport: asyncio.Transport) -> None:  # type: ignore[override]
        """Start the deadline for the first request's head."""
        super().connection_made(transport)
        self._await_head()

    def on_url(self, url: bytes) -> None:
        """Keep a piece of the URL, unless the head has grown past `max_head`."""
        self._count(len(url))
        super().on_url(url)

    def data_received(self, data: bytes) -> None:
        """Parse `data`, unless `max_pipelined` requests already wait (then drop it)."""
        if self._in_head and self._head_deadline is None and not self._read_enough:
            # The first bytes of a keep-alive connection's next request: its head is bounded
            # from here, as a new connection's is from its start.
            self._head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)
        if not self._read_enough:
            super().data_received(data)

    def on_message_begin(self) -> None:
        """A new request: none of its head counted yet (pipelined ones included)."""
        if len(self.pipeline) >= self.max_pipelined:
            # Raised before uvicorn builds the request: nothing more of it is kept.
            self._read_enough = True
            raise _PipelinedTooFarError
        self._head_bytes = 0
        self._hosts = 0
        self._not_one_host = False
        self._host_valid = True
        self._codings = []
        self._bad_coding = False
        super().on_message_begin()

    def on_header(self, name: bytes, value: bytes) -> None:
        """Keep a header, unless the head has grown past `max_head`."""
        self._count(len(name) + len(value))
        # httptools calls back once per header line (a value split across reads is joined
        # before), so this counts lines, which is what the RFC counts.
        lowered = name.lower()
        if lowered == b"host":
            self._hosts += 1
            self._host_valid = is_host(value)
        elif lowered == b"transfer-encoding":
            self._codings += [coding.strip().lower() for coding in value.split(b",")]
        super().on_header(name, value)

    def _count(self, size: int) -> None:
        # The parser calls back with each piece as it arrives, so nothing past the limit is
        # ever kept; raising here stops the parser, which uvicorn answers with a 400...
        self._head_bytes += size
        if self._head_bytes > self.max_head:
            raise _HeadTooLargeError

    def send_400_response(self, msg: str) -> None:
        """...made a 431 when it was the size of the head, and said why for the Host.

        Past `max_pipelined`, nothing: the requests waiting are answered first, in order,
        and the last of them closes the connection.
        """
        if self._read_enough:
            self.logger.warning(_PIPELINED_TOO_FAR, self.max_pipelined)
            if self.pipeline:
                last, _ = self.pipeline[0]  # queued with appendleft: the newest is first
                last.keep_alive = False
            else:
                self.transport.close()
            return
        if self._head_bytes > self.max_head:
            self._stop_deadline()
            self.logger.warning(_HEAD_TOO_LARGE, self.max_head)
            self._refuse(431, "Request Header Fields Too Large", _TOO_LARGE)
        elif self._not_one_host:
            super().send_400_response(_NOT_ONE_HOST if self._host_valid else _NOT_A_HOST)
        elif self._bad_coding and self.parser.get_http_version() == "1.0":
            super().send_400_response(_CODING_IN_HTTP_1_0)
        elif self._bad_coding:
            self._refuse(501, "Not Implemented", _CODING_NOT_IMPLEMENTED)
        else:
            super().send_400_response(msg)

    def on_headers_complete(self) -> None:
        """The head is whole: its limits end, the body's deadline starts."""
        self._in_head = False
        self._stop_deadline()
        if (
            self._hosts > 1
            or (self._hosts == 0 and self.parser.get_http_version() == "1.1")
            or not self._host_valid
        ):
            # Raised before uvicorn builds the request, so the app never sees it.
            self._not_one_host = True
            raise _NotOneHostError
        if self._codings and (
            self._codings != [b"chunked"] or self.parser.get_http_version() == "1.0"
        ):
            self._bad_coding = True
            raise _TransferCodingError
        super().on_headers_complete()
        self._stop_body_deadline()
        self._body_deadline = self.loop.call_later(self.body_timeout, self._body_too_slow)

    def on_message_complete(self) -> None:
        """The body is whole (at once for a request without one)."""
        self._stop_body_deadline()
        super().on_message_complete()

    def on_response_complete(self) -> None:
        """A keep-alive connection's next head is bounded again.

        Not while a pipelined request, read whole before, is answered now: its head came in
        time, and the deadline would close the connection under its answer (a login check
        takes up to 105 s). The deadline starts after the last one waiting is answered.
        """
        waiting = bool(self.pipeline)
        cycle = self.cycle
        if cycle is not None and cycle.response_complete:
            # What the client sent of the body before the answer, which the app never read:
            # uvicorn kept it with the answered request until the connection's next request
            # or its end (up to 30 s, the body deadline, for a client that trickles the rest).
            # 1,500 connections each sending 256 KiB to a route answering 413 unread held
            # 188 MB, outside the budget of bodies in flight (bot.web.body_limit), which
            # counts only what the app reads. Nothing reads it after the answer.
            cycle.body = bytearray()
        super().on_response_complete()
        if not waiting and not self.transport.is_closing():
            # Idle until the next request is uvicorn's keep-alive (MAILMOVE_KEEP_ALIVE), not
            # the head deadline, which starts with the next request's first bytes
            # (`data_received`).
            self._await_head(idle=True)

    def connection_lost(self, exc: Exception | None) -> None:
        """Drop the deadlines and the requests still waiting with the connection."""
        self._stop_deadline()
        self._stop_body_deadline()
        super().connection_lost(exc)
        # Each waiting request refers back to this protocol (its `on_response`): cleared,
        # they go now rather than at the next full garbage collection.
        self.pipeline.clear()

    def _await_head(self, *, idle: bool = False) -> None:
        self._in_head = True
        self._head_bytes = 0
        self._stop_deadline()
        if not idle:
            self._head_deadline = self.loop.call_later(self.head_timeout, self._head_too_slow)

    def _stop_deadline(self) -> None:
        if self._head_deadline is not None:
            self._head_deadline.cancel()
            self._head_deadline = None

    def _stop_body_deadline(self) -> None:
        if self._body_deadline is not None:
            self._body_deadline.cancel()
            self._body_deadline = None

    def _body_too_slow(self) -> None:
        self._body_deadline = None
        if self.transport.is_closing():
            return
        cycle = self.cycle
        if cycle is not None and not cycle.response_started:
            self.logger.warning(_BODY_TOO_SLOW, self.body_timeout)
            self._refuse(408, "Request Timeout", b"request body not received in time")
        else:
            # Already answered (a refusal that did not wait for the body): just close.
            self.transport.close()

    def _head_too_slow(self) -> None:
        self._head_deadline = None
        if self._in_head and not self.transport.is_closing():
            if self._head_bytes:
                self._refuse(408, "Request Timeout", b"request head not received in time")
            else:
                # Nothing asked, so nothing to answer (an idle or keep-alive connection).
                self.transport.close()

    def _refuse(self, status: int, reason: str, message: bytes) -> None:
        self.transport.write(
            b"HTTP/1.1 %d %s\r\ncontent-type: text/plain; charset=utf-8\r\n"
            b"content-length: %d\r\nconnection: close\r\n\r\n%s"
            % (status, reason.encode(), len(message), message)
        )
        self.transport.close()
