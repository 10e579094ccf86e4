"""Japanese typed in the alphabet, in a long message: spelt in kana once, not word by word.

`in_kana` turned each word into kana with its own call of jaconv (about 300 replacements a
call): 'a ' 1,000 times was 1,000 calls, 8 ms of the turn's CPU before the message was even
read again as kana. The words are now spelt in one call; what they spell is unchanged.
"""

from __future__ import annotations

import random

import jaconv
import pytest

from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading import romaji
from dialogs.reading.romaji import in_kana
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind, normalise

OFFERED = ("yes", "no", "unsure", "back", "menu")


def _word_by_word(text: str) -> str | None:
    """`in_kana` as each word was spelt alone before."""
    if (
        not romaji._ROMAJI_MESSAGE.fullmatch(text)
        or not romaji._WORD.search(text)
        or romaji._DOT_INSIDE.search(text)
    ):
        return None
    words = []
    for word in romaji._WORD.findall(text):
        if not romaji._ROMAJI_WORD.fullmatch(word):
            return None
        spelt = jaconv.alphabet2kana(romaji._N_BEFORE_N.sub("n'", word).replace("-", "ー"))
        if romaji._LATIN.search(spelt):
            return None
        words.append(spelt)
    spelt_words = iter(words)
    joined = romaji._WORD.sub(lambda _: next(spelt_words), text)
    return "".join(joined.split()).translate(romaji._MARKS)


SYLLABLES = [
    c + v for c in ["", "k", "s", "t", "n", "h", "m", "r", "g", "sh", "ch"] for v in "aiueo"
]
TYPED = [
    "hai, sou desu",
    "iie chigaimasu",
    "tantousha to hanashitai",
    "konnichiwa. matte kudasai!",
    "tanto-sha sen'en",
    "outlook desu",
    "i think no",
    "yamada.taro desu",
    "a " * 1000,
]


def _random_romaji(seed: int) -> str:
    rng = random.Random(seed)  # noqa: S311 - test words, no secret
    words = ("".join(rng.choice(SYLLABLES) for _ in range(rng.randint(1, 4))) for _ in range(400))
    return " ".join(words)[:2000]


@pytest.mark.parametrize("typed", [*TYPED, *(_random_romaji(n) for n in range(20))])
def test_what_the_words_spell_is_unchanged(typed: str) -> None:
    text = normalise(typed)
    assert in_kana(text) == _word_by_word(text)


def test_a_long_message_is_spelt_in_one_call(monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[str] = []
    spell = jaconv.alphabet2kana

    def counted(text: str) -> str:
        calls.append(text)
        return str(spell(text))

    monkeypatch.setattr(jaconv, "alphabet2kana", counted)
    assert in_kana(normalise("a " * 1000)) == "あ" * 1000
    assert len(calls) == 1


def test_a_long_message_is_not_read_again_as_romaji(
    profile: MigrationProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Romaji is typed as answers and short requests; 'a ' 1,000 times (any 2,000 characters
    # of short romaji words) was spelt and read a second time, 12.5 ms of a turn.
    calls: list[str] = []
    spell = jaconv.alphabet2kana

    def counted(text: str) -> str:
        calls.append(text)
        return str(spell(text))

    monkeypatch.setattr(jaconv, "alphabet2kana", counted)
    read_text("a " * 1000, Stage.Q1_MAIL_PROGRAM, OFFERED, profile)
    assert calls == []
    # A short one still is: 'hai, sou desu' answers the question.
    assert read_text("hai, sou desu", Stage.Q1_MAIL_PROGRAM, OFFERED, profile).kind is Kind.YES
