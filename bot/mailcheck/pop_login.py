"""The POP3 half of the login check (poplib in a worker thread): connect, STLS, login, STAT."""

from __future__ import annotations

import asyncio
import contextlib
import enum
import poplib
import re
import socket
import ssl
import threading
import time
from collections.abc import Callable
from typing import Final

from bot.mailcheck.failures import (
    StopCheckError,
    clean,
    log_result,
    network_failure,
    ssl_reason,
)
from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.target import STEP_BUDGET, CheckTarget
from dialogs.profile import Security

CHECK_HEADER: Final = "X-Mailmove-Check"
ROUND_TRIP_SCAN: Final = 20  # newest messages searched for the test mail on each poll
# The same pattern poplib.POP3.apop() requires, so "has a timestamp" means "APOP will run".
APOP_TIMESTAMP: Final = re.compile(rb"\+OK.[^<]*(<.*>)")

# --- POP3 ---------------------------------------------------------------------------------


# What to do once logged in; its number becomes message_count (None: "not found yet").
_PopAction = Callable[[poplib.POP3], int | None]


def count_messages(pop: poplib.POP3) -> int:
    """How many messages the mailbox holds (STAT)."""
    return pop.stat()[0]


class _PopStep(enum.Enum):
    CONNECT = "connect"  # TCP, implicit TLS and the greeting
    STLS = "stls"
    LOGIN = "login"
    MAILBOX = "mailbox"


class _Sockets:
    """The sockets of one POP worker thread, which the event loop can shut down.

    asyncio cannot cancel a thread; shutting its sockets down makes the blocked call
    return. Closing them at the end also covers a socket poplib's constructor opened and
    then abandoned when the greeting never came.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._open: list[socket.socket] = []
        self._aborted = False

    def watch(self, sock: socket.socket) -> None:
        with self._lock:
            self._open.append(sock)
            if self._aborted:
                self._shutdown()

    def abort(self) -> None:
        with self._lock:
            self._aborted = True
            self._shutdown()

    def close(self) -> None:
        with self._lock:
            for sock in self._open:
                sock.close()
            self._open.clear()

    def _shutdown(self) -> None:
        for sock in self._open:
            with contextlib.suppress(OSError):  # already closed
                sock.shutdown(socket.SHUT_RDWR)


# poplib connects and reads the greeting inside its constructor; its _create_socket hook is
# the one place to hand the socket to _Sockets before that read. Were the hook ever renamed,
# only the early release of the thread would be lost: the deadline still holds.
class _WatchedPOP3(poplib.POP3):
    def __init__(self, host: str, port: int, timeout: float, sockets: _Sockets) -> None:
        self._sockets = sockets
        super().__init__(host, port, timeout)

    def _create_socket(self, timeout: float) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout)
        self._sockets.watch(sock)
        return sock


class _WatchedPOP3SSL(poplib.POP3_SSL):
    def __init__(
        self, host: str, port: int, timeout: float, sockets: _Sockets, context: ssl.SSLContext
    ) -> None:
        self._sockets = sockets
        self._tls = context
        super().__init__(host, port, timeout=timeout, context=context)

    def _create_socket(self, timeout: float) -> socket.socket:
        sock = socket.create_connection((self.host, self.port), timeout)
        self._sockets.watch(sock)
        wrapped = self._tls.wrap_socket(sock, server_hostname=self.host)
        self._sockets.watch(wrapped)  # wrapping took the file descriptor over from `sock`
        return wrapped


async def timed_pop(
    target: CheckTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: _PopAction | None = None,
) -> ProtocolResult:
    """The POP half of a check, in a worker thread, bounded in time as a whole."""
    started = time.perf_counter()
    sockets = _Sockets()
    try:
        async with asyncio.timeout(step_timeout * STEP_BUDGET):
            outcome, detail, count = await asyncio.to_thread(
                pop_session,
                target,
                address,
                password,
                step_timeout,
                context,
                action or count_messages,
                sockets,
            )
    except TimeoutError:
        sockets.abort()
        outcome, detail, count = Outcome.TIMEOUT, "the whole POP check ran out of time", None
    result = ProtocolResult(outcome, time.perf_counter() - started, clean(detail, password), count)
    log_result("pop", target.pop_host, target.pop_port, result)
    return result


def pop_session(
    target: CheckTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: _PopAction,
    sockets: _Sockets,
) -> tuple[Outcome, str, int | None]:
    """Run in a worker thread: poplib blocks, and its socket timeout bounds every step."""
    step = _PopStep.CONNECT
    pop: poplib.POP3 | None = None
    try:
        if target.pop_security is Security.TLS:
            pop = _WatchedPOP3SSL(target.pop_host, target.pop_port, step_timeout, sockets, context)
        else:
            pop = _WatchedPOP3(target.pop_host, target.pop_port, step_timeout, sockets)
        if target.pop_security is Security.STARTTLS:
            step = _PopStep.STLS
            _pop_starttls(pop, context)
            sockets.watch(pop.sock)
        step = _PopStep.LOGIN
        mechanism = _pop_authenticate(pop, address, password, target)
        step = _PopStep.MAILBOX
        count = action(pop)
        with contextlib.suppress(poplib.error_proto, OSError):
            pop.quit()  # the login already succeeded
        return Outcome.OK, f"logged in with {mechanism} ({target.pop_security.value})", count
    except StopCheckError as refused:
        return refused.outcome, refused.detail, None
    except (poplib.error_proto, OSError, EOFError) as error:
        outcome, detail = classify_pop_error(error, step.value)
        return outcome, detail, None
    finally:
        if pop is not None:
            with contextlib.suppress(OSError):  # after a failed stls(): EBADF (MAIL.md)
                pop.close()
        sockets.close()


def _pop_starttls(pop: poplib.POP3, context: ssl.SSLContext) -> None:
    try:
        capabilities = pop.capa()
    except poplib.error_proto:
        capabilities = {}  # no CAPA: no way to learn that STLS exists
    if "STLS" not in capabilities:
        raise StopCheckError(Outcome.AUTH_NOT_OFFERED, "server does not offer STLS")
    pop.stls(context)


def _pop_authenticate(pop: poplib.POP3, address: str, password: str, target: CheckTarget) -> str:
    encrypted = target.pop_security is not Security.NONE
    if not encrypted and APOP_TIMESTAMP.search(pop.getwelcome()):
        pop.apop(address, password)  # proves the password without sending it
        return "APOP"
    if encrypted or target.allow_plaintext_login:
        pop.user(address)
        pop.pass_(password)
        return "USER/PASS"
    raise StopCheckError(
        Outcome.AUTH_NOT_OFFERED,
        "no APOP timestamp in the greeting; unencrypted, so USER/PASS is not used",
    )


def classify_pop_error(error: BaseException, step: str) -> tuple[Outcome, str]:
    """Map a poplib (or socket) failure at a step (connect, stls, login, mailbox)."""
    if isinstance(error, ssl.SSLError):
        return Outcome.TLS_ERROR, f"TLS failed: {ssl_reason(error)}"
    if isinstance(error, poplib.error_proto):
        reply = error.args[0] if error.args else b""
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        if step == _PopStep.LOGIN.value:
            return _classify_pop_login_reply(text), f"server replied {text}"
        return Outcome.TEMPORARY_FAILURE, f"server replied {text} ({step})"
    if isinstance(error, TimeoutError):
        return Outcome.TIMEOUT, f"no answer in time ({step}; port filtered, or wrong TLS mode)"
    if isinstance(error, OSError) and step == _PopStep.CONNECT.value:
        return Outcome.UNREACHABLE, network_failure(error)
    return Outcome.TEMPORARY_FAILURE, f"connection lost ({step}): {type(error).__name__}"


def _classify_pop_login_reply(text: str) -> Outcome:
    # RFC 3206 response codes; servers without them answer a bad login with a bare -ERR.
    upper = text.upper()
    if "PLAINTEXT AUTHENTICATION DISALLOWED" in upper:
        return Outcome.AUTH_NOT_OFFERED
    if "[SYS/TEMP]" in upper or "[IN-USE]" in upper or "[LOGIN-DELAY]" in upper:
        return Outcome.TEMPORARY_FAILURE
    return Outcome.AUTH_FAILED


def find_token(pop: poplib.POP3, token: str) -> int | None:
    """The mailbox's message count once the round-trip message is in it, else None."""
    count = count_messages(pop)
    wanted = f"{CHECK_HEADER}: {token}".encode().lower()
    for number in range(count, max(0, count - ROUND_TRIP_SCAN), -1):
        _, lines, _ = pop.top(number, 0)
        if any(line.lower().strip() == wanted for line in lines):
            return count
    return None
