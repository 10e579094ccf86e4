"""What words5's subscribers said of their line and their program that was not read.

- 「娘の家のWi-Fiでも使います」 at the network question: a relative's line named by its Wi-Fi
  (「娘の家でも使います」 was read).
- 「Windowsに最初から入っているメールです」 'the one that came with windows' where the program
  is asked (「Windowsのメール」 was read).
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import at_stage


@pytest.mark.parametrize("typed", ["娘の家のWi-Fiでも使います", "実家の無線でも送ります"])
def test_a_relatives_line_named_by_its_wifi_is_another_line(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers[Stage.Q2_OTHER_NETWORK.value] == "yes"


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "Windowsに最初から入っているメールです"),
        ("ja", "Windows標準のメールアプリ"),
        ("en", "the one that came with windows"),
    ],
)
def test_the_mail_app_that_came_with_windows_is_a_program(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Where the program is asked: 「うまく読み取れませんでした」, as 「Windowsのメール」 was not.
    driver = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.press("settings")
    driver.press("skip")
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.type(typed)
    assert driver.state.program == "other"
    assert driver.state.misunderstood == 0
