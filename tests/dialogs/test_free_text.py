"""Free text: addresses, numbers, questions about the migration, and what is not understood."""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.desk_message import CARRY_ON, LEAVE_MESSAGE
from dialogs.knowledge import Topic, Window, recognise_topic, timing
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.answers import read_answer
from dialogs.state import Signal
from dialogs.understanding import Kind, find_address, normalise
from dialogs.vocabulary import ChoicesReply, TextReply
from tests.dialogs.driver import Driver


def texts_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("はい", Kind.YES),
        ("はい、使ってます", Kind.YES),
        ("ＹＥＳ", Kind.YES),
        ("使っていません", Kind.NO),
        ("いいえ", Kind.NO),
        ("わからない", Kind.UNSURE),
        ("分かりません", Kind.UNSURE),
        ("not sure", Kind.UNSURE),
        ("I don't know", Kind.UNSURE),
        ("no", Kind.NO),
        ("Nope", Kind.NO),
        ("yes please", Kind.YES),
    ],
)
def test_yes_no_unsure_in_words(raw: str, expected: Kind) -> None:
    intent = read_answer(normalise(raw), Stage.Q1_MAIL_PROGRAM)
    assert intent is not None
    assert intent.kind is expected


@pytest.mark.parametrize(
    ("raw", "address"),
    [
        ("taro@vp.117.ne.jp", "taro@vp.117.ne.jp"),
        ("私のアドレスは Taro.Yamada@VP.117.NE.JP です。", "taro.yamada@vp.117.ne.jp"),
        ("ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ", "taro@vp.117.ne.jp"),
        ("mail: hanako+news@vp.117.ne.jp.", "hanako+news@vp.117.ne.jp"),
        ("no address here", None),
    ],
)
def test_an_address_anywhere_in_a_sentence(raw: str, address: str | None) -> None:
    assert find_address(raw) == address


def test_an_address_outside_the_domain_is_told_it_is_not_concerned(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.type("taro@gmail.com")
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.address is None
    text = texts_of(driver)
    assert "taro@gmail.com" in text
    assert "@vp.117.ne.jp" in text
    assert driver.offered()[0] == "skip"


@pytest.mark.parametrize("typed", ["2", "２", "2番"])
def test_a_number_picks_from_the_offered_choices(
    typed: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(typed)  # 1) はい 2) いいえ
    assert driver.verdict().receiving.value == "not_needed"


def test_three_misunderstandings_in_a_row_give_the_way_to_a_person(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    for _ in range(2):
        driver.type("ぽにょ")
        assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
        assert LEAVE_MESSAGE not in driver.offered()
    driver.type("ぽにょ")
    assert Signal.NOT_UNDERSTOOD_REPEATEDLY in driver.last.signals
    # No desk in this chat (with one, it is handed over): where to call, or a message.
    assert profile.support.contact_ja in driver.said()
    assert driver.offered() == [LEAVE_MESSAGE, CARRY_ON]
    driver.press(CARRY_ON)
    driver.press("yes")
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(
    ("question", "topic"),
    [
        ("パスワードは変わりますか？", Topic.PASSWORD),
        ("今までのメールは消えますか", Topic.OLD_MAIL),
        ("いつまでに変更すればいい？", Topic.SCHEDULE),
        ("なぜ変更が必要なんですか", Topic.WHY),
        ("OP25Bって何？", Topic.OP25B),
        ("ＳＭＴＰ認証とは", Topic.SMTP_AUTH),
        ("what about POP before SMTP?", Topic.POP_BEFORE_SMTP),
        ("will my password change", Topic.PASSWORD),
        ("why do I have to do this", Topic.WHY),
        ("Webメールを使っています", Topic.WEBMAIL),
        ("手順を教えて", Topic.STEPS),
        ("アカウント名は？", Topic.ACCOUNT),
    ],
)
def test_questions_about_the_migration_are_recognised(question: str, topic: Topic) -> None:
    assert recognise_topic(normalise(question)) is topic


def test_a_question_mid_questionnaire_is_answered_then_the_question_repeated(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type("パスワードは変わりますか？")
    assert catalogs("ja", "topic.password.answer") in texts_of(driver)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(
    ("today", "window", "old_server_up"),
    [
        (dt.date(2008, 5, 1), Window.BEFORE, True),
        (dt.date(2008, 5, 21), Window.DURING, True),
        (dt.date(2008, 6, 20), Window.DURING, True),
        (dt.date(2008, 6, 21), Window.AFTER, False),
        (dt.date(2026, 11, 27), Window.AFTER, False),
    ],
)
def test_dates_are_judged_against_the_window(
    today: dt.date, window: Window, old_server_up: bool, profile: MigrationProfile
) -> None:
    when = timing(profile, today)
    assert when.window is window
    assert when.old_pop_up is old_server_up


@pytest.mark.parametrize(
    ("today", "expected_key", "absent_key"),
    [
        (dt.date(2008, 5, 1), "schedule.before", "schedule.after"),
        (dt.date(2008, 6, 1), "schedule.during", "old_server.gone"),
        (dt.date(2008, 7, 1), "schedule.after", "old_server.up"),
    ],
)
def test_schedule_answer_depends_on_today(
    today: dt.date,
    expected_key: str,
    absent_key: str,
    profile: MigrationProfile,
    catalogs: Catalogs,
) -> None:
    driver = Driver(profile, catalogs, today=today)
    driver.start()
    driver.press("topic:schedule")
    text = texts_of(driver)
    facts = {
        "window_start": "2008年5月21日(水)",
        "window_end": "2008年6月20日(金)",
        "old_pop_until": "2008年6月20日(金)",
        "old_smtp_until": "2008年6月20日(金)",
    }
    assert catalogs("ja", expected_key, **facts) in text
    assert catalogs("ja", absent_key, **facts) not in text


def test_after_the_old_server_is_gone_the_steps_do_not_say_receive_first(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 7, 1))
    driver.start()
    driver.press("topic:steps")
    assert catalogs("ja", "topic.steps.answer_after") in texts_of(driver)


def test_menu_offers_topics_and_resumes_the_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.type("メニュー")
    offered = driver.offered()
    assert offered[0] == "resume"
    assert {"start", "settings", "human", "topic:password", "lang:en"} <= set(offered)
    driver.press("resume")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


def test_a_stale_button_gets_a_re_ask(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("program:thunderbird")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(
    ("pop_until", "smtp_until", "today", "expected_key", "absent_keys"),
    [
        # Sending outlives receiving: between the dates, only receiving is over.
        (
            dt.date(2008, 6, 20),
            dt.date(2008, 9, 30),
            dt.date(2008, 7, 1),
            "old_server.smtp_only",
            ("old_server.gone", "old_server.up"),
        ),
        # Both over: each with its day ("gone since 20 June" would misdate sending's end).
        (
            dt.date(2008, 6, 20),
            dt.date(2008, 9, 30),
            dt.date(2008, 10, 1),
            "old_server.gone.separate",
            ("old_server.smtp_only", "old_server.gone"),
        ),
        # Sending stops first: receiving still works, sending's date is in the past.
        (
            dt.date(2008, 9, 30),
            dt.date(2008, 6, 20),
            dt.date(2008, 7, 1),
            "old_server.pop_only",
            ("old_server.up", "old_server.gone"),
        ),
    ],
)
def test_old_servers_that_stop_on_different_days_are_each_told_by_their_own_date(
    pop_until: dt.date,
    smtp_until: dt.date,
    today: dt.date,
    expected_key: str,
    absent_keys: tuple[str, ...],
    profile: MigrationProfile,
    catalogs: Catalogs,
) -> None:
    schedule = dataclasses.replace(
        profile.schedule, old_pop_until=pop_until, old_smtp_until=smtp_until
    )
    split = dataclasses.replace(profile, schedule=schedule)
    driver = Driver(split, catalogs, today=today)
    driver.start()
    driver.press("topic:schedule")
    text = texts_of(driver)
    dates = {"old_pop_until": _day(pop_until), "old_smtp_until": _day(smtp_until)}
    assert catalogs("ja", expected_key, **dates) in text
    for key in absent_keys:
        assert catalogs("ja", key, **dates) not in text


def _day(day: dt.date) -> str:
    weekday = "月火水木金土日"[day.weekday()]
    return f"{day.year}年{day.month}月{day.day}日({weekday})"


def test_an_address_is_no_longer_than_smtp_takes(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # RFC 5321's 64 characters before the @, as the check page and the configuration files
    # take it: a 100-letter local part was taken as the address, said back, put on the card
    # and into the Apple file's link, which the file then refused.
    assert find_address(f"{'a' * 64}@vp.117.ne.jp") == f"{'a' * 64}@vp.117.ne.jp"
    assert find_address(f"{'a' * 65}@vp.117.ne.jp") is None
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.type(f"{'a' * 100}@vp.117.ne.jp")
    assert driver.state.address is None
