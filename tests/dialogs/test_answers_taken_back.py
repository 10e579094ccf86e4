"""An earlier answer taken back in words, questions later (subscriber7).

「さっきの、やっぱりいいえでした」 "my last answer was wrong" were not understood, and the
subscriber was asked the question on screen again; 「最初の質問、やっぱりいいえです」 names the
question to go back to, which may lie several questions back. The answers after it go too,
since the questions after it may differ.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


def at_fourth_question(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for _ in range(3):
        driver.press("yes")
    assert driver.state.stage is Stage.Q4_OP25B
    return driver


@pytest.mark.parametrize(
    ("text", "back_to", "kept"),
    [
        ("さっきの、やっぱりいいえでした", Stage.Q3_USES_OUR_SMTP, 2),
        ("sorry my last answer was wrong", Stage.Q3_USES_OUR_SMTP, 2),
        ("2番目の質問の答えを間違えました。いいえです", Stage.Q2_OTHER_NETWORK, 1),
        ("最初の質問、やっぱりいいえです", Stage.Q1_MAIL_PROGRAM, 0),
        ("I got the first question wrong, I meant no", Stage.Q1_MAIL_PROGRAM, 0),
    ],
)
def test_the_question_taken_back_is_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, text: str, back_to: Stage, kept: int
) -> None:
    driver = at_fourth_question(profile, catalogs)
    driver.type(text)
    assert driver.state.stage is back_to
    assert len(driver.state.answers) == kept
    assert driver.state.misunderstood == 0


def test_the_answer_given_again_goes_on_from_there(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_fourth_question(profile, catalogs)
    driver.type("最初の質問、やっぱりいいえです")
    driver.press("no")
    assert driver.state.stage is Stage.WEBMAIL_ONLY
    assert dict(driver.state.answers) == {Stage.Q1_MAIL_PROGRAM.value: "no"}


def test_a_question_not_yet_asked_goes_back_one(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type("3番目の質問、やっぱりいいえです")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
