"""The SMTP half of the login check (aiosmtplib): connect, STARTTLS, AUTH, quit; no mail."""

from __future__ import annotations

import asyncio
import contextlib
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
    ssl_reason,
)
from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.target import STEP_BUDGET, CheckTarget
from dialogs.profile import Security

# --- SMTP ---------------------------------------------------------------------------------

_SmtpAction = Callable[[aiosmtplib.SMTP], Awaitable[str]]
# Preference when the password may travel (inside TLS, or allowed by the operator), and the
# only mechanism when it may not: CRAM-MD5 proves the password without sending it.
_SMTP_MECHANISMS_SAFE_CHANNEL: Final[tuple[str, ...]] = ("plain", "login", "cram-md5")
_SMTP_MECHANISMS_PLAINTEXT_ALLOWED: Final[tuple[str, ...]] = ("cram-md5", "plain", "login")
_SMTP_MECHANISMS_CHALLENGE_ONLY: Final[tuple[str, ...]] = ("cram-md5",)


async def timed_smtp(
    target: CheckTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: _SmtpAction | None = None,
) -> ProtocolResult:
    """The SMTP half of a check, bounded in time as a whole."""
    started = time.perf_counter()
    try:
        async with asyncio.timeout(step_timeout * STEP_BUDGET):
            detail = await smtp_session(target, address, password, step_timeout, context, action)
        outcome = Outcome.OK
    except StopCheckError as refused:
        outcome, detail = refused.outcome, refused.detail
    except (aiosmtplib.SMTPException, OSError, TimeoutError) as error:
        outcome, detail = classify_smtp_error(error)
    result = ProtocolResult(outcome, time.perf_counter() - started, clean(detail, password))
    log_result("smtp", target.smtp_host, target.smtp_port, result)
    return result


async def smtp_session(
    target: CheckTarget,
    address: str,
    password: str,
    step_timeout: float,
    context: ssl.SSLContext,
    action: _SmtpAction | None,
) -> str:
    """Connect with the profile's security mode, authenticate, run `action`, quit."""
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
                raise StopCheckError(Outcome.AUTH_NOT_OFFERED, "server does not offer STARTTLS")
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
        raise StopCheckError(Outcome.AUTH_NOT_OFFERED, "server offers no AUTH")
    if encrypted:
        preference = _SMTP_MECHANISMS_SAFE_CHANNEL
    elif target.allow_plaintext_login:
        preference = _SMTP_MECHANISMS_PLAINTEXT_ALLOWED
    else:
        preference = _SMTP_MECHANISMS_CHALLENGE_ONLY
    offered = client.server_auth_methods
    usable = [m for m in preference if m in offered]
    if not usable:
        raise StopCheckError(
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
    tls = cause_of_type(error, ssl.SSLError)
    if tls is not None:
        return Outcome.TLS_ERROR, f"TLS failed: {ssl_reason(tls)}"
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
