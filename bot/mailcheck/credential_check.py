"""The live login check: log in to the profile's SMTP and POP servers, send no mail.

shared/MAIL.md records how aiosmtplib, poplib and real servers behave; the failure
classification follows its order (`smtp_login`, `pop_login`). The password is an argument
used in memory only: it is never logged, never put in a result, and never sent in clear
text over an unencrypted connection unless the profile allows it (challenge-response only:
CRAM-MD5, APOP).
"""

from __future__ import annotations

import asyncio
import email.utils
import secrets
import ssl
import time
from email.message import EmailMessage

import aiosmtplib

from bot.mailcheck.outcomes import (
    SKIPPED,
    CheckResult,
    Outcome,
    ProtocolResult,
    RoundTripResult,
)
from bot.mailcheck.pop_login import CHECK_HEADER, find_token, timed_pop
from bot.mailcheck.smtp_login import timed_smtp
from bot.mailcheck.target import DEFAULT_TIMEOUT, CheckTarget


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
    validate(address, password, timeout)
    context = tls_context or ssl.create_default_context()
    smtp, pop = await asyncio.gather(
        timed_smtp(target, address, password, timeout, context) if check_smtp else skip(),
        timed_pop(target, address, password, timeout, context) if check_pop else skip(),
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
    validate(address, password, timeout)
    if wait < 0 or poll_interval <= 0:
        raise ValueError(f"need wait >= 0 and poll_interval > 0, not {wait}, {poll_interval}")
    context = tls_context or ssl.create_default_context()
    token = secrets.token_hex(12)
    message = _test_message(address, token)

    async def send(client: aiosmtplib.SMTP) -> str:
        await client.send_message(message)
        return "test message accepted"

    sent = await timed_smtp(target, address, password, timeout, context, send)
    if sent.outcome is not Outcome.OK:
        return RoundTripResult(send=sent, receive=SKIPPED)

    started = time.perf_counter()
    deadline = started + wait
    while True:
        polled = await timed_pop(
            target, address, password, timeout, context, lambda pop: find_token(pop, token)
        )
        elapsed = time.perf_counter() - started
        if polled.outcome is not Outcome.OK or polled.message_count is not None:
            return RoundTripResult(sent, with_duration(polled, duration=elapsed))
        if time.perf_counter() + poll_interval > deadline:
            detail = f"test message not seen within {wait:g} s"
            return RoundTripResult(sent, ProtocolResult(Outcome.TIMEOUT, elapsed, detail))
        await asyncio.sleep(poll_interval)


def _test_message(address: str, token: str) -> EmailMessage:
    message = EmailMessage()
    message["From"] = address
    message["To"] = address
    message["Subject"] = "メール設定の確認 / Mail settings test"
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain=address.rpartition("@")[2] or None)
    message[CHECK_HEADER] = token
    message.set_content(
        "新しい設定でメールを送受信できました。このメールは削除してかまいません。\n"
        "Your new settings sent and received this message. You may delete it.\n"
    )
    return message


def validate(address: str, password: str, timeout: float) -> None:
    """Refuse input no server could take (ValueError); the password is never quoted."""
    if not address or any(ch in address for ch in "\r\n\0 \t"):
        raise ValueError("the address must be non-empty, without spaces or line breaks")
    if any(ch in password for ch in "\r\n\0"):
        # The password itself never goes into the message.
        raise ValueError("the password contains a line break or NUL, which no server accepts")
    if timeout <= 0:
        raise ValueError(f"timeout must be positive, not {timeout}")


async def skip() -> ProtocolResult:
    """The result of a protocol the caller chose not to check."""
    return SKIPPED


def with_duration(result: ProtocolResult, *, duration: float) -> ProtocolResult:
    """`result` with the time the protocol took."""
    return ProtocolResult(result.outcome, duration, result.detail, result.message_count)
