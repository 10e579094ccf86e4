"""Why a login check failed, in a few words for an agent, and never with the password.

What SMTP and POP share: following a client library's error to the socket or TLS error
behind it, a server's reply cleaned of the password, one log line per protocol.
"""

from __future__ import annotations

import base64
import logging
import re
import socket
import ssl
from typing import Final, TypeVar

import aiosmtplib

from bot.mailcheck.outcomes import Outcome, ProtocolResult

_LOGGER: Final = logging.getLogger("bot.mailcheck.credential_check")
# A run of base64's alphabet, long enough to hold a password of one character or more.
_BASE64_RUN: Final = re.compile(r"[A-Za-z0-9+/]{2,}=*")
_E = TypeVar("_E", bound=BaseException)
DETAIL_MAX: Final = 200


class StopCheckError(Exception):
    """A check that stops on our side (nothing safe to try); carries its outcome."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


# Around the words of a server (or of a library quoting one) in a detail: `said`, `clean`.
# Private-use characters, taken out of what they enclose so that a server cannot move them.
_SAID_OPEN: Final = "\ue000"
_SAID_CLOSE: Final = "\ue001"
_SAID: Final = re.compile(f"{_SAID_OPEN}([^{_SAID_CLOSE}]*){_SAID_CLOSE}")
# What stands for a server's words that held the password: no part of them is kept.
WITHHELD: Final = "(its words are not kept: they held the password)"


def said(text: object) -> str:
    """A server's words (a reply, or a library's error that quotes one), marked for `clean`.

    Every piece of a detail that comes from outside the bot goes through here: `clean` looks
    for the password only in these pieces.
    """
    return _SAID_OPEN + str(text).replace(_SAID_OPEN, "").replace(_SAID_CLOSE, "") + _SAID_CLOSE


def clean(detail: str, password: str) -> str:
    """A result's detail for the log: a server's words left out if they held the password.

    Servers word their own errors, and a broken one could echo what it was sent: the password
    as typed, or the base64 that AUTH PLAIN and LOGIN carry it in (decoded by anyone). Those
    words (`said`) are then left out whole. The password was cut out where it stood before,
    and in the bot's own words too: a password that is a word or a piece of one ("refused",
    "name", "failed") was starred out of "connection refused", "host name not found (DNS)"
    or Dovecot's "Authentication failed.", and anyone who reads the log and knows those words
    read the password in the gap ("host n***me not found": the password was "a"). Now the
    bot's own words never change, and a server's are kept or dropped whole.
    """

    def kept(words: re.Match[str]) -> str:
        text = words.group(1)
        return WITHHELD if password and _holds(text, password) else text

    return " ".join(_SAID.sub(kept, detail).split())[:DETAIL_MAX]


def _holds(text: str, password: str) -> bool:
    """Whether `text` holds `password` as typed or in a run of base64 that decodes to it."""
    if password in text:
        return True
    secret = password.encode()
    return any(secret in _b64decoded(run.group()) for run in _BASE64_RUN.finditer(text))


def _b64decoded(run: str) -> bytes:
    """`run` decoded as base64 (its padding restored), or b"" when it is none."""
    try:
        return base64.b64decode(run.rstrip("=") + "=" * (-len(run.rstrip("=")) % 4))
    except ValueError:  # binascii.Error: a length no base64 has
        return b""


def log_result(server: str, result: ProtocolResult) -> None:
    """One log line per protocol: server, outcome, time, technical detail (no secret)."""
    _LOGGER.info(
        "login check %s -> %s in %.3f s (%s)",
        server,
        result.outcome.value,
        result.duration,
        result.detail,
    )


def network_cause(error: BaseException) -> OSError | None:
    """The socket error behind a client library's error, if there is one."""
    # aiosmtplib's own errors are OSErrors too (ConnectionError); look past them for the
    # socket's.
    current = error.__cause__ or error.__context__
    while current is not None:
        if isinstance(current, OSError) and not isinstance(current, aiosmtplib.SMTPException):
            return current
        current = current.__cause__ or current.__context__
    return None


def network_failure(error: OSError) -> str:
    """A few words on why a connection failed (DNS, refused, reset...)."""
    if isinstance(error, socket.gaierror):
        return "host name not found (DNS)"
    if isinstance(error, ConnectionRefusedError):
        return "connection refused"
    return f"cannot connect: {error.strerror or error}"


def timeout_detail(step: str) -> str:
    """Why a step of POP3 or IMAP got no answer in time, as far as the step tells.

    Before the server has spoken (connect, STARTTLS) a filtered port or a wrong TLS mode is
    the usual cause; once it greeted and answered, a login left unanswered is a server slow
    to authenticate or waiting on the mailbox's lock (Dovecot waits 10.9 s for a mailbox
    another POP3 session holds before its [IN-USE]).
    """
    if step == "login":
        return (
            "no answer to the login in time (a server slow to authenticate,"
            " or waiting on the mailbox's lock)"
        )
    if step == "mailbox":
        return "logged in, then no answer in time (mailbox)"
    return f"no answer in time ({step}; port filtered, or wrong TLS mode)"


def cause_of_type(error: BaseException, kind: type[_E]) -> _E | None:
    """The first error of `kind` in the chain of causes and contexts."""
    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, kind):
            return current
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


def tls_failure(error: ssl.SSLError) -> tuple[Outcome, str]:
    """An untrusted certificate (support must act) apart from any other TLS failure."""
    outcome = (
        Outcome.UNTRUSTED_CERTIFICATE
        if isinstance(error, ssl.SSLCertVerificationError)
        else Outcome.TLS_ERROR
    )
    return outcome, f"TLS failed: {ssl_reason(error)}"


def ssl_reason(error: ssl.SSLError) -> str:
    """A few words on a TLS failure (untrusted certificate, wrong host...)."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {error.verify_message}"
    return str(getattr(error, "reason", None) or error)
