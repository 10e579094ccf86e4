"""The live login check: log in to the profile's SMTP and POP servers, send no mail.

shared/MAIL.md records how aiosmtplib, poplib and real servers behave; the failure
classification follows its order. The password is an argument used in memory only: it is
never logged, never put in a result, and never sent in clear text over an unencrypted
connection unless the profile allows it (challenge-response only: CRAM-MD5, APOP).
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import enum
import logging
import poplib
import re
import secrets
import socket
import ssl
import threading
import time
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Final, TypeVar

import aiosmtplib

from dialogs.profile import MigrationProfile, Security

_LOGGER: Final = logging.getLogger(__name__)
_E = TypeVar("_E", bound=BaseException)

DEFAULT_TIMEOUT: Final = 15.0
# Every network step has `timeout`; a whole protocol (connect, greeting, TLS, login, count,
# quit) gets this many steps' worth, so a server that answers just in time at every step,
# or dribbles a line byte by byte, still cannot hold a check for long.
_STEP_BUDGET: Final = 4
_DETAIL_MAX: Final = 200
_CHECK_HEADER: Final = "X-Mailmove-Check"
_ROUND_TRIP_SCAN: Final = 20  # newest messages searched for the test mail on each poll
# The same pattern poplib.POP3.apop() requires, so "has a timestamp" means "APOP will run".
_APOP_TIMESTAMP: Final = re.compile(rb"\+OK.[^<]*(<.*>)")


class Outcome(enum.StrEnum):
    """What one protocol's check came to; the dialog words a fix for each."""

    OK = "ok"
    AUTH_FAILED = "auth_failed"  # wrong account or password
    UNREACHABLE = "unreachable"  # refused, or the host name does not resolve
    TIMEOUT = "timeout"  # no answer in time: filtered port or wrong TLS mode
    TLS_ERROR = "tls_error"  # handshake or certificate failure
    AUTH_NOT_OFFERED = "auth_not_offered"  # no AUTH, no safe mechanism, or no STARTTLS
    TEMPORARY_FAILURE = "temporary_failure"  # 4xx, dropped connection, anything else
    NOT_CHECKED = "not_checked"


@dataclass(frozen=True, slots=True)
class ProtocolResult:
    """One protocol's outcome; `detail` is technical (for agents), never holds the password."""

    outcome: Outcome
    duration: float = 0.0
    detail: str = ""
    message_count: int | None = None  # POP only


_SKIPPED: Final = ProtocolResult(Outcome.NOT_CHECKED)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of a live login check, per protocol."""

    smtp: ProtocolResult
    pop: ProtocolResult

    @property
    def ok(self) -> bool:
        """Whether every protocol that was checked logged in (and at least one was)."""
        checked = [r for r in (self.smtp, self.pop) if r.outcome is not Outcome.NOT_CHECKED]
        return bool(checked) and all(r.outcome is Outcome.OK for r in checked)


@dataclass(frozen=True, slots=True)
class RoundTripResult:
    """A test message sent to the subscriber's own address, then looked for over POP."""

    send: ProtocolResult
    receive: ProtocolResult  # OK once the message is seen; TIMEOUT if it never came

    @property
    def delivered(self) -> bool:
        """Whether the test message was sent and arrived."""
        return self.send.outcome is Outcome.OK and self.receive.outcome is Outcome.OK


@dataclass(frozen=True, slots=True)
class CheckTarget:
    """Where the check connects: always the profile's new servers, never a user's host."""

    smtp_host: str
    smtp_port: int
    smtp_security: Security
    pop_host: str
    pop_port: int
    pop_security: Security
    allow_plaintext_login: bool

    @classmethod
    def from_profile(cls, profile: MigrationProfile) -> CheckTarget:
        """The new submission and POP servers of a migration profile."""
        return cls(
            smtp_host=profile.outgoing.new_host,
            smtp_port=profile.outgoing.port,
            smtp_security=profile.outgoing.security,
            pop_host=profile.incoming.new_host,
            pop_port=profile.incoming.port,
            pop_security=profile.incoming.security,
            allow_plaintext_login=profile.allow_plaintext_login,
        )


class _StopCheckError(Exception):
    """A check that stops on our side (nothing safe to try); carries its outcome."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


async def check_login(
    target: CheckTarget,
    address: str,
    password: str,
    *,
    # Per network step, not for the call: asyncio.timeout() around it could not say that.
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109
    tls_context: ssl.SSLContext | None = None,
    check_smtp: bool = True,
    check_pop: bool = True,
) -> CheckResult:
    """Log in to the SMTP and POP servers at once (no mail sent) and report each outcome.

    `check_smtp=False` suits subscribers who do not send through the provider. Raises
    ValueError only for unusable input (an empty address, a line break, a timeout <= 0);
    every network failure becomes an Outcome.
    """
    _validate(address, password, timeout)
    context = tls_context or ssl.create_default_context()
    smtp, pop = await asyncio.gather(
        _timed_smtp(target, address, password, timeout, context) if check_smtp else _skip(),
        _timed_pop(target, address, password, timeout, context) if check_pop else _skip(),
    )
    return CheckResult(smtp=smtp, pop=pop)


async def round_trip(
    target: CheckTarget,
    address: str,
    password: str,
    *,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - per step, as in check_login
    wait: float = 60.0,
    poll_interval: float = 3.0,
    tls_context: ssl.SSLContext | None = None,
) -> RoundTripResult:
    """Send a test message to `address` through SMTP, then poll POP until it arrives.

    Polling stops after `wait` seconds; the message is left in the mailbox, where the
    subscriber's own mail program shows it as the proof.
    """
    _validate(address, password, timeout)
    if wait < 0 or poll_interval <= 0:
        raise ValueError(f"need wait >= 0 and poll_interval > 0, not {wait}, {poll_interval}")
    context = tls_context or ssl.create_default_context()
    token = secrets.token_hex(12)
    message = _test_message(address, token)

    async def send(client: aiosmtplib.SMTP) -> str:
        await client.send_message(message)
        return "test message accepted"

    sent = await _timed_smtp(target, address, password, timeout, context, send)
    if sent.outcome is not Outcome.OK:
        return RoundTripResult(send=sent, receive=_SKIPPED)

    started = time.perf_counter()
    deadline = started + wait
    while True:
        polled = await _timed_pop(
            target, address, password, timeout, context, lambda pop: _find_token(pop, token)
        )
        elapsed = time.perf_counter() - started
        if polled.outcome is not Outcome.OK or polled.message_count is not None:
            return RoundTripResult(sent, _with(polled, duration=elapsed))
        if time.perf_counter() + poll_interval > deadline:
            detail = f"test message not seen within {wait:g} s"
            return RoundTripResult(sent, ProtocolResult(Outcome.TIMEOUT, elapsed, detail))
        await asyncio.sleep(poll_interval)


# --- shared helpers -----------------------------------------------------------------------


def _validate(address: str, password: str, timeout: float) -> None:
    if not address or any(ch in address for ch in "\r\n\0 \t"):
        raise ValueError("the address must be non-empty, without spaces or line breaks")
    if any(ch in password for ch in "\r\n\0"):
        # The password itself never goes into the message.
        raise ValueError("the password contains a line break or NUL, which no server accepts")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout}")


async def _skip() -> ProtocolResult:
    return _SKIPPED


def _with(result: ProtocolResult, *, duration: float) -> ProtocolResult:
    return ProtocolResult(result.outcome, duration, result.detail, result.message_count)


def _clean(detail: str, password: str) -> str:
    # Servers word their own errors; a broken one could echo what it was sent.
    if password:
        detail = detail.replace(password, "***")
    return " ".join(detail.split())[:_DETAIL_MAX]


def _log(protocol: str, host: str, port: int, result: ProtocolResult) -> None:
    _LOGGER.info(
        "login check %s %s:%d -> %s in %.3f s (%s)",
        protocol,
        host,
        port,
        result.outcome.value,
        result.duration,
        result.detail,
    )


def _test_message(address: str, token: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = address
    message["To"] = address
    message["Subject"] = "メール設定の確認 / Mail settings test"
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain=address.rpartition("@")[2] or None)
    message[_CHECK_HEADER] = token
    message.set_content(
        "新しい設定でメールを送受信できました。このメールは削除してかまいません。\n"
        "Your new settings sent and received this message. You may delete it.\n"
    )
    return message


# --- SMTP ---------------------------------------------------------------------------------

_SmtpAction = Callable[[aiosmtplib.SMTP], Awaitable[str]]
# Preference when the password may travel (inside TLS, or allowed by the operator), and the
# only mechanism when it may not: CRAM-MD5 proves the password without sending it.
_SMTP_MECHANISMS_SAFE_CHANNEL: Final[tuple[str, ...]] = ("plain", "login", "cram-md5")
_SMTP_MECHANISMS_PLAINTEXT_ALLOWED: Final[tuple[str, ...]] = ("cram-md5", "plain", "login")
_SMTP_MECHANISMS_CHALLENGE_ONLY: Final[tuple[str, ...]] = ("cram-md5",)


async def _timed_smtp(
    target: CheckTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: _SmtpAction | None = None,
) -> ProtocolResult:
    started = time.perf_counter()
    try:
        async with asyncio.timeout(step_timeout * _STEP_BUDGET):
            detail = await _smtp(target, address, password, step_timeout, context, action)
        outcome = Outcome.OK
    except _StopCheckError as refused:
        outcome, detail = refused.outcome, refused.detail
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        outcome, detail = classify_smtp_error(error)
    result = ProtocolResult(outcome, time.perf_counter() - started, _clean(detail, password))
    _log("smtp", target.smtp_host, target.smtp_port, result)
    return result


async def _smtp(
    target: CheckTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: _SmtpAction | None,
) -> str:
    security = target.smtp_security
    client = aiosmtplib.SMTP(
        hostname=target.smtp_host,
        port=target.smtp_port,
        timeout=step_timeout,
        use_tls=security is Security.TLS,
        # Never the library default (None), which silently stays in clear text when the
        # server does not offer STARTTLS. We upgrade by hand below so that a missing
        # STARTTLS is told apart from every other failure.
        start_tls=False,
        validate_certs=True,
        tls_context=context,
    )
    try:
        await client.connect()
        await client.ehlo()
        if security is Security.STARTTLS:
            if not client.supports_extension("starttls"):
                raise _StopCheckError(Outcome.AUTH_NOT_OFFERED, "server does not offer STARTTLS")
            await client.starttls()
            await client.ehlo()  # RFC 3207: forget what was advertised before TLS
        mechanism = await _smtp_authenticate(
            client, address, password, encrypted=security is not Security.NONE, target=target
        )
        detail = f"logged in with {mechanism.upper()} ({security.value})"
        if action is not None:
            detail = await action(client)
        with contextlib.suppress(aiosmtplib.SMTPException):
            await client.quit()  # the login already succeeded; a rude goodbye changes nothing
        return detail
    finally:
        client.close()


async def _smtp_authenticate(
    client: aiosmtplib.SMTP, address: str, password: str, *, encrypted: bool, target: CheckTarget
) -> str:
    if not client.supports_extension("auth"):
        raise _StopCheckError(Outcome.AUTH_NOT_OFFERED, "server offers no AUTH")
    if encrypted:
        preference = _SMTP_MECHANISMS_SAFE_CHANNEL
    elif target.allow_plaintext_login:
        preference = _SMTP_MECHANISMS_PLAINTEXT_ALLOWED
    else:
        preference = _SMTP_MECHANISMS_CHALLENGE_ONLY
    offered = client.server_auth_methods
    usable = [m for m in preference if m in offered]
    if not usable:
        raise _StopCheckError(
            Outcome.AUTH_NOT_OFFERED,
            f"no usable AUTH mechanism (offered: {' '.join(offered).upper() or 'none'}"
            f"{'' if encrypted else '; unencrypted, so challenge-response only'})",
        )
    # One mechanism, one attempt: login() would try the next mechanism after a 535,
    # multiplying failed attempts against the provider's lockout and falling back from
    # CRAM-MD5 to PLAIN, which would send the password in clear text.
    methods = {
        "plain": client.auth_plain,
        "login": client.auth_login,
        "cram-md5": client.auth_crammd5,
    }
    await methods[usable[0]](address, password)
    return usable[0]


def classify_smtp_error(error: BaseException) -> tuple[Outcome, str]:
    """Map an aiosmtplib (or socket) failure to an outcome, in MAIL.md's order."""
    tls = _cause_of_type(error, ssl.SSLError)
    if tls is not None:
        return Outcome.TLS_ERROR, f"TLS failed: {_ssl_reason(tls)}"
    if isinstance(error, aiosmtplib.SMTPAuthenticationError):
        if error.code == 535:
            return Outcome.AUTH_FAILED, _reply(error)
        if error.code in (504, 530, 534, 538):  # mechanism unknown, too weak, needs TLS
            return Outcome.AUTH_NOT_OFFERED, _reply(error)
        return Outcome.TEMPORARY_FAILURE, _reply(error)  # 454 and anything unexpected
    if isinstance(error, aiosmtplib.SMTPResponseException) and error.code in (530, 538):
        return Outcome.AUTH_NOT_OFFERED, _reply(error)
    if isinstance(error, (aiosmtplib.SMTPTimeoutError, TimeoutError)):
        return Outcome.TIMEOUT, "no answer in time (port filtered, or wrong TLS mode)"
    if isinstance(error, aiosmtplib.SMTPConnectError):
        network = _network_cause(error)
        if network is not None:
            return Outcome.UNREACHABLE, _network_failure(network)
        # It answered, but with a bad greeting (SMTPConnectResponseError) or hung up.
        if isinstance(error, aiosmtplib.SMTPResponseException):
            return Outcome.TEMPORARY_FAILURE, _reply(error)
        return Outcome.TEMPORARY_FAILURE, str(error)
    if isinstance(error, aiosmtplib.SMTPServerDisconnected):
        return Outcome.TEMPORARY_FAILURE, "server closed the connection"
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return Outcome.TEMPORARY_FAILURE, _reply(error)
    return Outcome.TEMPORARY_FAILURE, f"{type(error).__name__}: {error}"


def _reply(error: aiosmtplib.SMTPResponseException) -> str:
    return f"server replied {error.code} {error.message}"


def _network_cause(error: BaseException) -> OSError | None:
    # aiosmtplib's own errors are OSErrors too (ConnectionError); look past them for the
    # socket's.
    current = error.__cause__ or error.__context__
    while current is not None:
        if isinstance(current, OSError) and not isinstance(current, aiosmtplib.SMTPException):
            return current
        current = current.__cause__ or current.__context__
    return None


def _network_failure(error: OSError) -> str:
    if isinstance(error, socket.gaierror):
        return "host name not found (DNS)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return f"cannot connect: {error.strerror or error}"


def _cause_of_type(error: BaseException, kind: type[_E]) -> _E | None:
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def _ssl_reason(error: ssl.SSLError) -> str:
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {error.verify_message}"
    return str(getattr(error, "reason", None) or error)


# --- POP3 ---------------------------------------------------------------------------------


# What to do once logged in; its number becomes message_count (None: "not found yet").
_PopAction = Callable[[poplib.POP3], int | None]


def _count(pop: poplib.POP3) -> int:
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


async def _timed_pop(
    target: CheckTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: _PopAction | None = None,
) -> ProtocolResult:
    started = time.perf_counter()
    sockets = _Sockets()
    try:
        async with asyncio.timeout(step_timeout * _STEP_BUDGET):
            outcome, detail, count = await asyncio.to_thread(
                _pop, target, address, password, step_timeout, context, action or _count, sockets
            )
    except TimeoutError:
        sockets.abort()
        outcome, detail, count = Outcome.TIMEOUT, "the whole POP check ran out of time", None
    result = ProtocolResult(outcome, time.perf_counter() - started, _clean(detail, password), count)
    _log("pop", target.pop_host, target.pop_port, result)
    return result


def _pop(
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
    except _StopCheckError as refused:
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
        raise _StopCheckError(Outcome.AUTH_NOT_OFFERED, "server does not offer STLS")
    pop.stls(context)


def _pop_authenticate(pop: poplib.POP3, address: str, password: str, target: CheckTarget) -> str:
    encrypted = target.pop_security is not Security.NONE
    if not encrypted and _APOP_TIMESTAMP.search(pop.getwelcome()):
        pop.apop(address, password)  # proves the password without sending it
        return "APOP"
    if encrypted or target.allow_plaintext_login:
        pop.user(address)
        pop.pass_(password)
        return "USER/PASS"
    raise _StopCheckError(
        Outcome.AUTH_NOT_OFFERED,
        "no APOP timestamp in the greeting; unencrypted, so USER/PASS is not used",
    )


def classify_pop_error(error: BaseException, step: str) -> tuple[Outcome, str]:
    """Map a poplib (or socket) failure at a step (connect, stls, login, mailbox)."""
    if isinstance(error, ssl.SSLError):
        return Outcome.TLS_ERROR, f"TLS failed: {_ssl_reason(error)}"
    if isinstance(error, poplib.error_proto):
        reply = error.args[0] if error.args else b""
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        if step == _PopStep.LOGIN.value:
            return _classify_pop_login_reply(text), f"server replied {text}"
        return Outcome.TEMPORARY_FAILURE, f"server replied {text} ({step})"
    if isinstance(error, TimeoutError):
        return Outcome.TIMEOUT, f"no answer in time ({step}; port filtered, or wrong TLS mode)"
    if isinstance(error, OSError) and step == _PopStep.CONNECT.value:
        return Outcome.UNREACHABLE, _network_failure(error)
    return Outcome.TEMPORARY_FAILURE, f"connection lost ({step}): {type(error).__name__}"


def _classify_pop_login_reply(text: str) -> Outcome:
    # RFC 3206 response codes; servers without them answer a bad login with a bare -ERR.
    upper = text.upper()
    if "PLAINTEXT AUTHENTICATION DISALLOWED" in upper:
        return Outcome.AUTH_NOT_OFFERED
    if "[SYS/TEMP]" in upper or "[IN-USE]" in upper or "[LOGIN-DELAY]" in upper:
        return Outcome.TEMPORARY_FAILURE
    return Outcome.AUTH_FAILED


def _find_token(pop: poplib.POP3, token: str) -> int | None:
    """The mailbox's message count once the round-trip message is in it, else None."""
    count = _count(pop)
    wanted = f"{_CHECK_HEADER}: {token}".encode().lower()
    for number in range(count, max(0, count - _ROUND_TRIP_SCAN), -1):
        _, lines, _ = pop.top(number, 0)
        if any(line.lower().strip() == wanted for line in lines):
            return count
    return None
