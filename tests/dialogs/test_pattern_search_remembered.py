"""What the walk read of a pattern is found again without hashing the pattern (speed9).

`re.Pattern.__hash__` hashes the pattern's whole source and compiled code on every call (13
µs for the longest problem rule), and `functools.lru_cache` hashed it on each of a long
message's three reads per rule: a seventh of `recognise_problem`'s instructions on long texts.
"""

from __future__ import annotations

import re
from typing import Any

import pytest

from dialogs.pattern_search import _REMEMBERED, KNOWN_PATTERNS, _beginnings, _needs, _plan


class _Unhashable:
    """A pattern as the walk reads it (source, flags, groups), which cannot be hashed."""

    def __init__(self, pattern: re.Pattern[str]) -> None:
        self.pattern = pattern.pattern
        self.flags = pattern.flags
        self.groups = pattern.groups

    def __hash__(self) -> int:
        raise AssertionError("hashed")


@pytest.mark.parametrize("read", [_plan, _needs, _beginnings])
def test_a_pattern_is_read_and_found_again_without_its_hash(read: Any) -> None:
    pattern = _Unhashable(re.compile(r"受信(?:が|は)?できない|送信エラー"))
    first = read(pattern)
    assert read(pattern) is first


def test_the_same_reads_as_before() -> None:
    assert _needs(re.compile(r"受信(?:が|は)?できない")) == (("受信",), ("できない",))
    assert _plan(re.compile(r"a(?:b|c)|d")) is not None
    assert _beginnings(re.compile(r"[あい]う")) is not None


def test_only_the_latest_patterns_are_kept() -> None:
    made = [re.compile(f"x{number}y") for number in range(KNOWN_PATTERNS + 10)]
    for pattern in made:
        assert _needs(pattern) == ((f"x{made.index(pattern)}y",),)
    known = _REMEMBERED["_needs"]
    assert len(known) == KNOWN_PATTERNS
    assert id(made[0]) not in known
    assert known[id(made[-1])][0] is made[-1]
