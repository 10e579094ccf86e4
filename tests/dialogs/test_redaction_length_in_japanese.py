"""A password after its length said in Japanese is masked: 「パスワードは8文字で、Kq7xyz99です」.

A token of letters and digits a few Japanese words after 「パスワード」 is the password
(`_NEAR_LABEL`), but only with no ASCII between: the length's digit (「8文字」「8桁」) stopped
it, and these were stored and shown as typed.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import redact

GIVEN_AFTER_ITS_LENGTH = [
    "パスワードは8文字で、Kq7xyz99です",
    "パスワードは8桁のKq7xyz99です",
    "パスワードは英数字8文字の Kq7xyz99 です",
    "パスワードは12文字で Kq7xyz99abcd です",
]


@pytest.mark.parametrize("text", GIVEN_AFTER_ITS_LENGTH)
def test_the_password_after_its_length_is_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked, masked


@pytest.mark.parametrize(
    "text",
    [
        "パスワードは8文字以上にしてください",
        "パスワードは8文字で、Outlookに入れています",
        "パスワードを8回入れてもだめで、Windows10のOutlookです",
    ],
)
def test_a_length_alone_masks_nothing(text: str) -> None:
    assert redact(text) == (text, False)
