"""Kana with digits typed into the password's field, said so, is masked (review).

「パスワード欄にはなこ77と入れました」, 「パスワードのところにはなこ77と入力しました」 and
「パスワードに、はなこ77と入れました」 were stored as typed (「パスワードにhanako77と入れました」,
the ASCII alone, was masked).
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

MASKED: tuple[str, ...] = (
    "パスワード欄にはなこ77と入れました",
    "パスワードの欄にはなこ77と入力しました",
    "パスワードのところにはなこ77と入力しました",
    "パスワードに、はなこ77と入れました",
    "パスワードにはなこ77と打ちました",
    "パスワード入力欄に「はなこ77」と書きました",
)

STAYS: tuple[str, ...] = (
    "パスワード欄に2回入れました",
    "パスワードにアルファベット12文字と書いてあります",
    "パスワード欄には何も入れていません",
    "パスワードのところに数字を入れました",
)


@pytest.mark.parametrize("typed", MASKED)
def test_kana_and_digits_typed_into_the_field_are_masked(typed: str) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    assert "77" not in masked


@pytest.mark.parametrize("typed", STAYS)
def test_what_is_said_of_the_field_stays(typed: str) -> None:
    assert redact(typed, analyser=japanese_analyser()) == (typed, False)
