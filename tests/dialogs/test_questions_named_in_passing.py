"""A question or answer named in passing is not an answer taken back (reviewer14).

「最初の質問」 or "the first one" with a correction word anywhere after it went back to that
question and cleared every answer after it (405c75a). 'The first one is Outlook, and I
actually also use Thunderbird' at the program question, 「最初の質問と2番目の質問の違いが
分かりません」 and 「…間違いなく…」 (certainly) lost the four answers given.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


def at_the_program_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for _ in range(4):
        driver.press("yes")
    driver.type("taro@vp.117.ne.jp")
    assert driver.state.stage is Stage.ASK_PROGRAM
    return driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("en", "The first one is Outlook, and I actually also use Thunderbird"),
        ("en", "The second one, actually, is my work laptop"),
        ("en", "I use two: the first one is Outlook, and I will change the other later"),
        ("ja", "最初の質問と2番目の質問の違いが分かりません"),
        ("ja", "最初の質問の意味が間違いなく分かりません"),
    ],
)
def test_the_answers_stay(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = at_the_program_question(profile, catalogs, locale)
    driver.type(text)
    assert len(driver.state.answers) == 4
    assert driver.state.stage is not Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    "text", ["前の答えで合っています", "前の答えのままでいいです", "前の回答は正しいです"]
)
def test_an_earlier_answer_said_to_be_right_stays(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # 7f0eace took any message opening with 「前の答え」 back.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.press("yes")
    driver.type(text)
    assert len(driver.state.answers) == 2
    assert driver.state.stage is not Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("text", "back_to"),
    [
        ("I got the first one wrong", Stage.Q1_MAIL_PROGRAM),
        ("the second question, I meant no", Stage.Q2_OTHER_NETWORK),
        ("最初の質問は違いました", Stage.Q1_MAIL_PROGRAM),
        ("2番目の質問、間違いでした", Stage.Q2_OTHER_NETWORK),
        ("前の答えを変えたいです", Stage.ASK_ADDRESS),
        ("前の回答は間違いでした", Stage.ASK_ADDRESS),
    ],
)
def test_a_question_taken_back_still_goes_back(
    profile: MigrationProfile, catalogs: Catalogs, text: str, back_to: Stage
) -> None:
    driver = at_the_program_question(profile, catalogs, "en" if text.isascii() else "ja")
    driver.type(text)
    assert driver.state.stage is back_to
