"""A message of emoji alone: 「😊」「🙇」「🙏🙏」 (channels).

Subscribers on phones bow, thank and smile with an emoji as they do with a sticker. Read as
words, each was 「うまく読み取れませんでした」, and three in a row handed the chat to a
person as three answers not understood. The signs that answer a question (👍 👌 🙆 ⭕ / 👎 🙅
❌) are read as answers before this (`dialogs.reading.answers`); what is left is courtesy,
or worry: 「🤔」「😢」「😭」「💦」, thanked for as 「😊」 is, read as cold to someone stuck
(channels3), so `worried` tells those apart for a word of help instead.
"""

from __future__ import annotations

import unicodedata
from typing import Final

# What an emoji is drawn from besides its symbol (So): a skin tone (Sk), the emoji
# presentation selector and the keycap's enclosing mark (Mn, Me), the zero-width joiner of a
# family or a profession (Cf). Letters, digits and punctuation are words.
_PARTS: Final = frozenset({"So", "Sk", "Mn", "Me", "Cf"})


def emoji_only(text: str) -> bool:
    """Whether `text` is one or more emoji (or other pictographic symbols) and nothing else."""
    drawn = "".join(text.split())
    categories = [unicodedata.category(character) for character in drawn]
    return "So" in categories and all(category in _PARTS for category in categories)


# Faces and signs of puzzlement, sadness, tears, sweat or alarm (the emoji's Unicode names:
# THINKING FACE, CRYING FACE, SPLASHING SWEAT SYMBOL, …) and a question mark or SOS drawn as
# emoji. 「🙇💦」 (a bow, sorry for the trouble) has a courtesy beside the sweat: not worry.
_WORRIED: Final = frozenset("🤔😢😭💦😰😥😓😨😱😖😣😞😔😟🥺😩😫🙁☹😕😵🤯😿❓❔🆘")


def worried(text: str) -> bool:
    """Whether `text` is emoji alone, each one a puzzled, sad or alarmed one (「🤔」「😭😭」)."""
    drawn = [c for c in "".join(text.split()) if unicodedata.category(c) == "So"]
    return emoji_only(text) and all(character in _WORRIED for character in drawn)
