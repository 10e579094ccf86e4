"""A pressed "term:<word>" for a word the bot has no explanation of is a button it never sent.

The web chat takes any choice shaped like a button id (`term:xyz` is one), and Telegram and
LINE hand back whatever callback data a client forges: the turn raised KeyError('xyz') (found
by test_dialog_properties' random presses, 'term:'), so the subscriber got no answer at all.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from tests.dialogs.driver import Driver


@pytest.mark.parametrize("choice", ["term:", "term:xyz", "term:pop_en"])
def test_an_unknown_term_pressed_is_a_choice_that_does_not_apply(
    profile: MigrationProfile, catalogs: Catalogs, choice: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press(choice)
    assert catalogs("ja", "not_applicable") in driver.said()
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


def test_a_known_term_pressed_is_still_explained(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("term:pop")
    assert catalogs("ja", "term.pop") in driver.said()
