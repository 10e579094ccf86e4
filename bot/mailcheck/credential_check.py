"""The live login check: log in to the profile's sending and receiving servers, no mail.

The receiving server speaks POP3 or IMAP. shared/MAIL.md records how aiosmtplib, poplib
and real servers behave; the failure classification follows its order (`smtp_login`,
`pop_login`, `imap_login`). The password is an argument used in memory only: it is never
logged, never put in a result, and never sent in clear text over an unencrypted
connection unless the profile allows it (challenge-response only: CRAM-MD5, APOP). A
login that cannot be made safely is refused before the password leaves: NOT_VERIFIED,
which is no failure.
"""

from __future__ import annotations

import asyncio
import contextlib
import email.utils
import logging
import secrets
import ssl
import time
from collections.abc import Awaitable, Coroutine
from dataclasses import dataclass
from email.message import EmailMessage
from typing import Any, Final, TypeVar

import aiosmtplib

from bot.mailcheck import imap_login, pop_login
from bot.mailcheck.outcomes import (
    SKIPPED,
    CheckResult,
    Outcome,
    ProtocolResult,
    RoundTripResult,
)
from bot.mailcheck.pop_login import CHECK_HEADER
from bot.mailcheck.smtp_login import SmtpAction, timed_smtp
from bot.mailcheck.target import DEFAULT_TIMEOUT, CheckTarget
from dialogs.profile import Protocol, moved_address

_LOGGER: Final = logging.getLogger(__name__)
T = TypeVar("T")


@dataclass(frozen=True, slots=True)
class MessageWords:
    """The test message's subject and body, worded by the caller from the catalogs.

    The subscriber reads them in their own mail program, so they are catalog texts in the
    conversation's language (`check_mail.subject`, `check_mail.body`), never written here.
    """

    subject: str
    body: str

    def __post_init__(self) -> None:
        # A line break in the subject would end the header: the mail could not be sent.
        if not self.subject.strip() or any(ch in self.subject for ch in "\r\n\0"):
            raise ValueError("the test message's subject must be one line of text")
        if not self.body.strip():
            raise ValueError("the test message's body must not be empty")


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
    stop: asyncio.Event | None = None,
    stop_wait: float = 0.0,
) -> CheckResult:
    """Log in to the SMTP and receiving servers at once (no mail sent); report each outcome.

    `check_smtp=False` suits subscribers who do not send through the provider. Raises
    ValueError only for unusable input (an empty address, a line break, a timeout <= 0);
    every network failure becomes an Outcome. Once `stop` is set (the server shuts down),
    a side still running gets `stop_wait` seconds more, then is cut: TEMPORARY_FAILURE.
    """
    validate(address, password, timeout)
    context = tls_context or ssl.create_default_context()
    smtp, pop = await asyncio.gather(
        _until_stopped(
            "smtp",
            _contained("smtp", _smtp(target, address, password, timeout, context)),
            stop,
            stop_wait,
        )
        if check_smtp
        else skip(),
        _until_stopped(
            target.incoming.protocol.value,
            _contained("incoming", _incoming(target, address, password, timeout, context)),
            stop,
            stop_wait,
        )
        if check_pop
        else skip(),
    )
    return CheckResult(smtp=smtp, pop=pop)


async def _until_stopped(
    side: str,
    check: Coroutine[Any, Any, ProtocolResult],
    stop: asyncio.Event | None,
    stop_wait: float,
    *,
    cut: Outcome = Outcome.TEMPORARY_FAILURE,
) -> ProtocolResult:
    """`check`'s result; or, cut `stop_wait` seconds after `stop` is set, the outcome `cut`.

    A session may take many network steps of the check's timeout each (a slow server, one
    that greets and then says nothing): a replica told to stop waited it out past its
    shutdown grace, which cancelled the request. The page got a 503 while the link was
    spent, and the chat got no result at all: the used link then said the check was still
    running, for as long as the link lived.
    """
    if stop is None:
        return await check
    started = time.perf_counter()
    task = asyncio.ensure_future(check)
    stopping = asyncio.ensure_future(stop.wait())
    try:
        await asyncio.wait((task, stopping), return_when=asyncio.FIRST_COMPLETED)
        if not task.done():
            await asyncio.wait((task,), timeout=stop_wait)
        if not task.done():
            task.cancel()
            await asyncio.wait((task,))  # its connection closed before the result is told
    finally:
        stopping.cancel()
        if not task.done():
            task.cancel()  # this call itself was cancelled
    if not task.cancelled():
        return task.result()
    elapsed = time.perf_counter() - started
    detail = f"cut after {elapsed:.1f} s: the bot's server was shutting down"
    # As each side's own line says how it ended: else only "temporary_failure" told it.
    _LOGGER.info("login check %s -> %s", side, detail)
    return ProtocolResult(cut, elapsed, detail)


async def _contained(side: str, check: Awaitable[ProtocolResult]) -> ProtocolResult:
    """`check`'s result; a failure nobody foresaw ends the check, not the request.

    Every known failure is an Outcome already. A library raising something else (a server
    breaking its protocol in a new way) must not turn the check page into a 500 after its
    single-use link was spent: the subscriber is told to try again later, and the log names
    the error's type only, as its text might quote what was sent.
    """
    started = time.perf_counter()
    try:
        return await check
    except Exception as err:
        _LOGGER.error("Login check (%s) failed unexpectedly: %s", side, type(err).__name__)
        elapsed = time.perf_counter() - started
        return ProtocolResult(
            Outcome.TEMPORARY_FAILURE, elapsed, f"unexpected {type(err).__name__}"
        )


async def _smtp(
    target: CheckTarget,
    address: str,
    password: str,
    timeout: float,  # noqa: ASYNC109 - per step
    context: ssl.SSLContext,
    action: SmtpAction | None = None,
) -> ProtocolResult:
    return await timed_smtp(
        target.smtp,
        address,
        password,
        timeout,
        context,
        action,
        allow_plaintext_login=target.allow_plaintext_login,
    )


async def _incoming(
    target: CheckTarget,
    address: str,
    password: str,
    timeout: float,  # noqa: ASYNC109 - per step
    context: ssl.SSLContext,
    token: str | None = None,
) -> ProtocolResult:
    """The receiving server's half, POP3 or IMAP; with `token`, look for that test mail."""
    server = target.incoming
    plaintext = target.allow_plaintext_login
    if server.protocol is Protocol.IMAP:
        imap_action = None if token is None else _searching_imap(token)
        return await imap_login.timed_imap(
            server,
            address,
            password,
            timeout,
            context,
            imap_action,
            allow_plaintext_login=plaintext,
        )
    pop_action = None if token is None else _searching_pop(token)
    return await pop_login.timed_pop(
        server, address, password, timeout, context, pop_action, allow_plaintext_login=plaintext
    )


def _searching_pop(token: str) -> pop_login.PopAction:
    return lambda pop: pop_login.find_token(pop, token)


def _searching_imap(token: str) -> imap_login.ImapAction:
    return lambda imap: imap_login.find_token(imap, token)


async def round_trip(
    target: CheckTarget,
    address: str,
    password: str,
    *,
    words: MessageWords,
    timeout: float = DEFAULT_TIMEOUT,  # noqa: ASYNC109 - per step, as in check_login
    wait: float = 60.0,
    poll_interval: float = 3.0,
    tls_context: ssl.SSLContext | None = None,
    stop: asyncio.Event | None = None,
    stop_wait: float = 0.0,
) -> RoundTripResult:
    """Send a test message to `address` through SMTP, then poll POP3/IMAP until it arrives.

    `words` are its subject and body, in the subscriber's language.

    Polling stops after `wait` seconds, or at once when `stop` is set (the server shuts
    down): the receiving half is then NOT_CHECKED, the round trip unfinished. The sending
    is not begun once `stop` is set, and one still running `stop_wait` seconds after it is
    cut, as the login's sides are: the send is then NOT_CHECKED (cut before it was sent).
    The message is left in the mailbox, where the subscriber's own mail program shows it as
    the proof.
    """
    validate(address, password, timeout)
    if wait < 0 or poll_interval <= 0:
        raise ValueError(f"need wait >= 0 and poll_interval > 0, not {wait}, {poll_interval}")
    context = tls_context or ssl.create_default_context()
    token = secrets.token_hex(12)
    # To the mailbox's own address: an old one (a new domain) may be forwarded, or no more.
    message = _test_message(moved_address(address, target.smtp_access.new_domains), token, words)

    async def send(client: aiosmtplib.SMTP) -> str:
        await client.send_message(message)
        return "test message accepted"

    if stop is not None and stop.is_set():
        # Draining began during the login: a send begun now would run into the shutdown grace.
        detail = "not sent: the bot's server was shutting down"
        return RoundTripResult(
            send=ProtocolResult(Outcome.NOT_CHECKED, 0.0, detail), receive=SKIPPED
        )
    sent = await _until_stopped(
        "smtp (test message)",
        _contained("smtp", _smtp(target, address, password, timeout, context, send)),
        stop,
        stop_wait,
        cut=Outcome.NOT_CHECKED,
    )
    if sent.outcome is not Outcome.OK:
        return RoundTripResult(send=sent, receive=SKIPPED)

    started = time.perf_counter()
    deadline = started + wait
    stopped = stop or asyncio.Event()
    while True:
        polled = await _unless_stopped(
            _incoming(target, address, password, timeout, context, token), stopped
        )
        elapsed = time.perf_counter() - started
        if polled is None:
            detail = f"stopped waiting after {elapsed:.1f} s: the server is shutting down"
            return RoundTripResult(sent, ProtocolResult(Outcome.NOT_CHECKED, elapsed, detail))
        # A mailbox in use (the subscriber's own program collecting) is no answer yet: the
        # login worked, and the next poll may find the mailbox free and the message in it.
        in_use = polled.outcome is Outcome.MAILBOX_IN_USE
        if not in_use and (polled.outcome is not Outcome.OK or polled.message_count is not None):
            return RoundTripResult(sent, with_duration(polled, duration=elapsed))
        if time.perf_counter() + poll_interval > deadline:
            if in_use:
                return RoundTripResult(sent, with_duration(polled, duration=elapsed))
            detail = f"test message not seen within {wait:g} s"
            return RoundTripResult(sent, ProtocolResult(Outcome.TIMEOUT, elapsed, detail))
        await _unless_stopped(asyncio.sleep(poll_interval), stopped)


async def _unless_stopped(work: Coroutine[Any, Any, T], stopped: asyncio.Event) -> T | None:
    """`work`'s result, or None (and `work` cancelled) once `stopped` is set."""
    if stopped.is_set():
        work.close()
        return None
    task = asyncio.create_task(work)
    waiter = asyncio.ensure_future(stopped.wait())
    try:
        await asyncio.wait((task, waiter), return_when=asyncio.FIRST_COMPLETED)
    finally:
        waiter.cancel()
    if task.done():
        return task.result()
    task.cancel()
    with contextlib.suppress(asyncio.CancelledError):
        await task
    return None


def _test_message(address: str, token: str, words: MessageWords) -> EmailMessage:
    # EmailMessage's default policy encodes a non-ASCII subject (RFC 2047) and gives the
    # body a UTF-8 charset and a transfer encoding, so any language's words go out intact.
    message = EmailMessage()
    message["From"] = address
    message["To"] = address
    message["Subject"] = words.subject
    message["Date"] = email.utils.formatdate(localtime=True)
    message["Message-ID"] = email.utils.make_msgid(domain=address.rpartition("@")[2] or None)
    message[CHECK_HEADER] = token
    message.set_content(words.body.rstrip("\n") + "\n")
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
