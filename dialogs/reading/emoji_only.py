"""A message of emoji alone: 「😊」「🙇」「🙏🙏」 (channels).

Subscribers on phones bow, thank and smile with an emoji as they do with a sticker. Read as
words, each was 「うまく読み取れませんでした」, and three in a row handed the chat to a
person as three answers not understood. The signs that answer a question (👍 👌 🙆 ⭕ / 👎 🙅
❌) are read as answers before this (`dialogs.reading.answers`); what is left is courtesy.
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
