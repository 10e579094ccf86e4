"""A message left for the desk says when the desk will call back: when its hours begin next.

「伝言を承りました」 told nobody when they would hear from a person. With
`[support.desk_hours]` the runtime passes when the desk next opens (the provider's time), and
the thanks names it: later today, tomorrow, or the day it opens after a weekend. Without
hours nothing about time is said, as before.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import zoneinfo

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.desk_hours import parse_desk_hours
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import ChoicesReply, Locale, TextReply
from tests.dialogs.driver import Driver

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
HOURS = {d: "09:00-12:00, 13:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}


def with_hours(profile: MigrationProfile, hours: dict[str, str]) -> MigrationProfile:
    support = dataclasses.replace(profile.support, desk_hours=parse_desk_hours(hours))
    return dataclasses.replace(profile, support=support)


def leave_a_message(
    profile: MigrationProfile, catalogs: Catalogs, now: dt.datetime, locale: Locale
) -> str:
    """What the bot says once the message and its number are given at `now`."""
    driver = Driver(profile, catalogs, today=now.date())
    opens = profile.support.desk_hours.next_opening(now)
    driver.context = dataclasses.replace(driver.context, desk_opens=opens)
    driver.start(locale=locale)
    driver.press("human")
    driver.press("desk_message")
    driver.type("メールが送れません。03-1234-5678 にお電話ください")
    return " ".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


@pytest.mark.parametrize(
    ("now", "locale", "told"),
    [
        # Monday 2 June 2008, before the desk opens, and in its lunch break.
        (dt.datetime(2008, 6, 2, 7, 30, tzinfo=TOKYO), "ja", "担当者の受付は本日9:00からです"),
        (dt.datetime(2008, 6, 2, 12, 30, tzinfo=TOKYO), "ja", "担当者の受付は本日13:00からです"),
        (dt.datetime(2008, 6, 2, 12, 30, tzinfo=TOKYO), "en", "back today at 13:00"),
        # Monday evening: Tuesday morning.
        (
            dt.datetime(2008, 6, 2, 19, 0, tzinfo=TOKYO),
            "ja",
            "担当者の受付は明日（火曜日）の9:00からです",
        ),
        (dt.datetime(2008, 6, 2, 19, 0, tzinfo=TOKYO), "en", "back tomorrow (Tuesday) at 9:00"),
        # Friday evening and Saturday: the Monday after the weekend, with its date.
        (
            dt.datetime(2008, 6, 6, 18, 0, tzinfo=TOKYO),
            "ja",
            "担当者の受付は2008年6月9日(月)の9:00からです",
        ),
        (dt.datetime(2008, 6, 7, 10, 0, tzinfo=TOKYO), "en", "back on Monday 9 June 2008 at 9:00"),
    ],
)
def test_the_thanks_says_when_the_desk_opens_next(
    now: dt.datetime,
    locale: Locale,
    told: str,
    profile: MigrationProfile,
    catalogs: Catalogs,
) -> None:
    said = leave_a_message(with_hours(profile, HOURS), catalogs, now, locale)
    assert told in said
    # Still the thanks, and still said once.
    thanks = "伝言を承りました" if locale == "ja" else "your message is with our support staff"
    assert said.count(thanks) == 1


def test_without_hours_nothing_is_said_about_time(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    now = dt.datetime(2008, 6, 2, 19, 0, tzinfo=TOKYO)
    assert not profile.support.desk_hours.known
    said = leave_a_message(profile, catalogs, now, "ja")
    assert catalogs.raw("ja", "desk_message.thanks") in said
    assert "受付" not in said


def test_the_next_opening_in_the_providers_time() -> None:
    hours = parse_desk_hours({"mon": "09:00-12:00,13:00-18:00", "sat": "00:00-24:00"})
    monday = dt.datetime(2008, 6, 2, 8, 0, tzinfo=TOKYO)
    assert hours.next_opening(monday) == dt.datetime(2008, 6, 2, 9, 0, tzinfo=TOKYO)
    # Open now: nothing to wait for.
    assert hours.next_opening(monday.replace(hour=10)) is None
    assert hours.next_opening(monday.replace(hour=12)) == monday.replace(hour=13)
    # After Monday's hours, Saturday from midnight; after Saturday, Monday again.
    assert hours.next_opening(monday.replace(hour=18)) == dt.datetime(2008, 6, 7, tzinfo=TOKYO)
    sunday = dt.datetime(2008, 6, 8, 23, 59, tzinfo=TOKYO)
    assert hours.next_opening(sunday) == dt.datetime(2008, 6, 9, 9, 0, tzinfo=TOKYO)
    assert parse_desk_hours({}).next_opening(monday) is None


@pytest.mark.parametrize(
    ("locale", "told"),
    [
        ("ja", "担当者の受付は明日（火曜日）の9:00からです"),
        ("en", "back tomorrow (Tuesday) at 9:00"),
    ],
)
def test_a_number_alone_is_kept_with_when_the_desk_opens(
    locale: Locale, told: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The number alone is the message kept (the trouble is asked for after it, and may never
    # come): the subscriber who closes the chat then must know when to expect the call.
    now = dt.datetime(2008, 6, 2, 19, 0, tzinfo=TOKYO)
    hours = with_hours(profile, HOURS)
    driver = Driver(hours, catalogs, today=now.date())
    opens = hours.support.desk_hours.next_opening(now)
    driver.context = dataclasses.replace(driver.context, desk_opens=opens)
    driver.start(locale=locale)
    driver.press("human")
    driver.press("desk_message")
    driver.type("03-1234-5678")
    said = " ".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))
    assert told in said
    driver.type("メールが送れません")
    assert told in " ".join(
        r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply)
    )


def leave_a_message_in_hours(
    profile: MigrationProfile, catalogs: Catalogs, now: dt.datetime, locale: Locale, said: str
) -> str:
    """What the bot says once `said` is left for the desk at `now`, within its hours."""
    driver = Driver(profile, catalogs, today=now.date())
    hours = profile.support.desk_hours
    closes = hours.closing(now)
    assert closes is not None
    reopens = hours.next_opening(closes)
    driver.context = dataclasses.replace(driver.context, desk_closes=closes, desk_reopens=reopens)
    driver.start(locale=locale)
    driver.press("human")
    driver.press("desk_message")
    driver.type(said)
    return " ".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


@pytest.mark.parametrize(
    ("now", "locale", "told"),
    [
        # Monday 17:59: nobody can promise a call before 18:00; Tuesday 9:00 at the latest.
        (
            dt.datetime(2008, 6, 2, 17, 59, tzinfo=TOKYO),
            "ja",
            "担当者の受付は本日18:00までのため、それまでにご連絡できない場合は、"
            "明日（火曜日）の9:00以降のご連絡となります。",
        ),
        (
            dt.datetime(2008, 6, 2, 17, 59, tzinfo=TOKYO),
            "en",
            "They are here until 18:00 today; if they cannot contact you by then, they will "
            "after they are back tomorrow (Tuesday) at 9:00.",
        ),
        # Before the lunch break: after it, the same day.
        (
            dt.datetime(2008, 6, 2, 11, 50, tzinfo=TOKYO),
            "ja",
            "担当者の受付は本日12:00までのため、それまでにご連絡できない場合は、"
            "本日13:00以降のご連絡となります。",
        ),
        # Friday afternoon: the Monday after the weekend, with its date.
        (
            dt.datetime(2008, 6, 6, 15, 0, tzinfo=TOKYO),
            "ja",
            "2008年6月9日(月)の9:00以降のご連絡となります。",
        ),
    ],
)
def test_within_the_hours_the_thanks_says_until_when_and_then_when(
    now: dt.datetime, locale: Locale, told: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    said = leave_a_message_in_hours(
        with_hours(profile, HOURS),
        catalogs,
        now,
        locale,
        "送れません。03-1234-5678 にお電話ください",
    )
    assert told in said
    thanks = "伝言を承りました" if locale == "ja" else "your message is with our support staff"
    assert said.count(thanks) == 1


def test_a_number_alone_within_the_hours_says_until_when(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    now = dt.datetime(2008, 6, 2, 17, 59, tzinfo=TOKYO)
    said = leave_a_message_in_hours(with_hours(profile, HOURS), catalogs, now, "ja", "03-1234-5678")
    assert "担当者の受付は本日18:00までのため" in said
    assert "明日（火曜日）の9:00以降のご連絡となります" in said
    # The trouble is still asked for.
    assert "どのようなことでお困りか" in said


def test_the_hours_end_where_no_span_goes_on() -> None:
    hours = parse_desk_hours(
        {"mon": "09:00-12:00,13:00-24:00", "tue": "00:00-02:00", "sun": "00:00-24:00"}
    )
    monday = dt.datetime(2008, 6, 2, 10, 0, tzinfo=TOKYO)
    assert hours.closing(monday) == monday.replace(hour=12)
    # 24:00 and the next day's 0:00 meet: one stretch, to Tuesday 2:00.
    assert hours.closing(monday.replace(hour=23)) == dt.datetime(2008, 6, 3, 2, 0, tzinfo=TOKYO)
    # Closed now, or no hours: nothing ends.
    assert hours.closing(monday.replace(hour=12, minute=30)) is None
    assert parse_desk_hours({}).closing(monday) is None
    always = parse_desk_hours(
        {d: "00:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri", "sat", "sun")}
    )
    assert always.closing(monday) is None


def test_when_the_hours_last_ended() -> None:
    hours = parse_desk_hours({"mon": "09:00-24:00", "tue": "00:00-02:00", "fri": "09:00-18:00"})
    tuesday = dt.datetime(2008, 6, 3, 3, 0, tzinfo=TOKYO)
    # Monday's 24:00 met Tuesday's 0:00: the hours ended at 2:00.
    assert hours.closed_since(tuesday) == tuesday.replace(hour=2)
    # From the weekend back to Friday's end.
    sunday = dt.datetime(2008, 6, 8, 12, 0, tzinfo=TOKYO)
    assert hours.closed_since(sunday) == dt.datetime(2008, 6, 6, 18, 0, tzinfo=TOKYO)
    # Open now, or no hours: nothing ended.
    assert hours.closed_since(tuesday.replace(hour=1)) is None
    assert parse_desk_hours({}).closed_since(sunday) is None


@pytest.mark.parametrize(
    ("locale", "told"),
    [
        (
            "ja",
            "担当者の受付は本日24:00までのため、それまでにご連絡できない場合は、"
            "明日（火曜日）の9:00以降のご連絡となります。",
        ),
        ("en", "They are here until 24:00 today;"),
    ],
)
def test_hours_that_end_at_midnight_end_today_at_24(
    locale: Locale, told: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「09:00-24:00」 as the profile writes it: the hours end today at 24:00, not 「明日の0:00」.
    late = {d: "09:00-24:00" for d in ("mon", "tue", "wed", "thu", "fri")}
    now = dt.datetime(2008, 6, 2, 23, 0, tzinfo=TOKYO)
    said = leave_a_message_in_hours(
        with_hours(profile, late),
        catalogs,
        now,
        locale,
        "送れません。03-1234-5678 にお電話ください",
    )
    assert told in said
