"""Hiragana and katakana as one script for matching: 「さんだーばーど」 meets 「サンダーバード」.

Phones offer a word in hiragana before its conversion, so the readers compare names and
programs in one script. The two blocks sit 0x60 code points apart, letter for letter.
"""

from __future__ import annotations

from typing import Final

# ぁ (U+3041) to ゖ (U+3096), and their katakana ァ (U+30A1) to ヶ (U+30F6).
_HIRAGANA: Final = range(0x3041, 0x3097)
_KANA_DISTANCE: Final = 0x60
_TO_KATAKANA: Final = str.maketrans({chr(c): chr(c + _KANA_DISTANCE) for c in _HIRAGANA})
_TO_HIRAGANA: Final = str.maketrans({chr(c + _KANA_DISTANCE): chr(c) for c in _HIRAGANA})


def katakana(text: str) -> str:
    """`text` with every hiragana letter as its katakana; anything else as it was."""
    return text.translate(_TO_KATAKANA)


def hiragana(text: str) -> str:
    """`text` with every katakana letter as its hiragana; anything else as it was."""
    return text.translate(_TO_HIRAGANA)
