"""What a live login check can come to: per protocol, for both, and for a round trip.

The password never appears in anything defined here: results carry outcomes, durations and
technical details cleaned of it.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass
from typing import Final


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
