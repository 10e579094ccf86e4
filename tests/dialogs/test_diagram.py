from __future__ import annotations

from pathlib import Path

from dialogs.diagram import document
from dialogs.questionnaire import Stage

DOC = Path(__file__).resolve().parents[2] / "docs" / "questionnaire.md"


def test_the_documented_diagram_matches_the_machine() -> None:
    assert DOC.read_text("utf-8") == document(), (
        "docs/questionnaire.md is stale: run `python -m dialogs.diagram > docs/questionnaire.md`"
    )


def test_the_diagram_draws_every_stage() -> None:
    source = document()
    for stage in Stage:
        assert stage.name in source
