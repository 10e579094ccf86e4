"""Whole conversations typed in the subscriber's own words (subscriber16's round).

Read wrong before: 「家だけなのですが」 (a 「…のですが」 ending after 「だけ」) at the network
question was its yes, the 「な」 of 「なのです」 taken for the 「ない」 that denies the "only";
"Hi. I got a letter about my email. I am not good with computers" at the first question was
its no, and the verdict said nothing needed changing.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


def _at(stage: Stage, profile: MigrationProfile, catalogs: Catalogs, locale: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    if stage is Stage.Q2_OTHER_NETWORK:
        driver.press("yes")
    assert driver.state.stage is stage
    return driver


@pytest.mark.parametrize(
    "typed",
    [
        "家だけなのですが",
        "家だけなんですが",
        "家だけなんです",
        "自宅だけなのですけど",
        "うちだけなんですけどね",
    ],
)
def test_only_at_home_with_a_nano_desuga_ending_is_the_no(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at(Stage.Q2_OTHER_NETWORK, profile, catalogs, "ja")
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "no"


@pytest.mark.parametrize("typed", ["家だけじゃないです", "家だけではないのですが"])
def test_not_only_at_home_stays_the_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at(Stage.Q2_OTHER_NETWORK, profile, catalogs, "ja")
    driver.type(typed)
    assert driver.state.answers["q2_other_network"] == "yes"


@pytest.mark.parametrize(
    "typed",
    [
        "Hi. I got a letter about my email. I am not good with computers",
        "I'm not very technical",
        "I am not familiar with this",
    ],
)
def test_not_good_with_computers_answers_nothing(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at(Stage.Q1_MAIL_PROGRAM, profile, catalogs, "en")
    driver.type(typed)
    assert "q1_mail_program" not in driver.state.answers
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize("typed", ["I am not", "no, I am not", "I'm not using one"])
def test_i_am_not_of_the_question_stays_the_no(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at(Stage.Q1_MAIL_PROGRAM, profile, catalogs, "en")
    driver.type(typed)
    assert driver.state.answers["q1_mail_program"] == "no"
