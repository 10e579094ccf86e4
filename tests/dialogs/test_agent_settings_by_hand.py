"""An agent writing the settings out by hand is not refused for the password's placeholder.

「パスワード: ****」, 「パスワード：xxxxxxxx」 (the password the subscriber already has, stood
for by marks) were refused as issued passwords (desk7): a symbol, or a capital after the first
letter. The agent was told the message held a password and had to guess what to change.
"""

from __future__ import annotations

from typing import Final

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import gives_a_password

NAMES: Final = ("117net",)
DOMAINS: Final = ("vp.117.ne.jp",)

BY_HAND: Final = (
    "受信サーバー: vpop.117.ne.jp\nユーザー名: taro@vp.117.ne.jp\nパスワード: ****",
    "パスワード：xxxxxxxx（今お使いのもの）",
    "パスワード：＊＊＊＊（今お使いのもの）",
    "Password: ***** (the one you use now)",
    "パスワード: XXXXXXXX",
    "パスワード: いつものパスワード",
    "パスワード：変更なし",
    "SMTP認証: オン（パスワード: 受信と同じ）",
    "Password: unchanged",
)

GIVEN: Final = (
    "パスワード: xx12",
    "パスワード: x*x*x*",
    "仮パスワードは Abc12345 です",
    "Your temporary password is xxxxxxxxq.",
)


@pytest.mark.parametrize("words", BY_HAND)
def test_a_placeholder_for_the_password_is_no_password(words: str) -> None:
    assert not gives_a_password(words, names=NAMES, domains=DOMAINS, analyser=japanese_analyser())


@pytest.mark.parametrize("words", GIVEN)
def test_a_password_given_beside_marks_is_still_refused(words: str) -> None:
    assert gives_a_password(words, names=NAMES, domains=DOMAINS, analyser=japanese_analyser())
