"""Bounces and error texts as programs show them (sweep of round 4).

A pasted 「550 5.1.1 <hanako@example.jp>: Recipient address rejected: User unknown」 was told
「hanako@example.jpは今回の移行の対象ではありません」; 「宛先不明で戻ってきます」 was a "not
sure" to the first question; the iPhone's 「このメッセージは"送信"メールボックスに置かれました」
was answered about old mail; Becky!'s 「SMTP AUTH に失敗しました」 was asked for the error's
text; 552 5.3.4 was not understood.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

BEFORE = dt.date(2008, 5, 1)
DURING = dt.date(2008, 6, 1)
AFTER = dt.date(2008, 7, 1)


def reported(
    profile: MigrationProfile, catalogs: Catalogs, text: str, day: dt.date, locale: Locale = "ja"
) -> Driver:
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(text)
    return driver


@pytest.mark.parametrize("day", [BEFORE, DURING, AFTER], ids=str)
@pytest.mark.parametrize(
    ("locale", "text"),
    [
        (
            "ja",
            "550 5.1.1 <hanako@example.jp>: Recipient address rejected: User unknown in local "
            "recipient table",
        ),
        ("ja", "宛先不明で戻ってきます"),
        ("en", "550 5.1.1 <hanako@example.jp>: Recipient address rejected: User unknown"),
    ],
)
def test_an_unknown_recipient_is_about_the_address_written_not_the_settings(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, day: dt.date
) -> None:
    driver = reported(profile, catalogs, text, day, locale)
    said = driver.said()
    assert ("宛先のアドレス" if locale == "ja" else "address is written correctly") in said
    # Not the recipient taken for the subscriber's own address, no new settings, no answer.
    assert "対象ではありません" not in said
    assert "not part of this migration" not in said
    assert profile.outgoing.new_host not in said
    assert driver.state.address is None
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}


def test_a_message_too_large_is_no_settings_problem(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = reported(profile, catalogs, "552 5.3.4 Message size exceeds fixed limit", DURING)
    assert "添付ファイルを小さく" in driver.said()
    assert driver.state.answers == {}


def test_the_iphones_outbox_notice_is_a_sending_failure(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = reported(
        profile, catalogs, 'このメッセージは"送信"メールボックスに置かれました。', DURING
    )
    said = driver.said()
    assert "メールボックスの中身は新しいサーバーへ移されません" not in said
    assert f"ポート{profile.outgoing.port}番" in said


def test_smtp_auth_failed_is_the_login_failing(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = reported(profile, catalogs, "SMTP AUTH に失敗しました", DURING)
    said = driver.said()
    assert "メールアドレス全体" in said
    assert "エラーの文章" not in said


@pytest.mark.parametrize("text", ["メールが戻ってくる", "Undeliverable: 会議の件"])
def test_a_bounce_without_its_text_is_asked_for_the_text(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    assert "エラーの文章" in reported(profile, catalogs, text, DURING).said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_sender_not_owned_by_the_login_is_not_a_relay_refusal(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # 553 5.7.1 … not owned by user was answered as relaying from another network without
    # authentication: the subscriber did authenticate, as an account the sender is not.
    text = "553 5.7.1 <taro@vp.117.ne.jp>: Sender address rejected: not owned by user hanako"
    said = reported(profile, catalogs, text, DURING, locale).said()
    assert ("差出人のメールアドレス" if locale == "ja" else "sender address") in said
    assert "中継" not in said
    assert "relay" not in said


def test_a_server_asking_for_encryption_is_answered_with_the_profiles_encryption(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # "530 5.7.0 Must issue a STARTTLS command first" was read as "authentication is off".
    said = reported(
        profile, catalogs, "530 5.7.0 Must issue a STARTTLS command first", DURING
    ).said()
    assert "暗号化（SSL/TLS）" in said
    assert "SMTP認証（「送信サーバーは認証が必要」）" not in said
