"""Errors the migration does not cause, pasted as programs show them (errors2's sweep).

A recipient's full mailbox (「552 5.2.2 Mailbox full」 inside Thunderbird's dialog) was read as
"cannot send" and its address as the subscriber's own; a message refused as spam
(「550 5.7.1 Message rejected as spam」) as a relay refusal, with "your sending settings must
change" and a verdict; Thunderbird's 「受信者の許容数を超えた」 as old sending settings. None of
them is fixed by the new settings: the answer says what it is and offers a person.
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

# Thunderbird's own Japanese strings (errorSendingRcptCommand, errorSendingDataCommand) with
# the server's reply inside.
THUNDERBIRD_RCPT = (
    "メールの送信中にエラーが発生しました。サーバーからの応答:\n{}\n"
    'メッセージの受信者 "hanako@example.jp" を確認し、再度試してください。'
)
THUNDERBIRD_DATA = "メールの送信中に送信 (SMTP) サーバーエラーが発生しました。サーバーから応答: {}"
OUTLOOK_REFUSED = (
    "サーバーは受信者の 1 つを拒否しました。受信者のアドレスは hanako@example.jp です。 "
    "アカウント: 'taro@vp.117.ne.jp', サーバー: 'vsmtp.117.ne.jp', プロトコル: SMTP, "
    "サーバーの応答: '{}', ポート: 587, セキュリティ (SSL): なし, サーバー エラー: 550, "
    "エラー番号: 0x800CCC79"
)


def reported(
    profile: MigrationProfile, catalogs: Catalogs, text: str, day: dt.date, locale: Locale
) -> Driver:
    driver = Driver(profile, catalogs, today=day)
    driver.start(locale)
    driver.type(text)
    return driver


def assert_nothing_to_change(driver: Driver, profile: MigrationProfile, locale: Locale) -> None:
    said = driver.said()
    # No new settings, no verdict, no answer taken, no address read from the error.
    assert profile.outgoing.new_host not in said
    assert f"{profile.outgoing.port}" not in said.replace("5.2.2", "").replace("4.2.2", "")
    assert driver.state.answers == {}
    assert driver.state.address is None
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    # A person offered, as for anything the chat cannot fix.
    assert ("担当者" if locale == "ja" else "agent") in said


@pytest.mark.parametrize("day", [BEFORE, DURING, AFTER], ids=str)
@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", THUNDERBIRD_RCPT.format("552 5.2.2 <hanako@example.jp>: Mailbox full")),
        ("ja", THUNDERBIRD_RCPT.format("452 4.2.2 <hanako@example.jp>: Over quota")),
        ("ja", OUTLOOK_REFUSED.format("552 5.2.2 Mailbox full")),
        ("ja", "宛先のメールボックスがいっぱいで戻ってきました"),
        ("ja", "相手のメールボックスが容量オーバーで送れませんでした"),
        ("ja", "メールボックスの容量がいっぱいですと出ます"),
        ("ja", 'メールボックス"受信"の容量を超えています'),
        ("en", "552 5.2.2 Mailbox full"),
        ("en", "452 4.2.2 Quota exceeded"),
        ("en", "550 5.2.2 The email account that you tried to reach is over quota."),
        ("en", "Message not delivered. The recipient's inbox is full."),
        ("en", "my friend says her mailbox is full and my email bounced"),
    ],
)
def test_a_full_mailbox_is_not_the_settings(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, day: dt.date
) -> None:
    driver = reported(profile, catalogs, text, day, locale)
    assert ("容量がいっぱい" if locale == "ja" else "mailbox is full") in driver.said()
    assert_nothing_to_change(driver, profile, locale)


@pytest.mark.parametrize("day", [BEFORE, DURING, AFTER], ids=str)
@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", THUNDERBIRD_DATA.format("550 5.7.1 Message rejected as spam by Content Filtering.")),
        ("ja", THUNDERBIRD_DATA.format("554 5.7.1 Message rejected because it contains spam")),
        ("ja", OUTLOOK_REFUSED.format("550 5.7.1 Message rejected as spam")),
        ("ja", "迷惑メールと判定されて相手に届きませんでした"),
        ("ja", "スパム扱いされて拒否されました"),
        ("ja", "「このメッセージは迷惑メールの疑いがあるため拒否されました」と返ってきた"),
        ("en", "550 5.7.1 Message rejected because of SPAM content"),
        ("en", "550 5.7.1 Our system has detected that this message is likely unsolicited mail."),
    ],
)
def test_a_message_refused_as_spam_is_not_a_relay_refusal(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, day: dt.date
) -> None:
    driver = reported(profile, catalogs, text, day, locale)
    said = driver.said()
    assert ("迷惑メールと判断" if locale == "ja" else "as spam") in said
    # Not only the recipient's server: the sender's own outgoing server may filter too
    # ("Message rejected as spam by Content Filtering" inside Thunderbird's SMTP error).
    assert ("多くは相手側" if locale == "ja" else "usually the recipient's") in said
    # It was "relaying from another network without authenticating; your sending must change".
    assert "中継" not in said
    assert "relay" not in said
    assert_nothing_to_change(driver, profile, locale)


@pytest.mark.parametrize(
    "text",
    [
        # A relay refusal that names spam in passing is still the relay refusal.
        "554 5.7.1 <hanako@example.jp>: Relay access denied (anti-spam policy)",
        "550 5.7.1 Unauthenticated relaying denied: please authenticate to send (spam control)",
        # A full mailbox guessed at beside the relay refusal.
        "送信すると「550 5.7.1 Relaying denied」と出て、相手のメールボックスがいっぱいなのかと"
        "思いました",
    ],
)
def test_a_relay_refusal_naming_spam_stays_a_relay_refusal(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    said = reported(profile, catalogs, text, DURING, "en").said()
    assert profile.outgoing.new_host in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_too_many_recipients_is_not_the_settings(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    text = (
        "受信者の許容数を超えたためメッセージを送信できませんでした。"
        "サーバーからの応答: 452 4.5.3 Error: too many recipients"
        if locale == "ja"
        else "452 4.5.3 Error: too many recipients"
    )
    driver = reported(profile, catalogs, text, DURING, locale)
    assert ("宛先の数" if locale == "ja" else "more recipients than") in driver.said()
    assert_nothing_to_change(driver, profile, locale)


@pytest.mark.parametrize(
    "text",
    [
        "Your message to hanako@gmail.com has been blocked. 550 5.7.1 spam",
        "Delivery to the following recipient failed permanently: hanako@gmail.com. 550 5.1.1 "
        "The email account that you tried to reach does not exist.",
        "Your message to hanako@gmail.com couldn't be delivered. 550 5.2.2 over quota",
        "Message to hanako@gmail.com. 552 5.2.2 Mailbox full",
    ],
)
def test_a_recipients_address_beside_a_bounce_is_no_answer_to_the_sending_question(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs, today=DURING)
    driver.start("en")
    driver.press("yes")
    driver.press("yes")
    driver.type(text)
    # The recipient's Gmail address, in the sentence beside the bounce, was the sending
    # question's no: "you send through another provider's server", sending left unchanged.
    assert Stage.Q3_USES_OUR_SMTP.value not in driver.state.answers
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "552 5.3.4 Message size exceeds fixed limit"),
        ("en", "552 5.3.4 Message size exceeds fixed limit"),
        ("ja", "550 5.1.1 <hanako@example.jp>: Recipient address rejected: User unknown"),
        ("en", "550 5.1.1 <hanako@example.jp>: Recipient address rejected: User unknown"),
        ("ja", "添付ファイルが大きすぎて送れません"),
    ],
)
def test_a_bounce_for_the_size_or_the_address_offers_a_person(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # Neither said more than what to check: one that keeps coming back had nowhere to go.
    driver = reported(profile, catalogs, text, DURING, locale)
    assert_nothing_to_change(driver, profile, locale)


@pytest.mark.parametrize(
    ("typed", "answer"),
    [
        (
            "ユーザー名: taro パスワード: Kq7xyz99 でログインしようとすると 535 が出ます",
            "メールアドレス全体",
        ),
        ("USER taro\nPASS Kq7xyz99\n-ERR [AUTH] Authentication failed.", "メールアドレス全体"),
        ("会社から送ると 550 5.7.1 Relaying denied になります。パスワードは Kq7xyz99 です", "中継"),
    ],
)
def test_an_error_pasted_with_a_password_is_answered_as_well_as_warned_of(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, answer: str
) -> None:
    # The warning alone was given: the error had to be sent again, without the password.
    driver = reported(profile, catalogs, typed, DURING, "ja")
    said = driver.said()
    assert catalogs("ja", "secret.warning") in said
    assert answer in said
    assert "Kq7xyz99" not in said
    assert driver.last.said is not None
    assert "Kq7xyz99" not in driver.last.said[1]
