"""The reading `redact` masks on: each character's span of the typed text, however it is read.

A message whose characters each fold to one character and join nothing (kana, kanji,
full-width letters: nearly every message) is read one distinct character at a time rather
than one place at a time (2,000 characters of Japanese were 2-3 ms of each turn's CPU). Both
ways give the same reading: the same folded text and the same spans.
"""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from dialogs.redaction import _clusters, _fold, _Reading


def _walked(typed: str) -> tuple[str, list[int], list[int]]:
    """The reading as the cluster-by-cluster walk gives it."""
    pieces: list[str] = []
    starts: list[int] = []
    ends: list[int] = []
    for start, end in _clusters(typed):
        piece = _fold(typed[start:end])
        pieces.append(piece)
        starts += [start] * len(piece)
        ends += [end] * len(piece)
    return "".join(pieces), starts, ends


def _read(typed: str) -> tuple[str, list[int], list[int]]:
    reading = _Reading.of(typed)
    assert reading.masks == [0] * len(reading.text)
    return reading.text, reading.starts, reading.ends


TYPED = [
    "パスワードはKq7xyz99です",
    "ﾊﾟｽﾜｰﾄﾞ：Ｋｑ７ｘｙｚ９９",  # half-width kana and their marks join: the walk
    "pаssword: Kq7xyz99",  # a Cyrillic а read as a Latin one
    "パス\u200bワード Kq7xyz99",  # an invisible character is dropped
    "㍻２０年 ①②③ e\u0301",  # one character folds to several; a combining accent joins
    "\u0301 first a mark, then ﾟ",
    "メールが送れません。" * 200,
]


def test_messages_are_read_as_the_walk_reads_them() -> None:
    for typed in TYPED:
        assert _read(typed) == _walked(typed), typed


@given(st.text(alphabet=st.characters(codec="utf-8"), max_size=40))
def test_any_text_is_read_as_the_walk_reads_it(typed: str) -> None:
    assert _read(typed) == _walked(typed)
