from __future__ import annotations

import re
from pathlib import Path

from dialogs.diagram import document
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import SETTINGS_STAGES

DOC = Path(__file__).resolve().parents[2] / "docs" / "questionnaire.md"


def test_the_documented_diagram_matches_the_default_profile(profile: MigrationProfile) -> None:
    assert DOC.read_text("utf-8") == document(profile.questionnaire), (
        "docs/questionnaire.md is stale: run `make diagram`"
    )


def test_the_diagram_draws_every_question_leaf_and_settings_stage(
    profile: MigrationProfile,
) -> None:
    source = document(profile.questionnaire)
    flowchart = profile.questionnaire.flowchart
    for node in (*flowchart.questions, *flowchart.leaves, *(s.value for s in SETTINGS_STAGES)):
        assert f'state "{node}" as {node}' in source
    for question in flowchart.questions.values():
        for answer, dest in question.answers.items():
            edge = rf"^\s*{question.id} --> {dest}: (.* \| )?answer_{answer}( \||$)"
            assert re.search(edge, source, flags=re.MULTILINE), edge
