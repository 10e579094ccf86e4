"""words9: 「うまくいきません」「ダメです」「できません」 alone are a trouble; 「ダメですか」 asks.

- Sent alone at a question (and 「メールがうまくいきません」) they were 「うまく読み取れませんでし
  た」: a trouble with no kind, as words8's 「設定を変えたけどダメです」 is (its answer, noted,
  the question again). At the address questions they stay unread (the address not to be had,
  more likely than mail failing).
- After the card, any ダメ went to a person: 「変えたらダメですか」 asks, it is no trouble.
- 「このままではダメですか」「今のままじゃダメなの？」 ask whether to change, as
  「このままでいいですか」 does.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from tests.dialogs.driver import Driver, at_stage

FAILING = [
    "うまくいきません",
    "ダメです",
    "できません",
    "だめでした",
    "メールがうまくいきません",
    "全然うまくいかない",
]


def _after_the_card(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for press in ("yes", "yes", "no", "settings", "skip", "program:thunderbird"):
        driver.press(press)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize("typed", FAILING)
@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q2_OTHER_NETWORK])
def test_failing_alone_at_a_question_is_a_trouble_noted(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, stage: Stage
) -> None:
    driver = at_stage(profile, catalogs, "ja", stage)
    driver.type(typed)
    assert "うまく読み取れませんでした" not in driver.said()
    assert "エラーの文章" in driver.said()
    assert driver.state.trouble_said == "error_without_text"
    assert driver.state.stage is stage


@pytest.mark.parametrize("typed", ["できません", "ダメです"])
def test_at_the_address_question_it_asks_for_no_error(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for press in ("yes", "yes", "no", "settings"):
        driver.press(press)
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(typed)
    assert "エラーの文章" not in driver.said()
    assert driver.state.stage is Stage.ASK_ADDRESS


@pytest.mark.parametrize("typed", ["ダメです", "うまくいきません", "できません"])
def test_failing_after_the_card_still_reaches_a_person(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _after_the_card(profile, catalogs)
    driver.type(typed)
    assert Signal.CONTACT_GIVEN in driver.last.signals


@pytest.mark.parametrize("typed", ["変えたらダメですか", "変えたらダメですか？"])
def test_asking_whether_it_is_wrong_after_the_card_is_no_trouble(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _after_the_card(profile, catalogs)
    driver.type(typed)
    assert Signal.CONTACT_GIVEN not in driver.last.signals
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize("typed", ["このままではダメですか", "今のままじゃダメなの？"])
def test_not_all_right_as_it_is_asks_whether_to_change(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("このままでいいですか")
    as_it_is = driver.said()
    asked = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    asked.type(typed)
    assert asked.said() == as_it_is
