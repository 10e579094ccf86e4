"""A refused login or an error asked about ahead, and a refused password reported (dialog9).

「ログインできなくなることはありますか」 and 'Will I get a 535 error?' were read as a login refused
already: the diagnosis answered a question, and the first question passed as answered.
「パスワードが通りません」 and 'my password doesn't work' got "your password does not change"
instead of what makes the login go through.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, VerdictReply
from tests.dialogs.driver import Driver


def first_message(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(text)
    return driver


@pytest.mark.parametrize(
    ("locale", "text", "account_words"),
    [
        ("ja", "ログインできなくなることはありますか", "メールアドレス全体"),
        ("ja", "パスワードを聞かれ続けることはありますか", "メールアドレス全体"),
        ("ja", "移行後、パスワードを何度も聞かれるようになりますか", "メールアドレス全体"),
        ("en", "Will I get a 535 error?", "whole e-mail address"),
    ],
)
def test_a_refused_login_asked_ahead_is_answered_and_the_question_stays(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, account_words: str
) -> None:
    driver = first_message(profile, catalogs, locale, text)
    said = driver.said()
    assert "ログインを受け付けていません" not in said
    assert "does not accept the login" not in said
    assert account_words in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}
    assert not [r for r in driver.all_replies() if isinstance(r, VerdictReply)]


@pytest.mark.parametrize(
    ("locale", "text", "new_server_words"),
    [
        ("ja", "移行後にエラーになりますか", "新しいサーバー"),
        ("ja", "エラーが出ることはありますか", "新しいサーバー"),
        ("en", "Might I get an error?", "new server"),
        ("en", "Will I get an error after the switch?", "new server"),
    ],
)
def test_an_error_asked_ahead_gets_what_doing_nothing_comes_to(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    text: str,
    new_server_words: str,
) -> None:
    # Unanswered before ("Sorry, I could not answer that"), or asked for the error's text.
    driver = first_message(profile, catalogs, locale, text)
    said = driver.said()
    assert new_server_words in said
    assert "うまくお答えできませんでした" not in said
    assert "could not answer" not in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}


REFUSED_JA = ("ログインを受け付けていません", "ゆっくり入力し直して")
REFUSED_EN = ("does not accept the login", "again, slowly")


@pytest.mark.parametrize(
    ("locale", "text", "refused", "retype"),
    [
        ("ja", "パスワードが通りません", "ログインを受け付けていません", "ゆっくり入力し直して"),
        (
            "ja",
            "パスワードを入れても通らない",
            "ログインを受け付けていません",
            "ゆっくり入力し直して",
        ),
        (
            "ja",
            "パスワードを何回も聞かれます",
            "ログインを受け付けていません",
            "ゆっくり入力し直して",
        ),
        ("en", "my password doesn't work", "does not accept the login", "again, slowly"),
        ("en", "My password isn't working", "does not accept the login", "again, slowly"),
    ],
)
def test_a_refused_password_reported_gets_the_refused_login_diagnosis(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    text: str,
    refused: str,
    retype: str,
) -> None:
    said = first_message(profile, catalogs, locale, text).said()
    assert refused in said
    assert retype in said
    # The whole address as the account, which is what usually refuses the login.
    assert "@" in said
    assert "パスワードは変わりません。今お使いの" not in said
    assert "Your password does not change." not in said
