from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from dialogs.diagram import document
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import SETTINGS_STAGES

ROOT = Path(__file__).resolve().parents[2]
DOC = ROOT / "docs" / "questionnaire.md"


def test_the_documented_diagram_matches_the_default_profile(profile: MigrationProfile) -> None:
    drawn = document(profile.questionnaire, "bot/ops/default_profile.toml")
    assert DOC.read_text("utf-8") == drawn, "docs/questionnaire.md is stale: run `make diagram`"


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


def _drawn(*args: str, stdin: Path | None = None) -> str:
    # Named, through `mailmove profile diagram` (the dialog package reads no file).
    command = [str(Path(sys.executable).parent / "mailmove"), "profile", "diagram", *args]
    with (stdin or Path(os.devnull)).open("rb") as given:
        return subprocess.run(  # noqa: S603 (a fixed command on the repository's own files)
            command if args else [sys.executable, "-m", "dialogs.diagram"],
            stdin=given,
            capture_output=True,
            check=True,
            cwd=ROOT,
        ).stdout.decode("utf-8")


def test_another_profiles_diagram_names_its_file_not_the_default() -> None:
    """The diagram said "the default profile's" of any profile it drew."""
    named = _drawn("examples/imap-move.toml")
    assert "`examples/imap-move.toml`" in named
    assert "default profile" not in named
    assert "default_profile.toml" not in named
    # Given on standard input, it names no file it cannot know.
    piped = _drawn(stdin=ROOT / "examples" / "imap-move.toml")
    assert "default profile" not in piped
    assert "default_profile.toml" not in piped
    assert piped.split("```mermaid")[1] == named.split("```mermaid")[1]
