"""A message for the desk that gives only a way to call back asks, once, what the trouble is.

The number is kept at once (a subscriber who closes the chat after typing it is still called
back); the desk person who calls is helped by a line on the trouble, which the message
offer asked for and the number alone did not give.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import ChoicesReply, Locale, TextReply
from tests.dialogs.driver import Driver


def texts(driver: Driver) -> str:
    return " ".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


@pytest.mark.parametrize("by_button", [True, False])
@pytest.mark.parametrize(
    ("locale", "number"),
    [
        ("ja", "電話番号は090-1234-5678です"),
        ("ja", "０９０－１２３４－５６７８"),
        ("ja", "連絡先：03-1234-5678 お願いします"),
        ("en", "my number is 090 1234 5678"),
    ],
)
def test_a_number_alone_is_kept_and_the_trouble_asked_for(
    by_button: bool, locale: Locale, number: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type("担当者と話したい" if locale == "ja" else "I want to talk to a person")
    if by_button:
        driver.press("desk_message")
    driver.type(number)
    # Kept at once, with the number to call.
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
    assert driver.state.message_left
    said = texts(driver)
    assert catalogs.raw(locale, "desk_message.ask_trouble") in said
    assert catalogs.raw(locale, "desk_message.thanks") not in said
    assert driver.state.leaving_message
    # The next line is the trouble, added to the message; then the chat carries on.
    driver.type("メールが送れません" if locale == "ja" else "I can't send mail")
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
    assert catalogs.raw(locale, "desk_message.thanks") in texts(driver)
    assert not driver.state.leaving_message
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


def test_the_trouble_said_before_the_number_is_not_asked_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("human")
    driver.press("desk_message")
    driver.type("メールが送れません")
    driver.type("電話番号は090-1234-5678です")
    said = texts(driver)
    assert catalogs.raw("ja", "desk_message.thanks") in said
    assert catalogs.raw("ja", "desk_message.ask_trouble") not in said
    assert not driver.state.leaving_message


@pytest.mark.parametrize(
    "words", ["送信できません。090-1234-5678に電話ください", "田中です。090-1234-5678"]
)
def test_a_number_with_other_words_is_the_whole_message(
    words: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # A name or the trouble beside the number: the message as before, nothing asked.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("human")
    driver.press("desk_message")
    driver.type(words)
    said = texts(driver)
    assert catalogs.raw("ja", "desk_message.thanks") in said
    assert catalogs.raw("ja", "desk_message.ask_trouble") not in said


def test_carrying_on_instead_keeps_the_number(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("human")
    driver.press("desk_message")
    driver.type("090-1234-5678")
    assert driver.offered() == ["resume"]
    driver.press("resume")
    assert driver.state.message_left
    assert not driver.state.leaving_message
    assert catalogs.raw("ja", "desk_message.withdrawn") not in texts(driver)
    driver.type("はい")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_taking_it_back_after_the_number_says_the_number_is_kept(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("human")
    driver.press("desk_message")
    driver.type("090-1234-5678")
    driver.type("やめます")
    said = texts(driver)
    assert catalogs.raw("ja", "desk_message.withdrawn") not in said
    assert catalogs.raw("ja", "desk_message.already_left") in said
    assert not driver.state.leaving_message


def test_a_number_typed_under_the_offer_is_not_told_again_that_no_one_is_free(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The offer said it the turn before; said again over the number, it read as a refusal.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("担当者と話したい")
    assert catalogs.raw("ja", "handoff.no_desk") in texts(driver)
    driver.type("電話番号は090-1234-5678です")
    said = texts(driver)
    assert catalogs.raw("ja", "handoff.no_desk") not in said
    assert catalogs.raw("ja", "desk_message.ask_trouble") in said
