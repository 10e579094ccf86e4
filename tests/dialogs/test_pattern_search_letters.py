"""A word the text lacks a character of is not looked for in it.

`search` skips a pattern whose needed words are not in a long text, one `in` for each. When
the text's characters are in the word (「メール」 in 2,000 「メ」), `in` reads the whole text
for each of the reading's thousand words: 2,000 characters of katakana cost 3 ms more of a
turn than 2,000 of hiragana (attacker11, `python -m bench.long_messages`). The text's
characters are now compared first; what `search` finds is unchanged.
"""

from __future__ import annotations

import re

import pytest

from dialogs import pattern_search
from dialogs.pattern_search import holds_needed_words, search
from tests.dialogs.test_pattern_search import PATTERNS


class Text(str):
    """A text that notes each word looked for in it."""

    looked_for: list[str]

    def __contains__(self, word: str) -> bool:  # type: ignore[override]
        self.looked_for.append(word)
        return super().__contains__(word)


MAIL = re.compile(r"メール(?:が|は)?(?:送れ|届か)ない")


def test_a_word_with_a_character_the_text_lacks_is_not_looked_for() -> None:
    text = Text("メ" * 2000)
    text.looked_for = []
    assert not holds_needed_words(MAIL, text)
    assert text.looked_for == []


def test_a_word_whose_characters_are_all_there_still_is() -> None:
    text = Text("ルーメ" * 700)
    text.looked_for = []
    assert not holds_needed_words(MAIL, text)
    assert text.looked_for == ["メール"]
    assert holds_needed_words(MAIL, "メ" * 300 + "メールが送れない")


@pytest.mark.parametrize(
    "text",
    [
        "メ" * 2000,
        "ｱｲｳｴｵ" * 400,
        ("メールが送れないエラー" * 200)[:2000],
        ("メールメール" * 400)[:2000] + "メールが届かない",
        ("送信サーバー " * 300)[:2000],
    ],
)
def test_search_finds_what_re_finds(text: str) -> None:
    for pattern in PATTERNS:
        found, expected = search(pattern, text), pattern.search(text)
        assert (found and (found.span(), found.groups())) == (
            expected and (expected.span(), expected.groups())
        ), pattern.pattern


def test_only_a_few_texts_are_kept() -> None:
    for n in range(10):
        pattern_search._letters("あ" * 300 + str(n))
    assert pattern_search._letters.cache_info().currsize <= 4
