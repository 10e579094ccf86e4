"""words8: 'I changed it but it still fails' and 'can I still change?' are understood.

- 「設定を変えたけどダメです」「変更しました。うまくいきません」「もう変えました。できません」
  'settings changed, still failing' got 「うまく読み取れませんでした」 at the questions. They are
  a problem with no kind said (error_without_text, as "it still doesn't work" is): noted, its
  answer, the question again; after the card, the person as 「うまくいきません」 gets. A kind
  said stays that kind (「変えたのに送れません」 is cant_send).
- 「まだ変更できますか」 'Can I still change my settings?' 「昨日までだったんですか」 ask the
  schedule (Topic.SCHEDULE), as 「いつまでですか」 does.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver, at_stage

CHANGED_AND_FAILING = [
    ("ja", "設定を変えたけどダメです"),
    ("ja", "変更しました。うまくいきません"),
    ("ja", "もう変えました。できません"),
    ("en", "settings changed, still failing"),
    ("en", "I changed it but it still doesn't work"),
]
_NOT_READ = ("うまく読み取れませんでした", "did not catch")
_TYPE_THE_ERROR = {"ja": "エラーの文章", "en": "type the text of the error"}


@pytest.mark.parametrize(("locale", "typed"), CHANGED_AND_FAILING)
@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q2_OTHER_NETWORK])
def test_changed_and_still_failing_at_the_questions_is_a_problem_noted(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str, stage: Stage
) -> None:
    driver = at_stage(profile, catalogs, locale, stage)
    driver.type(typed)
    said = driver.said()
    assert not any(words in said for words in _NOT_READ)
    assert _TYPE_THE_ERROR[locale] in said
    assert driver.state.trouble_said == "error_without_text"
    assert driver.state.stage is stage
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


@pytest.mark.parametrize(("locale", "typed"), CHANGED_AND_FAILING)
def test_changed_and_still_failing_after_the_card_is_answered_as_it_does_not_work(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    def after_the_card() -> Driver:
        driver = Driver(profile, catalogs)
        driver.start(locale)  # type: ignore[arg-type]
        for press in ("yes", "yes", "no", "settings", "skip", "program:thunderbird"):
            driver.press(press)
        assert driver.state.stage is Stage.SETTINGS_DELIVERED
        return driver

    driver = after_the_card()
    driver.type(typed)
    alone = after_the_card()
    alone.type("うまくいきません" if locale == "ja" else "it doesn't work")
    assert not any(words in driver.said() for words in _NOT_READ)
    assert driver.said() == alone.said()
    assert driver.offered() == alone.offered()


@pytest.mark.parametrize(
    "typed", ["変えたのに送れません", "変更したけど送信できません", "I changed it but I can't send"]
)
def test_a_change_and_a_kind_stay_that_kind(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "en" if typed.isascii() else "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert driver.state.trouble_said == "cant_send"


@pytest.mark.parametrize(
    ("locale", "typed", "asked_as"),
    [
        ("ja", "まだ変更できますか", "いつまでですか"),
        ("ja", "まだ設定を変えられますか？", "いつまでですか"),
        ("ja", "昨日までだったんですか", "いつまでですか"),
        ("en", "Can I still change my settings?", "When is the deadline?"),
    ],
)
@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q2_OTHER_NETWORK])
def test_whether_it_is_too_late_to_change_is_the_schedule_question(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: str,
    typed: str,
    asked_as: str,
    stage: Stage,
) -> None:
    driver = at_stage(profile, catalogs, locale, stage)
    driver.type(typed)
    asked = at_stage(profile, catalogs, locale, stage)
    asked.type(asked_as)
    assert driver.said() == asked.said()
    assert "2008" in driver.said()
    assert driver.state.stage is stage


@pytest.mark.parametrize("typed", ["まだ変更できません", "昨日まではできたのに送れません"])
def test_a_change_that_fails_is_no_schedule_question(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert "設定変更の期間は" not in driver.said()
