"""Putting a live login check's result into words, with the fix for each failure.

A check comes to one of four verdicts: passed, failed, nothing verified (a login refused
for safety, before any password left: no TLS and no challenge-response), or a server not
reached (no connection, no answer in time, the server's "try later"). The last two are no
failure: they are not counted towards offering a person, and their headlines say nothing
was verified, or that the server could not be reached, rather than that a problem was found.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections.abc import Callable
from typing import Final

from dialogs.texts import N_
from dialogs.vocabulary import ResultVerdict, SystemEvent, TextReply

PROTOCOLS: Final = ("pop", "smtp")
OK: Final = "ok"
NOT_CHECKED: Final = "not_checked"
NOT_VERIFIED: Final = "not_verified"
RATE_LIMITED: Final = "rate_limited"
# POP3's [IN-USE] (RFC 2449: "the authentication was successful, but the user's maildrop is
# currently in use"), IMAP's [INUSE]: the account and password were accepted, so the login
# worked; only the mailbox could not be opened while another program collects it. Only the
# receiving server has a mailbox: from SMTP it is no outcome the check knows.
MAILBOX_IN_USE: Final = "mailbox_in_use"
# The check did not get through to the server: no connection, no answer in time, the
# server's own "try again later". The address and password were never judged, and nothing
# the subscriber changes would help (the check uses the profile's hosts and ports, not the
# mail program's): the server's trouble is said as such and never counted as the
# subscriber's failed attempt towards a person. A broken handshake, an untrusted
# certificate or a refusal of our network stay failures: their words send to the desk.
SERVER_NOT_REACHED: Final = frozenset({"unreachable", "timeout", "temporary_failure"})


def logged_in(protocol: str, outcome: str | None) -> bool:
    """Whether `outcome` of `protocol` is a login that worked (the mailbox in use, too)."""
    return outcome == OK or (protocol == "pop" and outcome == MAILBOX_IN_USE)


class Verdict(enum.Enum):
    """What a finished check comes to, for the dialog's counting and the headline."""

    PASSED = "passed"
    FAILED = "failed"
    NOT_VERIFIED = "not_verified"  # refused for safety: neither a pass nor a failure
    NOT_REACHED = "not_reached"  # the server, not the subscriber: neither a pass nor a failure


# One sentence per protocol and outcome (the outcomes of bot.mailcheck.credential_check.Outcome).
_KEYS: Final[dict[tuple[str, str], str]] = {
    ("pop", "ok"): N_("check.pop.ok"),
    ("pop", "auth_failed"): N_("check.pop.auth_failed"),
    ("pop", "unreachable"): N_("check.pop.unreachable"),
    ("pop", "timeout"): N_("check.pop.timeout"),
    ("pop", "tls_error"): N_("check.pop.tls_error"),
    ("pop", "untrusted_certificate"): N_("check.pop.untrusted_certificate"),
    ("pop", "not_verified"): N_("check.pop.not_verified"),
    ("pop", "auth_not_offered"): N_("check.pop.auth_not_offered"),
    ("pop", "temporary_failure"): N_("check.pop.temporary_failure"),
    # POP's [IN-USE] (RFC 2449), IMAP's [INUSE] (RFC 5530): another session holds the mailbox.
    ("pop", "mailbox_in_use"): N_("check.pop.mailbox_in_use"),
    # POP's [SYS/PERM], IMAP's [CONTACTADMIN] and [EXPIRED]: support must act.
    ("pop", "account_refused"): N_("check.pop.account_refused"),
    ("smtp", "ok"): N_("check.smtp.ok"),
    ("smtp", "auth_failed"): N_("check.smtp.auth_failed"),
    ("smtp", "unreachable"): N_("check.smtp.unreachable"),
    ("smtp", "timeout"): N_("check.smtp.timeout"),
    ("smtp", "tls_error"): N_("check.smtp.tls_error"),
    ("smtp", "untrusted_certificate"): N_("check.smtp.untrusted_certificate"),
    ("smtp", "not_verified"): N_("check.smtp.not_verified"),
    ("smtp", "auth_not_offered"): N_("check.smtp.auth_not_offered"),
    ("smtp", "temporary_failure"): N_("check.smtp.temporary_failure"),
    # A 554 greeting (RFC 5321 3.1): the server refuses the check's network; support acts.
    ("smtp", "client_refused"): N_("check.smtp.client_refused"),
}
# Under a not-reached headline, which says nothing was found wrong, each server's line says
# only what happened and check.not_reached.retry, last, what to do: the lines above said
# 「お使いのメールソフトの設定が原因ではありません。しばらくしてから…」 under each server,
# with the headline three times in one answer. A server not reached beside a real failure
# keeps its whole line: there it is the one place that says so.
_BRIEF_KEYS: Final[dict[str, str]] = {
    N_("check.pop.unreachable"): N_("check.pop.unreachable.brief"),
    N_("check.pop.timeout"): N_("check.pop.timeout.brief"),
    N_("check.pop.temporary_failure"): N_("check.pop.temporary_failure.brief"),
    N_("check.smtp.unreachable"): N_("check.smtp.unreachable.brief"),
    N_("check.smtp.timeout"): N_("check.smtp.timeout.brief"),
    N_("check.smtp.temporary_failure"): N_("check.smtp.temporary_failure.brief"),
}
_ROUND_TRIP_KEYS: Final[dict[str, str]] = {
    "delivered": N_("check.round_trip.delivered"),
    "not_delivered": N_("check.round_trip.not_delivered"),
    "not_finished": N_("check.round_trip.not_finished"),
    "sent_unread": N_("check.round_trip.sent_unread"),
    "not_sent": N_("check.round_trip.not_sent"),
}


def passed(event: SystemEvent) -> bool:
    """Whether every protocol that was checked logged in."""
    return verdict(event) is Verdict.PASSED


def verdict(event: SystemEvent) -> Verdict:
    """Passed, failed, nothing verified, or a server not reached.

    Passed: every part checked logged in. Failed: one found a problem. Not reached: every
    part that did not log in could not reach its server (no failure of the subscriber's).
    A check of nothing at all is a failure, as before: something went wrong on our side.
    A wrong password beside a server not reached is a failure: the subscriber has a fix.
    """
    checked = [(p, o) for p in PROTOCOLS if (o := event.get(p, NOT_CHECKED)) != NOT_CHECKED]
    if not checked:
        return Verdict.FAILED
    failed = [o for p, o in checked if not logged_in(p, o) and o != NOT_VERIFIED]
    if failed:
        return Verdict.NOT_REACHED if SERVER_NOT_REACHED.issuperset(failed) else Verdict.FAILED
    return Verdict.NOT_VERIFIED if any(o == NOT_VERIFIED for _, o in checked) else Verdict.PASSED


_HEADLINES: Final[dict[Verdict, str]] = {
    Verdict.PASSED: N_("check.passed"),
    Verdict.FAILED: N_("check.failed"),
    Verdict.NOT_VERIFIED: N_("check.not_verified"),
    Verdict.NOT_REACHED: N_("check.not_reached"),
}


# How each verdict, and each protocol's outcome, is marked: anything that is neither a login
# nor a refusal for safety is a failure (an outcome this table does not name, too).
_MARKS: Final[dict[Verdict, ResultVerdict]] = {
    Verdict.PASSED: ResultVerdict.PASSED,
    Verdict.FAILED: ResultVerdict.FAILED,
    Verdict.NOT_VERIFIED: ResultVerdict.NOT_VERIFIED,
    # Nothing was judged (the login was never tried): 「未確認」, not 「問題あり」.
    Verdict.NOT_REACHED: ResultVerdict.NOT_VERIFIED,
}
_OUTCOME_MARKS: Final[dict[str, ResultVerdict]] = {
    OK: ResultVerdict.PASSED,
    NOT_VERIFIED: ResultVerdict.NOT_VERIFIED,
    **dict.fromkeys(SERVER_NOT_REACHED, ResultVerdict.NOT_VERIFIED),
}
_ROUND_TRIP_MARKS: Final[dict[str, ResultVerdict]] = {
    "delivered": ResultVerdict.PASSED,
    "not_delivered": ResultVerdict.FAILED,
    # The server stopped waiting (it was shutting down): nothing proved either way.
    "not_finished": ResultVerdict.NOT_VERIFIED,
    # Sent; the mailbox could not be read safely (no TLS, no challenge-response): unproved.
    "sent_unread": ResultVerdict.NOT_VERIFIED,
    # Cut before it was sent (the server was shutting down): nothing proved either way.
    "not_sent": ResultVerdict.NOT_VERIFIED,
}

# The sending outcomes of a check that reached the sending server and heard its answer to
# a login (or, not_verified, to what it offers): only after them is what our network cannot
# see of the subscriber's line worth saying (the notice: port 587 sends where port 25 is
# blocked). Not after unreachable, timeout, tls_error, untrusted_certificate,
# temporary_failure or client_refused, where the check itself did not get through.
_SENDING_REACHED: Final = frozenset({OK, "auth_failed", NOT_VERIFIED, "auth_not_offered"})

# Paragraphs as the channels split them: a blank line (or more) between them.
_PARAGRAPHS: Final = re.compile(r"\n{2,}")

ResultLine = tuple[str, ResultVerdict | None]
"""A catalog key of a check's report, and what its sentence reports (None: a note)."""


def result_lines(event: SystemEvent) -> list[ResultLine]:
    """The catalog keys that report `event`, in order, each with what it reports.

    A headline, one line per protocol, the round trip if it ran, where the check reached the
    sending server what it cannot know (whether the subscriber's own line reaches the port it
    sent on), and where a server was not reached, what to do.
    """
    if event.get("refused") == RATE_LIMITED:
        # With the time the limit lets a check through again (`retry_at`), said as a time:
        # 「しばらく」 alone left the subscriber trying again and again, refused each time.
        if retry_moment(event) is not None:
            return [(N_("check.rate_limited.until"), None)]
        return [(N_("check.rate_limited"), None)]
    overall = verdict(event)
    headline = _HEADLINES[overall]
    if overall is Verdict.NOT_VERIFIED and any(logged_in(p, event.get(p)) for p in PROTOCOLS):
        headline = N_("check.partly_verified")  # one logged in, the other was not tried
    if overall is Verdict.NOT_REACHED and any(logged_in(p, event.get(p)) for p in PROTOCOLS):
        headline = N_("check.partly_reached")  # one logged in, the other's server not reached
    if overall is Verdict.PASSED and event.get("pop", NOT_CHECKED) == NOT_CHECKED:
        # Sending alone was checked (a sending-only migration): not "both servers".
        headline = N_("check.passed.sending_only")
    sending_checked = event.get("smtp", NOT_CHECKED) != NOT_CHECKED
    if overall is Verdict.PASSED and not sending_checked:
        # Receiving alone was checked (a receiving-only migration): not "both servers".
        headline = N_("check.passed.receiving_only")
    lines: list[ResultLine] = [(headline, _MARKS[overall])]
    for protocol in PROTOCOLS:
        outcome = event.get(protocol, NOT_CHECKED)
        if outcome == NOT_CHECKED:
            continue
        key = _KEYS.get((protocol, outcome), _KEYS[(protocol, "temporary_failure")])
        if overall is Verdict.NOT_REACHED and outcome in SERVER_NOT_REACHED:
            key = _BRIEF_KEYS[key]
        mark = _OUTCOME_MARKS.get(outcome, ResultVerdict.FAILED)
        if logged_in(protocol, outcome):
            mark = ResultVerdict.PASSED
        lines.append((key, mark))
    round_trip = event.get("round_trip")
    if round_trip in _ROUND_TRIP_KEYS:
        lines.append((_ROUND_TRIP_KEYS[round_trip], _ROUND_TRIP_MARKS[round_trip]))
    if event.get("smtp") in _SENDING_REACHED or round_trip in _ROUND_TRIP_KEYS:
        # Whether the subscriber's line reaches the outgoing port: of a check that reached
        # the sending server. Where our side could not (「…接続できませんでした」, no answer,
        # a broken handshake, the server's refusal of our network), the line before it says
        # what to do next; a note on ports after it only buried that, and its 「その制限が
        # ある回線からでも送信できます」 read as contradicting the failure just reported.
        lines.append((N_("check.port25_note"), None))
    if overall is Verdict.NOT_REACHED:
        # What to do, said once and last (after the note on ports, where a server was reached).
        lines.append((N_("check.not_reached.retry"), None))
    return lines


def retry_moment(event: SystemEvent) -> dt.datetime | None:
    """When a rate-limited check may run again, or None.

    `retry_at` is ISO 8601 in the provider's time zone, with its offset; `retry_zone` (the
    zone's short name, 「JST」) goes with it.
    """
    try:
        moment = dt.datetime.fromisoformat(event.get("retry_at", ""))
    except ValueError:
        return None
    return moment if moment.tzinfo is not None else None


def result_reply(event: SystemEvent, say: Callable[[str], str]) -> TextReply:
    """The report of `event` as one reply: a paragraph per line, worded by `say(key)`.

    The reply carries the verdicts as data, so a channel marks each paragraph without
    reading its words. A rate-limited check was not run: it reports no verdict.
    """
    lines = result_lines(event)
    text = "\n\n".join(say(key) for key, _ in lines)
    marks = tuple(mark for _, mark in lines)
    if marks[0] is None:
        return TextReply(text)
    # A sentence holding a blank line of its own (a catalog mistake) would shift every
    # later paragraph's mark: then only the whole result is marked, never a wrong line.
    if len(_PARAGRAPHS.split(text.strip())) != len(lines):
        return TextReply(text, verdict=marks[0])
    return TextReply(text, verdict=marks[0], verdicts=marks)
