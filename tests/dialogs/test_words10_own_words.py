"""words10: a subscriber's own words, read right.

- 「Outlookは使ったことがありません。スマホで見ています」 at the program question was
  「うまく読み取れませんでした」 and the question again: the program denied hid the phone said
  after it. Now the phone is heard (which phone, iPhone or Android, is asked), as for
  「スマホで見ています」 alone.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver

_NOT_READ = ("うまく読み取れませんでした", "did not catch")


def _at_the_program_question(profile: MigrationProfile, catalogs: Catalogs, locale: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    for press in ("yes", "yes", "no", "settings", "skip"):
        driver.press(press)
    assert driver.state.stage is Stage.ASK_PROGRAM
    return driver


@pytest.mark.parametrize(
    "typed",
    [
        "Outlookは使ったことがありません。スマホで見ています",
        "Outlookは使っていません、スマホで見てます",
        "アウトルックは使ったことがないです。携帯でメールを見ています",
    ],
)
def test_a_program_denied_then_a_phone_asks_which_phone(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, "ja")
    driver.type(typed)
    said = driver.said()
    assert catalogs("ja", "program.which_phone") in said
    assert not any(words in said for words in _NOT_READ)
    assert driver.state.program is None
    assert driver.state.stage is Stage.ASK_PROGRAM
