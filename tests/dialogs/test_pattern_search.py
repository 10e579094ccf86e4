"""`pattern_search.search` finds what `re` finds, trying a pattern only where it can match.

Every pattern of the reading, on the labelled corpus and on long built messages, gives the
same match (span and groups) as `pattern.search`, by the way long texts are searched (the
corpus's short ones too); patterns the walk cannot read are searched as they are.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest
from hypothesis import given
from hypothesis import strategies as st

import dialogs.reading.answers
import dialogs.reading.problems
import dialogs.reading.program_names
import dialogs.reading.small_talk
import dialogs.reading.stage_reading
import dialogs.understanding
from dialogs.pattern_search import SHORT, TRIES, _beginnings, _needs, _plan, _search_long, search
from testbed.utterances import load_corpus

MODULES = (
    dialogs.understanding,
    dialogs.reading.answers,
    dialogs.reading.problems,
    dialogs.reading.program_names,
    dialogs.reading.small_talk,
    dialogs.reading.stage_reading,
)


def _patterns(value: object, depth: int = 0) -> Iterator[re.Pattern[str]]:
    if isinstance(value, re.Pattern) and isinstance(value.pattern, str):
        yield value
    elif isinstance(value, tuple | list) and depth < 3:
        for item in value:
            yield from _patterns(item, depth + 1)
    elif isinstance(value, dict) and depth < 3:
        for item in value.values():
            yield from _patterns(item, depth + 1)


PATTERNS = list(
    {id(p): p for module in MODULES for v in vars(module).values() for p in _patterns(v)}.values()
)
LONG = [
    "a" * 2000,
    "あ" * 2000,
    "ない" * 1000,
    "パスワード " * 400,
    "0x800ccc " * 222,
    "送信サーバー " * 285,
    "taro@" * 400,
    ("昨日から急にメールが送れなくなってしまい、受信はできるのですが、" * 40)[:2000],
    "x" * 1500 + "メールが送れません。0x800ccc0f 535 5.7.8 authentication failed",
]


def _same(pattern: re.Pattern[str], text: str) -> None:
    ours, theirs = _search_long(pattern, text, 0), pattern.search(text)
    assert (ours and (ours.span(), ours.groups())) == (theirs and (theirs.span(), theirs.groups()))


def test_the_reading_has_patterns_to_check() -> None:
    assert len(PATTERNS) > 150
    # Most are read: their first characters, or words they need, or their alternatives.
    read = [p for p in PATTERNS if _beginnings(p) or _needs(p) or _plan(p)]
    assert len(read) > len(PATTERNS) * 3 // 4


def test_a_short_text_is_left_to_re() -> None:
    pattern = re.compile(r"受信|送信")
    text = "x" * (SHORT - 3) + "送信"
    found = search(pattern, text)
    assert found is not None
    assert found.re is pattern


@pytest.mark.parametrize(
    ("source", "needs"),
    [
        (r"受信(?:が|は)?(?:でき|出来)ない", (("受信",), ("でき", "出来"), ("ない",))),
        (r"(?:メール|めーる)が\s*おくれ", (("めーる", "メール"), ("が",), ("おくれ",))),
        (r"a+b?c{2,}", (("a",), ("c",))),
        (r"x|(?:y|z)w", (("w", "x"),)),  # y or z: a class, no word
        (r"x|\d", ()),  # an alternative that needs no word: none is needed
        (r"(?i)abc", ()),  # case folded: a plain `in` cannot tell
    ],
)
def test_the_words_a_pattern_needs_are_read_from_it(
    source: str, needs: tuple[tuple[str, ...], ...]
) -> None:
    assert _needs(re.compile(source)) == needs


def test_alternatives_are_cut_outside_groups_and_classes() -> None:
    plan = _plan(re.compile(r"a(?:b|c)|[|]d|\|e|f"))
    assert plan is not None
    assert [p.pattern for p in plan] == ["a(?:b|c)", "[|]d", "\\|e", "f"]
    assert _plan(re.compile(r"(a)|b")) is None  # a group: numbered differently alone
    assert _plan(re.compile(r"a|b", re.IGNORECASE)) is None


@pytest.mark.parametrize("text", LONG, ids=range(len(LONG)))
def test_long_messages_match_as_re_matches_them(text: str) -> None:
    for pattern in PATTERNS:
        _same(pattern, text)


def test_the_corpus_matches_as_re_matches_it() -> None:
    texts = [u.text.casefold() for u in load_corpus()]
    for pattern in PATTERNS:
        for text in texts[::7]:
            _same(pattern, text)


@pytest.mark.parametrize(
    ("source", "beginnings"),
    [
        (r"(?<=x)a|b[cd]", "ab"),  # a look-behind matches no character
        (r"x?y*z", "xyz"),  # optional beginnings, then the first that must be there
        (r"(?:メール|めーる)が", "めメ"),
        (r"^(?!.*no)(?:yes|ok)", "oy"),
        (r"[0-9a-c]x", "0123456789abc"),
    ],
)
def test_the_first_characters_are_read_from_the_pattern(source: str, beginnings: str) -> None:
    found = _beginnings(re.compile(source))
    assert found is not None
    assert {c for c in map(chr, range(0x3100)) if found.fullmatch(c)} == set(beginnings)


@pytest.mark.parametrize(
    "source",
    [r"a?", r"\sa", r"[^a]b", r".x", r"(a)?(?(1)b|c)", r"(?i)abc", r"(?i:a)b", r"x|"],
)
def test_what_the_walk_does_not_read_is_searched_as_it_is(source: str) -> None:
    assert _beginnings(re.compile(source)) is None
    _same(re.compile(source), "zz ab Abc xx")


@given(
    st.sampled_from([r"(?<=[a-z])b|c", r"(?:ab|ac)d?", r"\bcat\b|dog", r"^a|b$", r"ba(?=c)"]),
    st.text(alphabet="abcd tog", max_size=3 * TRIES),
)
def test_any_text_matches_as_re_matches_it(source: str, text: str) -> None:
    _same(re.compile(source), text)


def test_past_its_tries_the_rest_is_left_to_re() -> None:
    pattern = re.compile(r"ab")
    text = "a" * (TRIES * 3) + "ab"
    found = _search_long(pattern, text, 0)
    assert found is not None
    assert found.span() == (TRIES * 3, TRIES * 3 + 2)
