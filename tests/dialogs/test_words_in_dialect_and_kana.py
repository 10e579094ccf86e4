"""words, fifth round: dialect and kana as older subscribers type them.

「めーるがとどかんくなった」 (届かん in kana) and 「つこうてへん」 (Kansai: not used) were not
understood; 「おくれない　なぜ」 was the migration's "why", the failure unheard.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


def _started(profile: MigrationProfile, catalogs: Catalogs, locale: Locale = "ja") -> Driver:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants))
    driver.start(locale)
    return driver


@pytest.mark.parametrize(
    ("typed", "written"),
    [
        ("めーるがとどかんくなった", "メールが届かなくなった"),
        ("おくれない　なぜ", "送れない　なぜ"),
        ("つこうてへん", "使っていません"),
    ],
)
def test_dialect_and_kana_are_read_as_the_standard_words(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, written: str
) -> None:
    driver = _started(profile, catalogs)
    standard = _started(profile, catalogs)
    driver.type(typed)
    standard.type(written)
    assert driver.state.stage is standard.state.stage
    assert driver.state.answers == standard.state.answers
    # Said back where the standard words were read plainly (「「いいえ」としてお答えを…」).
    assert catalogs("ja", "not_understood") not in driver.said()
    assert driver.said().split("\n")[-1] == standard.said().split("\n")[-1]
