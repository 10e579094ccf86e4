"""A password told by the sentence around it, not by a list of English words alone.

After a password word, a token of letters alone is a secret unless it is one of the English
words said of passwords. Two frames decide before that list: a Japanese copula right after
the token hands it over as the value (「パスワードはtestです」: 'test' was on the list and kept
in the transcript), and a comparative's "than" makes the word before it no password ("my
password is longer than 8 characters": 'longer' was masked).
"""

from __future__ import annotations

import pytest

from dialogs.redaction import MASK, gives_a_password, redact


@pytest.mark.parametrize(
    ("typed", "secret"),
    [
        ("パスワードはtestです", "test"),
        ("パスワードは test です", "test"),
        ("パスワードは「mail」でした", "mail"),
        ("パスワードはthanksです", "thanks"),
        ("パスワードはmailでしたっけ", "mail"),
        ("パスワードはtestですけど送れないのはなぜですか", "test"),
        ("password is Sakura2008 than before", "Sakura2008"),
    ],
)
def test_a_word_handed_over_as_the_password_is_masked(typed: str, secret: str) -> None:
    masked, found = redact(typed)
    assert found
    assert secret not in masked
    assert MASK in masked


@pytest.mark.parametrize(
    "typed",
    [
        "my password is longer than 8 characters",
        "my password is shorter than before",
        "パスワードはsameですか",
        "パスワードはsameなの？",
        "パスワードはpopと同じです",
        "パスワードは同じです",
        "パスワードはoutlookに保存されています",
        "受信（POP3）：アカウント名またはパスワードが違います。アカウント名はtaro@vp.117.ne.jpです。",
    ],
)
def test_a_word_said_of_the_password_stays_as_typed(typed: str) -> None:
    assert redact(typed) == (typed, False)


def test_an_agent_handing_over_an_english_word_in_japanese_is_refused() -> None:
    # The agent's side reads the same frame (`_GIVEN_IN_JAPANESE`): once masked, it is given.
    assert gives_a_password("仮パスワードはtestです。ログイン後に変更してください。")
