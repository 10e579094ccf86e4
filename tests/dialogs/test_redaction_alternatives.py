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
    # Tried, or changed from one to the other: a token that looks like a password (letters
    # and digits) after 「と」「から」, 'and', 'to'.
    "パスワードを Kq7xyz99 から Kq7xyz98 に変えました",
    "パスワードは Kq7xyz99 と Kq7xyz98 を試しました",
    "pw Kq7xyz99 and Kq7xyz98 both fail",
    "password: Kq7xyz99 & Kq7xyz98",
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
        ("password Kq7xyz99 and thanks", " and thanks"),
        ("パスワード Kq7xyz99 と Outlook の設定", " と Outlook の設定"),
        ("my password Kq7xyz99 to login", " to login"),
        # Not 'from': 'Please change your password from MyPage.' would be refused.
    ],
)
def test_an_ordinary_word_after_the_password_is_kept(text: str, kept: str) -> None:
    masked, _ = redact(text)
    assert "Kq7xyz99" not in masked
    assert "Abc12345" not in masked
    assert kept in masked
