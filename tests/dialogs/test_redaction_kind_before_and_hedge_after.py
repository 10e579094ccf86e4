"""A password after how it is typed, or with a hedge around it, is masked (review).

「パスワードは小文字でhanakoです」「パスワードは、ローマ字でhanakoです」 (how it is typed said
before it, as 「孫の名前で、hanakoです」 was read), "it's hanako77 I think" sent after 'my
password is' (a hedge after the token), and 「あの、すみれです」 after 「パスワードは」 were
stored as typed.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import MASK, redact

MASKED: tuple[tuple[str, bool, str], ...] = (
    ("パスワードは小文字でhanakoです", False, "hanako"),
    ("パスワードは、ローマ字でhanakoです", False, "hanako"),
    ("パスワードは半角でsumire2000です", False, "sumire2000"),
    ("パスワードはアルファベットの小文字で「tulip」です", False, "tulip"),
    ("it's hanako77 I think", True, "hanako77"),
    ("hanako77 I believe", True, "hanako77"),
    ("Kq7xyz99, probably", True, "Kq7xyz99"),
    ("あの、すみれです", True, "すみれ"),
    ("あのう、はなこ77です", True, "はなこ77"),
    ("hanako77 but it fails", True, "hanako77"),
    ("Kq7xyz99, and it says the password is wrong", True, "Kq7xyz99"),
)

STAYS: tuple[tuple[str, bool], ...] = (
    ("パスワードは半角で入力してください", False),
    ("パスワードは小文字でOKです", False),
    ("パスワードはローマ字でいいですか", False),
    ("パスワードは半角英数字で8文字です", False),
    ("not sure I think", True),
    ("あの、わかりません", True),
    ("あのう、すみません", True),
    ("Windows 10 on my laptop", True),
    ("Outlook 2016 I think", True),
)


@pytest.mark.parametrize(("typed", "named_before", "password"), MASKED)
def test_the_password_is_masked(typed: str, named_before: bool, password: str) -> None:
    masked, found = redact(typed, named_before=named_before, analyser=japanese_analyser())
    assert found
    assert MASK in masked
    assert password not in masked


@pytest.mark.parametrize(("typed", "named_before"), STAYS)
def test_what_is_said_of_a_password_stays(typed: str, named_before: bool) -> None:
    assert redact(typed, named_before=named_before, analyser=japanese_analyser()) == (
        typed,
        False,
    )
