"""An agent's words are refused when they hand the subscriber a password, and only then.

Measured on the bot's own catalogs (an agent pastes the bot's words: none may be refused),
on agents' ordinary sentences about passwords, and on sentences that give one, letters
alone too (「仮パスワードは sakuraabc です」 was sent, and kept in the transcript).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest
from babel.messages.pofile import read_po

from dialogs.redaction import gives_a_password, redact

LOCALES: Final = Path(__file__).parents[2] / "dialogs" / "locales"
# The seed profile's provider names, as bot.desk.agent_messages passes the running profile's.
NAMES: Final = ("117net", "117ネット", "いちいちななネット")

# What agents write about passwords, in both languages: never refused.
ORDINARY: Final = (
    "パスワードは変わりません。今のパスワードをそのままお使いください。",
    "パスワードの再発行は https://www.117.ne.jp/support/ からお願いします。",
    "パスワード：https://www.117.ne.jp/mypage/ で再設定できます。",
    "パスワードは117netのマイページで再設定できます。",
    "パスワードは117netからのお知らせに書かれています。",
    "パスワードは、117net会員証に記載されています。",
    "パスワードは「さくら」ではなく、会員証に記載のものです。",
    "パスワードはOutlookに保存されています。",
    "パスワードは Outlook に保存されているものをそのままお使いください。",
    "パスワードは Gmail のものではなく、117net のものです。",
    "パスワードは半角英数字で入力してください。",
    "パスワードは大文字と小文字を区別します。",
    "パスワードは会員証の「メールパスワード」欄に書かれています。",
    "パスワードはこのチャットには書かないでください。",
    "仮パスワードは郵送でお送りします。",
    "新しいパスワードはマイページで設定してください。",
    "パスワード欄には、今お使いのパスワードを入力してください。",
    "Outlookのパスワード画面が何度も出る場合は、一度キャンセルしてください。",
    "パスワードは SMTP にも POP にも同じものを使います。",
    "パスワード: 今お使いのものと同じです",
    "パスワードはそのままで大丈夫です。",
    "パスワードが違うと表示される場合は、Caps Lockをご確認ください。",
    "仮パスワードの有効期限は24時間です。",
    "新しいパスワードは8文字以上にしてください。",
    "The password is case-sensitive.",
    "Do not type your password anywhere but in your mail program.",
    "The password is the app password issued on the member page.",
    "Your password isn't changing.",
    "Your new password (set it first on the member page) goes in the Password field.",
    "The password stays the same.",
    "Your password is still the same as before.",
    "Enter your current password in the Password box.",
    "Your temporary password will be sent by post.",
    "Your new password is valid for 24 hours.",
    "Your new password is required when you first log in.",
    "Your new password is ready.",
    "Your temporary password is below.",
    "Your temporary password is attached to the letter.",
    "Your temporary password is enclosed.",
    "Your password is now active.",
    "Your password is correct; the problem is the server name.",
    "Your password is safe.",
    "Your password is unchanged.",
    "The password is fine. The port is wrong.",
    "If the password is rejected, please check Caps Lock.",
    "The password for SMTP is the same as for POP.",
    "Password: the same one you use now.",
    "Your password has been reset. The new one is in the letter we are posting today.",
    "Your password is now the one you set on the member page.",
    "Please choose a new password of at least 8 characters.",
    "Your 117net password stays the same.",
    "My password has been hacked? Please call us at once.",
    # What a password can be said to be, in '-ed' and '-ly' forms.
    "Your new password is activated.",
    "Your password is locked.",
    "Your temporary password is expired.",
    "Your new password is emailed.",
    "Your new password is printed.",
    "Your password is now unlocked.",
    "Your new password is registered.",
    "Your password is encrypted.",
    "Your new password is user-friendly.",
    "Your new password is pending.",
    "Your password is expiring.",
    "Your password is missing.",
    "Your password is working.",
)
# Sentences that hand the subscriber a password: always refused.
GIVING: Final = (
    "仮パスワードは sakuraabc です",
    "仮パスワードは sakuraabc です。ログイン後に変更してください。",
    "仮パスワードはsakuraabcです",
    "新しいパスワードは tanpopo です。",
    "パスワードは hanabira となります。",
    "パスワードは sakuraabc になります。",
    "パスワードは「sakuraabc」です。",
    "パスワードを momiji に変更しました。",
    "パスワードを kaeruko に再設定いたしました。",
    "仮パスワード：sakuraabc",
    "初期パスワードは yamazakura でございます。",
    "Your temporary password is sakuraabc",
    "Your temporary password is sakuraabc.",
    'The temporary password is "sakuraabc".',
    "Your new password is tanpopo.",
    "Temporary password: sakuraabc",
    "New password: yamazakura",
    "I have reset your password to hanabira.",
    "Your password is now kaeruko.",
    "Your password is sakuraabc.",
    "Your password has been reset to momiji.",
    "Your password has been reset to Kq7xyz99.",
    "Password reset to Kq7xyz99",
    "仮パスワードは Abc12345 です",
    # Letters alone with an English word's ending: no state a password is in.
    "Your new password is blessedly.",
    "Your temporary password is blessed.",
    "Your new password is sakuraly.",
    "New password: kindly",
    "Your password is now wicked.",
    "I have reset your password to lovingly.",
    "Your new password is sparkling.",
    "New password: darling",
)


@pytest.mark.parametrize("text", ORDINARY)
def test_an_agents_ordinary_words_about_passwords_are_sent(text: str) -> None:
    assert not gives_a_password(text, names=NAMES)


@pytest.mark.parametrize("text", GIVING)
def test_an_agents_words_that_give_a_password_are_refused(text: str) -> None:
    assert gives_a_password(text, names=NAMES)


def _filled(text: str, language: str) -> str:
    """A catalog string with the seed's values where the chat fills them in."""
    japanese = language == "ja"
    values = {
        "address": "taro@vp.117.ne.jp",
        "login": "taro@vp.117.ne.jp",
        "username": "taro@vp.117.ne.jp",
        "security": "SSL/TLS",
        "note": "暗号化あり" if japanese else "encrypted",
        "method": "通常のパスワード認証" if japanese else "Normal password",
        "protocol": "POP3",
        "provider": "117net",
        "port": "587",
        "page": "会員ページ" if japanese else "the member page",
        "date": "2008年6月20日" if japanese else "20 June 2008",
        "server": "vpop.117.ne.jp",
        "smtp": "vsmtp.117.ne.jp",
        "pop": "vpop.117.ne.jp",
        "host": "vpop.117.ne.jp",
    }

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        found = next((v for part, v in values.items() if part in name), None)
        return found if found is not None else ("会員証" if japanese else "card")

    return re.sub(r"\{([a-z_0-9]*)\}", value, text)


def _catalog_texts() -> list[tuple[str, str]]:
    texts = []
    for path in sorted(LOCALES.glob("*/LC_MESSAGES/*.po")):
        language = path.parts[-3]
        with path.open("rb") as file:
            catalog = read_po(file)
        for message in catalog:
            string = message.string
            strings = [string] if isinstance(string, str) else list(string or ())
            texts += [(str(message.id), _filled(s, language)) for s in strings if message.id and s]
    return texts


def test_none_of_the_bots_own_words_is_refused() -> None:
    # 2,200 strings: 10 were refused for 「117net」 beside the word (the provider's name).
    texts = _catalog_texts()
    assert len(texts) > 2000
    assert [key for key, text in texts if gives_a_password(text, names=NAMES)] == []


@pytest.mark.parametrize(
    "typed",
    [
        "my password has been reset to Kq7xyz99",
        "My password was reset to Kq7xyz99 yesterday",
        "password reset to Kq7xyz99",
        "my password has been changed to Kq7xyz99",
    ],
)
def test_a_password_said_to_be_reset_to_is_masked_in_a_subscribers_words_too(typed: str) -> None:
    # Kept as typed in the transcript: the words between the label and the secret were not
    # read past 'has been'.
    masked, found = redact(typed)
    assert found
    assert "Kq7xyz99" not in masked


@pytest.mark.parametrize(
    "typed", ["My password has been hacked", "password reset link", "my password has been reset"]
)
def test_words_after_has_been_are_no_password(typed: str) -> None:
    assert redact(typed) == (typed, False)
