"""A sticker that shows a yes or no sign, read as the sign typed.

A 👍 sticker was answered as a picture (「画像や音声…は読み取れません。エラーの文章を…」),
where 👍 typed answers a yes/no question (said back, so it can be undone) and elsewhere gets
a short acknowledgement. Telegram names a sticker's emoji; LINE gives keywords (up to 15, in
English, picked at random when a sticker has more). Any other sticker is still a picture.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Final

from dialogs.reading.answers import is_answer_sign

# A skin tone, a variation selector or a gendered form after a sign is the same sign.
_MODIFIERS: Final = re.compile("[\U0001f3fb-\U0001f3ff\ufe0f\u200d\u2640\u2642]")
# LINE's keywords for a thumbs-up or an OK, and for a thumbs-down or a no; a sticker whose
# keywords say both is neither.
_YES_KEYWORDS: Final = re.compile(
    r"thumbs? ?up|\bok(?:ay)?\b|\bgood\b|\blike\b|\byes\b|\bagree\b|\broger\b|\bgot it\b"
    r"|了解|りょうかい|オッケー|いいね|グッド",
    re.IGNORECASE,
)
_NO_KEYWORDS: Final = re.compile(
    r"thumbs? ?down|\bno\b|\bnope\b|\bng\b|\bbad\b|\bdislike\b|だめ|ダメ|ばつ|バツ", re.IGNORECASE
)


def sign_of_emoji(emoji: object) -> str | None:
    """The answer sign a Telegram sticker's emoji is (「👍🏻」 is 👍), or None.

    Any value is taken: a malformed update's field may be anything.
    """
    if not isinstance(emoji, str) or not emoji:
        return None
    bare = _MODIFIERS.sub("", emoji).strip()
    # Only a sign the dialog reads alone as an answer (dialogs.reading.answers) is one here.
    return bare if bare and is_answer_sign(bare) else None


def sign_of_keywords(keywords: object) -> str | None:
    """👍 or 👎 for a LINE sticker whose keywords say one of them (and not the other).

    Any value is taken: an event the SDK could not model may carry anything there.
    """
    if not isinstance(keywords, Iterable) or isinstance(keywords, str | bytes):
        return None
    words = [word for word in keywords if isinstance(word, str)]
    yes = any(_YES_KEYWORDS.search(word) for word in words)
    no = any(_NO_KEYWORDS.search(word) for word in words)
    if yes == no:
        return None
    return "👍" if yes else "👎"
