"""A password set off from the word by a dash, an ellipsis, an arrow or brackets is masked.

'password - Kq7xyz99', 'password... Kq7xyz99', 'Kq7xyz99 (password)' and 'Kq7xyz99 <- password'
kept the password as typed (an em dash, a colon or '->' were read; these were not).
"""

from __future__ import annotations

import pytest

from dialogs.redaction import gives_a_password, redact

MARKED = [
    "password - Kq7xyz99",
    "my password -- Kq7xyz99",
    "password... Kq7xyz99",
    "パスワード… Kq7xyz99",
    "Kq7xyz99 (password)",
    "Kq7xyz99 <- password",
    "Kq7xyz99 ← パスワード",
    "Kq7xyz99（パスワード）",
]


@pytest.mark.parametrize("text", MARKED)
def test_the_password_is_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked


@pytest.mark.parametrize(
    "text",
    [
        "Forgot your password? MyPage can reset it.",
        "The password - the one you use today - stays the same.",
        "Outlook2016 (password prompt) keeps appearing.",
        "パスワード-保護されたファイル",
    ],
)
def test_agents_sentences_are_still_sent(text: str) -> None:
    assert not gives_a_password(text)
