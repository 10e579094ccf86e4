"""A password said before the word in Japanese, as subscribers say it, is masked.

「Kq7xyz99というパスワードを使っています」 and 「Kq7xyz99 と入力しましたがパスワードが違うと
言われます」 kept the password in the transcript as typed: before the word, only a token
followed by が, は or って (「Kq7xyz99 がパスワードです」) was taken.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import redact

SAID = [
    "Kq7xyz99というパスワードを使っています",
    "Kq7xyz99 というパスワードです",
    "Kq7xyz99っていうパスワードにしました",
    "Kq7xyz99 と入力しましたがパスワードが違うと言われます",
    "Kq7xyz99を入れてもパスワードが正しくないと出ます",
    "I typed Kq7xyz99 but it says wrong password",
    "tried Kq7xyz99, password rejected",
    "I entered 'Kq7xyz99' and the password was not accepted",
]


@pytest.mark.parametrize("text", SAID)
def test_the_password_said_before_the_word_is_masked(text: str) -> None:
    masked, found = redact(text)
    assert found
    assert "Kq7xyz99" not in masked


@pytest.mark.parametrize(
    ("text", "kept"),
    [
        ("taro@vp.117.ne.jp と入力しましたがパスワードが違うと言われます", "taro@vp.117.ne.jp"),
        ("vpop.117.ne.jp と入力してもパスワードを聞かれます", "vpop.117.ne.jp"),
        ("Outlook というソフトでパスワードを入れています", "Outlook"),
        ("I typed taro@vp.117.ne.jp but it says wrong password", "taro@vp.117.ne.jp"),
        ("I entered vpop.117.ne.jp and then the password", "vpop.117.ne.jp"),
        ("I tried Outlook2016 and the password was refused", "Outlook2016"),
    ],
)
def test_an_address_or_a_name_before_the_word_is_kept(text: str, kept: str) -> None:
    masked, _ = redact(text)
    assert kept in masked
