"""The labelled corpus of what subscribers type, and how a reading is scored against it.

`tests/dialogs/reading/utterances.tsv` holds one utterance a line: the stage the
subscriber is at, the expected reading (an answer class such as `yes`, `problem:cant_send`,
`topic:password`, `program:thunderbird`), and the text, a line break in it written `\\n` (a
pasted error keeps its lines). The tests hold the reading to it (no dangerous reading, at
least 95 % right); `bench/understanding.py` reports it per class and per stage. Both read it
through here.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Final

from dialogs.questionnaire import QUESTIONS, Stage
from dialogs.understanding import Intent, Kind

CORPUS: Final = Path(__file__).parent.parent / "tests" / "dialogs" / "reading" / "utterances.tsv"
# Answers that ask for less change than another answer would: reading one where it was not
# meant is the dangerous mistake (webmail only, sending untouched, POP before SMTP kept).
LOWERING: Final = "no"


@dataclass(frozen=True, slots=True)
class Utterance:
    """One labelled line of the corpus."""

    stage: Stage
    expected: str
    text: str

    @property
    def japanese(self) -> bool:
        """Whether the text holds any Japanese (kana or kanji)."""
        return any("\u3040" <= ch <= "\u9fff" for ch in self.text)


def load_corpus(path: Path = CORPUS) -> list[Utterance]:
    """Every utterance of the corpus; ValueError naming the line for a malformed one."""
    utterances = []
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) != 3:
            raise ValueError(f"{path.name}:{number}: expected stage, reading and text")
        stage, expected, text = fields
        utterances.append(Utterance(Stage(stage), expected, text.replace("\\n", "\n")))
    return utterances


def reading_class(intent: Intent) -> str:
    """An intent as the corpus labels it."""
    kind, value = intent.kind, intent.value
    if kind in (Kind.YES, Kind.NO, Kind.UNSURE):
        return str(kind.value)
    if kind is Kind.CHOICE and value.startswith("program:"):
        return value
    if kind is Kind.PROGRAM:
        return f"program:{value}"
    if kind in (Kind.PROBLEM, Kind.TOPIC, Kind.SMALL_TALK, Kind.CHOICE):
        prefix = "small_talk" if kind is Kind.SMALL_TALK else kind.value
        return f"{prefix}:{value}"
    if kind is Kind.SHOW_SETTINGS:
        return "settings"
    if kind is Kind.SECRET_TYPED:
        return "secret"
    return str(kind.value)


def dangerous(utterance: Utterance, reading: str) -> bool:
    """Whether `reading` lowers the change needed where the subscriber did not say so."""
    return utterance.stage in QUESTIONS and reading == LOWERING and utterance.expected != LOWERING
