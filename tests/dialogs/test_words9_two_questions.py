"""words9: an answer beside two questions, each ended with a full stop, is kept.

「はい、使っております。ところで、パスワードは変わるのでしょうか。それと、いつまでに変更すれば
よいですか。」 at the first question: the password was answered and the question asked again,
its 「はい、使っております」 lost. The second question, ended 「ですか。」, was not seen to ask
(its full stop hid the ですか), so it was read as the answer beside the first: a topic, no
answer. A sentence that asks and ends with 「。」 asks.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import at_stage


@pytest.mark.parametrize(
    "typed",
    [
        "はい、使っております。ところで、パスワードは変わるのでしょうか。"
        "それと、いつまでに変更すればよいですか。",
        "使っております。パスワードは変わるのでしょうか。それと、いつまでに変更すればよいですか。",
    ],
)
def test_the_answer_beside_two_questions_is_kept(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert "パスワードは変わりません" in driver.said()
    assert driver.state.answers.get("q1_mail_program") == "yes"
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("locale", "typed", "first", "second"),
    [
        ("ja", "パスワードは変わりますか？いつまでですか？", "password", "schedule"),
        ("ja", "いつまでですか？パスワードは変わりますか？", "password", "schedule"),
        ("en", "Will my password change? When is the deadline?", "password", "schedule"),
    ],
)
def test_two_questions_in_one_message_are_both_answered(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: str,
    typed: str,
    first: str,
    second: str,
) -> None:
    def answer_to(asked: str) -> str:
        alone = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
        alone.type(asked)
        return alone.said().split("\n")[0]

    asked = {"password": "パスワードは変わりますか？", "schedule": "いつまでですか？"}
    if locale == "en":
        asked = {"password": "Will my password change?", "schedule": "When is the deadline?"}
    driver = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    said = driver.said()
    assert answer_to(asked[first]) in said
    assert answer_to(asked[second]) in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
