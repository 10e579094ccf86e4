"""The provider's name alone answers "do you send through our server?".

「つばめネットです」「117netのです」 at 「送信サーバーは…ですか？」 / 「117netのメールサーバーを
設定して…」 were not read at all (「うまく読み取れませんでした」), although 「いいえ、117netです」
and 「つばめネットのサーバーです」 were. The name alone, with or without の, is a yes.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from tests.dialogs.driver import Driver

POP_TO_IMAP: Final = load_profile(
    Path(__file__).resolve().parents[2] / "examples" / "pop-to-imap.toml"
)


def answered(profile: MigrationProfile, catalogs: Catalogs, before: int, words: str) -> str:
    """The answer `words` gave at the profile's our_smtp question, "" if none."""
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start("ja")
    for _ in range(before):
        driver.press("yes")
    question = driver.state.stage.value
    driver.type(words)
    return driver.state.answers.get(question, "")


@pytest.mark.parametrize("words", ["117netです", "117netのです", "117ネットのです", "117net。"])
def test_the_seeds_name_alone_is_a_yes(
    profile: MigrationProfile, catalogs: Catalogs, words: str
) -> None:
    assert answered(profile, catalogs, 2, words) == "yes"


@pytest.mark.parametrize("words", ["つばめネットです", "Tsubame Netのです", "つばめねっとです"])
def test_another_providers_name_alone_is_a_yes(catalogs: Catalogs, words: str) -> None:
    assert answered(POP_TO_IMAP, catalogs, 1, words) == "yes"


@pytest.mark.parametrize("words", ["117netではないです", "117net以外です", "117netじゃないです"])
def test_the_name_denied_is_no_yes(
    profile: MigrationProfile, catalogs: Catalogs, words: str
) -> None:
    assert answered(profile, catalogs, 2, words) != "yes"
