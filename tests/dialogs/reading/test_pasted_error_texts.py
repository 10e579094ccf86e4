"""Error texts pasted as the programs word them, in whole conversations.

The pasted-error sweep (146 texts from Thunderbird's own Japanese strings, classic Outlook,
the iPhone, the Gmail app, Becky!, Mac Mail and bounces; the misread ones are lines of
`utterances.tsv`): what each reading did to the conversation. Thunderbird's "no user name
set" was the first question's no (webmail only), its password prompt the third question's
yes, its STARTTLS refusal a blocked port 25, Outlook's bounce the subscriber's own address.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

NO_USER_NAME = (
    "このサーバー用のユーザー名が設定されていません。[アカウント設定] の [サーバー設定] で "
    "[ユーザー名] を設定してください。"
)


def test_no_user_name_set_is_no_answer_to_the_first_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(NO_USER_NAME)
    # Read as its 「ありません」, it said "no mail program": webmail only, nothing to change.
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "メールアドレス全体" in driver.said()


@pytest.mark.parametrize(
    "typed",
    [
        "vpop.117.ne.jp のユーザー taro 用の新しいパスワードを入力してください:",
        "送信 (SMTP) サーバー vsmtp.117.ne.jp のパスワードが必要です",
        "インターネット電子メール - taro@vp.117.ne.jp\nサーバー vpop.117.ne.jp\n"
        "ユーザー名(U): taro\nパスワード(P):\nパスワードを保存する(S)\nOK キャンセル",
    ],
)
def test_a_password_prompt_at_the_sending_question_is_no_yes(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("yes")
    driver.press("yes")
    driver.type(typed)
    # The login answer, and the question still open (it was taken for its yes).
    assert "メールアドレス全体" in driver.said()
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP


@pytest.mark.parametrize(
    ("locale", "typed", "words"),
    [
        (
            "ja",
            "メールの送信前にエラーが発生しました: 送信 (SMTP) サーバー vsmtp.117.ne.jp が "
            "STARTTLS をサポートしていないため、保護された接続を確立できませんでした。",
            "暗号化（SSL/TLS）の設定",
        ),
        (
            "ja",
            "POP3 サーバーへの TLS 接続が確立できません。サーバーがダウンしているか、"
            "設定が正しくありません。",
            "暗号化（SSL/TLS）の設定",
        ),
        (
            "en",
            "Unable to establish TLS connection to POP3 server. The server may be down or may "
            "be incorrectly configured.",
            "Encryption (SSL/TLS)",
        ),
    ],
)
def test_an_encryption_the_server_will_not_use_gets_the_profiles_encryption(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, words: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(typed)
    said = driver.said()
    assert words in said
    # Not a blocked port 25 (the STARTTLS refusal was read as a sending connection).
    assert "Outbound Port25 Blocking" not in said
    # A program's error proves a program is used: the first question is answered.
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_outlooks_bounce_names_the_recipient_not_the_subscriber(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(
        "Your message wasn't delivered to tanaka@example.com because the address couldn't "
        "be found, or is unable to receive email."
    )
    said = driver.said()
    assert "tanaka@example.com" not in said
    assert driver.state.address is None
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "ユーザー taro のパスワードを送信できませんでした。"),
        ("ja", "アカウント設定が最新ではありません"),
        ("en", "SMTP AUTH failed"),
    ],
)
def test_a_login_refused_in_the_programs_words_gets_the_login_answer(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(typed)
    assert ("メールアドレス全体" if locale == "ja" else "whole e-mail address") in driver.said()
    # A report, not a question about the account: the first question is answered by it.
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("locale", "program", "typed", "words"),
    [
        ("ja", "Thunderbirdです", "530 5.7.0 Authentication required", "「認証方式」を"),
        ("ja", "iPhoneです", "550 5.7.1 Relaying denied", "「プライマリサーバ」"),
        ("ja", "Becky!です", "SMTPサーバーとの通信に失敗しました", "「SMTP認証」にチェック"),
        ("en", "I use the Gmail app", "530 5.7.0 Authentication required", "Require sign-in"),
        ("en", "Thunderbird", "Relay access denied", '"Authentication method"'),
    ],
)
def test_the_sending_fix_says_where_the_program_named_switches_authentication_on(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    program: str,
    typed: str,
    words: str,
) -> None:
    # The fix names Outlook's box 「送信サーバーは認証が必要」, which a Thunderbird, iPhone or
    # Gmail app user looks for in vain: the program's own field follows it.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(program)
    driver.type(typed)
    assert words in driver.said()


def test_without_a_program_the_sending_fix_names_none(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("530 5.7.0 Authentication required")
    said = driver.said()
    assert "Thunderbird" not in said
    assert "プライマリサーバ" not in said


def test_before_the_window_no_program_steps_are_given(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Before the window the settings must not change yet: no steps to change them.
    driver = Driver(profile, catalogs, today=dt.date(2008, 5, 10))
    driver.start()
    driver.type("Thunderbirdです")
    driver.type("530 5.7.0 Authentication required")
    assert "認証方式" not in driver.said()


def test_an_error_naming_the_address_where_it_is_asked_gets_its_fix_and_moves_on(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Taken for the address alone, the refused login was never answered.
    driver = Driver(profile, catalogs)
    driver.start()
    for _ in range(4):
        driver.press("yes")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type("ユーザー名 taro@vp.117.ne.jp でサーバー vpop.117.ne.jp へのログインに失敗しました")
    said = driver.said()
    assert "メールアドレス全体（taro@vp.117.ne.jp）" in said
    assert driver.state.address == "taro@vp.117.ne.jp"
    # The address is not asked for again: the program is, next.
    assert driver.state.stage is Stage.ASK_PROGRAM


@pytest.mark.parametrize("typed", ["受信サーバーが応答していません", "送信サーバーが応答してない"])
def test_a_server_not_answering_is_no_no_to_the_first_question(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    # Its 「ていません」 was the first question's no: webmail only, nothing to change.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(typed)
    # A program's error proves a program is used (a sending one, that sending must change).
    assert driver.state.answers["q1_mail_program"] == "yes"
    assert "接続できていません" in driver.said()


@pytest.mark.parametrize("today", [dt.date(2008, 5, 10), dt.date(2008, 6, 1)])
def test_a_program_checking_the_message_before_sending_is_no_answer(
    profile: MigrationProfile, catalogs: Catalogs, today: dt.date
) -> None:
    # 「送信者が指定されていません」 was the first question's no: webmail only.
    driver = Driver(profile, catalogs, today=today)
    driver.start()
    driver.type(
        "送信者が指定されていません。アカウント設定の差出人情報にメールアドレスを入力してください。"
    )
    assert driver.state.answers["q1_mail_program"] == "yes"
    assert "今回のサーバー移行とは関係ありません" in driver.said()


@pytest.mark.parametrize(
    ("program", "typed", "words"),
    [
        (
            "iPhoneです",
            'サーバ"vsmtp.117.ne.jp"がパスワードを拒否しました。送信できません',
            "プライマリサーバ",
        ),
        (
            "Thunderbirdです",
            "送信 (SMTP) サーバー vsmtp.117.ne.jp の認証に失敗しました。",
            "「認証方式」を",
        ),
        ("Becky!です", "535 5.7.8 Error: authentication failed", "「ユーザーID」"),
    ],
)
def test_a_sending_login_refused_says_where_the_program_keeps_the_sending_login(
    profile: MigrationProfile, catalogs: Catalogs, program: str, typed: str, words: str
) -> None:
    # These programs keep the sending login apart: the account fixed for receiving may leave
    # the sending one as it was, and the fix said only 「アカウント名（ユーザー名）」.
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type(program)
    driver.type(typed)
    said = driver.said()
    assert "メールアドレス全体" in said
    assert words in said


def test_a_receiving_login_refused_names_no_sending_field(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("iPhoneです")
    driver.type("-ERR [AUTH] Authentication failed.")
    assert "プライマリサーバ" not in driver.said()
