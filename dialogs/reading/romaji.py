"""Japanese typed in the alphabet: 'hai, sou desu', 'iie chigaimasu', 'tantousha to hanashitai'.

Some subscribers type Japanese in romaji (a keyboard without a Japanese input method, a
phone set to English, a Japanese speaker abroad). Each word is turned into hiragana with
jaconv's romaji table (a kept library, not a table of our own), and the message is read
again as the Japanese it spells, so every Japanese reading (answers, problems, a person
asked for) holds for it too. Only a message whose every word spells kana is read so:
'outlook desu' or "I think no" are English, or a name, and stay as they were typed.
"""

from __future__ import annotations

import re
from typing import Final

import jaconv

# A word in the alphabet, with the marks romaji uses inside one: 「tanto-sha」 (a long vowel),
# 「sen'en」 (ん before a vowel).
_WORD: Final = re.compile(r"[a-z][a-z'\-]*")
# What may stand between the words: spaces and punctuation, nothing else (no digit, no @,
# no kana: those messages are not romaji alone).
_ROMAJI_MESSAGE: Final = re.compile(r"[a-z'\-\s,.!?…~]+")
_MARKS: Final = str.maketrans({",": "、", ".": "。", "?": "？", "!": "！"})
# A word made of romaji syllables only, Hepburn or as typed into an input method (「si」
# 「tu」): jaconv turns stray consonants into 「っ」 ('outlook', 'think'), so a word is
# checked before it is converted. A doubled consonant (「matte」「tcha」), a syllable (an
# onset, maybe with y, and a vowel), 「n」 before a consonant or at the end, a long-vowel dash.
_ROMAJI_WORD: Final = re.compile(
    r"(?:(?:([kgsztdhbpmrfjc])(?=\1)|t(?=ch))?"
    r"(?:[kgsztdnhbpmr]y|sh|ch|ts|[kgsztdnhbpmrywfjv])?[aiueo]"
    r"|n'|n(?![aiueoy])|-)+"
)
_LATIN: Final = re.compile(r"[a-z]")
_N_BEFORE_N: Final = re.compile(r"n(?=n[aiueoy])")
# 「yamada.taro」, 「vp.117」: a dot between letters joins an address's or a host's parts.
_DOT_INSIDE: Final = re.compile(r"[a-z]\.[a-z]")


# Names typed among romaji as they are spelt in English, which spell no kana: the programs,
# devices and services a subscriber names (`in_kana(names=True)`).
_NAMES: Final = frozenset(
    {
        "iphone", "ipad", "outlook", "gmail", "thunderbird", "becky", "windows", "mac",
        "macbook", "android", "yahoo", "icloud", "apple", "pc", "wifi", "wi-fi", "lan",
        "smtp", "pop", "imap", "webmail", "web", "chrome", "edge", "safari", "ocn",
        "docomo", "softbank", "galaxy", "xperia", "pixel",
    }
)  # fmt: skip
# The English "I", a word that spells kana (「い」) but is no romaji word on its own.
_ENGLISH_I: Final = "i"
# An English greeting before romaji: 'hello, meeru ga okurenai', 'hi, tasukete kudasai' (its
# 「ひ、」 left the rest unread).
_GREETING: Final = re.compile(
    r"^\s*(?:hello|hey|hi(?: there)?|good (?:morning|evening))\b[,.!\s]*(?=\S)"
)
# Loanwords as romaji spells their long vowels ('meeru', jaconv's 「めえる」), in the kana
# the readers know (「めーる」, as kana-only typing writes them); each word whole.
_LOANWORDS: Final = {
    "meeru": "めーる", "meru": "めーる", "me-ru": "めーる", "meiru": "めーる",
    "saabaa": "さーばー", "saaba": "さーばー", "sabaa": "さーばー", "saba": "さーばー",
    "pasuwaado": "ぱすわーど", "pasuwado": "ぱすわーど", "pasuwa-do": "ぱすわーど",
    "eraa": "えらー", "era": "えらー", "era-": "えらー", "adoresu": "あどれす",
}  # fmt: skip


def _spelt(words: list[str]) -> dict[str, str] | None:
    """Each distinct word of `words` in kana; None if one spells none."""
    distinct = list(dict.fromkeys(words))
    if not all(_ROMAJI_WORD.fullmatch(word) for word in distinct):
        return None
    # One call of jaconv for all of them: about 300 replacements a call, and 'a ' 1,000 times
    # was 1,000 calls (8 ms). Its replacements are of letters within a word, never of a space,
    # so the words spelt between spaces are the words spelt alone. 「konnichiwa」: jaconv
    # reads 「nn」 as ん before a vowel too (「こんいちわ」), so the second n is kept for the
    # syllable, as an input method does.
    typed = " ".join(_N_BEFORE_N.sub("n'", word).replace("-", "ー") for word in distinct)
    spelt = jaconv.alphabet2kana(typed).split(" ")
    if len(spelt) != len(distinct) or any(_LATIN.search(kana) for kana in spelt):
        return None
    return {word: _LOANWORDS.get(word, kana) for word, kana in zip(distinct, spelt, strict=True)}


def in_kana(text: str, *, names: bool = False) -> str | None:
    """Normalised `text` in hiragana when it is romaji throughout, else None.

    'hai, sou desu' gives 「はい、そうです」; words are joined without spaces, as Japanese
    is written. None for anything with a word that spells no kana ('think', 'outlook'), a
    digit, a dot inside a word ('yamada.taro', a host) or any other script.
    `names`: a mail program's or device's name among the words ('iPhone no meeru ga
    mirenai') is kept as typed, as Japanese writes it among kana, and an English greeting
    opening the message ('hello, meeru ga okurenai') is left out; at least one word must
    still spell kana. Not for the password masking, which asks of a token alone.
    """
    if names:
        text = _GREETING.sub("", text)
    if not _ROMAJI_MESSAGE.fullmatch(text) or not _WORD.search(text) or _DOT_INSIDE.search(text):
        return None
    words = _WORD.findall(text)
    kept = {word for word in words if word in _NAMES} if names else set()
    if len(kept) == len(set(words)) or (kept and _ENGLISH_I in words):
        # 'I use Outlook', 'I use Gmail on iPhone': English around a name, its 'i', 'use'
        # and 'on' spelling 「いうせ」「おん」 (the chat kept Japanese for it).
        return None
    spelt = _spelt([word for word in words if word not in kept])
    if spelt is None:
        return None
    spelt |= {name: f" {name} " for name in kept}
    joined = _WORD.sub(lambda word: spelt[word.group()], text)
    return _spaces_between_kana(joined).translate(_MARKS).strip()


def _spaces_between_kana(joined: str) -> str:
    # Spaces go, as Japanese is written, but a name keeps one either side from another
    # name ('gmail outlook').
    return re.sub(r"(?<![a-z])\s+|\s+(?![a-z])", "", joined)
