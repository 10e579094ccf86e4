"""words: what a subscriber types when an agent hands the chat back to the bot.

「佐藤さん、ありがとうございました」 'thanks Sato' and 「ありがとう、続けます」 were
「うまく読み取れませんでした」, 「人間の方がいいです」 too (a person asked for), 「えっ、また
機械ですか」 a question the bot could not answer; and 「iPhoneじゃなくてパソコンです」 took the
iPhone's guide, the one program named being the one said not to be used.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.small_talk import SmallTalk, recognise_small_talk
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver, handed_back_with_a_program


def _handed_back(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    texts = catalogs.with_variants(profile.text_variants)
    driver = Driver(profile, texts)
    driver.start(locale)
    driver.press("yes")
    return handed_back_with_a_program(driver, profile, texts)


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "佐藤さん、ありがとうございました"),
        ("ja", "佐藤さんありがとう"),
        ("ja", "ありがとう、続けます"),
        ("ja", "えっ、また機械ですか"),
        ("en", "thanks Sato"),
        ("en", "thank you, Mr Sato"),
    ],
)
def test_words_to_the_agent_gone_are_answered_and_the_question_kept(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _handed_back(profile, catalogs, locale)
    stage = driver.state.stage
    driver.type(typed)
    said = driver.said()
    # Before: 「申し訳ありません、うまく読み取れませんでした。」 or 'Sorry, I could not answer
    # that question.'
    assert catalogs(locale, "not_understood") not in said
    assert catalogs(locale, "not_understood.question") not in said
    assert driver.state.stage is stage


def test_a_person_preferred_is_a_person_asked_for(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _handed_back(profile, catalogs, "ja")
    asked = _handed_back(profile, catalogs, "ja")
    driver.type("人間の方がいいです")
    asked.type("担当者と話したい")
    assert driver.said() == asked.said()


@pytest.mark.parametrize(
    "typed", ["iPhoneじゃなくてパソコンです", "アイフォンじゃないです", "not the iphone, my pc"]
)
def test_a_program_said_not_to_be_used_is_not_taken(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _handed_back(profile, catalogs, "ja")
    driver.type(typed)
    # Before: 「iPhone/iPadのメールをお使いなのですね。」, the iPhone's guide to come.
    assert "iPhone/iPadのメールをお使いなのですね" not in driver.said()


def test_the_computer_after_the_program_taken_back_asks_its_program(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    texts = catalogs.with_variants(profile.text_variants)
    driver, computer = Driver(profile, texts), Driver(profile, texts)
    for d in (driver, computer):
        d.start("ja")
        for choice in ("yes", "no", "skip"):
            d.press(choice)
        assert d.state.stage is Stage.ASK_PROGRAM
    driver.type("iPhoneじゃなくてパソコンです")
    computer.type("パソコンです")
    assert driver.said() == computer.said()
    assert driver.state.stage is Stage.ASK_PROGRAM


@pytest.mark.parametrize(
    "typed", ["thanks anyway", "thanks, nope", "thank you, useless", "thanks though"]
)
def test_thanks_for_help_that_did_not_help_is_not_thanks(typed: str) -> None:
    # The agent's name after "thanks" (e97be5e) took any word: "thank you, useless" after
    # the settings card was answered "You are welcome."
    assert recognise_small_talk(typed) is not SmallTalk.THANKS
