"""The address question's own button, typed in Japanese, carries on without the address."""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    "typed", ["入力せずに進む", "入力せずに進みます", "にゅうりょくせずにすすむ"]
)
def test_the_buttons_words_typed_skip_the_address(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # 'Continue without it' typed was read (the English button's words); 「入力せずに進む」,
    # the Japanese button's own words, was 「うまく読み取れませんでした」 and the question again.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("settings")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(typed)
    assert driver.state.stage is Stage.ASK_PROGRAM
    assert driver.state.misunderstood == 0
