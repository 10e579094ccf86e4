r"""Searching a long message quickly: a pattern is tried only where a match of it can begin.

Python's `re` tries a pattern at every position of the text unless the pattern begins with
one literal or one class of characters. Most of the reading's patterns begin with an
alternation of words (「受信(?:が|は)?…|受信され…|(?:受け取る|受信する)…」), so each of them
made 2,000 attempts on a 2,000-character message: 0.3-1.3 ms a pattern, 10-15 ms a message
of any text (1.3 ms for a short answer), and four clients sending such messages at their
limits raised another subscriber's p99 from 62 to 690 ms. The characters a match can begin
with are read once from the pattern's parse tree; the text is searched for them (one class
of characters: `re`'s fast scan), and the pattern is tried only there.

The parse tree is `re`'s own (`re._parser`, the module the compiler uses; there is no public
way to ask a pattern what it can begin with). Whatever the walk does not know (a class such
as `\s` or `\w`, a back reference, case folding, a pattern that can match nothing) leaves the
pattern as it is: `search` is then `pattern.search`, never a different answer.
"""

from __future__ import annotations

import functools
import re
import re._constants as sre  # type: ignore[import-not-found, unused-ignore]
import re._parser as sre_parse  # type: ignore[import-not-found, unused-ignore]
from collections.abc import Iterable
from typing import Any, Final

# Tries of the pattern at its possible beginnings before the rest is left to `re` alone: a
# pattern whose first characters are everywhere in the text (English words in English) is
# then no slower than before.
TRIES: Final = 32
# Patterns whose first characters are remembered (module constants: a few hundred).
KNOWN_PATTERNS: Final = 2048

# (first, last) code points; None: any character may begin a match.
_Ranges = set[tuple[int, int]]


class _UnknownError(Exception):
    """The walk met something it does not read: the pattern is searched as it is."""


def search(pattern: re.Pattern[str], text: str, pos: int = 0) -> re.Match[str] | None:
    """`pattern.search(text, pos)`, the same match, trying the pattern only where it can begin."""
    beginnings = _beginnings(pattern)
    if beginnings is None:
        return pattern.search(text, pos)
    for tries, beginning in enumerate(beginnings.finditer(text, pos), start=1):
        # `match` at a position is what `search` tries there: look-behinds and ^ see the
        # whole text, as they do in `search`.
        found = pattern.match(text, beginning.start())
        if found is not None:
            return found
        if tries == TRIES:
            return pattern.search(text, beginning.start() + 1)
    return None


@functools.lru_cache(maxsize=KNOWN_PATTERNS)
def _beginnings(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """One class of the characters a match of `pattern` can begin with; None if unknown."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        ranges, can_be_empty = _first(parsed.data)
    except (_UnknownError, RecursionError):
        return None
    if can_be_empty or not ranges:
        return None
    return re.compile("[" + "".join(_class_item(first, last) for first, last in ranges) + "]")


def _class_item(first: int, last: int) -> str:
    if first == last:
        return re.escape(chr(first))
    return f"{re.escape(chr(first))}-{re.escape(chr(last))}"


def _first(items: Iterable[tuple[Any, Any]]) -> tuple[_Ranges, bool]:
    """The first characters of a sequence, and whether it can match nothing at all."""
    ranges: _Ranges = set()
    for op, value in items:
        more, can_be_empty = _first_of(op, value)
        ranges |= more
        if not can_be_empty:
            return ranges, False
    return ranges, True


def _first_of(op: Any, value: Any) -> tuple[_Ranges, bool]:
    if op is sre.LITERAL:
        return {(value, value)}, False
    if op is sre.IN:
        return _class(value), False
    if op is sre.BRANCH:
        ranges: _Ranges = set()
        any_empty = False
        for branch in value[1]:
            more, can_be_empty = _first(branch)
            ranges |= more
            any_empty = any_empty or can_be_empty
        return ranges, any_empty
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, items = value
        if add_flags & re.IGNORECASE:
            raise _UnknownError
        return _first(items)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _most, items = value
        ranges, can_be_empty = _first(items)
        return ranges, can_be_empty or least == 0
    if op is sre.ATOMIC_GROUP:
        return _first(value)
    if op in (sre.AT, sre.ASSERT, sre.ASSERT_NOT):
        # Matches no character: what follows begins the match.
        return set(), True
    raise _UnknownError


def _class(items: Iterable[tuple[Any, Any]]) -> _Ranges:
    ranges: _Ranges = set()
    for op, value in items:
        if op is sre.LITERAL:
            ranges.add((value, value))
        elif op is sre.RANGE:
            ranges.add((value[0], value[1]))
        else:  # NEGATE, CATEGORY (\s, \w, \d): any number of characters
            raise _UnknownError
    return ranges
