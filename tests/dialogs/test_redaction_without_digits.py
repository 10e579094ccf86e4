"""A message without a digit is not searched for a letters-and-digits password.

Nine of the masking's patterns find only a token holding an ASCII digit (「パスワード欄に
Rr2-tyui を入れても」, 'Kq7xyz99 is your new password'). Each was still run over every
message: 「パスワード 」 400 times (2,000 characters, no digit anywhere) cost 3 ms of a web
chat turn in `_NEAR_LABEL` alone, with one place to try after each word (attacker11,
`python -m bench.long_messages`). They are now skipped when the text has no digit, which
changes no mask: a password anywhere in the message, at its end too, is masked as before.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import pytest

from dialogs import redaction
from dialogs.redaction import MASK, redact

# The patterns whose every match holds an ASCII digit.
NEED_A_DIGIT = (
    "_KANA_SECRET",
    "_BEFORE_LABEL",
    "_BEFORE_BARE_LABEL",
    "_ONE_OF_TWO",
    "_AFTER_ACCOUNT",
    "_NEAR_LABEL",
    "_NEAR_LABEL_EN",
    "_TYPED_BEFORE_LABEL",
    "_TYPED_BEFORE_LABEL_EN",
)


class Searched:
    """A pattern that notes each text it is searched over."""

    def __init__(self, pattern: re.Pattern[str], seen: list[str]) -> None:
        self._pattern = pattern
        self._seen = seen

    def finditer(self, text: str) -> Iterator[re.Match[str]]:
        self._seen.append(text)
        return self._pattern.finditer(text)


@pytest.fixture
def searched(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    seen: list[str] = []
    for name in NEED_A_DIGIT:
        monkeypatch.setattr(redaction, name, Searched(getattr(redaction, name), seen))
    return seen


@pytest.mark.parametrize(
    "text",
    [
        "パスワード " * 400,
        ("パスワードは" * 400)[:2000],
        ("password is " * 200)[:2000],
        "送信できません。パスワードはさくらです",
    ],
)
def test_a_message_without_a_digit_is_not_searched_for_one(text: str, searched: list[str]) -> None:
    redact(text)
    assert searched == []


@pytest.mark.parametrize(
    ("text", "secret"),
    [
        ("送信できません。" * 236 + "パスワード欄に Rr2-tyui を入れても", "Rr2-tyui"),
        ("パスワード " * 380 + "Kq7xyz99 is your new password", "Kq7xyz99"),
        ("パスワード " * 380 + "前は abc12345 でした", "abc12345"),
        ("password " * 210 + "user: taro / Zq9xK2pw77", "Zq9xK2pw77"),
    ],
)
def test_a_password_at_the_end_of_a_long_message_is_still_masked(
    text: str, secret: str, searched: list[str]
) -> None:
    assert len(text) > 1900
    masked, found = redact(text)
    assert found
    assert secret not in masked
    assert masked.endswith(text[text.rindex(" ", 0, text.index(secret)) :].replace(secret, MASK))
    assert searched  # a digit: the patterns were tried
