"""words9: what an elderly subscriber types under the card.

- 「よくわからないので孫にやってもらいます」「ありがとうございました。孫に見てもらいます」: someone
  else will do it, as 「孫にやってもらいます」 (a wait) is; both were 「うまく読み取れませんで
  した」 (a reason before it, a full stop after the thanks).
- 「パソコンのほうもお願いします」「スマホも教えてください」: the other device's steps, as
  「パソコンのほうはどうすればいいですか」 is; it was not understood.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


def _after_the_card(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for press in ("yes", "yes", "no", "settings", "skip", "program:ios_mail"):
        driver.press(press)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    "typed",
    ["よくわからないので孫にやってもらいます", "ありがとうございました。孫に見てもらいます"],
)
def test_someone_else_doing_it_is_waited_for(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    alone = _after_the_card(profile, catalogs)
    alone.type("孫にやってもらいます")
    driver = _after_the_card(profile, catalogs)
    driver.type(typed)
    assert "うまく読み取れませんでした" not in driver.said()
    assert driver.said() == alone.said()


@pytest.mark.parametrize("typed", ["パソコンのほうもお願いします", "スマホも教えてください"])
def test_the_other_device_too_asks_for_its_program(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _after_the_card(profile, catalogs)
    driver.type(typed)
    assert driver.state.stage is Stage.ASK_PROGRAM
