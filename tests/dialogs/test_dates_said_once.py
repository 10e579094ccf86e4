"""A day's facts said once, and the date questions people ask answered with them (follow15).

After the old receiving server stopped, 「受信できません」 heard 「…変更すると受信できます」 in
the problem's answer and 「新しいサーバーに届いたメールは、設定を変更すると受信できます」 in the
old servers' line. On the old sending server's last day, receiving already gone, that line
said 「9月30日(木)まで」 where every other last day says 「本日（…）まで」. 「何時まで使えます
か」, 「今夜中に変更しないといけませんか」 and "Can I change my settings now?" were not
understood, or answered 「これからいくつかの質問にお答えいただくとわかります」.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import word_date
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, TextReply
from tests.dialogs.driver import Driver

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
CANT_RECEIVE: Final = {"ja": "受信できません", "en": "I can't receive mail"}
# What promises the mail once the settings change, in each language's wordings.
RECEIVED_ONCE_CHANGED: Final = {
    "ja": re.compile(r"受信できます"),
    "en": re.compile(
        r"can receive it|can be received|you receive it|will arrive|and receive again"
    ),
}


def _loaded(name: str) -> MigrationProfile:
    """An example profile, or one of these tests' own beside them."""
    own = Path(__file__).resolve().parent / name
    return load_profile(own if own.exists() else EXAMPLES / name)


def _driver(profile: MigrationProfile, catalogs: Catalogs, day: dt.date) -> Driver:
    return Driver(profile, catalogs.with_variants(profile.text_variants), today=day)


def _first_text(driver: Driver) -> str:
    return next(r.text for r in driver.last.replies if isinstance(r, TextReply))


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "name",
    [
        "117net.toml",  # the notice's words, both servers gone on one day
        "pop-to-imap.toml",  # any profile's words, sending still up
        "tls-required-one-host.toml",  # both names kept
        "pop-name-kept-smtp-moves.toml",  # the receiving name kept
        "pop-moves-smtp-name-kept.toml",  # the outgoing name kept
        "pop-moves-smtp-unchanged.toml",  # only receiving changes
    ],
)
def test_a_receiving_problem_after_the_old_server_stopped_says_it_once(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = _loaded(name)
    gone = profile.schedule.old_pop_until
    assert gone is not None
    driver = _driver(profile, catalogs, gone + dt.timedelta(days=1))
    driver.start(locale)
    driver.type(CANT_RECEIVE[locale])
    said = _first_text(driver)
    assert len(RECEIVED_ONCE_CHANGED[locale].findall(said)) == 1, said
    # The day it stopped, and the server to set, are still said.
    assert word_date(catalogs, locale, gone) in said, said
    assert profile.incoming.new_host in said, said


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("name", "receiving_stops"),
    [
        # Receiving stopped ten days before (pop-to-imap's own schedule does so already).
        ("117net.toml", -10),
        ("pop-to-imap.toml", None),
        ("tls-required-one-host.toml", -10),
        ("pop-name-kept-smtp-moves.toml", -10),
        ("pop-moves-smtp-name-kept.toml", -10),
        # Receiving stops ten days after (pop-moves-smtp-name-kept's own schedule does so).
        ("117net.toml", 10),
        ("pop-to-imap.toml", 10),
        ("tls-required-one-host.toml", 10),
        ("pop-name-kept-smtp-moves.toml", 10),
        ("pop-moves-smtp-name-kept.toml", None),
        # Only sending changes: its name kept, moved, and receiving in a later phase.
        ("op25b-sending-only.toml", None),
        ("mozu_sending_first.toml", None),
    ],
)
def test_the_old_sending_servers_last_day_is_today(
    catalogs: Catalogs, name: str, receiving_stops: int | None, locale: Locale
) -> None:
    loaded = _loaded(name)
    last = loaded.schedule.old_smtp_until
    assert last is not None
    profile = loaded
    if receiving_stops is not None:
        pop_until = last + dt.timedelta(days=receiving_stops)
        schedule = dataclasses.replace(loaded.schedule, old_pop_until=pop_until)
        profile = dataclasses.replace(loaded, schedule=schedule)
    driver = _driver(profile, catalogs, last)
    driver.start(locale)
    driver.press("topic:schedule")
    said = _first_text(driver)
    today = {"ja": "本日（{}）まで", "en": "until today ({})"}[locale]
    assert today.format(word_date(catalogs, locale, last)) in said, said


# Each question on each day, answered as the schedule's own question is that day.
DAYS: Final = (
    dt.date(2008, 5, 1),  # before the window
    dt.date(2008, 6, 1),  # in it
    dt.date(2008, 6, 20),  # its last day, and the old servers'
    dt.date(2008, 6, 21),  # the old servers gone
)
QUESTIONS: Final[tuple[tuple[Locale, str], ...]] = (
    ("en", "Can I change my settings now?"),
    ("ja", "何時まで使えますか"),
    ("ja", "今夜中に変更しないといけませんか"),
    ("ja", "何時までに変更すればいいですか"),
    ("en", "Can I do it today?"),
    ("ja", "今日が最後の日ですか"),
    ("ja", "夜でも変更できますか"),
    ("ja", "今日の何時までですか"),
    ("ja", "深夜0時を過ぎたらどうなりますか"),
    ("ja", "週明けでもいいですか"),
    ("ja", "急がないとだめですか"),
    ("en", "What happens at midnight?"),
)


@pytest.mark.parametrize(("locale", "question"), QUESTIONS)
@pytest.mark.parametrize("day", DAYS, ids=str)
def test_a_date_question_is_answered_with_that_days_facts(
    catalogs: Catalogs, profile: MigrationProfile, day: dt.date, locale: Locale, question: str
) -> None:
    asked = _driver(profile, catalogs, day)
    asked.start(locale)
    asked.type(question)
    pressed = _driver(profile, catalogs, day)
    pressed.start(locale)
    pressed.press("topic:schedule")
    assert _first_text(asked) == _first_text(pressed)


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", "窓口は何時まで対応していますか"),
        ("ja", "今夜中にやります"),
        ("en", "If I change the settings now, will I lose any emails?"),
        ("ja", "最後の日に変更しました"),
        ("ja", "日付が変わったら受信できなくなりました"),
        ("ja", "窓口は土日も対応していますか"),
        ("en", "I changed it at midnight and now it fails"),
    ],
)
def test_what_is_no_date_question_is_not_answered_with_the_dates(
    catalogs: Catalogs, profile: MigrationProfile, locale: Locale, words: str
) -> None:
    driver = _driver(profile, catalogs, dt.date(2008, 6, 1))
    driver.start(locale)
    driver.type(words)
    pressed = _driver(profile, catalogs, dt.date(2008, 6, 1))
    pressed.start(locale)
    pressed.press("topic:schedule")
    assert _first_text(pressed) not in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("name", ["op25b-sending-only.toml", "mozu_sending_first.toml"])
def test_a_first_phases_last_sending_day_is_today_and_the_next_phase_is_named(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    loaded = _loaded(name)
    last = loaded.schedule.old_smtp_until
    assert last is not None
    later = last + dt.timedelta(days=30)
    schedule = dataclasses.replace(loaded.schedule, next_phase_from=later)
    profile = dataclasses.replace(loaded, schedule=schedule)
    driver = _driver(profile, catalogs, last)
    driver.start(locale)
    driver.press("topic:schedule")
    said = _first_text(driver)
    today = {"ja": "本日（{}）まで", "en": "until today ({})"}[locale]
    assert today.format(word_date(catalogs, locale, last)) in said, said
    assert word_date(catalogs, locale, later) in said, said


@pytest.mark.parametrize("words", ["窓口は何時までですか", "電話は何時からですか"])
def test_the_desks_hour_is_the_desks_not_the_old_servers(
    catalogs: Catalogs, profile: MigrationProfile, words: str
) -> None:
    # 「窓口は何時までですか」 was 'could not answer', beside 「何時まで使えますか」's dates.
    driver = _driver(profile, catalogs, dt.date(2008, 6, 20))
    driver.start("ja")
    driver.type(words)
    assert profile.support.contact_ja in driver.said()
