"""A second password offered as an alternative to a masked one is masked too.

A subscriber unsure of their password types both: 「パスワードはKq7xyz99かKq7xyz98のどちらか」,
'my password is Kq7xyz99 or Kq7xyz98'. The first was masked and the second kept in the
transcript as typed (the password word names only the first).
"""

from __future__ import annotations

import pytest

from dialogs.redaction import gives_a_password, redact

ALTERNATIVES = [
    "パスワードはKq7xyz99かKq7xyz98のどちらかです",
    "パスワードは「Kq7xyz99」か「Kq7xyz98」だったと思います",
    "パスワードはKq7xyz99、またはKq7xyz98です",
    "パスワードは Kq7xyz99 もしくは Kq7xyz98",
    "my password is Kq7xyz99 or Kq7xyz98",
    "The password is Kq7xyz99 or maybe Kq7xyz98?",
    "password: Kq7xyz99 / Kq7xyz98",
    "パスワードは Kq7xyz99 か Kq7xyz98 か Kq7xyz97",
]


@pytest.mark.parametrize("text", ALTERNATIVES)
def test_both_passwords_are_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz9" not in masked
    assert gives_a_password(text)


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("Your password is Abc12345, thanks", ", thanks"),
        ("password is Kq7xyz99 or not", " or not"),
        ("パスワードはKq7xyz99かな", "かな"),
        ("パスワードは Kq7xyz99 か Outlook の設定を見てください", " か Outlook の設定"),
    ],
)
def test_an_ordinary_word_after_the_password_is_kept(text: str, kept: str) -> None:
    masked, _ = redact(text)
    assert "Kq7xyz99" not in masked
    assert "Abc12345" not in masked
    assert kept in masked
