"""`mailmove stats`: what the support desk wants to know about a period, from the audit counts.

How many subscribers started, reached each verdict, received their settings, passed the
live login check, were handed to an agent, and said whether it was solved. The counts come
from the audit events the engine stores with each turn (`ConversationStore.audit_counts`),
which hold no personal data and outlive the transcripts.
"""

from __future__ import annotations

import datetime as dt
import json
import zoneinfo
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.store.conversation_store import ConversationStore
from dialogs.state import Signal
from dialogs.vocabulary import Receiving, Sending

STARTED: Final = "started"
# The audit kinds are the dialog's signals (see bot.engine).
VERDICT: Final = Signal.VERDICT_REACHED.value
SETTINGS: Final = Signal.SETTINGS_DELIVERED.value
CHECK_PASSED: Final = Signal.CHECK_PASSED.value
HANDOFF: Final = Signal.HANDOFF_REQUESTED.value
MESSAGE_LEFT: Final = Signal.DESK_MESSAGE_LEFT.value
SOLVED: Final = Signal.FEEDBACK_SOLVED.value
UNSOLVED: Final = Signal.FEEDBACK_UNSOLVED.value
# Every verdict pair, so the table shows zeros rather than gaps: a profile's leaves may pair
# any receiving verdict with any sending one (e.g. receiving unchanged, sending required).
VERDICT_KINDS: Final = tuple(
    f"{receiving.value}/{sending.value}" for receiving in Receiving for sending in Sending
)


@dataclass(frozen=True, slots=True)
class DeskStats:
    """The desk's figures for the days `first` to `last` (both included) in `timezone`."""

    first: dt.date
    last: dt.date
    timezone: str
    started: int = 0
    verdicts: Mapping[str, int] = field(default_factory=dict)
    settings_delivered: int = 0
    check_passed: int = 0
    handed_to_agents: int = 0
    # Messages for the desk left while no one could take the chat (outside hours, no desk).
    messages_left: int = 0
    # Answers to 「解決しましたか？」 (after the settings, or as an agent closed the chat).
    solved: int = 0
    unsolved: int = 0

    @property
    def verdicts_total(self) -> int:
        """How many verdicts were reached, whatever they were."""
        return sum(self.verdicts.values())

    def to_json(self) -> dict[str, object]:
        """The `--json` form."""
        return {
            "first_day": self.first.isoformat(),
            "last_day": self.last.isoformat(),
            "timezone": self.timezone,
            "started": self.started,
            "verdicts": dict(self.verdicts),
            "verdicts_total": self.verdicts_total,
            "settings_delivered": self.settings_delivered,
            "check_passed": self.check_passed,
            "handed_to_agents": self.handed_to_agents,
            "messages_left": self.messages_left,
            "solved": self.solved,
            "unsolved": self.unsolved,
        }


def period(first: dt.date, last: dt.date, timezone: str) -> tuple[dt.datetime, dt.datetime]:
    """[since, until) covering the calendar days `first` to `last` in `timezone`."""
    if last < first:
        raise ValueError(f"the period ends ({last}) before it starts ({first})")
    zone = zoneinfo.ZoneInfo(timezone)
    try:
        since = dt.datetime.combine(first, dt.time(), tzinfo=zone)
        until = dt.datetime.combine(last + dt.timedelta(days=1), dt.time(), tzinfo=zone)
        # The stores count in UTC: the calendar's first and last days may have no UTC
        # instant ('--until 9999-12-31' and '--since 0001-01-01' ended in a traceback).
        since.astimezone(dt.UTC)
        until.astimezone(dt.UTC)
    except OverflowError:
        raise ValueError(
            f"the period {first} to {last} runs past the first or last day there is;"
            f" give days from {dt.date.min + dt.timedelta(days=1)}"
            f" to {dt.date.max - dt.timedelta(days=1)}"
        ) from None
    return since, until


def summarise(
    counts: Mapping[tuple[str, str], int], first: dt.date, last: dt.date, timezone: str
) -> DeskStats:
    """The desk's figures from audit counts keyed (kind, detail)."""
    verdicts = dict.fromkeys(VERDICT_KINDS, 0)
    totals: dict[str, int] = {}
    for (kind, detail), count in counts.items():
        totals[kind] = totals.get(kind, 0) + count
        if kind == VERDICT:
            verdicts[detail or "unknown"] = verdicts.get(detail or "unknown", 0) + count
    return DeskStats(
        first=first,
        last=last,
        timezone=timezone,
        started=totals.get(STARTED, 0),
        verdicts=verdicts,
        settings_delivered=totals.get(SETTINGS, 0),
        check_passed=totals.get(CHECK_PASSED, 0),
        handed_to_agents=totals.get(HANDOFF, 0),
        messages_left=totals.get(MESSAGE_LEFT, 0),
        solved=totals.get(SOLVED, 0),
        unsolved=totals.get(UNSOLVED, 0),
    )


async def collect(
    store: ConversationStore, first: dt.date, last: dt.date, timezone: str
) -> DeskStats:
    """Read the period's counts from an open store."""
    since, until = period(first, last, timezone)
    return summarise(await store.audit_counts(since, until), first, last, timezone)


def render_table(stats: DeskStats) -> str:
    """A plain-text table for the terminal."""
    rows: list[tuple[str, int]] = [("started", stats.started)]
    rows += [("verdicts reached", stats.verdicts_total)]
    rows += [(f"  {_words(kind)}", n) for kind, n in stats.verdicts.items()]
    rows += [
        ("settings delivered", stats.settings_delivered),
        ("live check passed", stats.check_passed),
        ("handed to agents", stats.handed_to_agents),
        ("messages left for the desk", stats.messages_left),
        ("answered solved", stats.solved),
        ("answered not solved", stats.unsolved),
    ]
    width = max(len(label) for label, _ in rows)
    digits = max(len(str(n)) for _, n in rows)
    title = f"mailmove stats {stats.first} .. {stats.last} ({stats.timezone})"
    lines = [title, "-" * max(len(title), width + digits + 2)]
    lines += [f"{label:<{width}}  {n:>{digits}}" for label, n in rows]
    return "\n".join(lines)


def render_json(stats: DeskStats) -> str:
    """The figures as one JSON object."""
    return json.dumps(stats.to_json(), indent=2)


def _words(kind: str) -> str:
    receiving, slash, sending = kind.partition("/")
    if not slash:
        return kind
    return f"receiving {receiving.replace('_', ' ')}, sending {sending.replace('_', ' ')}"
