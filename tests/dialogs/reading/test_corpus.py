"""The labelled corpus: what subscribers type, read as it was meant.

Two promises are held here: no utterance is read as an answer that lowers the change
needed when it was not meant as one (a problem report or a question read as "no"), and the
corpus is read as labelled: every utterance with the analyser (as `mailmove serve` runs),
at least 99 % by the patterns alone (polite negations are the analyser's).
`make bench-understanding` reports the same corpus per class and per stage, and the time it
takes.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.reading.morphemes import Analyser
from dialogs.reading.stage_reading import read_text
from testbed.utterances import Utterance, dangerous, load_corpus, reading_class

CORPUS = load_corpus()
OFFERED = ("yes", "no", "unsure", "back", "menu")


def read(utterance: Utterance, profile: MigrationProfile, analyser: Analyser | None) -> str:
    return reading_class(read_text(utterance.text, utterance.stage, OFFERED, profile, analyser))


def test_the_corpus_is_large_and_mostly_japanese() -> None:
    assert len(CORPUS) >= 400
    japanese = sum(u.japanese for u in CORPUS) / len(CORPUS)
    assert 0.7 <= japanese <= 0.8


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
def test_no_reading_lowers_the_change_needed(
    with_analyser: bool, profile: MigrationProfile
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    wrong = [
        (u.stage.value, u.text, reading)
        for u in CORPUS
        if dangerous(u, reading := read(u, profile, analyser))
    ]
    assert wrong == []


@pytest.mark.parametrize(
    ("with_analyser", "share_wrong"), [(True, 0.0), (False, 0.01)], ids=["sudachi", "patterns"]
)
def test_the_corpus_is_read_as_labelled(
    with_analyser: bool, share_wrong: float, profile: MigrationProfile
) -> None:
    # A new rule that misreads an older line shows here, not only in `make bench-understanding`.
    analyser = japanese_analyser() if with_analyser else None
    wrong = [
        (u.stage.value, u.expected, reading, u.text)
        for u in CORPUS
        if (reading := read(u, profile, analyser)) != u.expected
    ]
    assert len(wrong) <= share_wrong * len(CORPUS), wrong
