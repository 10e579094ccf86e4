"""A guess that the provider's line is the only one answers nothing ahead (review).

dialogs.reading.told_before promises that a part that guesses answers nothing; but the
provider named as the only line was taken as the network question's firm "no" behind a hedge:
「たぶん117netだけです」 at the first question (the same words at the network question are
'unsure'), "I think I only use 117net at home", "maybe I only use 117net". That "no" keeps the
sending change only recommended; a guess is asked about when the question comes.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver

GUESSES = (
    "たぶん117netだけです",
    "多分うちは117netだけです",
    "117netだけかもしれません",
    "I think I only use 117net at home",
    "maybe I only use 117net",
    "I only use 117net, probably",
)


@pytest.mark.parametrize("typed", GUESSES)
def test_a_guess_is_asked_about_when_the_question_comes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(typed)
    assert "q2_other_network" not in driver.state.told
    assert driver.state.answers.get("q2_other_network") is None


def test_the_provider_named_as_the_only_line_is_still_the_no(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("うちは117netだけなんですが")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.told == {"q2_other_network": "no"}
