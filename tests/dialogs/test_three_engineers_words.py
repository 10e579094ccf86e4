"""Words three engineers met at the first question, read as they were meant (words2).

「窓口は何時までですか」「窓口は土日も対応していますか」 named the desk, 「窓口」, and were handed
to a person (「ただいま、このチャットでは担当者におつなぎできません」 where none is on duty),
the hours asked for never said. 「新しいせっていでちぇっくしたい」, typed in kana, normalised to
「ちえっく」 and got the settings card, which 「新しい設定でテストしたい」 does not. 'I changed
it at midnight and now it fails' was not read at all.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize("desk", [False, True])
@pytest.mark.parametrize("text", ["窓口は何時までですか", "窓口は土日も対応していますか"])
def test_the_desks_hours_asked_are_said_not_a_hand_over(
    profile: MigrationProfile, catalogs: Catalogs, text: str, desk: bool
) -> None:
    driver = Driver(profile, catalogs, desk=desk)
    driver.start("ja")
    driver.type(text)
    said = driver.said()
    assert catalogs("ja", "human.contact", contact=profile.support.contact_ja) in said
    assert catalogs("ja", "prompt.continue") in said
    assert "おつなぎできません" not in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert not driver.last.handoff_reason


def test_a_person_asked_for_beside_the_hours_is_still_a_person(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start("ja")
    driver.type("担当者と話したい、何時まで対応していますか")
    assert driver.last.handoff_reason


def test_a_check_typed_in_kana_at_the_first_question_is_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("新しいせっていでちぇっくしたい")
    assert catalogs("ja", "check.after_the_card") in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert not driver.state.answers


@pytest.mark.parametrize("locale", ["en"])
def test_now_it_fails_after_a_change_at_midnight_asks_for_the_error(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type("I changed it at midnight and now it fails")
    assert catalogs(locale, "problem.error_without_text") in driver.said()
