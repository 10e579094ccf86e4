"""The desk's open time between two moments: how long a subscriber has waited on the desk.

A wait on an agent is counted in the desk's open minutes (`bot.desk.agent_silence`): a lunch
break, an evening or a weekend between is nobody's delay, and a wait can outlast a day.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Final

import pytest

from dialogs.desk_hours import DeskHours, parse_desk_hours

TOKYO: Final = zoneinfo.ZoneInfo("Asia/Tokyo")
HOURS: Final = parse_desk_hours(
    {"mon": "09:00-12:00,13:00-18:00", "fri": "09:00-24:00", "sat": "00:00-01:00,00:30-02:00"}
)


def _at(day: int, hour: int, minute: int = 0) -> dt.datetime:
    # June 2008: the 2nd is a Monday.
    return dt.datetime(2008, 6, day, hour, minute, tzinfo=TOKYO)


@pytest.mark.parametrize(
    ("start", "end", "minutes"),
    [
        (_at(2, 10), _at(2, 11), 60),  # within a span
        (_at(2, 11, 30), _at(2, 13, 30), 60),  # the lunch break is not counted
        (_at(2, 12, 10), _at(2, 12, 50), 0),  # all of it at lunch
        (_at(2, 17, 50), _at(6, 9, 30), 40),  # Monday evening to Friday morning
        (_at(2, 9), _at(6, 10), 480 + 60),  # longer than the desk's day
        (_at(6, 23), _at(7, 5), 60 + 120),  # past midnight into the next day's spans
        (_at(7, 0, 15), _at(7, 1, 45), 90),  # overlapping spans count once
        (_at(3, 9), _at(3, 18), 0),  # a closed day
        (_at(2, 11), _at(2, 10), 0),  # the end before the start
    ],
)
def test_open_time_counts_the_desks_minutes_only(
    start: dt.datetime, end: dt.datetime, minutes: int
) -> None:
    assert HOURS.open_time(start, end) == dt.timedelta(minutes=minutes)


def test_open_time_stops_counting_once_enough() -> None:
    year = HOURS.open_time(_at(2, 9), _at(2, 9) + dt.timedelta(days=365))
    enough = HOURS.open_time(
        _at(2, 9), _at(2, 9) + dt.timedelta(days=365), enough=dt.timedelta(hours=1)
    )
    assert year > dt.timedelta(days=30)
    assert dt.timedelta(hours=1) <= enough < dt.timedelta(days=2)


def test_with_no_hours_all_of_the_time_is_open() -> None:
    none = parse_desk_hours({})
    assert none.open_time(_at(2, 17), _at(3, 9)) == dt.timedelta(hours=16)


NEW_YORK: Final = zoneinfo.ZoneInfo("America/New_York")
ROUND_THE_CLOCK: Final = parse_desk_hours({day: "00:00-24:00" for day in ("sat", "sun", "mon")})


def _ny(month: int, day: int, hour: int) -> dt.datetime:
    return dt.datetime(2024, month, day, hour, tzinfo=NEW_YORK)


@pytest.mark.parametrize("hours", [ROUND_THE_CLOCK, parse_desk_hours({})], ids=["hours", "none"])
@pytest.mark.parametrize(
    ("start", "end", "elapsed"),
    [
        # 2024-03-10: clocks went from 2:00 to 3:00, the Sunday had 23 hours.
        (_ny(3, 10, 0), _ny(3, 11, 0), 23),
        (_ny(3, 9, 22), _ny(3, 10, 9), 10),
        # 2024-11-03: clocks went from 2:00 back to 1:00, the Sunday had 25 hours.
        (_ny(11, 3, 0), _ny(11, 4, 0), 25),
        (_ny(11, 2, 22), _ny(11, 3, 9), 12),
    ],
)
def test_open_time_counts_elapsed_time_across_a_daylight_saving_change(
    hours: DeskHours, start: dt.datetime, end: dt.datetime, elapsed: int
) -> None:
    # A provider in a zone that changes its clocks: the wait is what the subscriber waited.
    assert hours.open_time(start, end) == dt.timedelta(hours=elapsed)


def test_a_span_across_a_daylight_saving_change_counts_its_real_length() -> None:
    # Night shift 00:00-06:00: 5 hours on the spring Sunday, 7 on the autumn one.
    night = parse_desk_hours({"sun": "00:00-06:00"})
    assert night.open_time(_ny(3, 9, 12), _ny(3, 10, 12)) == dt.timedelta(hours=5)
    assert night.open_time(_ny(11, 2, 12), _ny(11, 3, 12)) == dt.timedelta(hours=7)
    # A day span away from the change is the same length either side of it.
    day = parse_desk_hours({"sat": "09:00-18:00", "sun": "09:00-18:00"})
    assert day.open_time(_ny(3, 9, 17), _ny(3, 10, 10)) == dt.timedelta(hours=2)


# A desk shut on the holidays and over the New Year ([support.desk_hours] closed): weekdays
# 9:00-12:00 and 13:00-18:00, Saturdays 10:00-17:00.
WITH_HOLIDAYS: Final = parse_desk_hours(
    {
        **{day: "09:00-12:00,13:00-18:00" for day in ("mon", "tue", "wed", "thu", "fri")},
        "sat": "10:00-17:00",
        "closed": [
            {"from": dt.date(2026, 12, 29), "until": dt.date(2027, 1, 3)},
            dt.date(2027, 2, 11),
            dt.date(2027, 2, 14),  # a Sunday, shut anyway
        ],
    }
)


def _jst(month: int, day: int, hour: int, minute: int = 0, year: int = 2027) -> dt.datetime:
    return dt.datetime(year, month, day, hour, minute, tzinfo=TOKYO)


def test_a_closed_day_is_closed_and_the_next_opening_skips_it() -> None:
    assert not WITH_HOLIDAYS.is_open(_jst(2, 11, 10))  # Thursday, a holiday
    assert WITH_HOLIDAYS.is_open(_jst(2, 10, 10))
    # Wednesday evening: Friday morning, not the holiday's 9:00.
    assert WITH_HOLIDAYS.next_opening(_jst(2, 10, 18)) == _jst(2, 12, 9)
    # Wednesday's hours end at 18:00, and begin again on Friday (what a handoff is told).
    assert WITH_HOLIDAYS.closing(_jst(2, 10, 17, 59)) == _jst(2, 10, 18)
    assert WITH_HOLIDAYS.closed_since(_jst(2, 11, 15)) == _jst(2, 10, 18)
    assert WITH_HOLIDAYS.open_time(_jst(2, 10, 17), _jst(2, 12, 10)) == dt.timedelta(hours=2)


def test_the_new_year_break_is_skipped_whole() -> None:
    # Monday 28 December 2026, after hours: the break runs to Sunday 3 January; Monday 4th.
    assert WITH_HOLIDAYS.next_opening(_jst(12, 28, 18, year=2026)) == _jst(1, 4, 9)
    assert WITH_HOLIDAYS.closed_since(_jst(1, 2, 12)) == _jst(12, 28, 18, year=2026)


def test_the_closed_days_ahead_are_runs_of_days_the_desk_would_open() -> None:
    runs = WITH_HOLIDAYS.closed_runs(dt.date(2026, 12, 20), ahead=60)
    # The break is one run (its Sunday inside it); the Sunday the 14th is no news.
    assert runs == [
        (dt.date(2026, 12, 29), dt.date(2027, 1, 2)),
        (dt.date(2027, 2, 11), dt.date(2027, 2, 11)),
    ]
    assert WITH_HOLIDAYS.closed_runs(dt.date(2027, 2, 12), ahead=60) == []


@pytest.mark.parametrize(
    ("table", "problem"),
    [
        ({"closed": [dt.date(2027, 2, 11)]}, "closed: gives closed days but no weekday has hours"),
        ({"mon": "09:00-18:00", "closed": "2027-02-11"}, "closed: must be a list of dates"),
        (
            {"mon": "09:00-18:00", "closed": [{"from": dt.date(2027, 2, 11)}]},
            "must have from and until",
        ),
    ],
)
def test_closed_days_written_wrong_are_refused(table: dict[str, object], problem: str) -> None:
    with pytest.raises(ValueError, match=problem):
        parse_desk_hours(table)


@pytest.mark.parametrize("written", ["9:00-18:00", "9:00〜18:00", "09:00～18:00", "9:00 - 18:00"])
def test_hours_as_operators_write_them_are_read(written: str) -> None:
    # A notice's 「9時〜18時」 copied as times (profiles): "9:00-18:00" was refused as
    # 'is not a span such as "09:00-18:00"', the hour's leading zero being all it lacked.
    hours = parse_desk_hours({"mon": written})
    monday = dt.datetime(2027, 3, 1, 17, 59, tzinfo=dt.UTC)
    assert hours.is_open(monday)
    assert not hours.is_open(monday.replace(hour=8, minute=59))
    with pytest.raises(ValueError, match="is not a span"):
        parse_desk_hours({"mon": "9-18"})
