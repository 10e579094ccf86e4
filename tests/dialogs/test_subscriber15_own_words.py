"""Whole conversations typed in the subscriber's own words (subscriber15's round).

Three answers read wrong at the questionnaire's questions:
「さっきのは間違いで、Thunderbirdでした」 after 「iPhoneです」 was taken for a second program (the
iPhone stayed the one guided, the other "offered later"); 「それって何ですか」 and
「どこを見ればわかりますか」 asked back at a question got 「そのご質問にはうまくお答えできません
でした」 instead of what the question means and where to look.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.program_names import corrected_program
from dialogs.understanding import normalise
from tests.dialogs.driver import Driver

NOT_ANSWERED = ("うまくお答えできませんでした", "うまく読み取れませんでした")


@pytest.mark.parametrize(
    ("typed", "meant"),
    [
        ("さっきのは間違いで、iPhoneでした", MailProgram.IOS_MAIL),
        ("さっきのはまちがいで、Thunderbirdです", MailProgram.THUNDERBIRD),
        ("ごめんなさい、間違いでした。Becky!です", MailProgram.BECKY),
    ],
)
def test_a_mistake_named_as_a_noun_corrects_the_program(typed: str, meant: str) -> None:
    assert corrected_program(normalise(typed)) == meant


def test_the_word_mistake_alone_corrects_nothing() -> None:
    # 「間違いなく」 ("surely") takes nothing back.
    assert corrected_program(normalise("間違いなくOutlookを使っています")) is None


def _at_the_network_question(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("iPhoneのメールを使っています")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    return driver


def test_a_correction_at_the_next_question_replaces_the_program(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at_the_network_question(profile, catalogs)
    driver.type("さっきのは間違いで、パソコンのThunderbirdでした")
    assert driver.state.program == MailProgram.THUNDERBIRD
    assert "もう1つのメールソフト" not in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    "asked_back",
    ["それって何ですか", "それはなんですか？", "これって何", "どこを見ればわかりますか"],
)
def test_a_question_asked_back_is_explained(
    profile: MigrationProfile, catalogs: Catalogs, asked_back: str
) -> None:
    driver = _at_the_network_question(profile, catalogs)
    driver.type(asked_back)
    said = driver.said()
    assert not any(phrase in said for phrase in NOT_ANSWERED), said
    assert driver.state.explained
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers
