"""The date matrix: every leaf, the card, every guide and the FAQ answers, on every kind of day.

Before the window, its first day, its last day (the engine's 23:59 JST), the first day after
(00:00 JST) and a day long after: each stated fact is checked against the profile's dates.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import pytest

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.sqlite_store import SQLiteStore
from dialogs.facts import word_date
from dialogs.knowledge import Topic, Window, timing
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.state import Signal
from dialogs.vocabulary import (
    FileReply,
    Locale,
    Receiving,
    Sending,
    SettingsReply,
    TextReply,
    VerdictReply,
)
from testbed.clock import fixed_clock
from tests.dialogs.driver import Driver


def decided(day: dt.date | None) -> dt.date:
    """The seed's old servers have their last days decided."""
    assert day is not None
    return day


BEFORE: Final = dt.date(2008, 5, 1)
FIRST_DAY: Final = dt.date(2008, 5, 21)
LAST_DAY: Final = dt.date(2008, 6, 20)
DAY_AFTER: Final = dt.date(2008, 6, 21)
TODAY: Final = dt.date(2026, 11, 28)  # long after: the day this test was written
DAYS: Final = (BEFORE, FIRST_DAY, LAST_DAY, DAY_AFTER, TODAY)
ADDRESS: Final = "taro@vp.117.ne.jp"


@dataclass(frozen=True, slots=True)
class Leaf:
    answers: tuple[str, ...]
    sending: Sending  # the flowchart's own verdict, while the old servers answer


LEAVES: Final = {
    "webmail": Leaf(("no",), Sending.NOT_NEEDED),
    "own_line": Leaf(("yes", "no"), Sending.RECOMMENDED),
    "not_our_smtp": Leaf(("yes", "yes", "no"), Sending.NOT_NEEDED),
    "pop_before_smtp": Leaf(("yes", "yes", "yes", "no"), Sending.RECOMMENDED),
    "op25b": Leaf(("yes", "yes", "yes", "yes"), Sending.REQUIRED),
}


@pytest.mark.parametrize(
    ("moment", "day"),
    [
        (dt.datetime(2008, 6, 20, 23, 59, tzinfo=dt.timezone(dt.timedelta(hours=9))), LAST_DAY),
        (dt.datetime(2008, 6, 21, 0, 0, tzinfo=dt.timezone(dt.timedelta(hours=9))), DAY_AFTER),
        (dt.datetime(2008, 6, 20, 15, 0, tzinfo=dt.UTC), DAY_AFTER),  # 00:00 JST
    ],
)
def test_the_engines_today_is_the_profiles_calendar_day(
    profile: MigrationProfile, catalogs: Catalogs, tmp_path: Path, moment: dt.datetime, day: dt.date
) -> None:
    engine = Engine(
        SQLiteStore(tmp_path / "unused.sqlite3"), profile, catalogs, fixed_clock(moment)
    )
    assert engine.context().today == day


def expected_sending(profile: MigrationProfile, leaf: Leaf, day: dt.date) -> Sending:
    if leaf.sending is Sending.RECOMMENDED and day > decided(profile.schedule.old_smtp_until):
        return Sending.REQUIRED
    return leaf.sending


def texts_of(driver: Driver) -> str:
    parts: list[str] = []
    for reply in driver.all_replies():
        if isinstance(reply, TextReply | VerdictReply | FileReply):
            parts.append(reply.text)
        elif isinstance(reply, SettingsReply):
            parts += [f"{item.label}: {item.value}" for item in reply.items]
    return "\n".join(parts)


def through_the_questions(
    profile: MigrationProfile, catalogs: Catalogs, leaf: Leaf, day: dt.date, locale: Locale
) -> Driver:
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    for answer in leaf.answers:
        driver.press(answer)
    return driver


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("leaf_name", LEAVES)
def test_every_leaf_on_every_day(
    profile: MigrationProfile, catalogs: Catalogs, leaf_name: str, day: dt.date, locale: Locale
) -> None:
    leaf = LEAVES[leaf_name]
    driver = through_the_questions(profile, catalogs, leaf, day, locale)
    verdict = driver.verdict()
    sending = expected_sending(profile, leaf, day)
    old_smtp_gone = day > decided(profile.schedule.old_smtp_until)

    assert verdict.sending is sending
    if leaf_name == "webmail":
        assert verdict.receiving is Receiving.NOT_NEEDED
        return
    assert verdict.receiving is Receiving.REQUIRED
    words = verdict.text
    # The schedule sentence names the profile's dates, worded for the language.
    window_start = word_date(catalogs, locale, profile.schedule.window_start)
    window_end = word_date(catalogs, locale, profile.schedule.window_end)
    assert window_start in words
    assert window_end in words
    if old_smtp_gone:
        # Nothing "still works" or is merely "recommended" once the old server is gone.
        for stale in ("推奨", "当面", "現在の設定でも", "recommended", "for now", "still send"):
            assert stale not in words, (stale, words)
        if sending is Sending.REQUIRED and leaf.sending is Sending.RECOMMENDED:
            assert word_date(catalogs, locale, decided(profile.schedule.old_smtp_until)) in words
    else:
        stopped = word_date(catalogs, locale, decided(profile.schedule.old_pop_until))
        assert stopped in words  # "the old server answers until ..."


@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("program", list(MailProgram))
@pytest.mark.parametrize("leaf_name", ["own_line", "not_our_smtp", "pop_before_smtp", "op25b"])
def test_card_guide_and_file_on_every_day(
    profile: MigrationProfile,
    catalogs: Catalogs,
    leaf_name: str,
    program: MailProgram,
    day: dt.date,
) -> None:
    leaf = LEAVES[leaf_name]
    driver = through_the_questions(profile, catalogs, leaf, day, "ja")
    driver.type(ADDRESS)
    driver.press(f"program:{program.value}")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    sending = expected_sending(profile, leaf, day)
    when = timing(profile, day)
    card = driver.settings()
    delivered = driver.last.replies
    words = "\n".join(r.text for r in delivered if isinstance(r, TextReply | FileReply))

    assert Signal.SETTINGS_DELIVERED in driver.last.signals
    assert driver.state.sending is sending
    changes_sending = sending is not Sending.NOT_NEEDED
    assert (card["smtp_port"] == str(profile.outgoing.port)) is changes_sending
    assert (str(profile.outgoing.port) in words) is changes_sending
    # Waiting: before the window, the chat says not to change anything yet, and when.
    waits = "今はまだ変更せず" in words
    assert waits is (day < profile.schedule.window_start)
    if waits:
        assert word_date(catalogs, "ja", profile.schedule.window_start) in words
    # "Receive once first" only while the old server still answers.
    assert ("従来のサーバーに残っているメール" in words) is (
        day <= decided(profile.schedule.old_pop_until)
    )
    files = [r for r in delivered if isinstance(r, FileReply)]
    apple = program in (MailProgram.APPLE_MAIL, MailProgram.IOS_MAIL)
    assert bool(files) is (apple and changes_sending and when.window is not Window.BEFORE)


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", DAYS, ids=str)
@pytest.mark.parametrize("topic", list(Topic))
def test_faq_answers_on_every_day(
    profile: MigrationProfile, catalogs: Catalogs, topic: Topic, day: dt.date, locale: Locale
) -> None:
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.press(f"topic:{topic.value}")
    answer = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    pop_gone = day > decided(profile.schedule.old_pop_until)
    smtp_gone = day > decided(profile.schedule.old_smtp_until)

    assert answer
    if pop_gone:
        for stale in (
            "変更する前に一度受信",
            "receive once before you change",
            "まず今の設定のまま",
        ):
            assert stale not in answer, (topic, stale)
    if smtp_gone and topic in (Topic.POP_BEFORE_SMTP, Topic.OP25B, Topic.SMTP_AUTH):
        assert "当面" not in answer
        assert "continues for a transition period" not in answer
    if topic is Topic.SCHEDULE:
        start = word_date(catalogs, locale, profile.schedule.window_start)
        assert start in answer
        # The day after it: 「昨日で終了しました」 / 'ended yesterday'.
        ended = any(words in answer for words in ("終了しました", "is over", "ended yesterday"))
        assert ended is (day > profile.schedule.window_end)
    if topic is Topic.OLD_MAIL and pop_gone:
        assert word_date(catalogs, locale, decided(profile.schedule.old_pop_until)) in answer


KEPT_HOSTS: Final = Path(__file__).parent / "umineko_tls.toml"


@pytest.mark.parametrize(
    ("locale", "condition"),
    [("ja", "117netの送信サーバーをお使いの場合"), ("en", "if you send through 117net's")],
)
@pytest.mark.parametrize("day", [BEFORE, FIRST_DAY, LAST_DAY], ids=str)
def test_doing_nothing_stops_sending_only_for_who_sends_through_the_provider(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, locale: Locale, condition: str
) -> None:
    # The notice's flowchart: whoever sends through another provider's server keeps sending
    # (Q3 "no"); only the provider's old SMTP server stops. The answer said, to everyone,
    # that the current settings would stop sending once the old server stopped.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.press(f"topic:{Topic.DO_NOTHING.value}")
    answer = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert condition in (answer.lower() if locale == "en" else answer)


@pytest.mark.parametrize(
    ("locale", "condition"),
    [
        ("ja", "Umineko-netの送信サーバーをお使いの場合"),
        ("en", "if you send through umineko-net's"),
    ],
)
def test_doing_nothing_where_the_names_stay_also_names_who_stops_sending(
    catalogs: Catalogs, locale: Locale, condition: str
) -> None:
    kept = load_profile(KEPT_HOSTS)
    driver = Driver(kept, catalogs, today=kept.schedule.window_start)
    driver.start(locale)
    driver.press(f"topic:{Topic.DO_NOTHING.value}")
    answer = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert condition in (answer.lower() if locale == "en" else answer)


@pytest.mark.parametrize(
    ("locale", "last_day_words", "soon"),
    [
        ("ja", "本日が期間の最終日", "お早めに"),
        ("en", "today is its last day", "change your settings soon"),
    ],
)
@pytest.mark.parametrize("day", [FIRST_DAY, dt.date(2008, 6, 5), LAST_DAY], ids=str)
def test_the_windows_last_day_is_called_today(
    profile: MigrationProfile,
    catalogs: Catalogs,
    day: dt.date,
    locale: Locale,
    last_day_words: str,
    soon: str,
) -> None:
    # On 2008-06-20 "the period is under way, please change soon" hid that it ends today.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.press(f"topic:{Topic.SCHEDULE.value}")
    answer = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    last_day = day == profile.schedule.window_end
    assert (last_day_words in (answer.lower() if locale == "en" else answer)) is last_day
    assert (soon in answer) is not last_day
    assert word_date(catalogs, locale, profile.schedule.window_end) in answer


SEPARATE_DAYS: Final = Path(__file__).parents[2] / "examples" / "imap-move.toml"


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_old_servers_gone_on_different_days_are_each_named_with_their_day(
    catalogs: Catalogs, locale: Locale
) -> None:
    # Minato Cable's old SMTP server stopped on 30 June, its POP server on 31 July. Once
    # both were gone the answer said the old server stopped on 31 July: a month late for
    # sending.
    separate = load_profile(SEPARATE_DAYS)
    pop_until = decided(separate.schedule.old_pop_until)
    smtp_until = decided(separate.schedule.old_smtp_until)
    assert smtp_until < pop_until
    driver = Driver(separate, catalogs, today=pop_until + dt.timedelta(days=1))
    driver.start(locale)
    driver.press(f"topic:{Topic.SCHEDULE.value}")
    answer = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    # The window's sentence, then the old servers' (the window ended with the SMTP server).
    old_servers = answer.split("\n\n")[1]
    assert word_date(catalogs, locale, pop_until) in old_servers
    assert word_date(catalogs, locale, smtp_until) in old_servers


@pytest.mark.parametrize(
    ("locale", "today_words"),
    [("ja", "本日中に受信してください"), ("en", "receive any mail left on the old server today")],
)
@pytest.mark.parametrize("day", [FIRST_DAY, dt.date(2008, 6, 5), LAST_DAY], ids=str)
def test_the_old_servers_last_day_asks_to_collect_the_old_mail_today(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, locale: Locale, today_words: str
) -> None:
    # 2008-06-20 is the last day the old POP server answers: mail left there is out of
    # reach tomorrow (the notice: mailboxes are not moved). The answer said "until Friday
    # 20 June" as on any day.
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.press(f"topic:{Topic.SCHEDULE.value}")
    answer = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    last_day = day == decided(profile.schedule.old_pop_until)
    assert (today_words in answer) is last_day
    assert word_date(catalogs, locale, decided(profile.schedule.old_pop_until)) in answer


def test_the_last_day_asks_nothing_to_collect_where_nothing_is_left(catalogs: Catalogs) -> None:
    # Where the names stay, the mailbox stays: nothing to collect on the last day either.
    kept = load_profile(KEPT_HOSTS)
    driver = Driver(kept, catalogs, today=decided(kept.schedule.old_pop_until))
    driver.start("ja")
    driver.press(f"topic:{Topic.SCHEDULE.value}")
    answer = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert "本日中に受信してください" not in answer
