"""After the card, a field the guide names that cannot be found reaches a person.

cd62b7d meant 「その項目が見つかりません」 and 「見当たりません」, but wrote 「見当たらません」, a
form nobody types: the polite 「その項目が見当たりません」 was not understood, while 「特に問題は
見当たらない」 'I see no problem' was sent to a person as 'still broken'.
"""

from __future__ import annotations

import pytest

from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Intent, Kind

OFFERED = ("check", "other_program", "menu", "restart", "human")
STILL_BROKEN = Intent(Kind.HUMAN, "still_broken")


def read(profile: MigrationProfile, text: str) -> Intent:
    return read_text(text, Stage.SETTINGS_DELIVERED, OFFERED, profile, None)


@pytest.mark.parametrize(
    "text", ["その項目が見当たりません", "送信サーバーの欄が見当たりません", "見当たりません"]
)
def test_a_field_not_found_reaches_a_person(profile: MigrationProfile, text: str) -> None:
    assert read(profile, text) == STILL_BROKEN


@pytest.mark.parametrize("text", ["特に問題は見当たらない", "特に問題は見当たりません"])
def test_no_problem_seen_is_not_still_broken(profile: MigrationProfile, text: str) -> None:
    assert read(profile, text) != STILL_BROKEN
