"""When the support desk answers: opening hours per weekday, in the provider's time zone.

The profile's `[support.desk_hours]` table names weekdays (`mon` … `sun`) with
`"HH:MM-HH:MM"` spans (several joined by `,`); a day not named is closed. No table, or an
empty one, means the profile says nothing about hours: a configured desk is then taken to
answer at any time, as before hours could be given.

`closed` lists the days the desk is shut although their weekday has hours: the holidays
and the New Year break a notice writes as 「土日祝日・年末年始を除く」, as dates
(`2027-02-11`) or runs (`{from = 2027-12-29, until = 2028-01-03}`). Listed, not computed
from a holiday calendar: each provider closes on its own days, and the notice names them.

Hand-written rather than a library: the format is five characters either side of a dash,
and what matters is refusing a bad span at start-up with the key that holds it.
"""

from __future__ import annotations

import datetime as dt
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final

WEEKDAYS: Final = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
# "09:00-18:00", and as operators also write it: "9:00-18:00", "9:00〜18:00", "9:00～18:00"
# (a notice's 「9時〜18時」 copied as times); they were refused as no span.
_SPAN: Final = re.compile(
    r"^\s*([01]?\d|2[0-3]):([0-5]\d)\s*[-–~〜～]\s*([01]?\d|2[0-4]):([0-5]\d)\s*$"
)

Span = tuple[dt.time, dt.time]
# A run of closed days longer than this is not a holiday but a desk that is not there: say
# so at start-up instead of walking it day by day.
MAX_CLOSED_RUN: Final = 31


@dataclass(frozen=True, slots=True)
class DeskHours:
    """Open spans per weekday (0 = Monday); empty: the profile gives no hours."""

    weekly: Mapping[int, tuple[Span, ...]] = field(default_factory=dict)
    # Days shut although their weekday has spans (holidays, the New Year break).
    closed: frozenset[dt.date] = frozenset()

    def spans_on(self, day: dt.date) -> tuple[Span, ...]:
        """The open spans of one calendar day: none on a closed day."""
        if day in self.closed:
            return ()
        return self.weekly.get(day.weekday(), ())

    @property
    def _reach(self) -> int:
        """Days to look ahead or back for an opening: a week and a day, plus the closed days."""
        return 8 + len(self.closed)

    @property
    def known(self) -> bool:
        """Whether the profile gives hours at all."""
        return bool(self.weekly)

    def is_open(self, local: dt.datetime) -> bool:
        """Whether the desk answers at `local`, a time in the provider's zone."""
        if not self.known:
            return True
        moment = local.time().replace(tzinfo=None)
        return any(start <= moment < end for start, end in self.spans_on(local.date()))

    def next_opening(self, local: dt.datetime) -> dt.datetime | None:
        """When the desk next opens after `local` (in its zone); None if open then, or no hours."""
        if not self.known or self.is_open(local):
            return None
        # A week ahead and a day (the same weekday later, when its only span is over today),
        # and one more for each closed day that may lie in between.
        for ahead in range(self._reach):
            day = local.date() + dt.timedelta(days=ahead)
            for start, _ in sorted(self.spans_on(day)):
                opens = dt.datetime.combine(day, start, tzinfo=local.tzinfo)
                if opens > local:
                    return opens
        return None

    def closing(self, local: dt.datetime) -> dt.datetime | None:
        """When the hours open at `local` end (in its zone); None if closed then, or no hours.

        Spans that meet (「09:00-24:00」 and the next day's 「00:00-…」) are one stretch; hours
        that never end within a week end never (None).
        """
        if not self.known or not self.is_open(local):
            return None
        moment = local
        for _ in range(8 * max(len(spans) for spans in self.weekly.values())):
            now = moment.time().replace(tzinfo=None)
            ends = [end for start, end in self.spans_on(moment.date()) if start <= now < end]
            if not ends:
                return moment
            end = max(ends)
            moment = (
                dt.datetime.combine(moment.date() + dt.timedelta(days=1), dt.time(), moment.tzinfo)
                if end == dt.time.max
                else dt.datetime.combine(moment.date(), end, moment.tzinfo)
            )
        return None

    def closed_since(self, local: dt.datetime) -> dt.datetime | None:
        """When the hours last ended before `local` (in its zone); None if open, or no hours."""
        if not self.known or self.is_open(local):
            return None
        for back in range(self._reach):
            day = local.date() - dt.timedelta(days=back)
            for _, end in sorted(self.spans_on(day), key=lambda s: s[1], reverse=True):
                ended = (
                    dt.datetime.combine(day + dt.timedelta(days=1), dt.time(), local.tzinfo)
                    if end == dt.time.max
                    else dt.datetime.combine(day, end, local.tzinfo)
                )
                # Spans that meet (24:00 and the next day's 0:00) did not close there.
                if ended <= local and not self.is_open(ended):
                    return ended
        return None

    def open_time(
        self, start: dt.datetime, end: dt.datetime, *, enough: dt.timedelta | None = None
    ) -> dt.timedelta:
        """How much of `start`…`end` (in the desk's zone) the desk was open; all of it, no hours.

        A wait on an agent counts in the desk's minutes: a lunch break, an evening or a
        weekend in between is no one's delay. With `enough`, counting stops once it is
        reached (a wait held for months is not walked day by day every minute).
        """
        # Elapsed time, not wall-clock time: Python subtracts two datetimes of the same
        # zone by their wall clocks, so a night across a daylight-saving change counted an
        # hour too many or too few. The spans are placed on the zone's calendar, and every
        # length is measured between UTC instants.
        zone = start.tzinfo
        first, last = start.astimezone(dt.UTC), end.astimezone(dt.UTC)
        if last <= first:
            return dt.timedelta()
        if not self.known:
            return last - first
        total = dt.timedelta()
        day = start.date()
        # Counted up to here: spans that overlap (「09:00-12:00,11:00-13:00」) count once.
        counted = first
        while day <= end.astimezone(zone).date() and (enough is None or total < enough):
            for opens, closes in sorted(self.spans_on(day)):
                span_start = max(counted, _instant(day, opens, zone))
                span_end = min(
                    last,
                    _instant(day + dt.timedelta(days=1), dt.time(), zone)
                    if closes == dt.time.max
                    else _instant(day, closes, zone),
                )
                if span_end > span_start:
                    total += span_end - span_start
                    counted = span_end
            day += dt.timedelta(days=1)
        return total

    def closed_runs(self, today: dt.date, *, ahead: int) -> list[tuple[dt.date, dt.date]]:
        """Closed days from `today` to `ahead` days on, runs of days in a row as (first, last).

        Only the closed days that would otherwise be open: a holiday on a Sunday the desk
        never opens is no news.
        """
        days = sorted(
            day
            for day in self.closed
            if 0 <= (day - today).days <= ahead and self.weekly.get(day.weekday())
        )
        runs: list[tuple[dt.date, dt.date]] = []
        for day in days:
            # Days in a row, or with only days the desk never opens between (a weekend inside
            # the New Year break), are one run.
            if runs and all(
                not self.weekly.get((runs[-1][1] + dt.timedelta(days=gap)).weekday())
                for gap in range(1, (day - runs[-1][1]).days)
            ):
                runs[-1] = (runs[-1][0], day)
            else:
                runs.append((day, day))
        return runs

    def groups(self) -> list[tuple[int, int, tuple[Span, ...]]]:
        """Runs of consecutive open weekdays with the same spans: (first, last, spans)."""
        runs: list[tuple[int, int, tuple[Span, ...]]] = []
        for day in range(7):
            spans = self.weekly.get(day, ())
            if not spans:
                continue
            if runs and runs[-1][1] == day - 1 and runs[-1][2] == spans:
                runs[-1] = (runs[-1][0], day, spans)
            else:
                runs.append((day, day, spans))
        return runs


def _instant(day: dt.date, moment: dt.time, zone: dt.tzinfo | None) -> dt.datetime:
    """`day` at `moment` on the zone's clock, as a UTC instant."""
    return dt.datetime.combine(day, moment, zone).astimezone(dt.UTC)


def parse_desk_hours(table: Mapping[str, object]) -> DeskHours:
    """The `[support.desk_hours]` table; ValueError naming the key and what is wrong."""
    weekly: dict[int, tuple[Span, ...]] = {}
    closed: frozenset[dt.date] = frozenset()
    for name, value in table.items():
        if name == "closed":
            closed = _closed_days(value)
            continue
        if name not in WEEKDAYS and isinstance(value, list):
            # A list of days under another name (holidays, closed_days): the key is closed.
            first = value[0] if value and isinstance(value[0], dt.date) else "2027-02-11"
            raise ValueError(
                f"{name}: not a weekday; the days the desk is shut are written"
                f" closed = [{first}, {{from = …, until = …}}]"
            )
        if name not in WEEKDAYS:
            raise ValueError(f"{name}: not a weekday or closed (use {', '.join(WEEKDAYS)})")
        if not isinstance(value, str):
            raise ValueError(f'{name}: must be a string such as "09:00-18:00"')
        spans = tuple(_span(name, part) for part in value.split(",") if part.strip())
        if spans:
            weekly[WEEKDAYS.index(name)] = spans
    if closed and not weekly:
        # Closed days of a desk without hours would close a desk that answers at any time
        # on those days only: a profile half written, not a desk's week.
        raise ValueError("closed: gives closed days but no weekday has hours (mon = …)")
    return DeskHours(weekly, closed)


_CLOSED_SHAPE: Final = (
    "must be a list of dates such as [2027-02-11, {from = 2027-12-29, until = 2028-01-03}]"
)


def _closed_days(value: object) -> frozenset[dt.date]:
    """`closed = [2027-02-11, {from = 2027-12-29, until = 2028-01-03}]` as a set of days."""
    if not isinstance(value, list):
        raise ValueError(f"closed: {_CLOSED_SHAPE}")
    days: set[dt.date] = set()
    for item in value:
        if isinstance(item, Mapping):
            if set(item) != {"from", "until"}:
                raise ValueError(f"closed: {dict(item)!r} must have from and until, nothing else")
            first, last = _closed_day(item["from"]), _closed_day(item["until"])
            if last < first:
                raise ValueError(
                    f"closed: {{from = {first}, until = {last}}} ends before it starts"
                )
            length = (last - first).days + 1
            if length > MAX_CLOSED_RUN:
                raise ValueError(
                    f"closed: {{from = {first}, until = {last}}} is {length} days; a run of more"
                    f" than {MAX_CLOSED_RUN} is not a holiday: leave the desk out of the"
                    " profile's hours instead"
                )
            days.update(first + dt.timedelta(days=offset) for offset in range(length))
        else:
            days.add(_closed_day(item))
    return frozenset(days)


def _closed_day(value: object) -> dt.date:
    if isinstance(value, dt.date) and not isinstance(value, dt.datetime):
        return value
    # TOML reads "2027-02-11" in quotes as text: the usual slip, told how to write it.
    quoted = f", written without quotes: {value}" if isinstance(value, str) else ""
    raise ValueError(f"closed: {value!r} is not a date such as 2027-02-11{quoted}")


def _span(name: str, text: str) -> Span:
    match = _SPAN.match(text)
    if match is None:
        raise ValueError(f'{name}: "{text.strip()}" is not a span such as "09:00-18:00"')
    start_h, start_m, end_h, end_m = (int(g) for g in match.groups())
    if end_h == 24 and end_m:
        raise ValueError(f'{name}: "{text.strip()}" ends after 24:00')
    start = dt.time(start_h, start_m)
    end = dt.time.max if end_h == 24 else dt.time(end_h, end_m)
    if end <= start:
        raise ValueError(f'{name}: "{text.strip()}" ends before it starts')
    return start, end


def span_text(span: Span) -> str:
    """`9:00–18:00`, as a person writes it."""
    start, end = span
    last = "24:00" if end == dt.time.max else f"{end.hour}:{end.minute:02d}"
    return f"{start.hour}:{start.minute:02d}–{last}"
