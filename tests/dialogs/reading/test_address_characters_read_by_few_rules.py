"""A message of an address's characters alone is read only by the rules that can match it.

An address typed ('taro5@vp.117.ne.jp') was tried against all 37 problem rules, each a long
alternation of Japanese and English phrases tried at each of its characters: 46 µs of its
turn against 6 µs for 「はい」 (speed9). None of those phrases can match a text without a
space or a kana, so such a text is searched only with the alternatives it can match
(`pattern_search.for_characters`); what it reports is what every rule reads in it.
"""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs import understanding
from dialogs.pattern_search import for_characters, search
from dialogs.reading import problems
from dialogs.reading.problems import Problem, recognise_problem
from testbed.utterances import load_corpus

TYPED = [
    "taro5@vp.117.ne.jp",
    "yes",
    "thunderbird",
    # Codes and an address with a code's digits in it: read as every rule reads them.
    "535",
    "550",
    "0x800ccc0f",
    "800ccc0e",
    "0x800ccc0e@vp.117.ne.jp",
    "535@vp.117.ne.jp",
    "a@5.1.1.jp",
    "5.7.8",
    "[in-use]",
    "0x8004010f",
]


def _by_every_rule(text: str) -> Problem | None:
    """What the rules read in `text` (normalised), each rule searched whole."""
    read = problems._SLIP.sub(
        problems._as_meant,
        problems._JAPANESE_GAP.sub("", problems._codes_as_shown(problems._as_read(text))),
    )
    return problems._first_reported(read, problems._RULES_AS_THEY_ARE)


@pytest.mark.parametrize("typed", TYPED)
def test_what_such_a_text_reports_is_what_every_rule_reads(typed: str) -> None:
    text = understanding.normalise(typed)
    assert recognise_problem(text) is _by_every_rule(text)


def test_the_corpus_reads_as_every_rule_reads_it() -> None:
    for utterance in load_corpus():
        text = understanding.normalise(utterance.text)
        assert recognise_problem(text) is _by_every_rule(text), utterance.text


@settings(max_examples=200, deadline=None)
@given(st.text(alphabet=problems._ADDRESS_CHARACTERS, max_size=30))
def test_any_text_of_those_characters_reads_as_every_rule_reads_it(text: str) -> None:
    assert recognise_problem(text) is _by_every_rule(text)


def test_an_address_is_searched_with_few_rules(monkeypatch: pytest.MonkeyPatch) -> None:
    searched: list[re.Pattern[str]] = []

    def counted(pattern: re.Pattern[str], text: str, pos: int = 0) -> re.Match[str] | None:
        searched.append(pattern)
        return search(pattern, text, pos)

    monkeypatch.setattr(problems, "search", counted)
    assert recognise_problem("taro5@vp.117.ne.jp") is None

    assert len(searched) < len(problems._RULES) * 2 // 3
    # Each searched only with what of it an address's characters can match: no phrase.
    for pattern in searched:
        assert for_characters(pattern, problems._ADDRESS_CHARACTERS) is pattern
    assert all("送れ" not in p.pattern and "can't" not in p.pattern for p in searched)


def test_the_kana_and_kanji_put_right_cannot_change_such_a_text() -> None:
    for pattern in (
        problems._OCR_BAR,
        problems._OCR_SERVER,
        problems._JAPANESE_GAP,
        problems._SLIP,
    ):
        assert for_characters(pattern, problems._ADDRESS_CHARACTERS) is None
    assert problems._OF_ADDRESS_CHARACTERS.fullmatch(problems._ADDRESS_CHARACTERS)
