"""「いいえ、家で使ってます」 'no, I use it at home' at the network question is the no it says.

99c97c6 took a no word before a sentence of its own (「いいえ、昨日もやりました」) for no
answer; 'at home' is the question's own no, and these were understood before it.
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
    "text",
    ["いいえ、家で使ってます", "いいえ、自宅で使っています", "いいえ、家のパソコンから送ってます"],
)
def test_no_and_at_home_is_no(profile: MigrationProfile, text: str, with_analyser: bool) -> None:
    analyser = japanese_analyser() if with_analyser else None
    intent = read_text(text, Stage.Q2_OTHER_NETWORK, OFFERED, profile, analyser)
    assert intent.kind is Kind.NO


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q2_OTHER_NETWORK, "いいえ、昨日もやりました"),
        (Stage.Q2_OTHER_NETWORK, "いいえ、うちの会社から送ってます"),
        # At the mail-program question home says nothing of webmail.
        (Stage.Q1_MAIL_PROGRAM, "いいえ、家で使ってます"),
    ],
)
def test_a_no_word_before_something_else_stays_no_answer(
    profile: MigrationProfile, stage: Stage, text: str
) -> None:
    intent = read_text(text, stage, OFFERED, profile, japanese_analyser())
    assert intent.kind is not Kind.NO
