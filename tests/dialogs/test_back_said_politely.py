"""「戻る」 said politely is still back (reviewer14).

Every answer read from words ends 「違う場合は「戻る」と入力してください」, and an older
subscriber types it as a sentence: 「戻ります」「戻りたいです」 were not understood (counted
toward a handoff) and the question asked again.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    "text", ["戻ります", "戻りたいです", "もどります", "すみません、戻りたいです"]
)
def test_back_in_a_sentence_goes_back(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize("text", ["送ったメールが戻ってきます", "メールが戻ります"])
def test_mail_coming_back_is_no_going_back(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
