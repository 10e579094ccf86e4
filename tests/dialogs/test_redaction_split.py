"""A password sent on its own right after a message that named it is masked.

Subscribers send in pieces, pressing Enter where a sentence pauses (LINE and phones more
than anywhere): 「パスワードは」 and then 「sakura2008」. Each message alone looked harmless,
so the second was kept as typed in the transcript, the agent API and the desks.
"""

from __future__ import annotations

import pytest

from dialogs.redaction import MASK, names_a_password, redact


@pytest.mark.parametrize(
    "first",
    [
        "パスワードは",
        "パスワードは、",
        "パスワード：",
        "ログインパスワード：",
        "暗証番号は",
        "my password is",
        "The password for taro is",
        "password:",
        "pw =",
        "Password (P):",
        "パスワードは次のとおりです",
        "パスワードは以下です。",
        "パスワード↓",
        "パスワードを送ります",
        "my password is below",
        "password as follows:",
        'password "',
        # A heading for what follows, as 「パスワードは」 is.
        "パスワードです",
        # The word as a message of its own, the password on the next line (reviewer17: the
        # next message, 「Kq7xyz99」「ひまわり」, was stored as typed).
        "パスワード",
        "ぱすわーど",
        "暗証番号",
        "password",
        "my password",
        "pw",
    ],
)
def test_a_message_that_ends_naming_a_password_names_one(first: str) -> None:
    assert names_a_password(first)


@pytest.mark.parametrize(
    "first",
    [
        "パスワードを忘れました",
        "パスワードは変わりますか？",
        "password is incorrect",
        "the password is the same",
        "パスワードは abc12345 です",
        "パスワードは以下のとおり変わりません",
        "the password below the address is wrong",
        # A quotation that ends with the word: a pasted message, closed.
        'new Outlook says "We couldn\'t sign in. Check your password"',
        "送信できません",
        "it keeps rejecting my password",
        "I don't remember my password",
        # What the sentence is about, said in full (the next message, a user name such as
        # 「taro1975」, was masked).
        "問題はパスワードです",
        "原因がパスワードです",
        "困っているのはパスワードです",
        # A guess at the cause, with a hedge between (reviewer14).
        "問題はたぶんパスワードです",
        "原因はおそらくパスワードだと思います",
        "たぶんパスワードです",
        # A sentence's end, 「パス」 or 'pass' (a question skipped), a question about it.
        "パス",
        "pass",
        "パスワード？",
        "password?",
        "パスワードについて",
        "",
    ],
)
def test_a_message_that_says_more_names_none(first: str) -> None:
    assert not names_a_password(first)


@pytest.mark.parametrize(
    ("then", "stored"),
    [
        ("sakura2008", MASK),
        ("Kq7xyz99", MASK),
        ("kq7-xyz", MASK),
        ("sakura2008です", f"{MASK}です"),
        ("「Kq7xyz99」です", f"「{MASK}」です"),
        ("  tanuki55\n", f"  {MASK}\n"),
        ("１２３４５６", MASK),
    ],
)
def test_the_next_message_alone_is_masked(then: str, stored: str) -> None:
    assert redact(then, named_before=True) == (stored, True)
    # Without the message before it, nothing says it is a password (an answer, a name).
    assert redact(then) == (then, False)


@pytest.mark.parametrize(
    "then",
    [
        "はい",
        "yes",
        "わかりません",
        "忘れました",
        "Outlook2019",
        "vpop.117.ne.jp",
        "taro@vp.117.ne.jp",
        "taro@",
        "@vp.117.ne.jp",
        "0x800CCC0F",
        "same",
        "Thunderbird",
        "変わりますか？",
        "What is it?",
        "abc",
        # A short word with its mark: 「Yes!」 after the login check's link was masked and
        # told off, while 「Done!」 (a letter longer) was kept.
        "Yes!",
        "Yes.",
        "yes?",
        "Why?",
        "Sure?",
        "????",
    ],
)
def test_an_ordinary_next_message_is_kept(then: str) -> None:
    assert redact(then, named_before=True) == (then, False)
