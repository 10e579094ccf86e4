"""An agent's password after 「パスワードは、」 is refused as one after 「パスワードは」 is.

「新しいパスワードは、ひまわりです」 from an agent was masked in the transcript (the masking
reads the comma) yet delivered as written: the check for a password handed over in Japanese
wanted the particle right before it. Sentences about a password with the comma still go.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.redaction import gives_a_password

REFUSED = (
    "新しいパスワードは、ひまわりです",
    "パスワードは、はなこです。",
    "仮パスワードを、さくらに変更しました",
    "パスワードは、sakuraです",
    "パスワード：、すみれ",
)
SENT = (
    "パスワードは、お客様ご自身で決めていただけます",
    "パスワードは、そのままです",
    "パスワードは、大文字と小文字を区別します。",
    "パスワードは、以前と同じです",
    "パスワードは、ひらがなでは設定できません",
    "パスワードは、変更済みです",
    "暗証番号は、お手元の書類をご確認ください",
)


@pytest.mark.parametrize("text", REFUSED)
def test_a_password_after_the_comma_is_refused(text: str) -> None:
    assert gives_a_password(text, analyser=japanese_analyser())


@pytest.mark.parametrize("text", SENT)
def test_words_about_a_password_after_the_comma_are_sent(text: str) -> None:
    assert not gives_a_password(text, analyser=japanese_analyser())
