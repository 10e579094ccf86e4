"""The SMTP half of the login check (aiosmtplib): connect, STARTTLS, AUTH, quit; no mail.

Submission on 587 with STARTTLS or on 465 with implicit TLS. The mechanism is the first
login method the profile offers that the server announces and that is safe here.
"""

from __future__ import annotations

import asyncio
import contextlib
import socket
import ssl
import time
from collections.abc import Awaitable, Callable
from typing import Final

import aiosmtplib

from bot.mailcheck.failures import (
    StopCheckError,
    cause_of_type,
    clean,
    log_result,
    network_cause,
    network_failure,
    said,
    tls_failure,
)
from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.target import STEP_BUDGET, ServerTarget
from dialogs.profile import LoginMethod, Security

SmtpAction = Callable[[aiosmtplib.SMTP], Awaitable[str]]
# The password as typed goes as PLAIN when announced (any UTF-8 password), else LOGIN.
_PASSWORD_MECHANISMS: Final = ("plain", "login")
# EHLO unknown (500 syntax error, command unrecognised; 502 command not implemented).
_EHLO_UNKNOWN: Final = frozenset({500, 502})
# A greeting of 554: "no SMTP service here" for this client (RFC 5321 3.1).
_NO_SERVICE: Final = 554


async def timed_smtp(
    server: ServerTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: SmtpAction | None = None,
    *,
    allow_plaintext_login: bool = False,
) -> ProtocolResult:
    """The SMTP half of a check, bounded in time as a whole."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(step_timeout * STEP_BUDGET):
            detail = await smtp_session(
                server,
                server.login_name(address),
                password,
                step_timeout,
                server.tls(context),
                action,
                allow_plaintext_login=allow_plaintext_login,
            )
        outcome = Outcome.OK
    except StopCheckError as refused:
        outcome, detail = refused.outcome, refused.detail
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        outcome, detail = classify_smtp_error(error)
    result = ProtocolResult(outcome, time.perf_counter() - started, clean(detail, password))
    log_result(server.describe(), result)
    return result


async def smtp_session(
    server: ServerTarget,
    login: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: SmtpAction | None,
    *,
    allow_plaintext_login: bool,
) -> str:
    """Connect with the profile's security mode, authenticate, run `action`, quit."""
    security = server.security
    sock = await _dial(server, step_timeout) if server.access.connect_host else None
    client = aiosmtplib.SMTP(
        # The name TLS verifies; with `sock` already connected elsewhere, only that.
        hostname=server.host,
        port=None if sock is not None else server.port,
        sock=sock,
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
        await _ehlo(client)
        if security is Security.STARTTLS:
            if not client.supports_extension("starttls"):
                raise StopCheckError(Outcome.AUTH_NOT_OFFERED, "server does not offer STARTTLS")
            await client.starttls()
            await client.ehlo()  # RFC 3207: forget what was advertised before TLS
        mechanism = await _smtp_authenticate(
            client, login, password, server, allow_plaintext_login=allow_plaintext_login
        )
        detail = f"logged in with {mechanism.upper()} ({security.value})"
        if action is not None:
            detail = await action(client)
        with contextlib.suppress(aiosmtplib.SMTPException):
            await client.quit()  # the login already succeeded; a rude goodbye changes nothing
        return detail
    finally:
        # The socket is not ours to close once `connect` handed it to asyncio: its transport
        # closes it (after a TLS close, later). Closed here, its descriptor number could go
        # to the next check's socket while the loop still counts it as that transport's
        # ("File descriptor … is used by transport"); asyncio also closes it when
        # `create_connection` fails.
        client.close()


async def _ehlo(client: aiosmtplib.SMTP) -> None:
    """EHLO; a server that does not know it (500, 502) has no SMTP AUTH: AUTH_NOT_OFFERED.

    SMTP AUTH is an ESMTP extension (RFC 4954), announced in the answer to EHLO: a server of
    RFC 821's HELO alone refuses every mail program set up as the card says, and no retry
    mends that. Other refusals (421, a 554 policy) stay what they were.
    """
    try:
        await client.ehlo()
    except aiosmtplib.SMTPHeloError as refused:
        if refused.code in _EHLO_UNKNOWN:
            raise StopCheckError(
                Outcome.AUTH_NOT_OFFERED,
                f"server does not speak ESMTP, so no AUTH: {_reply(refused)}",
            ) from None
        raise


async def _dial(server: ServerTarget, step_timeout: float) -> socket.socket:
    """A connected socket to the profile's `connect_host`, for aiosmtplib to talk over.

    aiosmtplib verifies TLS against the host it connects to; handing it a socket lets it
    connect to one name (an internal one, an address) and verify the one subscribers type.
    """
    loop = asyncio.get_running_loop()
    try:
        async with asyncio.timeout(step_timeout):
            infos = await loop.getaddrinfo(server.dial_host, server.port, type=socket.SOCK_STREAM)
            failure: OSError = OSError(f"no address for {server.dial_host}")
            for family, kind, proto, _, address in infos:
                sock = socket.socket(family, kind, proto)
                sock.setblocking(False)
                try:
                    await loop.sock_connect(sock, address)
                except OSError as error:
                    sock.close()
                    failure = error
                    continue
                return sock
            raise failure
    except TimeoutError as late:
        raise aiosmtplib.SMTPConnectTimeoutError(f"connecting to {server.dial_host}") from late
    except OSError as error:
        # The same shape aiosmtplib gives its own connection failures, so one classifier.
        raise aiosmtplib.SMTPConnectError(f"cannot connect to {server.dial_host}") from error


async def _smtp_authenticate(
    client: aiosmtplib.SMTP,
    login: str,
    password: str,
    server: ServerTarget,
    *,
    allow_plaintext_login: bool,
) -> str:
    if not client.supports_extension("auth"):
        raise StopCheckError(Outcome.AUTH_NOT_OFFERED, "server offers no AUTH")
    offered = client.server_auth_methods
    announced: set[LoginMethod] = set()
    if any(m in offered for m in _PASSWORD_MECHANISMS):
        announced.add(LoginMethod.PASSWORD)
    if "cram-md5" in offered:
        announced.add(LoginMethod.CRAM_MD5)
    methods = server.usable_methods(announced, allow_plaintext_login=allow_plaintext_login)
    # One mechanism, one attempt: login() would try the next mechanism after a 535,
    # multiplying failed attempts against the provider's lockout and falling back from
    # CRAM-MD5 to PLAIN, which would send the password in clear text.
    if methods[0] is LoginMethod.CRAM_MD5:
        await client.auth_crammd5(login, password)
        return "cram-md5"
    mechanism = next(m for m in _PASSWORD_MECHANISMS if m in offered)
    await (client.auth_plain if mechanism == "plain" else client.auth_login)(login, password)
    return mechanism


def classify_smtp_error(error: BaseException) -> tuple[Outcome, str]:
    """Map an aiosmtplib (or socket) failure to an outcome, in MAIL.md's order."""
    tls = cause_of_type(error, ssl.SSLError)
    if tls is not None:
        return tls_failure(tls)
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
        network = network_cause(error)
        if network is not None:
            return Outcome.UNREACHABLE, network_failure(network)
        # It answered, but with a bad greeting (SMTPConnectResponseError) or hung up.
        if isinstance(error, aiosmtplib.SMTPResponseException) and error.code == _NO_SERVICE:
            # RFC 5321 3.1: 554 instead of 220 is a refusal of this client for good; only a
            # 421 greeting ("service not available") is a try-again.
            return Outcome.CLIENT_REFUSED, _reply(error)
        if isinstance(error, aiosmtplib.SMTPResponseException):
            return Outcome.TEMPORARY_FAILURE, _reply(error)
        return Outcome.TEMPORARY_FAILURE, said(error)
    if isinstance(error, aiosmtplib.SMTPServerDisconnected):
        return Outcome.TEMPORARY_FAILURE, "server closed the connection"
    if isinstance(error, aiosmtplib.SMTPResponseException):
        return Outcome.TEMPORARY_FAILURE, _reply(error)
    return Outcome.TEMPORARY_FAILURE, f"{type(error).__name__}: {said(error)}"


def _reply(error: aiosmtplib.SMTPResponseException) -> str:
    return f"server replied {error.code} {said(error.message)}"
