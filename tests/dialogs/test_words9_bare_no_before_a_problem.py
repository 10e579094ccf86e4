"""words9: 「いいえ、送れません」 at the program question says what is taken, as 「いいえ。…」 does.

A bare 「いいえ、」 before a problem answers nothing (it may deny the problem's words: "no, it
does not work, I can't send"), yet it may be the no, which the problem overrules. 「いいえ。メー
ルが送れません」 got answer.no_overruled.cant_send (「送信できないとのことですので、メールソ
フトをお使いのものとしてご案内します。…「戻る」…」); 「いいえ、送れません」 went on to the next
question as a yes without a word. The line is true either way: said now too; no answer is
recorded from the bare no itself (the problem's proof is).
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import at_stage


@pytest.mark.parametrize(
    ("locale", "typed", "key"),
    [
        ("ja", "いいえ、送れません", "answer.no_overruled.cant_send"),
        ("ja", "いいえ、受信できません", "answer.no_overruled.cant_receive"),
        ("en", "No, I cannot send", "answer.no_overruled.cant_send"),
    ],
)
def test_a_bare_no_before_a_problem_is_said_to_be_overruled(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str, key: str
) -> None:
    driver = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert catalogs.raw(locale, key) in driver.said()  # type: ignore[arg-type]
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.answers["q1_mail_program"] == "yes"


@pytest.mark.parametrize("typed", ["送れません", "はい、送れません"])
def test_without_a_no_nothing_is_said_overruled(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert catalogs.raw("ja", "answer.no_overruled.cant_send") not in driver.said()


def test_a_bare_no_at_another_question_is_not_said_overruled(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("いいえ、送れません")
    assert catalogs.raw("ja", "answer.no_overruled.cant_send") not in driver.said()
