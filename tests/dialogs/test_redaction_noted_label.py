"""A password after a note in brackets beside the word is masked, and refused from an agent.

Providers' letters print the field with a note: 「パスワード（半角英数字）：Kq7xyz99」,
「初期パスワード（仮）：…」, 'Password (case sensitive): …'. Pasted into the chat, the password
was kept in the transcript as typed, and an agent could send it: the word had to be followed
by the password, a separator, or an access key such as 「(P)」.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import gives_a_password, redact

SECRET = "Kq7xyz99"
NOTED = [
    "パスワード（仮）：Kq7xyz99",
    "パスワード(半角英数字)：Kq7xyz99",
    "初期パスワード（8桁）　Kq7xyz99",
    "パスワード［必須］ Kq7xyz99",
    "パスワード（大文字小文字を区別）: Kq7xyz99",
    "Password (temporary): Kq7xyz99",
    "Password (case sensitive): Kq7xyz99",
    "ユーザー名：taro@vp.117.ne.jp\nパスワード（半角）：Kq7xyz99\n",
]


@pytest.mark.parametrize("text", NOTED)
def test_the_password_after_a_noted_word_is_masked_and_refused(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert SECRET not in masked
    assert gives_a_password(text)


@pytest.mark.parametrize(
    "text",
    [
        "パスワード（今お使いのもの）はそのままです。",
        "Password (the one you use today) stays the same.",
        "パスワード（Kq7xyz99）を入れても駄目です",
    ],
)
def test_a_note_alone_is_no_password_and_one_inside_it_is_still_masked(text: str) -> None:
    masked, _ = redact(text)
    assert SECRET not in masked
    assert ("Kq7xyz99" in text) == gives_a_password(text)
