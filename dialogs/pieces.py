"""A sentence sent in pieces, a message each: 「メールが」「見れない」「きのうから」.

Older subscribers on LINE press send after every few words. A piece the dialog cannot read
alone, and that is plainly unfinished, is kept (`DialogState.fragment`) and read joined with
the next message, instead of being answered 「うまく読み取れませんでした」 once per piece.
"""

from __future__ import annotations

import re
from typing import Final

from dialogs.reading.morphemes import Analyser

# The most a kept piece (the pieces so far, joined) may hold: beyond it, it is a message the
# dialog did not understand, not a sentence still being typed.
FRAGMENT_LENGTH: Final = 24
# English pieces: a few words with no full stop, one of them a word that only starts a
# sentence or carries it on ('my email', 'since yesterday'): 「zzqx」 is not half a sentence.
_ENGLISH_WORDS: Final = 3
_ENGLISH_OPENINGS: Final = frozenset(
    {
        "i", "my", "our", "the", "a", "an", "since", "from", "when", "and", "but",
        "because", "to", "with", "of", "in", "on", "at", "for", "it", "is", "not",
        "cannot", "can't", "yesterday", "email", "mail", "e-mail",
    }
)  # fmt: skip
# Words that close an English sentence, never carry it on: 'not really', 'hmm not much', 'not
# yet' are said in full. Kept as a piece for their "not", 'not really' at a question was
# answered "Yes, please go on." and nothing else, a no heard as a yes (words30).
_ENGLISH_CLOSINGS: Final = frozenset(
    {
        "really", "much", "often", "sure", "yet", "anymore", "either", "exactly", "quite",
        "all", "ever", "lot", "thanks", "please", "sorry", "too", "though", "indeed",
    }
)  # fmt: skip
# Without the analyser: a Japanese piece ending in a particle, or in the て of a sentence
# going on (「わからなくて」).
_OPEN_ENDING: Final = re.compile(
    r"(?:が|を|に|で|は|の|から|も|と|へ|まで|より|けど|ので|て|って|、)$"
)
# 「パソコンは苦手なのですが」「手紙が来たんですけど」: a sentence ended politely on 「が」「けど」,
# as Japanese leaves a request or a story for the listener to take up. It is finished: kept as
# a piece, it was answered 「はい。続きをどうぞ。」 with no question, and the subscriber, who had
# said all they meant, waited (subscriber16).
_SOFTENED_ENDING: Final = re.compile(
    r"(?:の|ん)(?:です|でした|だ|でございます)?(?:が|けど|けれど(?:も)?)$"
)
_LATIN: Final = re.compile(r"[A-Za-z][A-Za-z' ]*")
# Letters and digits in one token: a password perhaps, or an account (「sakura2008」 after
# 「暗証番号は」). Such a piece is never kept in the stored state: it is answered as before.
_LETTERS_AND_DIGITS: Final = re.compile(r"(?=[!-~]*[0-9])(?=[!-~]*[A-Za-z])[!-~]+")
_ASCII_LETTER: Final = re.compile(r"[A-Za-z]")
# A number alone (「2019」「2019年版」, an Outlook's year; a count): an answer, finished. Kept as a
# piece, 「2019」 after 「Outlookを使っています」 was 「はい。続きをどうぞ。」 and no question
# (subscriber18).
_NUMBER_ALONE: Final = re.compile(r"[0-9０-９]+\s*(?:年版|年|版|バージョン)?\s*(?:です)?")
_PREDICATES: Final = frozenset({"動詞", "形容詞", "助動詞", "形状詞"})
_NOUNS: Final = frozenset({"名詞", "代名詞"})
# Particles that end a sentence (「ね」「よ」「か」): the sentence is finished, whatever it says.
_FINAL_PARTICLE: Final = "終助詞"


def is_fragment(text: str, analyser: Analyser | None) -> bool:
    """Whether `text` (a message the dialog could not read) is a sentence left unfinished.

    Short, and ending in a particle (「メールが」「きのうから」) or with no predicate in it
    (「メールの設定」); in English, a few words without a full stop ('my email').
    """
    words = text.strip().rstrip("　")
    if not words or len(words) > FRAGMENT_LENGTH or words[-1] in "。.!！?？":
        return False
    if (
        _LETTERS_AND_DIGITS.search(words)
        or _SOFTENED_ENDING.search(words)
        or _NUMBER_ALONE.fullmatch(words)
    ):
        return False
    if _LATIN.fullmatch(words):
        latin = words.lower().split()
        return (
            len(latin) <= _ENGLISH_WORDS
            and not _ENGLISH_OPENINGS.isdisjoint(latin)
            and latin[-1] not in _ENGLISH_CLOSINGS
        )
    if _ASCII_LETTER.search(words):
        # 「私の名前はtaro、」「taro:」: an account name, whose next message is read and kept
        # as typed (`dialogs.redaction`); joined to it, an answer would be masked as its
        # password.
        return False
    if analyser is None:
        return _OPEN_ENDING.search(words) is not None
    morphemes = [m for m in analyser(words) if m.pos not in ("補助記号", "空白")]
    if not morphemes:
        return False
    last = morphemes[-1]
    if last.pos == "助詞":
        return last.subpos != _FINAL_PARTICLE
    # No predicate, and ending in a noun (「メールの設定」): an exclamation (「ほげ」) or a
    # word the analyser does not know is no sentence begun.
    return last.pos in _NOUNS and not any(m.pos in _PREDICATES for m in morphemes)


def joined(fragment: str, text: str) -> str:
    """The kept piece and the next message as one sentence: a space between Latin words."""
    if fragment[-1:].isascii() and fragment[-1:].isalnum() and text[:1].isascii():
        return f"{fragment} {text}"
    return fragment + text
