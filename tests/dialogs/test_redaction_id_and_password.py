"""A login given after both its words, 「ID・PW taro Kq7xyz99」, has its password masked.

The way a login is written down in Japan, the two words and then the two values, masked the
account name (the first token after 「PW」) and kept the password after it as typed, even
with the subscriber's own account known. So did 'P/W Kq7xyz99', 'password => Kq7xyz99',
'the password I use is Kq7xyz99', 'I type Kq7xyz99 for the password' and 'pass phrase:
Kq7xyz99'. Found by attacker9 (50 phrasings sent to the web chat, 8 stored as typed; 138
more read here, 31 kept).
"""

from __future__ import annotations

import pytest

from dialogs.redaction import own_accounts, redact

PASSWORD = "Kq7xyz99"
ADDRESS = "taro@vp.117.ne.jp"
DOMAINS = ("vp.117.ne.jp",)

GIVEN = [
    "ID・PW taro Kq7xyz99",
    "ID/PW taro Kq7xyz99",
    "ID PW: taro Kq7xyz99",
    "IDとパスワード taro Kq7xyz99",
    "ＩＤ・ＰＷ　taro　Kq7xyz99",
    "ユーザー名とパスワードは taro Kq7xyz99 です",
    "アカウントとパスワード：taro、Kq7xyz99",
    "ID・パスワード jiro Kq7xyz99",
    "user/pass taro Kq7xyz99",
    "username and password: taro Kq7xyz99",
    "login/password taro Kq7xyz99",
    "P/W Kq7xyz99",
    "p/w: sakura77",
    "ID P/W taro Kq7xyz99",
    "password => Kq7xyz99",
    "パスワード >> Kq7xyz99",
    "the password I use is Kq7xyz99",
    "the pw I entered is Kq7xyz99",
    "my password I typed was sakura77",
    "the password that I use is Kq7xyz99",
    "the password I've been using is Kq7xyz99",
    "password which I use: Kq7xyz99",
    "I type Kq7xyz99 for the password",
    "I put Kq7xyz99 in the password box",
    "passphrase Kq7xyz99",
    "pass phrase: Kq7xyz99",
]


@pytest.mark.parametrize("text", GIVEN)
def test_the_password_is_masked(text: str) -> None:
    secret = "sakura77" if "sakura77" in text else PASSWORD
    for accounts in ((), own_accounts(ADDRESS)):
        masked, found = redact(text, accounts=accounts, domains=DOMAINS)
        assert found, (text, accounts)
        assert secret not in masked, (text, accounts, masked)


@pytest.mark.parametrize(
    "text",
    [
        "ID/PW を忘れました",
        "IDとパスワードを入れてもエラーになります",
        "ID・PW Outlook Thunderbird",
        "P/W is required",
        "the password I use is the same as before",
        "the password I typed was wrong",
        "password => see above",
        "the password that I use is correct",
        "I type slowly, and the password is long",
        "I put Outlook2016 on and the password fails",
        "pass phrase",
    ],
)
def test_sentences_that_give_none_are_kept(text: str) -> None:
    assert redact(text, domains=DOMAINS) == (text, False)
