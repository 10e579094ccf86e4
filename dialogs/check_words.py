"""Putting a live login check's result into words, with the fix for each failure."""

from __future__ import annotations

from typing import Final

from dialogs.texts import N_
from dialogs.vocabulary import SystemEvent

PROTOCOLS: Final = ("pop", "smtp")
OK: Final = "ok"
NOT_CHECKED: Final = "not_checked"
RATE_LIMITED: Final = "rate_limited"

# One sentence per protocol and outcome (the outcomes of bot.mailcheck.credential_check.Outcome).
_KEYS: Final[dict[tuple[str, str], str]] = {
    ("pop", "ok"): N_("check.pop.ok"),
    ("pop", "auth_failed"): N_("check.pop.auth_failed"),
    ("pop", "unreachable"): N_("check.pop.unreachable"),
    ("pop", "timeout"): N_("check.pop.timeout"),
    ("pop", "tls_error"): N_("check.pop.tls_error"),
    ("pop", "auth_not_offered"): N_("check.pop.auth_not_offered"),
    ("pop", "temporary_failure"): N_("check.pop.temporary_failure"),
    ("smtp", "ok"): N_("check.smtp.ok"),
    ("smtp", "auth_failed"): N_("check.smtp.auth_failed"),
    ("smtp", "unreachable"): N_("check.smtp.unreachable"),
    ("smtp", "timeout"): N_("check.smtp.timeout"),
    ("smtp", "tls_error"): N_("check.smtp.tls_error"),
    ("smtp", "auth_not_offered"): N_("check.smtp.auth_not_offered"),
    ("smtp", "temporary_failure"): N_("check.smtp.temporary_failure"),
}
_ROUND_TRIP_KEYS: Final[dict[str, str]] = {
    "delivered": N_("check.round_trip.delivered"),
    "not_delivered": N_("check.round_trip.not_delivered"),
}


def passed(event: SystemEvent) -> bool:
    """Whether every protocol that was checked logged in."""
    outcomes = [event.get(p, NOT_CHECKED) for p in PROTOCOLS]
    checked = [o for o in outcomes if o != NOT_CHECKED]
    return bool(checked) and all(o == OK for o in checked)


def result_keys(event: SystemEvent) -> list[str]:
    """The catalog keys that report `event`, in order.

    A headline, one line per protocol, the round trip if it ran, and what the check cannot
    know (whether the subscriber's own line blocks port 25).
    """
    if event.get("refused") == RATE_LIMITED:
        return [N_("check.rate_limited")]
    keys = [N_("check.passed") if passed(event) else N_("check.failed")]
    for protocol in PROTOCOLS:
        outcome = event.get(protocol, NOT_CHECKED)
        key = _KEYS.get((protocol, outcome))
        if key is None and outcome != NOT_CHECKED:
            key = _KEYS[(protocol, "temporary_failure")]
        if key is not None:
            keys.append(key)
    round_trip = _ROUND_TRIP_KEYS.get(event.get("round_trip"))
    if round_trip is not None:
        keys.append(round_trip)
    keys.append(N_("check.port25_note"))
    return keys
