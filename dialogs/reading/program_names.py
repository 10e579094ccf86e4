"""Mail programs named with typos, in any script: rapidfuzz in front of `mail_programs`.

`mail_programs.recognise_mail_program` knows the exact spellings (romaji, katakana,
hiragana, full width). People also type "thunderbrd", 「サンダバード」 or "outlok": each word
that is close enough to a known name is replaced by it, and the exact recogniser reads the
result, so both agree on what a name means.
"""

from __future__ import annotations

import re
from typing import Final, Literal

from rapidfuzz import fuzz, process

from dialogs.mail_programs import MailProgram, recognise_mail_program

# The names a typo is corrected to; each is one the exact recogniser knows.
_NAMES: Final = (
    "thunderbird",
    "outlook",
    "becky",
    "iphone",
    "android",
    "windows",
    "サンダーバード",
    "アウトルック",
    "ベッキー",
    "アイフォーン",
    "アンドロイド",
)
# Below this similarity (0-100) a word is left as typed: "thunder" is not Thunderbird's typo
# but "thunderbrd" (95) and "outlok" (92) are; "output" (62) is not Outlook.
_CUTOFF: Final = 82
_WORD: Final = re.compile(r"[a-z]{5,}|[\u30a1-\u30fc]{4,}")
_TO_KATAKANA: Final = str.maketrans({chr(c): chr(c + 0x60) for c in range(0x3041, 0x3097)})
# A program is named in a few words; a long message is a story or a pasted error, and
# reading every name in it would cost milliseconds for nothing.
_NAMING_LENGTH: Final = 200
_PHONE: Final = re.compile(
    r"スマホ|スマートフォン|携帯|ケータイ|けいたい|すまほ"
    r"|smart ?phone|\bphone\b|\bmobile\b|\bcell\b"
)

Recognised = MailProgram | Literal["outlook_ambiguous"]


def recognise_program(text: str) -> Recognised | None:
    """The program named in normalised `text`, typos forgiven; None when none or several."""
    if len(text) > _NAMING_LENGTH:
        return None
    exact = recognise_mail_program(text)
    if exact is not None:
        return exact
    corrected = _WORD.sub(_closest, text.translate(_TO_KATAKANA))
    return recognise_mail_program(corrected) if corrected != text else None


def names_a_phone(text: str) -> bool:
    """Whether `text` says "my phone" without which phone (iPhone or Android)."""
    if len(text) > _NAMING_LENGTH:
        return False
    return bool(_PHONE.search(text)) and recognise_program(text) is None


# Ordinary words a name's typo would otherwise claim: "phone" is 91 % "iphone".
_NOT_NAMES: Final = frozenset({"phone", "phones", "mobile", "smartphone", "windows"})


def _closest(match: re.Match[str]) -> str:
    word = match.group(0)
    if word in _NOT_NAMES:
        return word
    found = process.extractOne(word, _NAMES, scorer=fuzz.ratio, score_cutoff=_CUTOFF)
    return f" {found[0]} " if found else word
