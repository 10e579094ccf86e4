"""`pattern_search.for_characters`: a pattern cut to what a text of some characters can match.

In a text made only of those characters the cut pattern finds what the pattern finds (the
same span), for every pattern of the reading; an alternative is left out only when a match
of it must hold a character the text cannot have.
"""

from __future__ import annotations

import re
import string

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from dialogs.pattern_search import for_characters
from tests.dialogs.test_pattern_search import PATTERNS

ADDRESS = string.ascii_lowercase + string.digits + "._%+-@"
TEXTS = [
    "taro5@vp.117.ne.jp",
    "yes",
    "535",
    "550@vp.117.ne.jp",
    "a@5.1.1.jp",
    "0x800ccc0f",
    "800ccc0e@vp.117.ne.jp",
    "taro@gmail.com",
    "smtp.vp.117.ne.jp",
    "in-use",
    "5.7.8",
]


def _same(pattern: re.Pattern[str], cut: re.Pattern[str] | None, text: str) -> None:
    theirs = pattern.search(text)
    ours = cut.search(text) if cut is not None else None
    assert (ours and ours.span()) == (theirs and theirs.span()), (pattern.pattern, text)


@pytest.mark.parametrize(
    ("source", "kept"),
    [
        (r"送信|smtp|送れない", "smtp"),  # the kana alternatives need a kana
        (r"can't send|535|cannot", "535|cannot"),  # an apostrophe: none in an address
        (r"i can|[0-9]+", "[0-9]+"),  # nor a space
        (r"a(?=b)|c(?=い)|d", "a(?=b)|d"),  # what must follow is read
        (r"(?<=メール)x|y", "y"),  # and what must come before
        (r"(?<!メール)x|y", None),  # what must not is not: any alternative may match
        (r"[a-c]x|[^a-z]y|\dz|\sw|.v", r"[a-c]x|[^a-z]y|\dz|.v"),
        (r"\Dq|[\W]r", r"\Dq|[\W]r"),  # "." and "@" are neither digits nor word characters
        (r"(?:い)?c|い+", r"(?:い)?c"),  # a repeat that may be absent needs nothing
        (r"(?:あ|b)c|(?:あ|い)c", "(?:あ|b)c"),
    ],
)
def test_only_what_a_text_of_the_characters_can_match_is_kept(
    source: str, kept: str | None
) -> None:
    cut = for_characters(re.compile(source), ADDRESS)
    assert cut is not None
    assert cut.pattern == (source if kept is None else kept)


def test_a_pattern_no_such_text_can_match_is_none() -> None:
    assert for_characters(re.compile(r"送信|受信(?:が|は)?できない|can't"), ADDRESS) is None
    assert for_characters(re.compile(r"a b"), ADDRESS) is None


@pytest.mark.parametrize("source", [r"(x)|送信", r"(?i)x|送信", r"(?i:x)|送信", r"(?s)x|送信"])
def test_groups_and_flags_keep_a_pattern_whole(source: str) -> None:
    # Alone, an alternative would number its groups or read its case otherwise.
    pattern = re.compile(source)
    assert for_characters(pattern, ADDRESS) is pattern


def test_a_pattern_with_groups_no_such_text_can_match_is_none() -> None:
    assert for_characters(re.compile(r"(送信)|(受信)"), ADDRESS) is None


# Every pattern of the reading and what of it a text of an address's characters can match.
CUTS = [(pattern, for_characters(pattern, ADDRESS)) for pattern in PATTERNS]


def test_most_patterns_of_the_reading_are_cut() -> None:
    assert sum(cut is not pattern for pattern, cut in CUTS) > len(CUTS) // 2


def test_every_pattern_of_the_reading_finds_what_it_finds_in_such_texts() -> None:
    for pattern, cut in CUTS:
        for text in TEXTS:
            _same(pattern, cut, text)


@settings(max_examples=60, deadline=None)
@given(st.text(alphabet=ADDRESS, max_size=24))
def test_any_text_of_the_characters_matches_as_re_matches_it(text: str) -> None:
    for pattern, cut in CUTS:
        _same(pattern, cut, text)
