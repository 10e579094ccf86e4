"""A password sent after 「パスワードは」 is masked when words follow it in the same message.

「パスワードは」 alone, then 「Kq7xyz99 だと思います」, 「Kq7xyz99 です。よろしくお願いします」 or
「たしか Kq7xyz99」: only a message of the token alone (with 「です」 or a quote) was read as the
password, and these were stored as typed. Found by attacker9 (15 follow-ups read, 9 kept).
"""

from __future__ import annotations

import pytest

from dialogs.redaction import own_accounts, redact

ACCOUNTS = own_accounts("taro@vp.117.ne.jp")

FOLLOW_UPS = [
    "Kq7xyz99 だと思います",
    "Kq7xyz99 で合ってますか",
    "Kq7xyz99のはずです",
    "Kq7xyz99 です。よろしくお願いします",
    "「Kq7xyz99」で入れています",
    "Kq7xyz99 (大文字のK)",
    "Kq7xyz99\nよろしく",
    "たしか Kq7xyz99",
    "えっと、Kq7xyz99 です",
]


@pytest.mark.parametrize("text", FOLLOW_UPS)
def test_the_password_before_other_words_is_masked(text: str) -> None:
    masked, found = redact(text, named_before=True, accounts=ACCOUNTS)
    assert found
    assert "Kq7xyz99" not in masked
    assert masked.count("********") == 1


@pytest.mark.parametrize(
    "text",
    [
        "Thunderbird を使っています",
        "Outlook2016 です",
        "vpop.117.ne.jp で合ってますか",
        "0x800CCC92 と出ます",
        "taro@vp.117.ne.jp のパスワードです",
        "わかりません",
        "OK です",
    ],
)
def test_an_answer_that_gives_none_is_kept(text: str) -> None:
    assert redact(text, named_before=True, accounts=ACCOUNTS) == (text, False)


def test_words_after_a_token_say_nothing_without_the_word_before() -> None:
    assert redact("Kq7xyz99 だと思います") == ("Kq7xyz99 だと思います", False)
