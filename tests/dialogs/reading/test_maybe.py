"""「家だけかも」 'maybe only at home' is a guess: not sure, as 「たぶん家だけ」 already was.

A sentence ended by 「かも」 (short for 「かもしれない」, which was not sure) was read as
the no it guesses at, lowering the change needed.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind

OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q1_MAIL_PROGRAM, "ブラウザで見てるだけかも"),
        (Stage.Q2_OTHER_NETWORK, "家だけかも"),
        (Stage.Q3_USES_OUR_SMTP, "会社のサーバーかもです"),
        (Stage.Q4_OP25B, "ブロックされてないかもね"),
    ],
)
def test_a_guess_ended_by_kamo_is_not_sure(
    profile: MigrationProfile, stage: Stage, text: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    assert read_text(text, stage, OFFERED, profile, analyser).kind is Kind.UNSURE


def test_kamo_inside_a_word_is_no_guess(profile: MigrationProfile) -> None:
    intent = read_text("会社からも送ります", Stage.Q2_OTHER_NETWORK, OFFERED, profile, None)
    assert intent.kind is Kind.YES
