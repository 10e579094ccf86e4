"""Kana with digits after the word and a middle dot or an ellipsis is masked (review).

「パスワード・sakura2009」 and 「パスワード…sakura2009」 were masked, but
「パスワード・さくら2009」, 「パスワード・・・さくら2009」, 「パスワード･さくら2009」 and
「パスワード…さくら2009」 were stored as typed.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact


@pytest.mark.parametrize(
    "typed",
    [
        "パスワード・さくら2009",
        "パスワード・・・さくら2009",
        "パスワード･さくら2009",
        "パスワード…さくら2009",
    ],
)
def test_kana_and_digits_after_a_dot_are_masked(typed: str) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    assert "2009" not in masked


def test_a_list_of_fields_stays() -> None:
    typed = "ID・パスワード・サーバー名を確認しました"
    assert redact(typed, analyser=japanese_analyser()) == (typed, False)
