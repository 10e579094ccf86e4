"""When no one can take the chat: said plainly, a message for the desk offered and taken.

Also the desk's hours from the profile's `[support.desk_hours]`, and how they are said.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import tomllib
from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.desk_hours import DeskHours, parse_desk_hours
from dialogs.desk_message import callback_in, has_callback
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.questionnaire import Stage
from dialogs.resume import apply_facts, resume_stage
from dialogs.state import DialogState, Signal
from dialogs.vocabulary import ChoicesReply, TextReply
from tests.dialogs.driver import Driver

PROFILE_PATH = Path(__file__).parents[2] / "bot" / "ops" / "default_profile.toml"
WEEKDAYS_9_TO_6 = {d: "09:00-18:00" for d in ("mon", "tue", "wed", "thu", "fri")}


def texts(driver: Driver) -> str:
    return " ".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


def with_hours(profile: MigrationProfile, hours: dict[str, str]) -> MigrationProfile:
    support = dataclasses.replace(profile.support, desk_hours=parse_desk_hours(hours))
    return dataclasses.replace(profile, support=support)


@pytest.mark.parametrize("words", ["担当者と話したい", "人と話したいです"])
def test_without_a_desk_asking_for_a_person_is_answered_plainly_not_with_the_question(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(words)
    said = texts(driver)
    assert catalogs.raw("ja", "handoff.no_desk") in said
    assert catalogs.raw("ja", "q1.question") not in said
    last = driver.last.replies[-1]
    assert isinstance(last, ChoicesReply)
    assert [c.id for c in last.choices] == ["desk_message", "resume"]
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals


def test_a_message_is_taken_until_it_says_how_to_call_back(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.press("human")
    driver.press("desk_message")
    assert driver.state.leaving_message
    assert texts(driver) == catalogs.raw("ja", "desk_message.ask")
    # A question, even one that reads like an answer, is the desk's, not the questionnaire's.
    driver.type("はい、パスワードを忘れてしまいました")
    assert driver.state.leaving_message
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert catalogs.raw("ja", "desk_message.need_contact") in texts(driver)
    assert Signal.DESK_MESSAGE_LEFT not in driver.last.signals
    driver.type("電話番号は ０９０－１２３４－５６７８ です")
    assert not driver.state.leaving_message
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
    said = texts(driver)
    assert catalogs.raw("ja", "desk_message.thanks") in said
    # Then the bot carries on where the subscriber was.
    assert isinstance(driver.last.replies[-1], ChoicesReply)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_pressing_a_button_instead_leaves_the_message_behind(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("human")
    driver.press("desk_message")
    driver.press("resume")
    assert not driver.state.leaving_message
    assert Signal.DESK_MESSAGE_LEFT not in driver.last.signals
    driver.type("はい")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_a_password_in_the_message_is_warned_about(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("human")
    driver.press("desk_message")
    driver.type("パスワードは hunter2x です。taro@example.com に連絡ください")
    assert catalogs.raw("ja", "secret.warning") in texts(driver)
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals


def test_outside_the_desk_hours_the_bot_says_so_with_the_hours(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    hours = {**WEEKDAYS_9_TO_6, "sat": "10:00-12:00,13:00-17:00"}
    driver = Driver(with_hours(profile, hours), catalogs, desk=False)
    driver.context = dataclasses.replace(driver.context, desk_closed=True)
    driver.start()
    driver.type("担当者と話したい")
    said = texts(driver)
    assert "受付時間外" in said
    assert "月〜金 9:00–18:00、土 10:00–12:00, 13:00–17:00" in said
    english = Driver(with_hours(profile, hours), catalogs)
    english.context = dataclasses.replace(english.context, desk_closed=True)
    english.start(locale="en")
    english.type("I want to talk to a person")
    assert "Mon–Fri 9:00–18:00; Sat 10:00–12:00, 13:00–17:00" in texts(english)


def test_a_handoff_in_hours_says_when_people_answer(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(with_hours(profile, WEEKDAYS_9_TO_6), catalogs, desk=True)
    driver.start()
    driver.type("担当者と話したい")
    assert Signal.HANDOFF_REQUESTED in driver.last.signals
    assert "月〜金 9:00–18:00" in texts(driver)


def test_the_state_keeps_a_message_in_progress_across_a_restart() -> None:
    state = DialogState(leaving_message=True)
    assert DialogState.from_json(state.to_json()).leaving_message
    assert not DialogState.from_json({"leaving_message": "yes"}).leaving_message


@pytest.mark.parametrize(
    ("text", "found"),
    [
        ("03-1234-5678 にお願いします", True),
        ("０９０（１２３４）５６７８", True),
        ("+81 90 1234 5678", True),
        ("taro@example.com", True),
        ("パスワードを忘れました", False),
        ("2008年5月21日から", False),
        ("番号は 1234 です", False),
    ],
)
def test_a_way_to_call_back_is_recognised(text: str, found: bool) -> None:
    assert has_callback(text) is found


@pytest.mark.parametrize(
    ("text", "callback"),
    [
        ("送信できません。０３－１２３４－５６７８にお電話ください", "03-1234-5678"),
        ("折り返しは +81 90 1234 5678 まで", "+81 90 1234 5678"),
        ("Taro@Example.COM 宛てにお願いします", "taro@example.com"),
        # A number beside the address in trouble is where to call: the desk was given the
        # address; the digits inside an address are no number.
        ("taro@vp.117.ne.jp が受信できません。090-1234-5678 に電話ください", "090-1234-5678"),
        ("taro0312345678@example.com 宛てにお願いします", "taro0312345678@example.com"),
        ("送信できません", None),
    ],
)
def test_the_way_to_call_back_is_picked_out_for_the_desk(text: str, callback: str | None) -> None:
    assert callback_in(text) == callback


def test_desk_hours_are_open_only_in_their_spans() -> None:
    hours = parse_desk_hours({"mon": "09:00-12:00, 13:00-18:00", "sun": "00:00-24:00"})
    tokyo = dt.timezone(dt.timedelta(hours=9))
    monday = dt.datetime(2008, 6, 2, 9, 0, tzinfo=tokyo)
    assert hours.is_open(monday)
    assert not hours.is_open(monday.replace(hour=12, minute=30))
    assert not hours.is_open(monday.replace(hour=18))
    assert not hours.is_open(monday + dt.timedelta(days=1))
    assert hours.is_open(dt.datetime(2008, 6, 1, 23, 59, tzinfo=tokyo))
    assert DeskHours().is_open(monday)  # no hours given: at any time


@pytest.mark.parametrize(
    ("table", "words"),
    [
        ({"monday": "09:00-18:00"}, "not a weekday"),
        ({"mon": "9-18"}, "is not a span"),
        ({"mon": "18:00-09:00"}, "ends before it starts"),
        ({"mon": 9}, "must be a string"),
    ],
)
def test_bad_desk_hours_are_refused_at_start_up_naming_the_key(
    table: dict[str, object], words: str
) -> None:
    data = tomllib.loads(PROFILE_PATH.read_text("utf-8"))
    data["support"]["desk_hours"] = table
    with pytest.raises(ProfileError, match=words) as refused:
        parse_profile(data, "profile.toml")
    assert "support.desk_hours" in str(refused.value)


def test_the_default_profile_gives_no_hours(profile: MigrationProfile) -> None:
    # The notice names none: a configured desk then answers at any time.
    assert not profile.support.desk_hours.known


@pytest.mark.parametrize(
    "words",
    [
        "メールが送れません。折り返し電話ください 090-1234-5678",
        "送信できないので電話してください。03-1234-5678です",
        "Please call me back on 090 1234 5678, I cannot send mail",
    ],
)
@pytest.mark.parametrize("first", [True, False])
def test_asking_to_be_called_back_with_the_number_leaves_the_message_at_once(
    words: str, first: bool, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The problem and the number in one message: the bot offered to take a message and then
    # asked for the problem and a number to call back again.
    driver = Driver(profile, catalogs)
    if first:
        driver._run(text=words, start=True)
    else:
        driver.start()
        driver.type(words)
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
    said = texts(driver)
    locale = driver.state.locale
    assert catalogs.raw(locale, "desk_message.thanks") in said
    assert catalogs.raw(locale, "desk_message.ask") not in said
    assert "desk_message" not in driver.offered()
    assert not driver.state.leaving_message


def test_asking_to_be_called_back_without_a_number_still_offers_to_take_a_message(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("折り返し電話してください")
    assert Signal.DESK_MESSAGE_LEFT not in driver.last.signals
    assert driver.offered() == ["desk_message", "resume"]


@pytest.mark.parametrize(
    "words",
    [
        "折り返しお願いします。090-1234-5678",
        "おりかえしおねがいします 09012345678",
        "折り返しご連絡ください。03-1234-5678",
        "折り返しの連絡がほしいです 090-1234-5678",
    ],
)
def test_a_call_back_asked_for_as_orikaeshi_leaves_the_message(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # 「折り返し」 alone was not read as a request at all: 「うまく読み取れませんでした」 and the
    # first question again, the number lost on the way.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(words)
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals


@pytest.mark.parametrize("words", ["折り返しご連絡ください", "折り返し電話をお願いします"])
def test_a_call_back_asked_for_with_a_desk_hands_over(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start()
    driver.type(words)
    assert Signal.HANDOFF_REQUESTED in driver.last.signals


@pytest.mark.parametrize(
    "words",
    ["メールが折り返し届きません", "折り返し返信したら送れませんでした", "折りたたみのスマホです"],
)
def test_other_words_with_orikaeshi_ask_for_no_one(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start()
    driver.type(words)
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals


def test_asking_again_after_leaving_a_message_does_not_ask_for_the_contact_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The message and the number were left; asking for a person again offered to take a
    # message, 「ご用件と折り返しのご連絡先をお預かりし…」, and a second message was not
    # taken without the number again.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("メールが送れません。折り返し電話ください 090-1234-5678")
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
    driver.press("yes")
    driver.type("まだですか？電話してください")
    said = texts(driver)
    assert catalogs.raw("ja", "desk_message.already_left") in said
    assert catalogs.raw("ja", "handoff.offer_message") not in said
    assert driver.offered() == ["desk_message", "resume"]
    driver.press("desk_message")
    assert texts(driver) == catalogs.raw("ja", "desk_message.ask_more")
    driver.type("Outlook 2016 を使っています")
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
    assert catalogs.raw("ja", "desk_message.need_contact") not in texts(driver)


def test_a_message_left_is_forgotten_once_an_agent_dealt_with_it(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("折り返しお願いします。090-1234-5678")
    q = profile.questionnaire
    handed = resume_stage(
        apply_facts(driver.state, questionnaire=q), "questionnaire", questionnaire=q
    )
    assert not handed.message_left


@pytest.mark.parametrize(
    "words",
    [
        "担当者と話したい。taro@vp.117.ne.jp が受信できません",
        "Can I talk to a person? taro@vp.117.ne.jp cannot receive mail",
        "担当者と話したい。taro0312345678@vp.117.ne.jp が受信できません",
    ],
)
def test_the_address_in_trouble_is_no_way_to_call_back(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The subscriber's own address that moves is the account in trouble, not where to reach
    # them: the message was taken at once, 「担当者から、お書きいただいたご連絡先にご連絡
    # いたします」, with no contact given. They are offered to leave one, as without it.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(words)
    assert Signal.DESK_MESSAGE_LEFT not in driver.last.signals
    assert driver.offered() == ["desk_message", "resume"]


@pytest.mark.parametrize(
    "words",
    [
        "担当者と話したい。taro@vp.117.ne.jp が受信できません。090-1234-5678 に電話ください",
        "担当者と話したいです。連絡は hanako@example.com にお願いします",
    ],
)
def test_a_number_or_another_address_beside_it_still_leaves_the_message(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(words)
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
