"""A photo of the screen or a voice message from someone who cannot type the error (subscriber12).

The bot cannot see or hear them. It used to ask for the error's text and nothing else, a
dead end for whoever sent the picture because they could not type it: now it offers to
describe the trouble in their own words or to talk to a person, or to carry on.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.desk_message import CARRY_ON
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.turn import DESCRIBE_IN_WORDS
from dialogs.vocabulary import MEDIA_CHOICE, STICKER_CHOICE, ChoicesReply, Locale
from tests.dialogs.driver import Driver

_WAYS_ON = [DESCRIBE_IN_WORDS, "human", CARRY_ON]


def _offer(driver: Driver) -> ChoicesReply:
    offers = [r for r in driver.last.replies if isinstance(r, ChoicesReply)]
    assert offers, driver.last.replies
    return offers[-1]


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_photo_after_the_error_was_asked_for_offers_a_way_on(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver._run(
        start=True, text="エラーが出ます" if locale == "ja" else "I get an error", locale=locale
    )
    driver.press(MEDIA_CHOICE)
    offer = _offer(driver)
    assert offer.text == catalogs(locale, "media.unreadable")
    assert [c.id for c in offer.choices] == _WAYS_ON
    # Said again for each picture, never counted as not understood.
    driver.press(MEDIA_CHOICE)
    assert [c.id for c in _offer(driver).choices] == _WAYS_ON
    assert driver.state.misunderstood < 2


def test_describing_it_in_words_is_asked_for_and_then_read(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start("ja")
    driver.press(MEDIA_CHOICE)
    driver.press(DESCRIBE_IN_WORDS)
    assert catalogs("ja", "media.describe") in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    driver.type("メールが送れない")
    assert "587" in driver.said()


def test_a_person_is_one_press_away_from_a_photo(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start("ja")
    driver.press(MEDIA_CHOICE)
    driver.press("human")
    assert Signal.HANDOFF_REQUESTED in driver.last.signals


def test_carrying_on_asks_the_question_again(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.press(MEDIA_CHOICE)
    driver.press(CARRY_ON)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert [c.id for c in _offer(driver).choices][:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_photo_as_the_first_message_is_greeted_and_answered(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # It was greeted and asked the first question, as if nothing had been sent.
    driver = Driver(profile, catalogs)
    driver._run(start=True, choice=MEDIA_CHOICE, locale=locale)
    assert driver.said().startswith(("こんにちは。", "Hello."))
    assert [c.id for c in _offer(driver).choices] == _WAYS_ON
    driver.press(CARRY_ON)
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


def test_a_sticker_is_still_thanked_and_the_question_asked(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press(STICKER_CHOICE)
    assert catalogs("ja", "sticker.seen") in driver.said()
    assert "yes" in [c.id for c in _offer(driver).choices]


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "画面の写真です"),
        ("ja", "写真を送りました"),
        ("ja", "これです"),
        ("ja", "読めますか"),
        ("ja", "見えますか？"),
        ("ja", "字が小さくて読めません"),
        ("en", "it's a photo of the screen"),
        ("en", "can you see it?"),
        ("en", "this one"),
    ],
)
def test_words_about_the_picture_just_sent_are_answered_as_such(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # 「画面の写真です」 right after a photo was 「うまく読み取れませんでした」, 「読めますか」
    # 「そのご質問にはうまくお答えできませんでした」: the ways on were gone with them.
    driver = Driver(profile, catalogs, desk=True)
    driver.start(locale)
    driver.press(MEDIA_CHOICE)
    driver.type(text)
    offer = _offer(driver)
    assert offer.text == catalogs(locale, "media.unreadable_again")
    assert [c.id for c in offer.choices] == _WAYS_ON
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize("text", ["これです", "読めますか", "画面の写真です"])
def test_the_same_words_without_a_picture_before_are_read_as_before(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start("ja")
    driver.type(text)
    assert catalogs("ja", "media.unreadable_again") not in driver.said()
