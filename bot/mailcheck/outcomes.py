"""What a live login check can come to, where it connects, and helpers both protocols share.

The password never appears in anything defined here: results carry outcomes, durations and
technical details cleaned of it.
"""

from __future__ import annotations

import enum
import logging
import socket
import ssl
from dataclasses import dataclass
from typing import Final, TypeVar

import aiosmtplib

from dialogs.profile import MigrationProfile, Security

_LOGGER: Final = logging.getLogger("bot.mailcheck.credential_check")
_E = TypeVar("_E", bound=BaseException)

DEFAULT_TIMEOUT: Final = 15.0
# Every network step has `timeout`; a whole protocol (connect, greeting, TLS, login, count,
# quit) gets this many steps' worth, so a server that answers just in time at every step,
# or dribbles a line byte by byte, still cannot hold a check for long.
STEP_BUDGET: Final = 4
DETAIL_MAX: Final = 200


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


SKIPPED: Final = ProtocolResult(Outcome.NOT_CHECKED)


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


class StopCheckError(Exception):
    """A check that stops on our side (nothing safe to try); carries its outcome."""

    def __init__(self, outcome: Outcome, detail: str) -> None:
        super().__init__(detail)
        self.outcome = outcome
        self.detail = detail


# --- shared helpers -----------------------------------------------------------------------


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


def clean(detail: str, password: str) -> str:
    """A server's error text, with the password cut out and the length bounded."""
    # Servers word their own errors; a broken one could echo what it was sent.
    if password:
        detail = detail.replace(password, "***")
    return " ".join(detail.split())[:DETAIL_MAX]


def log_result(protocol: str, host: str, port: int, result: ProtocolResult) -> None:
    """One log line per protocol: host, outcome, time, technical detail (no secret)."""
    _LOGGER.info(
        "login check %s %s:%d -> %s in %.3f s (%s)",
        protocol,
        host,
        port,
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


def ssl_reason(error: ssl.SSLError) -> str:
    """A few words on a TLS failure (untrusted certificate, wrong host...)."""
    if isinstance(error, ssl.SSLCertVerificationError):
        return f"certificate not trusted: {error.verify_message}"
    return str(getattr(error, "reason", None) or error)
