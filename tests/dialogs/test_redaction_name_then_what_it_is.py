"""A name given as the password, with what it is said after it in brackets, is masked (review).

「パスワードはポチです」 was masked, but 「パスワードはポチ（犬の名前）です」, 「…ぽち(犬の名前)」
and 「…「ポチ」（犬の名前）です」 were stored as typed: a bracket was no end of the value.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

MASKED: tuple[tuple[str, str], ...] = (
    ("パスワードはポチ（犬の名前）です", "ポチ"),
    ("パスワードはぽち(犬の名前)", "ぽち"),
    ("パスワードは「ポチ」（犬の名前）です", "ポチ"),
    ("パスワードは花子（孫の名前）です", "花子"),
)

STAYS: tuple[str, ...] = (
    "パスワードはひらがな（小文字）です",
    "パスワードはわかりません（忘れました）",
    "パスワードは半角（英数字）です",
)


@pytest.mark.parametrize(("typed", "name"), MASKED)
def test_the_name_is_masked_and_what_it_is_stays(typed: str, name: str) -> None:
    masked, found = redact(typed, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    assert name not in masked
    assert "犬の名前" in masked or "孫の名前" in masked


@pytest.mark.parametrize("typed", STAYS)
def test_what_is_said_of_a_password_in_brackets_stays(typed: str) -> None:
    assert redact(typed, analyser=japanese_analyser()) == (typed, False)


def test_a_page_named_before_its_address_in_brackets_stays() -> None:
    # An agent's sentence the bracket's first reading refused (tests/bot/desk/test_handback_steps).
    typed = "パスワードはマイページ(https://www.117.ne.jp/mypage)から再設定できます。"
    assert redact(typed, analyser=japanese_analyser()) == (typed, False)
