"""The IMAP half of the login check (imaplib in a worker thread): connect, log in, EXAMINE.

STARTTLS first where the port needs it; LOGOUT at the end. Nothing in the mailbox changes
(EXAMINE opens INBOX read-only).

The login method is the first the profile offers that the server announces and that is
safe on this connection: the password as typed (AUTHENTICATE PLAIN or LOGIN when
announced, which carry any UTF-8 password; else the LOGIN command unless LOGINDISABLED) or
AUTHENTICATE CRAM-MD5.
"""

from __future__ import annotations

import binascii
import contextlib
import enum
import imaplib
import socket
import ssl
from collections.abc import Callable, Sequence

from bot.mailcheck.failures import (
    StopCheckError,
    network_failure,
    said,
    timeout_detail,
    tls_failure,
)
from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.pop_login import CHECK_HEADER
from bot.mailcheck.target import ServerTarget
from bot.mailcheck.worker_sockets import SessionResult, WorkerSockets, dial, timed_worker
from dialogs.profile import LoginMethod, Security

# What to do once logged in; its number becomes message_count (None: "not found yet").
ImapAction = Callable[[imaplib.IMAP4], int | None]


class _ImapStep(enum.Enum):
    CONNECT = "connect"  # TCP, implicit TLS, the greeting and CAPABILITY
    STARTTLS = "starttls"
    LOGIN = "login"
    MAILBOX = "mailbox"


# imaplib connects, reads the greeting and asks CAPABILITY inside its constructor; `host`
# stays the name TLS verifies (starttls() wraps with server_hostname=self.host).
class _WatchedIMAP4(imaplib.IMAP4):
    def __init__(self, server: ServerTarget, timeout: float, sockets: WorkerSockets) -> None:
        self._sockets = sockets
        self._dial = server.dial_host
        super().__init__(server.host, server.port, timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        return dial(self._sockets, self._dial, self.port, timeout)


class _WatchedIMAP4SSL(imaplib.IMAP4_SSL):
    def __init__(
        self,
        server: ServerTarget,
        timeout: float,
        sockets: WorkerSockets,
        context: ssl.SSLContext,
    ) -> None:
        self._sockets = sockets
        self._dial = server.dial_host
        super().__init__(server.host, server.port, ssl_context=context, timeout=timeout)

    def _create_socket(self, timeout: float | None) -> socket.socket:
        tls = (self.ssl_context, self.host)
        return dial(self._sockets, self._dial, self.port, timeout, tls)


def count_messages(imap: imaplib.IMAP4) -> int:
    """How many messages INBOX holds, opened read-only (EXAMINE)."""
    status, data = imap.select("INBOX", readonly=True)
    count = _text(data)
    if status != "OK" or not count.isdigit():
        raise imaplib.IMAP4.error(f"EXAMINE INBOX: {status} {count}")
    return int(count)


async def timed_imap(
    server: ServerTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: ImapAction | None = None,
    *,
    allow_plaintext_login: bool = False,
) -> ProtocolResult:
    """The IMAP half of a check, in a worker thread, bounded in time as a whole."""

    def session(sockets: WorkerSockets) -> SessionResult:
        return imap_session(
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


def imap_session(
    server: ServerTarget,
    login: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: ImapAction,
    sockets: WorkerSockets,
    *,
    allow_plaintext_login: bool,
) -> SessionResult:
    """Run in a worker thread: imaplib blocks, and its socket timeout bounds every step."""
    step = _ImapStep.CONNECT
    imap: imaplib.IMAP4 | None = None
    try:
        if server.security is Security.TLS:
            imap = _WatchedIMAP4SSL(server, step_timeout, sockets, context)
        else:
            imap = _WatchedIMAP4(server, step_timeout, sockets)
        if server.security is Security.STARTTLS:
            step = _ImapStep.STARTTLS
            if "STARTTLS" not in imap.capabilities:
                raise StopCheckError(Outcome.AUTH_NOT_OFFERED, "server does not offer STARTTLS")
            imap.starttls(context)  # asks CAPABILITY again, as RFC 3501 wants
            sockets.watch(imap.sock)
        step = _ImapStep.LOGIN
        method = _imap_authenticate(
            imap, login, password, server, allow_plaintext_login=allow_plaintext_login
        )
        step = _ImapStep.MAILBOX
        count = action(imap)
        with contextlib.suppress(imaplib.IMAP4.error, OSError):
            imap.logout()  # the login already succeeded
        return Outcome.OK, f"logged in with {method} ({server.security.value})", count
    except StopCheckError as refused:
        return refused.outcome, refused.detail, None
    except (imaplib.IMAP4.error, OSError, EOFError) as error:
        outcome, detail = classify_imap_error(error, step.value)
        return outcome, detail, None
    finally:
        if imap is not None:
            with contextlib.suppress(OSError):
                imap.shutdown()
        sockets.close()


def _imap_authenticate(
    imap: imaplib.IMAP4,
    login: str,
    password: str,
    server: ServerTarget,
    *,
    allow_plaintext_login: bool,
) -> str:
    capabilities = set(imap.capabilities)
    plain = "AUTH=PLAIN" in capabilities
    sasl_login = "AUTH=LOGIN" in capabilities
    announced: set[LoginMethod] = set()
    if plain or sasl_login or "LOGINDISABLED" not in capabilities:
        announced.add(LoginMethod.PASSWORD)
    if "AUTH=CRAM-MD5" in capabilities:
        announced.add(LoginMethod.CRAM_MD5)
    methods = server.usable_methods(announced, allow_plaintext_login=allow_plaintext_login)
    try:
        return _imap_login(imap, login, password, methods[0], plain=plain, sasl_login=sasl_login)
    except binascii.Error as err:
        # imaplib decodes every "+ <base64>" continuation itself: one that is not base64 is
        # the server breaking the protocol, which no login attempt of ours can mend.
        raise StopCheckError(
            Outcome.TEMPORARY_FAILURE, f"AUTHENTICATE: malformed challenge ({said(err)})"
        ) from None


def _imap_login(
    imap: imaplib.IMAP4,
    login: str,
    password: str,
    method: LoginMethod,
    *,
    plain: bool,
    sasl_login: bool,
) -> str:
    # One method, one attempt: a second after a refusal only feeds the server's lockout.
    if method is LoginMethod.CRAM_MD5:
        imap.login_cram_md5(login, password)
        return "AUTHENTICATE CRAM-MD5"
    if plain:
        response = f"\0{login}\0{password}".encode()
        imap.authenticate("PLAIN", lambda _challenge: response)
        return "AUTHENTICATE PLAIN"
    if sasl_login:
        # Two challenges ("Username:", "Password:"), answered in turn; UTF-8 like PLAIN.
        answers = iter((login.encode(), password.encode()))
        imap.authenticate("LOGIN", lambda _challenge: next(answers, None))
        return "AUTHENTICATE LOGIN"
    if not (login + password).isascii():
        # imaplib sends LOGIN's arguments as ASCII; only AUTHENTICATE PLAIN carries UTF-8.
        raise StopCheckError(
            Outcome.NOT_VERIFIED, "LOGIN cannot carry a non-ASCII password and no AUTH=PLAIN"
        )
    imap.login(login, password)
    return "LOGIN"


def classify_imap_error(error: BaseException, step: str) -> tuple[Outcome, str]:
    """Map an imaplib (or socket) failure at a step (connect, starttls, login, mailbox)."""
    if isinstance(error, ssl.SSLError):
        return tls_failure(error)
    if isinstance(error, imaplib.IMAP4.abort):
        # A dropped connection or a BYE: not an answer to the login.
        return Outcome.TEMPORARY_FAILURE, f"connection lost ({step}): {said(_text(error.args))}"
    if isinstance(error, imaplib.IMAP4.error):
        text = _text(error.args)
        if step == _ImapStep.LOGIN.value:
            return _classify_imap_login_reply(text), f"server replied {said(text)}"
        if step == _ImapStep.MAILBOX.value and "[INUSE]" in text.upper():
            # Logged in, and INBOX is held by another session (RFC 5530): a login that worked.
            return Outcome.MAILBOX_IN_USE, f"server replied {said(text)} ({step})"
        return Outcome.TEMPORARY_FAILURE, f"server replied {said(text)} ({step})"
    if isinstance(error, TimeoutError):
        return Outcome.TIMEOUT, timeout_detail(step)
    if isinstance(error, OSError) and step == _ImapStep.CONNECT.value:
        return Outcome.UNREACHABLE, network_failure(error)
    return Outcome.TEMPORARY_FAILURE, f"connection lost ({step}): {type(error).__name__}"


def _classify_imap_login_reply(text: str) -> Outcome:
    # RFC 5530 response codes; a server without them answers a bad login with a bare NO.
    upper = text.upper()
    if "[PRIVACYREQUIRED]" in upper or "[CANNOT]" in upper:
        return Outcome.AUTH_NOT_OFFERED
    if "[INUSE]" in upper:
        return Outcome.MAILBOX_IN_USE
    if "[UNAVAILABLE]" in upper or "[LIMIT]" in upper:
        return Outcome.TEMPORARY_FAILURE
    if "[CONTACTADMIN]" in upper or "[EXPIRED]" in upper:
        return Outcome.ACCOUNT_REFUSED  # the provider must act: not the password typed
    return Outcome.AUTH_FAILED


def _text(data: Sequence[object]) -> str:
    """The reply data of imaplib (bytes or str, possibly None) as one line of text."""
    parts = [
        item.decode("utf-8", "replace") if isinstance(item, bytes) else str(item)
        for item in data
        if item is not None
    ]
    return " ".join(parts)


def find_token(imap: imaplib.IMAP4, token: str) -> int | None:
    """INBOX's message count once the round-trip message is in it, else None."""
    count = count_messages(imap)
    status, data = imap.search(None, "HEADER", CHECK_HEADER, token)
    if status != "OK":
        raise imaplib.IMAP4.error(_text(data))
    return count if _text(data).split() else None
