"""Predicates read from the analyser's morphemes: conjugation and negation."""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.reading.morphemes import Predicate, predicates


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("使っています", [Predicate("使う", negated=False)]),
        ("使用しておりません", [Predicate("使用する", negated=True)]),
        ("使ってはいません", [Predicate("使う", negated=True)]),
        ("利用させていただいておりません", [Predicate("利用する", negated=True)]),
        ("使用いたしておりません", [Predicate("使用する", negated=True)]),
        ("送信できません", [Predicate("送信できる", negated=True)]),
        ("送れなくなった", [Predicate("送れる", negated=True)]),
        ("接続したことはないです", [Predicate("接続する", negated=True)]),
        ("受け取ることができません", [Predicate("受け取る", negated=True, potential=True)]),
        ("ブロックされてるみたい", [Predicate("ブロックする", negated=False)]),
        ("問題ない", []),
    ],
)
def test_predicates(text: str, expected: list[Predicate]) -> None:
    assert predicates(japanese_analyser()(text)) == expected


def test_no_text_has_no_predicates() -> None:
    assert predicates([]) == []
