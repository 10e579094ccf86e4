"""A pattern's word inside a longer word or sentence that means something else.

「詳しい方」 'someone who knows' is inside 「詳しい方法」 'the detailed steps': asking for the
steps was handed to a person. 「サーバーってなんて入れれば」 'what do I type for the server?'
holds 「サーバーってなん」 'what is a server?', and was told what a server is.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import TERM, read_text
from dialogs.understanding import Kind

OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.SETTINGS_DELIVERED])
def test_asking_for_the_detailed_steps_is_no_request_for_a_person(
    profile: MigrationProfile, stage: Stage, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    intent = read_text("詳しい方法を教えてください", stage, OFFERED, profile, analyser)
    assert intent.kind is not Kind.HUMAN


def test_someone_who_knows_is_still_a_person(profile: MigrationProfile) -> None:
    intent = read_text("詳しい方はいますか", Stage.Q1_MAIL_PROGRAM, OFFERED, profile, None)
    assert intent.kind is Kind.HUMAN


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q1_MAIL_PROGRAM, "サーバーってなんて入れればいいですか"),
        (Stage.SETTINGS_DELIVERED, "SMTPってなんて入れるの？"),
        (Stage.SETTINGS_DELIVERED, "POPサーバーってなんて入力するの"),
    ],
)
def test_what_to_type_for_a_word_is_no_question_of_its_meaning(
    profile: MigrationProfile, stage: Stage, text: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    intent = read_text(text, stage, OFFERED, profile, analyser)
    assert not intent.value.startswith(TERM)


def test_the_meaning_of_a_word_is_still_asked(profile: MigrationProfile) -> None:
    intent = read_text("POPって何？", Stage.Q1_MAIL_PROGRAM, OFFERED, profile, None)
    assert intent.value == f"{TERM}pop"
