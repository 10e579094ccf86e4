"""Blocking mail clients (poplib, imaplib) in a worker thread the event loop can stop.

POP3 and IMAP have no maintained asyncio client (MAIL.md), so their halves of the check run
in worker threads with a socket timeout per step. asyncio cannot cancel a thread: when
the whole protocol's budget runs out, shutting its sockets down makes the blocked call
return. The threads are the check's own (`_WORKERS`), not asyncio's default pool: that
one has 6 threads on a 2-core server and also resolves every host name the process looks
up, so 20 checks of a silent receiving server queued behind each other and held the
sending side's lookup (reported 'timeout' for a server that refused at once), Slack's and
LINE's. Both clients connect inside their constructors; their `_create_socket` hook is the
one place to hand the socket over before the greeting is read, and to connect somewhere
else than the name TLS verifies (the profile's `connect_host`).
"""

from __future__ import annotations

import asyncio
import contextlib
import contextvars
import functools
import socket
import ssl
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import Final

from bot.mailcheck.failures import clean, log_result
from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.target import STEP_BUDGET, ServerTarget

# More than the checks one replica runs at once (each client may start 20 an hour, each
# conversation 5). Threads start as sessions need them; each waits on a socket, not the CPU.
MAX_WORKERS: Final = 64
_WORKERS: Final = ThreadPoolExecutor(MAX_WORKERS, thread_name_prefix="mailcheck")


class WorkerSockets:
    """The sockets of one worker thread, which the event loop can shut down.

    Closing them at the end also covers a socket a constructor opened and then abandoned
    when the greeting never came.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._aborted = False

    def watch(self, sock: socket.socket) -> None:
        """Track `sock`; shut it at once if the check was already abandoned."""
        with self._lock:
            self._open.append(sock)
            if self._aborted:
                self._shutdown()

    def abort(self) -> None:
        """Shut every socket down, from the event loop: the worker's call returns."""
        with self._lock:
            self._aborted = True
            self._shutdown()

    def close(self) -> None:
        """Close every socket, from the worker, when its session is over."""
        with self._lock:
            for sock in self._open:
                sock.close()
            self._open.clear()

    def _shutdown(self) -> None:
        for sock in self._open:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


def dial(
    sockets: WorkerSockets,
    host: str,
    port: int,
    timeout: float | None,
    tls: tuple[ssl.SSLContext, str] | None = None,
) -> socket.socket:
    """Connect to `host` and, with `tls` (context, name to verify), wrap it at once."""
    sock = socket.create_connection((host, port), timeout)
    sockets.watch(sock)
    if tls is None:
        return sock
    context, server_name = tls
    wrapped = context.wrap_socket(sock, server_hostname=server_name)
    sockets.watch(wrapped)  # wrapping took the file descriptor over from `sock`
    return wrapped


# One session in the worker: (outcome, technical detail, message count or None).
SessionResult = tuple[Outcome, str, int | None]


async def timed_worker(
    server: ServerTarget,
    password: str,
    step_timeout: float,
    session: Callable[[WorkerSockets], SessionResult],
) -> ProtocolResult:
    """Run `session` in a worker thread, bounded in time as a whole, and log its result."""
    started = time.perf_counter()
    sockets = WorkerSockets()
    try:
        async with asyncio.timeout(step_timeout * STEP_BUDGET):
            # As asyncio.to_thread does, but in the check's own threads (module doc).
            run = functools.partial(contextvars.copy_context().run, session, sockets)
            loop = asyncio.get_running_loop()
            outcome, detail, count = await loop.run_in_executor(_WORKERS, run)
    except TimeoutError:
        sockets.abort()
        protocol = server.protocol.value.upper()
        outcome, detail, count = (
            Outcome.TIMEOUT,
            f"the whole {protocol} check ran out of time",
            None,
        )
    result = ProtocolResult(outcome, time.perf_counter() - started, clean(detail, password), count)
    log_result(server.describe(), result)
    return result
