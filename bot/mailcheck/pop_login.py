"""The POP3 half of the login check (poplib in a worker thread): connect, STLS, login, STAT.

The login method is the first the profile offers that the server announces (USER in CAPA,
a timestamp in the greeting for APOP, CRAM-MD5 in CAPA's SASL line) and that is safe on this
connection.
"""

from __future__ import annotations

import base64
import binascii
import contextlib
import enum
import hmac
import poplib
import re
import socket
import ssl
from collections.abc import Callable
from typing import Final, Protocol, cast

from bot.mailcheck.failures import (
    StopCheckError,
    network_failure,
    said,
    timeout_detail,
    tls_failure,
)
from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.target import ServerTarget
from bot.mailcheck.worker_sockets import SessionResult, WorkerSockets, dial, timed_worker
from dialogs.profile import LoginMethod, Security

CHECK_HEADER: Final = "X-Mailmove-Check"
ROUND_TRIP_SCAN: Final = 20  # newest messages searched for the test mail on each poll
# The same pattern poplib.POP3.apop() requires, so "has a timestamp" means "APOP will run".
APOP_TIMESTAMP: Final = re.compile(rb"\+OK.[^<]*(<.*>)")

# --- POP3 ---------------------------------------------------------------------------------


# What to do once logged in; its number becomes message_count (None: "not found yet").
PopAction = Callable[[poplib.POP3], int | None]


def count_messages(pop: poplib.POP3) -> int:
    """How many messages the mailbox holds (STAT)."""
    return pop.stat()[0]


class _PopStep(enum.Enum):
    CONNECT = "connect"  # TCP, implicit TLS and the greeting
    STLS = "stls"
    LOGIN = "login"
    MAILBOX = "mailbox"


# poplib connects and reads the greeting inside its constructor; `host` stays the name TLS
# verifies (stls() wraps with server_hostname=self.host) while the socket goes to `dial`.
class _WatchedPOP3(poplib.POP3):
    def __init__(self, server: ServerTarget, timeout: float, sockets: WorkerSockets) -> None:
        self._sockets = sockets
        self._dial = server.dial_host
        super().__init__(server.host, server.port, timeout)

    def _create_socket(self, timeout: float) -> socket.socket:
        return dial(self._sockets, self._dial, self.port, timeout)


class _WatchedPOP3SSL(poplib.POP3_SSL):
    def __init__(
        self,
        server: ServerTarget,
        timeout: float,
        sockets: WorkerSockets,
        context: ssl.SSLContext,
    ) -> None:
        self._sockets = sockets
        self._dial = server.dial_host
        self._tls = context
        super().__init__(server.host, server.port, timeout=timeout, context=context)

    def _create_socket(self, timeout: float) -> socket.socket:
        return dial(self._sockets, self._dial, self.port, timeout, (self._tls, self.host))


async def timed_pop(
    server: ServerTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: PopAction | None = None,
    *,
    allow_plaintext_login: bool = False,
) -> ProtocolResult:
    """The POP3 half of a check, in a worker thread, bounded in time as a whole."""

    def session(sockets: WorkerSockets) -> SessionResult:
        return pop_session(
            server,
            server.login_name(address),
            password,
            step_timeout,
            server.tls(context),
            action or count_messages,
            sockets,
            allow_plaintext_login=allow_plaintext_login,
        )

    return await timed_worker(server, password, step_timeout, session)


def pop_session(
    server: ServerTarget,
    login: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: PopAction,
    sockets: WorkerSockets,
    *,
    allow_plaintext_login: bool,
) -> SessionResult:
    """Run in a worker thread: poplib blocks, and its socket timeout bounds every step."""
    step = _PopStep.CONNECT
    pop: poplib.POP3 | None = None
    try:
        if server.security is Security.TLS:
            pop = _WatchedPOP3SSL(server, step_timeout, sockets, context)
        else:
            pop = _WatchedPOP3(server, step_timeout, sockets)
        capabilities = _capabilities(pop)
        if server.security is Security.STARTTLS:
            step = _PopStep.STLS
            if capabilities is None or "STLS" not in capabilities:
                raise StopCheckError(Outcome.AUTH_NOT_OFFERED, "server does not offer STLS")
            pop.stls(context)
            sockets.watch(pop.sock)
            capabilities = _capabilities(pop)  # RFC 2595: forget what was said before TLS
        step = _PopStep.LOGIN
        method = _pop_authenticate(
            pop, login, password, server, capabilities, allow_plaintext_login=allow_plaintext_login
        )
        step = _PopStep.MAILBOX
        count = action(pop)
        with contextlib.suppress(poplib.error_proto, OSError):
            pop.quit()  # the login already succeeded
        return Outcome.OK, f"logged in with {method} ({server.security.value})", count
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


def _capabilities(pop: poplib.POP3) -> dict[str, list[str]] | None:
    try:
        return pop.capa()
    except poplib.error_proto:
        return None  # no CAPA (RFC 2449 is optional): USER/PASS is still the baseline


def _pop_authenticate(
    pop: poplib.POP3,
    login: str,
    password: str,
    server: ServerTarget,
    capabilities: dict[str, list[str]] | None,
    *,
    allow_plaintext_login: bool,
) -> str:
    announced: set[LoginMethod] = set()
    if capabilities is None or "USER" in capabilities:
        announced.add(LoginMethod.PASSWORD)
    if APOP_TIMESTAMP.search(pop.getwelcome()):
        announced.add(LoginMethod.APOP)
    if capabilities is not None and "CRAM-MD5" in _sasl_mechanisms(capabilities):
        announced.add(LoginMethod.CRAM_MD5)
    methods = server.usable_methods(announced, allow_plaintext_login=allow_plaintext_login)
    # One method, one attempt: a second after a refusal only feeds the server's lockout.
    if methods[0] is LoginMethod.CRAM_MD5:
        _auth_cram_md5(pop, login, password)  # proves the password without sending it
        return "AUTH CRAM-MD5"
    if methods[0] is LoginMethod.APOP:
        pop.apop(login, password)  # proves the password without sending it
        return "APOP"
    pop.user(login)
    pop.pass_(password)
    return "USER/PASS"


def _sasl_mechanisms(capabilities: dict[str, list[str]]) -> set[str]:
    # CAPA's "SASL CRAM-MD5 PLAIN ..." line (RFC 5034); poplib keeps the keyword and the
    # mechanism names as the server wrote them, and both are case-insensitive.
    for keyword, mechanisms in capabilities.items():
        if keyword.upper() == "SASL":
            return {mechanism.upper() for mechanism in mechanisms}
    return set()


class _PopLines(Protocol):
    """poplib's line helper that its own commands use; typeshed leaves private names out."""

    def _shortcmd(self, line: str) -> bytes: ...


def _auth_cram_md5(pop: poplib.POP3, login: str, password: str) -> None:
    """RFC 5034 AUTH with RFC 2195's CRAM-MD5: one challenge, one answer, +OK or -ERR.

    poplib has no AUTH command, so this speaks through its line helpers, as its own apop()
    and user() do: `_shortcmd` sends one line and returns the reply, raising error_proto
    unless it starts with "+" (which a "+ " continuation does). A -ERR therefore reaches
    the caller as a refused login; anything else unexpected stops the check here, before
    or instead of an answer, and never with the password or the digest in its text.
    """
    lines = cast(_PopLines, pop)
    challenge = _cram_challenge(lines._shortcmd("AUTH CRAM-MD5"))
    digest = hmac.new(password.encode(), challenge, "md5").hexdigest()
    answer = base64.b64encode(f"{login} {digest}".encode()).decode("ascii")
    reply = lines._shortcmd(answer)
    if not reply.startswith(b"+OK"):
        # CRAM-MD5 has exactly one round: a second challenge is the server's mistake.
        raise StopCheckError(
            Outcome.TEMPORARY_FAILURE, f"CRAM-MD5: a second challenge, not +OK: {_shown(reply)}"
        )


def _cram_challenge(reply: bytes) -> bytes:
    """The challenge a "+ <base64>" continuation carries; StopCheckError if it is none."""
    if reply.startswith(b"+ "):
        with contextlib.suppress(binascii.Error):
            challenge = base64.b64decode(reply[2:].strip(), validate=True)
            if challenge:
                return challenge
    raise StopCheckError(
        Outcome.TEMPORARY_FAILURE, f"CRAM-MD5: malformed challenge: {_shown(reply)}"
    )


def _shown(reply: bytes) -> str:
    # A reply that broke the protocol, for the agent's detail line (bounded by clean()).
    return said(reply.decode("ascii", "replace"))


def classify_pop_error(error: BaseException, step: str) -> tuple[Outcome, str]:
    """Map a poplib (or socket) failure at a step (connect, stls, login, mailbox)."""
    if isinstance(error, ssl.SSLError):
        return tls_failure(error)
    if isinstance(error, poplib.error_proto):
        reply = error.args[0] if error.args else b""
        text = reply.decode("utf-8", "replace") if isinstance(reply, bytes) else str(reply)
        if step == _PopStep.LOGIN.value:
            return _classify_pop_login_reply(text), f"server replied {said(text)}"
        if step == _PopStep.MAILBOX.value and "[IN-USE]" in text.upper():
            # Logged in, and the maildrop is held by another session: a login that worked.
            return Outcome.MAILBOX_IN_USE, f"server replied {said(text)} ({step})"
        return Outcome.TEMPORARY_FAILURE, f"server replied {said(text)} ({step})"
    if isinstance(error, TimeoutError):
        return Outcome.TIMEOUT, timeout_detail(step)
    if isinstance(error, OSError) and step == _PopStep.CONNECT.value:
        return Outcome.UNREACHABLE, network_failure(error)
    return Outcome.TEMPORARY_FAILURE, f"connection lost ({step}): {type(error).__name__}"


# A locked maildrop in the words of servers without RESP-CODES (RFC 2449 made them
# optional): RFC 1939's own 「unable to lock maildrop」 and 「maildrop already locked」, UW
# ipop3d's 「Can't get lock.  Mailbox in use」, 「Mailbox is locked」. A mailbox or maildrop
# must be named: 「account locked」 (after failed logins) is a refused login.
_LOCKED_MAILDROP: Final = re.compile(
    r"\b(?:unable to lock|can'?t get lock|cannot lock)\b"
    r"|\b(?:maildrop|mailbox)\b[^.;:]*\b(?:locked|in use|busy)\b",
    re.IGNORECASE,
)


def _classify_pop_login_reply(text: str) -> Outcome:
    # RFC 3206 response codes; servers without them answer a bad login with a bare -ERR.
    upper = text.upper()
    if "PLAINTEXT AUTHENTICATION DISALLOWED" in upper:
        return Outcome.AUTH_NOT_OFFERED
    if "[IN-USE]" in upper:
        return Outcome.MAILBOX_IN_USE
    if "[AUTH]" not in upper and _LOCKED_MAILDROP.search(text):
        return Outcome.MAILBOX_IN_USE
    if "[SYS/TEMP]" in upper or "[LOGIN-DELAY]" in upper:
        return Outcome.TEMPORARY_FAILURE
    if "[SYS/PERM]" in upper:
        return Outcome.ACCOUNT_REFUSED  # RFC 3206: not fixed by retrying, ask the admin
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
