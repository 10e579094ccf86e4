"""Ordinary sentences about passwords are not masked as a typed password (dialog9).

After a password word, any ASCII word of four letters or more that was not on the exception
list was masked, and the message read as a password typed ("Please do not type your
password into this chat"): "I use a password manager", "password requirements?", "too many
password attempts", 「パスワード hint を忘れました」 (33 of the first 71 sentences here).
The 30 after them were written once the list was extended (2 masked: "limit", "reminder").
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.redaction import MASK, redact
from tests.dialogs.driver import Driver

ORDINARY = [
    "my password expired",
    "password expired?",
    "I got a password reset link",
    "the password reset link doesn't open",
    "パスワード reset したい",
    "パスワード reset のメールが来ません",
    "I use a password manager",
    "my password manager fills it in",
    "password changed?",
    "has the password changed?",
    "the password field is greyed out",
    "the password field is grayed out",
    "password box is greyed out",
    "the password is greyed out",
    "password requirements?",
    "what are the password requirements",
    "password length?",
    "how long should the password be",
    "password must contain numbers?",
    "password hint",
    "I forgot the password hint",
    "password recovery",
    "password recovery email never came",
    "password strength meter says weak",
    "password saved in keychain",
    "password saved in the browser",
    "is the password stored in outlook",
    "the password autofill is wrong",
    "password autofill",
    "I lost my password sheet",
    "password sheet from 117net",
    "the password letter from you",
    "password mismatch",
    "password update needed?",
    "the password update failed",
    "do I need to update the password",
    "password protected attachment",
    "the password protected pdf won't open",
    "password locked",
    "my account is locked after wrong password attempts",
    "password attempts exceeded",
    "too many password attempts",
    "パスワード manager に入っています",
    "パスワード field が灰色です",
    "パスワード hint を忘れました",
    "パスワード expired と出ます",
    "パスワード change したほうがいいですか",
    "パスワードの reset link が届かない",
    "password prompt appears twice",
    "password dialog keeps appearing",
    "password sync between devices",
    "do I have to retype the password",
    "password typed correctly",
    "password characters are hidden",
    "the password is too short",
    "the password is too long",
    "password contains symbols",
    "password with symbols ok?",
    "password case sensitive?",
    "can I reuse my password",
    "password same as before?",
    "my wife changed the password yesterday",
    "where do I find my password",
    "password written on the contract",
    "password on the contract paper",
    "the password in the welcome letter",
    "password from the registration form",
    "パスワード再設定の link はどこ",
    "パスワード保存 settings はどこ",
    "password resetting",
    "password remembered by the app",
]
HOLDOUT = [
    "password expiry date?",
    "how do I turn off password saving",
    "password manager says it's wrong",
    "the password letter says something else",
    "password rules for the new server?",
    "password change screen won't load",
    "I need password help",
    "password request form",
    "is there a password limit",
    "password question",
    "the password hint doesn't help",
    "password reminder email",
    "password prompt shows twice a day",
    "password retype box",
    "password confirmation doesn't match",
    "password verification failed",
    "password setting in outlook",
    "password option is missing",
    "password sheet says 8 letters",
    "パスワード hint は何ですか",
    "パスワード manager を使っても大丈夫ですか",
    "パスワード update が必要ですか",
    "パスワード setting がわかりません",
    "my password expired yesterday",
    "password screen came up",
    "password window appeared again",
    "password field shows dots only",
    "password only works on the phone",
    "password works on smartphone but not laptop",
    "thanks, password works now",
]
# Typed passwords next to those words, or that are words of the same kind: still masked.
TYPED = [
    "password is sunshine",
    "password: welcome",
    "my password is computer",
    "パスワードは google です",
    "password is manager1",
    "パスワード：hints2008",
    "pw lock1234",
    "password is tokyo2008",
    "PIN 4455",
    "password is dragons",
    "password: monkeys",
    "パスワードは sakura です",
]


@pytest.mark.parametrize("sentence", ORDINARY + HOLDOUT)
def test_an_ordinary_sentence_about_passwords_is_kept_as_typed(sentence: str) -> None:
    assert redact(sentence) == (sentence, False)


@pytest.mark.parametrize("sentence", TYPED)
def test_a_password_typed_beside_them_is_still_masked(sentence: str) -> None:
    masked, found = redact(sentence)
    assert found
    assert MASK in masked


@pytest.mark.parametrize(
    "sentence",
    ["I use a password manager", "パスワード hint を忘れました", "password requirements?"],
)
def test_the_subscriber_is_not_told_off_for_typing_a_password(
    profile: MigrationProfile, catalogs: Catalogs, sentence: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(sentence)
    assert "I have masked it" not in driver.said()


@pytest.mark.parametrize(
    "sentence",
    [
        "パスワードの再発行は https://www.117.ne.jp/support/ からどうぞ。",
        "パスワードを忘れたら https://www.117.ne.jp/support/mail/reset1.html ですか？",
        "password reset at https://www.117.ne.jp/reset?id=123",
        "パスワード変更は www.117.ne.jp/support/ でできますか",
        "パスワードはマイページ(https://www.117.ne.jp/mypage)で変えられますか",
        # An agent's answer: 「から」 is "from", not the か of doubt that ends a password.
        "パスワードはマイページ(https://www.117.ne.jp/mypage)から再設定できます。",
        "パスワードはマイページ(https://www.117.ne.jp/mypage)です",
        "パスワードはマイページhttps://www.117.ne.jp/mypageから変更できます",
        "パスワードはサポート(www.117.ne.jp/support)から",
    ],
)
def test_a_web_page_named_beside_the_password_word_is_kept(sentence: str) -> None:
    # Where a password is reset or read is a web page's address, never the password itself
    # (its digits made it look like one); a URL with a login in it is a trace, masked.
    assert redact(sentence) == (sentence, False)
