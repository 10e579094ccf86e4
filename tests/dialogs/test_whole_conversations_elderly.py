"""Whole conversations as older, non-technical subscribers type them (subscriber11's sweep).

Each case is a conversation from the first question on, as played through `mailmove chat`:
the words that were asked again, or read as something else, at the turn where they fell.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "さっきのはまちがいです"),
        ("ja", "さっきのは間違いでした"),
        ("ja", "今のは間違いです"),
        ("ja", "さっきのはうそです"),
        ("ja", "さっきのなしで"),
        ("ja", "さっきのとりけしてください"),
        ("ja", "間違えて押しました"),
        ("ja", "押し間違えました"),
        ("ja", "すみません、ボタンを押しまちがえました"),
        ("en", "sorry that was wrong"),
        ("en", "wait, I made a mistake"),
        ("en", "I pressed the wrong button"),
        ("en", "oops wrong button"),
        ("en", "that was a mistake"),
    ],
)
def test_a_mind_changed_after_the_verdict_goes_back_to_the_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # 「いいえ」 pressed at the network question gives the verdict and asks for the address;
    # 「さっきのはまちがいです」 then was 「うまく読み取れませんでした」 and the address asked
    # again, the no (sending only recommended) kept: the person never found the way back.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(text)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "q2_other_network" not in driver.state.answers
