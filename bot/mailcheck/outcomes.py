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
    TLS_ERROR = "tls_error"  # handshake failure: wrong TLS mode, no common protocol
    # The certificate is not signed by a CA the check trusts, or names another host: it
    # will not fix itself, so the subscriber is sent to support, not asked to retry.
    UNTRUSTED_CERTIFICATE = "untrusted_certificate"
    # The server does not do what the profile says: no AUTH at all, none of the profile's
    # login methods announced, no STARTTLS on a STARTTLS port, or it refused the login
    # method it announced (504/534/538).
    AUTH_NOT_OFFERED = "auth_not_offered"
    TEMPORARY_FAILURE = "temporary_failure"  # 4xx, dropped connection, anything else
    # The server refuses the account for a reason of its own that the provider must see to,
    # not a wrong password: POP3's [SYS/PERM] (RFC 3206), IMAP's [CONTACTADMIN] and [EXPIRED]
    # (RFC 5530). Support is named; no setting or retry of the subscriber's mends it.
    ACCOUNT_REFUSED = "account_refused"
    # The server refuses this client outright: SMTP's 554 in place of its greeting (RFC 5321
    # 3.1, "no SMTP service here"), a policy of the provider's against the network the
    # check connects from (a block list, an access rule). Neither the password nor a retry
    # is at fault or mends it: the subscriber is sent to support, with how to reach them.
    CLIENT_REFUSED = "client_refused"
    # POP's [IN-USE] (RFC 2449), IMAP's [INUSE] (RFC 5530): another session (another device
    # or program collecting the same mailbox) holds it; the subscriber is told so. RFC 2449:
    # "the authentication was successful, but the user's maildrop is currently in use", so
    # it is no failure: the account and password were accepted, only the count is unknown.
    MAILBOX_IN_USE = "mailbox_in_use"
    # Refused on our side for safety: no TLS and no challenge-response the check may use.
    # Nothing was verified, and nothing was found wrong: neither a pass nor a failure.
    NOT_VERIFIED = "not_verified"
    NOT_CHECKED = "not_checked"  # the caller chose not to check this protocol

    @property
    def is_failure(self) -> bool:
        """Whether this outcome found something wrong (not a pass, a skip or a refusal)."""
        return self not in _NOT_FAILURES


_NOT_FAILURES: Final = frozenset(
    {Outcome.OK, Outcome.MAILBOX_IN_USE, Outcome.NOT_VERIFIED, Outcome.NOT_CHECKED}
)


@dataclass(frozen=True, slots=True)
class ProtocolResult:
    """One protocol's outcome; `detail` is technical (for agents), never holds the password."""

    outcome: Outcome
    duration: float = 0.0
    detail: str = ""
    message_count: int | None = None  # the receiving server only (POP3 or IMAP)


SKIPPED: Final = ProtocolResult(Outcome.NOT_CHECKED)


@dataclass(frozen=True, slots=True)
class CheckResult:
    """The outcome of a live login check, per protocol.

    `pop` is the receiving server's result, POP3 or IMAP (the name predates IMAP).
    """

    smtp: ProtocolResult
    pop: ProtocolResult

    @property
    def ok(self) -> bool:
        """Whether every protocol that was checked logged in (and at least one was).

        A protocol refused for safety (NOT_VERIFIED) proved nothing, so it is no pass.
        """
        checked = [r for r in (self.smtp, self.pop) if r.outcome is not Outcome.NOT_CHECKED]
        return bool(checked) and all(r.outcome is Outcome.OK for r in checked)

    @property
    def logged_in(self) -> bool:
        """Whether every protocol that was checked let the account in (and at least one).

        As `ok`, but the receiving server's mailbox in use counts: the server accepted the
        account and password (RFC 2449), and only the mailbox was held at that moment.
        """
        sent = self.smtp.outcome in (Outcome.OK, Outcome.NOT_CHECKED)
        received = self.pop.outcome in (Outcome.OK, Outcome.MAILBOX_IN_USE, Outcome.NOT_CHECKED)
        checked = any(r.outcome is not Outcome.NOT_CHECKED for r in (self.smtp, self.pop))
        return checked and sent and received

    @property
    def failed(self) -> bool:
        """Whether a protocol found something wrong; a refusal for safety is no failure."""
        return any(r.outcome.is_failure for r in (self.smtp, self.pop))


@dataclass(frozen=True, slots=True)
class RoundTripResult:
    """A test message sent to the subscriber's own address, then looked for over POP."""

    send: ProtocolResult
    receive: ProtocolResult  # OK once the message is seen; TIMEOUT if it never came

    @property
    def delivered(self) -> bool:
        """Whether the test message was sent and arrived."""
        return self.send.outcome is Outcome.OK and self.receive.outcome is Outcome.OK
