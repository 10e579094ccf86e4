"""A password after a single letter or digit named in Japanese is masked.

「パスワードは大文字のKから始まるKq7xyz99です」「パスワードはKが大文字の Kq7xyz99 です」:
a letter (or a digit) named on its own between 「パスワード」 and the password stopped
`_NEAR_LABEL`, which reads only Japanese between them, and these were stored and shown as
typed.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import redact

AFTER_A_LETTER_NAMED = [
    "パスワードは大文字のKから始まるKq7xyz99です",
    "パスワードはKが大文字の Kq7xyz99 です",
    "パスワードはOの文字を含む Kq7xyz99 です",
    "パスワードは数字の0とOを間違えやすい Kq7xyz99 です",
]


@pytest.mark.parametrize("text", AFTER_A_LETTER_NAMED)
def test_the_password_after_a_letter_named_is_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked, masked


@pytest.mark.parametrize(
    "text",
    [
        "パスワードはOとIを間違えやすいので気をつけてください",
        "パスワードにKが入っていますが、Outlookで入れています",
    ],
)
def test_a_letter_named_alone_masks_nothing(text: str) -> None:
    assert redact(text) == (text, False)
