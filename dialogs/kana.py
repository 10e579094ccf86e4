"""Hiragana and katakana as one script for matching: 「さんだーばーど」 meets 「サンダーバード」.

Phones offer a word in hiragana before its conversion, so the readers compare names and
programs in one script. jaconv's tables (already the romaji reader's library) do it, the
iteration marks 「ゝゞ」/「ヽヾ」 included, which the table written here before left as they
were.
"""

from __future__ import annotations

import jaconv


def katakana(text: str) -> str:
    """`text` with every hiragana letter as its katakana; anything else as it was."""
    converted: str = jaconv.hira2kata(text)
    return converted


def hiragana(text: str) -> str:
    """`text` with every katakana letter as its hiragana; anything else as it was."""
    converted: str = jaconv.kata2hira(text)
    return converted
