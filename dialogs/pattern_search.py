r"""Searching a long message quickly: a pattern is tried only where, and if, it can match.

Python's `re` tries a pattern at every position of the text unless the pattern begins with
one literal or one class of characters. Most of the reading's patterns are alternations of
phrases (「受信(?:が|は)?…|受信され…|(?:受け取る|受信する)…」, dozens of them), so each tried
every phrase at each of a 2,000-character message's positions: 0.3-1.3 ms a pattern, 10-19
ms of CPU for a turn of any 2,000 characters against 0.8-1.3 ms for a short answer, and four
clients sending such messages at their limits raised another subscriber's p99 from 62 to
690 ms. For a text of `SHORT` characters or more, `search`
- skips a pattern at once when the text lacks words every match of it holds (「受信」 for
  「受信(?:が|は)?できない」), a `str` search for each;
- searches a pattern without groups one alternative at a time (each skipped the same way,
  and one that begins with a literal is found by `re`'s fast scan), the leftmost wins;
- tries what is left only where a match can begin: the characters it can begin with are read
  from the pattern, found by one class of characters, and the pattern matched there.

The parse tree is `re`'s own (`re._parser`, the module its compiler uses; nothing public says
what a pattern can begin with or must hold). Whatever the walk does not know (a class such
as `\s` or `\w`, a back reference, case folding, a pattern that can match nothing) leaves the
pattern to `re` as it is: the match is always the one `pattern.search` finds. So does a
Python without that module (CPython named it `sre_parse` until 3.11 and may move it again) or
with a tree of another shape: every pattern is then searched by `re` alone, only slower.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable
from typing import Any, Final, TypeVar

try:
    import re._constants as sre  # type: ignore[import-not-found, unused-ignore]
    import re._parser as sre_parse  # type: ignore[import-not-found, unused-ignore]
except ImportError:  # private: another Python need not have it, and the reading must import
    sre = sre_parse = None

# Tries of the pattern at its possible beginnings before the rest is left to `re` alone: a
# pattern whose first characters are everywhere in the text (English words in English) is
# then no slower than before.
TRIES: Final = 32
# Below this many characters `re` alone is quicker: trying a pattern at every position of a
# short message costs less than choosing where to try it (the corpus, mostly under 40
# characters, was read in 0.81 ms a message choosing, 0.39 ms without).
SHORT: Final = 200
# Patterns whose first characters are remembered (module constants: a few hundred).
KNOWN_PATTERNS: Final = 2048

# (first, last) code points of the characters a match may begin with.
_Ranges = set[tuple[int, int]]
_Read = TypeVar("_Read")


# What each `_per_pattern` read remembered, by the read's name: pattern id -> (pattern, read).
_REMEMBERED: Final[dict[str, dict[int, tuple[re.Pattern[str], Any]]]] = {}


def _per_pattern(read: Callable[[re.Pattern[str]], _Read]) -> Callable[[re.Pattern[str]], _Read]:
    """`read`, remembered per pattern object for the `KNOWN_PATTERNS` latest patterns.

    Not `functools.lru_cache`: its key is the pattern's hash, and `re.Pattern` hashes its
    whole source and compiled code on every call (13 µs for the longest problem rule, 3 µs
    on average over the 37), which a long message's `recognise_problem` asked three times
    per rule. The pattern is kept with its entry, so its id names no other.
    """
    known: dict[int, tuple[re.Pattern[str], _Read]] = {}
    _REMEMBERED[read.__name__] = known

    @functools.wraps(read)
    def remembered(pattern: re.Pattern[str]) -> _Read:
        found = known.get(id(pattern))
        if found is not None and found[0] is pattern:
            return found[1]
        if len(known) >= KNOWN_PATTERNS:
            del known[next(iter(known))]  # the first remembered
        value = read(pattern)
        known[id(pattern)] = (pattern, value)
        return value

    return remembered


class _UnknownError(Exception):
    """The walk met something it does not read: the pattern is searched as it is."""


# What a parse tree of a shape the walk does not know raises while it is read (a tuple of
# another length, an attribute moved): like what it does not read, the pattern is left to `re`.
_NOT_READ: Final = (_UnknownError, RecursionError, AttributeError, TypeError, ValueError)


def search(pattern: re.Pattern[str], text: str, pos: int = 0) -> re.Match[str] | None:
    """`pattern.search(text, pos)`: the same span and groups, found with fewer tries.

    A pattern of several alternatives and no groups is searched one alternative at a time,
    each only if the words it needs are in the text; the leftmost match wins, the earlier
    alternative on a tie, as in `re`. (The match is then the alternative's: its `re` is not
    `pattern`.)
    """
    if len(text) - pos < SHORT or sre_parse is None:
        return pattern.search(text, pos)
    return _search_long(pattern, text, pos)


def _search_long(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    plan = _plan(pattern)
    if plan is None:
        return _search_one(pattern, text, pos)
    best: re.Match[str] | None = None
    for alternative in plan:
        found = _search_one(alternative, text, pos)
        if found is not None and (best is None or found.start() < best.start()):
            best = found
            if found.start() == pos:
                break  # nothing begins before it
    return best


def _search_one(pattern: re.Pattern[str], text: str, pos: int) -> re.Match[str] | None:
    if not holds_needed_words(pattern, text):
        return None
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


@_per_pattern
def _plan(pattern: re.Pattern[str]) -> tuple[re.Pattern[str], ...] | None:
    """The pattern's alternatives; None to search it whole.

    Only a pattern without groups (an alternative alone numbers nothing differently) and
    without flags that change how its text is read (verbose, case folding).
    """
    if not isinstance(pattern.pattern, str) or pattern.groups or pattern.flags & ~re.UNICODE:
        return None
    sources = _alternatives(pattern.pattern)
    if len(sources) < 2:
        return None
    try:
        alternatives = [re.compile(source, pattern.flags) for source in sources]
    except re.error:
        return None
    if any(
        alternative.groups or alternative.flags != pattern.flags for alternative in alternatives
    ):
        return None
    return tuple(alternatives)


def _alternatives(source: str) -> list[str]:
    """`source` cut at each | outside groups and classes."""
    pieces: list[str] = []
    depth = 0
    start = 0
    index = 0
    in_class = False
    while index < len(source):
        char = source[index]
        if char == "\\":
            index += 2
            continue
        if in_class:
            if char == "]":
                in_class = False
        elif char == "[":
            in_class = True
            # A ] first in the class (after a ^) is a character of it.
            if source[index + 1 : index + 2] == "^":
                index += 1
            if source[index + 1 : index + 2] == "]":
                index += 1
        elif char == "(":
            depth += 1
        elif char == ")":
            depth -= 1
        elif char == "|" and depth == 0:
            pieces.append(source[start:index])
            start = index + 1
        index += 1
    pieces.append(source[start:])
    return pieces


def holds_needed_words(pattern: re.Pattern[str], text: str) -> bool:
    """False if `text` lacks words every match of `pattern` holds: it cannot match."""
    letters = _letters(text)
    for words in _needs(pattern):
        # A word with a character the text lacks is not looked for: `in` reads the whole
        # text when its characters are everywhere in it (「メール」 in 2,000 「メ」, each of
        # a thousand words: 3 ms of a turn).
        if not any(letters.issuperset(word) and word in text for word in words):
            return False
    return True


@functools.lru_cache(maxsize=4)
def _letters(text: str) -> frozenset[str]:
    """The characters of `text`, kept for the few texts read at once (a message's forms).

    The reading reads a message whose password the turn has masked, so no password is kept
    here (nor after the next few messages).
    """
    return frozenset(text)


@_per_pattern
def _needs(pattern: re.Pattern[str]) -> tuple[tuple[str, ...], ...]:
    """Sets of words: every match of `pattern` holds one word of each set."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return ()
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & re.IGNORECASE:
            return ()
        return tuple(tuple(sorted(words)) for words in _all_words(parsed.data))
    except _NOT_READ:
        return ()


def _all_words(items: Iterable[tuple[Any, Any]]) -> list[frozenset[str]]:
    """The word sets a match of the sequence `items` holds one word of each of."""
    needed: list[frozenset[str]] = []
    run: list[str] = []
    for op, value in items:
        if op is sre.LITERAL:
            run.append(chr(value))
            continue
        if run:
            needed.append(frozenset(["".join(run)]))
            run = []
        if op is sre.SUBPATTERN:
            if value[1] & re.IGNORECASE:
                raise _UnknownError
            needed += _all_words(value[3])
        elif op is sre.BRANCH:
            needed += filter(None, [_either(value[1])])
        elif op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT) and value[0] >= 1:
            needed += _all_words(value[2])
        elif op is sre.ATOMIC_GROUP:
            needed += _all_words(value)
    if run:
        needed.append(frozenset(["".join(run)]))
    return needed


def _words(items: Iterable[tuple[Any, Any]]) -> frozenset[str] | None:
    """The most telling of the word sets the sequence `items` needs; None: none known."""
    needed = _all_words(items)
    if not needed:
        return None
    # The longest shortest word, then the fewest words.
    return max(needed, key=lambda words: (min(map(len, words)), -len(words)))


def _either(branches: Iterable[Iterable[tuple[Any, Any]]]) -> frozenset[str] | None:
    words: set[str] = set()
    for branch in branches:
        found = _words(branch)
        if not found:
            return None
        words |= found
    return frozenset(words)


@_per_pattern
def _beginnings(pattern: re.Pattern[str]) -> re.Pattern[str] | None:
    """One class of the characters a match of `pattern` can begin with; None if unknown."""
    if not isinstance(pattern.pattern, str) or pattern.flags & re.IGNORECASE:
        return None
    try:
        parsed = sre_parse.parse(pattern.pattern, pattern.flags)
        if parsed.state.flags & re.IGNORECASE:
            return None
        ranges, can_be_empty = _first(parsed.data)
    except _NOT_READ:
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


def for_characters(pattern: re.Pattern[str], characters: str) -> re.Pattern[str] | None:
    """`pattern` for a text made of `characters` alone: None if no such text holds a match.

    Otherwise the pattern with only the alternatives such a text can match, in their order,
    so that in such a text its `search` finds what `pattern.search` finds (the same span): an
    alternative left out has no match there, and `re` tries the rest as before. A pattern
    with groups or flags is kept whole or not at all, one the walk does not read as it is.
    Each alternative is judged by the characters a match of it must hold, its look-aheads'
    and look-behinds' included; what it must not hold (a negative look-around) is not read.
    """
    if sre_parse is None or not isinstance(pattern.pattern, str):
        return pattern
    if pattern.flags & re.IGNORECASE:
        return pattern
    whole = pattern.groups or pattern.flags & ~re.UNICODE
    sources = [pattern.pattern] if whole else _alternatives(pattern.pattern)
    allowed = frozenset(characters)
    try:
        kept = [
            source
            for source in sources
            if _can_match(sre_parse.parse(source, pattern.flags).data, allowed)
        ]
    except (*_NOT_READ, re.error):
        return pattern
    if not kept:
        return None
    if len(kept) == len(sources):
        return pattern
    return re.compile("|".join(kept), pattern.flags)


# The classes a parse tree names by category, as a pattern that reads one character.
_CATEGORIES: Final = (
    {}
    if sre is None
    else {
        sre.CATEGORY_DIGIT: re.compile(r"\d"),
        sre.CATEGORY_NOT_DIGIT: re.compile(r"\D"),
        sre.CATEGORY_SPACE: re.compile(r"\s"),
        sre.CATEGORY_NOT_SPACE: re.compile(r"\S"),
        sre.CATEGORY_WORD: re.compile(r"\w"),
        sre.CATEGORY_NOT_WORD: re.compile(r"\W"),
    }
)


def _can_match(items: Iterable[tuple[Any, Any]], allowed: frozenset[str]) -> bool:
    """Whether the sequence `items` can match a text whose characters are all `allowed`."""
    return all(_item_can_match(op, value, allowed) for op, value in items)


def _item_can_match(op: Any, value: Any, allowed: frozenset[str]) -> bool:
    if op is sre.LITERAL:
        return chr(value) in allowed
    if op is sre.NOT_LITERAL:
        return bool(allowed - {chr(value)})
    if op is sre.ANY:
        return bool(allowed)
    if op is sre.IN:
        return any(_in_class(value, char) for char in allowed)
    if op is sre.BRANCH:
        return any(_can_match(branch, allowed) for branch in value[1])
    if op is sre.SUBPATTERN:
        _group, add_flags, _del_flags, items = value
        if add_flags & re.IGNORECASE:
            raise _UnknownError
        return _can_match(items, allowed)
    if op in (sre.MAX_REPEAT, sre.MIN_REPEAT, sre.POSSESSIVE_REPEAT):
        least, _most, items = value
        return least == 0 or _can_match(items, allowed)
    if op is sre.ATOMIC_GROUP:
        return _can_match(value, allowed)
    if op is sre.ASSERT:
        # A look-ahead or look-behind that must match reads characters of the text too.
        _direction, items = value
        return _can_match(items, allowed)
    if op in (sre.ASSERT_NOT, sre.AT, sre.GROUPREF, sre.GROUPREF_EXISTS):
        # What must not follow, ^ and $, a group again: may hold in any text.
        return True
    raise _UnknownError


def _in_class(items: Iterable[tuple[Any, Any]], char: str) -> bool:
    """Whether the class `items` (a parse tree's IN) matches `char`."""
    negated = False
    found = False
    for op, value in items:
        if op is sre.NEGATE:
            negated = True
        elif op is sre.LITERAL:
            found = found or chr(value) == char
        elif op is sre.RANGE:
            found = found or value[0] <= ord(char) <= value[1]
        elif op is sre.CATEGORY and value in _CATEGORIES:
            found = found or _CATEGORIES[value].match(char) is not None
        else:
            raise _UnknownError
    return found != negated
