"""Words as a morphological analyser cuts them, and the predicates they make.

The analyser itself (SudachiPy with its core dictionary) reads a 70 MB dictionary from
disk, so it is created by the runtime (`bot/japanese_analyser.py`) and handed to the dialog
as an `Analyser`: calling it is a pure function from a string to its morphemes, and the
dialog never imports it. Without one, reading falls back to its regular expressions alone.

What the analyser adds is conjugation and negation that patterns cannot enumerate:
「使用しておりません」 is 使用する + ておる + ます + ぬ, negated, and 「問題ない」 is a noun and
the adjective ない, negating no verb at all.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Final, Protocol


@dataclass(frozen=True, slots=True)
class Morpheme:
    """One word: as written, its dictionary form, and its part of speech (three levels)."""

    surface: str
    lemma: str
    pos: str  # 動詞, 助動詞, 名詞, 形容詞, 助詞...
    subpos: str = ""  # 一般, 非自立可能, 接続助詞...
    # 一般, サ変可能, 形状詞可能, 副詞可能…: a common noun that names a thing (「桜」) is 一般,
    # one that also makes a predicate (「不明」「変更」「以前」) is not (`dialogs.redaction`).
    kind: str = ""


class Analyser(Protocol):
    """A morphological analyser: a pure function from text to its morphemes."""

    def __call__(self, text: str, /) -> Sequence[Morpheme]:
        """The morphemes of `text`, in order."""
        ...


@dataclass(frozen=True, slots=True)
class Predicate:
    """A verb with what conjugates it: 「送信できません」 is (送信できる, negated).

    `potential` marks 「受け取ることができない」 (can / cannot do the verb).
    """

    lemma: str
    negated: bool
    potential: bool = False


_NEGATIONS: Final = frozenset({"ない", "ぬ", "ず", "ん", "無い"})
# Verbs that only add aspect or politeness after a て: 「使っている」「使用しております」,
# 「利用させていただいて」「使わせてもらって」.
_AUXILIARY_VERBS: Final = frozenset(
    {
        "いる",
        "おる",
        "しまう",
        "なる",
        "くる",
        "ある",
        "居る",
        "いただく",
        "もらう",
        "くださる",
        "頂く",
    }
)
_LIGHT_VERBS: Final = frozenset({"する", "できる", "出来る", "為る", "いたす", "致す"})
# 「使ったことはない」 (never did), 「受け取ることができない」 (cannot do).
_KOTO: Final = "こと"
_TOPIC_PARTICLES: Final = frozenset({"は", "も", "が"})


def predicates(morphemes: Sequence[Morpheme]) -> list[Predicate]:
    """The predicates of a sentence, each with whether it is negated.

    A light verb (する, できる) takes the noun before it: 「利用しています」 is 利用する,
    「送信できない」 is 送信できる, negated.
    """
    found: list[Predicate] = []
    index = 0
    while index < len(morphemes):
        word = morphemes[index]
        index += 1
        if word.pos != "動詞":
            continue
        lemma = word.lemma
        if lemma in _LIGHT_VERBS:
            before = morphemes[index - 2] if index >= 2 else None
            light = "できる" if lemma in ("できる", "出来る") else "する"
            lemma = f"{before.lemma}{light}" if before and before.pos == "名詞" else light
        negated, index = _chain(morphemes, index)
        potential = False
        if index < len(morphemes) and morphemes[index].lemma == _KOTO:
            # The verb is the object of 「こと」: what follows says whether it happens.
            after = index + 1
            if after < len(morphemes) and morphemes[after].lemma in _TOPIC_PARTICLES:
                after += 1
            if after < len(morphemes) and morphemes[after].lemma in ("できる", "出来る"):
                potential = True
                negated, index = _chain(morphemes, after + 1)
            elif after < len(morphemes) and morphemes[after].lemma in ("ない", "無い", "ある"):
                negated = morphemes[after].lemma != "ある" or _chain(morphemes, after + 1)[0]
                index = after + 1
        found.append(Predicate(lemma, negated, potential))
    return found


def _chain(morphemes: Sequence[Morpheme], index: int) -> tuple[bool, int]:
    """Whether the conjugation starting at `index` negates, and where it ends."""
    negated = False
    while index < len(morphemes):
        word = morphemes[index]
        if word.lemma in _TOPIC_PARTICLES and index + 1 < len(morphemes):
            # 「使ってはいません」: a は or も between て and its auxiliary.
            if not _conjugates(morphemes[index + 1]) or morphemes[index - 1].lemma not in (
                "て",
                "で",
            ):
                break
        elif not _conjugates(word):
            break
        negated = negated or word.lemma in _NEGATIONS
        index += 1
    return negated, index


def _conjugates(word: Morpheme) -> bool:
    """Whether `word` belongs to the verb before it rather than starting something new."""
    if word.pos == "助動詞":
        return True
    if word.pos == "助詞" and word.subpos == "接続助詞" and word.lemma in ("て", "で"):
        return True
    return word.pos == "動詞" and word.lemma in _AUXILIARY_VERBS
