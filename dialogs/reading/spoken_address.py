"""An address dictated in words, as people read one out: 「taro あっと ぶいぴー どっと …」.

Elderly subscribers often type the address as they would say it on the telephone: the marks
as words (「あっと」「アットマーク」「どっと」「ドット」「ハイフン」「アンダーバー」, "at", "dot"),
the letters by their names (「ブイピー」「エヌイー」「ジェーピー」), the digits as numbers
(「いちいちなな」), in hiragana, katakana or full width, with spaces and a 「の」 between the
pieces. Where every piece is one of those or letters and digits typed as such, the address
is put together; where the part before the @ has two words with nothing between them
(「taro yamada あっと …」), whether a dot, an underscore or nothing joins them cannot be known,
and the caller asks (it was read as `yamada@…`). A name in kana (「たなか」) is no spelling:
nothing is guessed.
"""

from __future__ import annotations

import re
from typing import Final

from dialogs.kana import hiragana

_AT: Final = frozenset({"あっと", "あっとまーく", "at", "atmark", "@"})
_DOT: Final = frozenset({"どっと", "ぴりおど", "てん", "dot", "period", "."})
_HYPHEN: Final = frozenset({"はいふん", "まいなす", "hyphen", "dash", "minus", "-"})
_UNDERSCORE: Final = frozenset(
    {"あんだーばー", "あんだーすこあ", "あんだーらいん", "underscore", "underbar", "_"}
)
_MARKS: Final[dict[str, str]] = {
    **dict.fromkeys(_AT, "@"),
    **dict.fromkeys(_DOT, "."),
    **dict.fromkeys(_HYPHEN, "-"),
    **dict.fromkeys(_UNDERSCORE, "_"),
}
# The letters' names and the digits as they are read, in hiragana (katakana is folded).
_NAMES: Final[dict[str, str]] = {
    "えー": "a", "えい": "a", "びー": "b", "しー": "c", "でぃー": "d", "でー": "d",
    "いー": "e", "えふ": "f", "じー": "g", "えいち": "h", "えっち": "h", "あい": "i",
    "じぇー": "j", "じぇい": "j", "けー": "k", "けい": "k", "える": "l", "えむ": "m",
    "えぬ": "n", "おー": "o", "ぴー": "p", "きゅー": "q", "あーる": "r", "えす": "s",
    "てぃー": "t", "ゆー": "u", "ぶい": "v", "ゔぃ": "v", "ゔぃー": "v", "だぶりゅー": "w",
    "だぶる": "w", "えっくす": "x", "わい": "y", "ぜっと": "z", "ずぃー": "z",
    "ぜろ": "0", "れい": "0", "まる": "0", "いち": "1", "に": "2", "さん": "3", "よん": "4",
    "ご": "5", "ろく": "6", "なな": "7", "しち": "7", "はち": "8", "きゅう": "9",
}  # fmt: skip
# `normalise` folds the small vowels (「じぇー」 is read 「じえー」): both spellings are names.
_FOLD: Final = str.maketrans("ぁぃぅぇぉ", "あいうえお")
_READINGS: Final[dict[str, str]] = {
    **_NAMES,
    **{name.translate(_FOLD): letter for name, letter in _NAMES.items()},
}
_LONGEST_NAME: Final = max(len(name) for name in _READINGS)
# What may stand before or after the address: 「アドレスは」「です」, "my address is".
_LEAD_IN: Final = re.compile(
    r"^(?:(?:めーる)?あどれす(?:は|:)|(?:my )?(?:e-?mail |mail )?(?:address )?is |it'?s |it is )\s*"
)
# Read on text whose ends are stripped first: no run of spaces for the pattern to share.
_TAIL: Final = re.compile(r"(?:です|でした|だよ|になります)?[。.!！]?$")
# An address read out is a few dozen words: a longer message is a story or a paste.
_LONGEST: Final = 400
_PIECE: Final = re.compile(r"[a-z0-9]+|[@._\-]|[ぁ-ゖー]+|\S")
_LOCAL: Final = re.compile(r"[a-z0-9](?:[a-z0-9._\-]*[a-z0-9])?")
_DOMAIN: Final = re.compile(
    r"[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?(?:\.[a-z0-9](?:[a-z0-9\-]*[a-z0-9])?)+"
)


def dictated_address(text: str) -> str | None:
    """The address normalised `text` reads out, or None if it is not one read out in words.

    Only a message with at least one mark said as a word (an address typed with its marks
    is read as it always was). The part before the @ keeps a space where two words stood
    side by side with no mark between them: the caller asks how they are joined.
    """
    if len(text) > _LONGEST:
        return None
    words = _TAIL.sub("", _LEAD_IN.sub("", hiragana(text).strip()).rstrip()).rstrip()
    pieces = _PIECE.findall(words)
    if not any(piece in _MARKS and len(piece) > 1 for piece in pieces):
        return None
    spelt: list[str] = []
    for piece in pieces:
        if piece == "の":
            continue  # 「やまだ の あっと …」: a particle between the pieces
        if piece in _MARKS:
            spelt.append(_MARKS[piece])
        elif piece.isascii() and piece.isalnum():
            # Two words side by side: kept apart, for the caller to ask about.
            if spelt and spelt[-1][-1:].isalnum():
                spelt.append(" ")
            spelt.append(piece)
        else:
            letters = _read_names(piece)
            if letters is None:
                return None
            spelt.append(letters)
    local, at, domain = "".join(spelt).partition("@")
    if not at or not _DOMAIN.fullmatch(domain):
        return None
    if not all(_LOCAL.fullmatch(word) for word in local.split(" ")):
        return None
    return f"{local}@{domain}"


def dictated_host(text: str) -> str | None:
    """The server name normalised `text` reads out (「ぶいえす てん いちいちなな …」), or None.

    As an address, with its dots said as words, and without the spaces too
    (「ぶいえすてんいちいちななてんえぬいーてんじぇーぴー」, as voice input writes it): there a
    dot's word inside a run of names is read as the dot. Only a name of two labels or more, of
    names and marks alone; anything else is no server read out.
    """
    if len(text) > _LONGEST:
        return None
    words = _TAIL.sub("", _HOST_LEAD_IN.sub("", hiragana(text).strip())).rstrip()
    spelt: list[str] = []
    said_a_dot = False
    for piece in _PIECE.findall(words):
        if piece == "の":
            continue
        if piece in _DOT and len(piece) > 1:
            spelt.append(".")
            said_a_dot = True
        elif piece.isascii() and (piece.isalnum() or piece in "-."):
            spelt.append(piece)
        else:
            letters = _read_names(piece, _HOST_READINGS)
            if letters is None:
                return None
            said_a_dot = said_a_dot or "." in letters
            spelt.append(letters)
    host = "".join(spelt)
    if not said_a_dot or not _DOMAIN.fullmatch(host) or not re.search(r"[a-z]", host):
        return None
    return host


# A server's first label spelt by its letters' names, alone with an ending: 「ぶいえすです」
# 「ぶいえすえむてぃーぴーだとおもう」, as voice input writes 'vs' and 'vsmtp'.
_SPELT_LABEL: Final = re.compile(
    r"(?P<names>[ぁ-ゖー]+?)\s*(?P<tail>です|でした|だよ|のまま(?:です)?|だと(?:おも|思)(?:います|う)"
    r"|だった(?:かな|と(?:おも|思)います)?|かな)?[。.!！]?"
)


def spelt_label(text: str) -> tuple[str, str] | None:
    """The letters normalised `text` spells by their names, and the ending after them.

    「ぶいえすです」 → ("vs", "です"). Two letters or more, one of them not a digit; anything but
    names and an ending is no label spelt.
    """
    if len(text) > _LONGEST:
        return None
    spelt = _SPELT_LABEL.fullmatch(hiragana(text).strip())
    if spelt is None:
        return None
    letters = _read_names(spelt.group("names"))
    if letters is None or len(letters) < 2 or not re.search(r"[a-z]", letters):
        return None
    return letters, spelt.group("tail") or ""


# 「そうしんさーばーは ぶいえす てん …」: the field named before the name read out
# (subscriber21: not understood). Normalised, 「そうしん」 is 「送信」.
_HOST_LEAD_IN: Final = re.compile(r"^(?:送信|smtp)?\s*さーば[ー]?\s*(?:めい|名)?\s*(?:は|:)\s*")
# A host's names and its dots' words, read in one run (「…てんえぬいー…」). Not 「てぃー」: the
# longest reading is tried first.
_HOST_READINGS: Final[dict[str, str]] = {
    **_READINGS,
    **{word: "." for word in _DOT if len(word) > 1 and not word.isascii()},
    # The words of the mail services' hosts: 「えすえむてぃーぴー てん じーめーる てん こむ」.
    "じーめーる": "gmail", "やふー": "yahoo", "こむ": "com",
}  # fmt: skip


def _read_names(kana: str, readings: dict[str, str] = _READINGS) -> str | None:
    """「ぶいぴー」 → "vp", 「いちいちなな」 → "117": the whole run as names, or None."""
    read = ""
    at = 0
    while at < len(kana):
        for size in range(min(_LONGEST_NAME, len(kana) - at), 0, -1):
            letter = readings.get(kana[at : at + size])
            if letter is not None:
                read += letter
                at += size
                break
        else:
            return None
    return read
