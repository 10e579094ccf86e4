"""What the notice says, said as the notice says it: who is affected, Q3, passwords."""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import ChoicesReply, Locale, TextReply, VerdictReply
from tests.dialogs.driver import Driver

# Who is concerned, in words and in the notice's own notation (「ご利用のメールアドレスが
# 「********@vp.117.ne.jp」の方は」): the notation alone reads to an elderly subscriber as a
# hidden password, the words alone do not match the notice in their hand.
CONCERNED = {
    "ja": "対象は、「@vp.117.ne.jp」で終わるメールアドレス（お知らせの表記では"
    "「********@vp.117.ne.jp」）をお使いの方です。",
    "en": 'It concerns e-mail addresses ending in "@vp.117.ne.jp" '
    '(written "********@vp.117.ne.jp" in our notice).',
}
WHO_CHANGES = {
    "ja": "「@vp.117.ne.jp」で終わるメールアドレスをメールソフトでお使いの方は全員",
    "en": 'Everyone who uses an e-mail address ending in "@vp.117.ne.jp" in a mail program',
}


def words(replies: object) -> str:
    assert isinstance(replies, tuple)
    return "\n".join(
        r.text for r in replies if isinstance(r, TextReply | ChoicesReply | VerdictReply)
    )


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_who_is_affected_is_said_before_any_question_in_the_notices_notation(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    greeting = words(driver.start(locale).replies)
    assert CONCERNED[locale] in greeting
    # The asterisks stand only beside the words that explain them.
    assert greeting.count("*") == len("********")
    driver.press("yes")
    driver.press("no")
    # The receiving verdict names them too, before the address question.
    assert WHO_CHANGES[locale] in driver.verdict().text
    assert "*" not in driver.verdict().text
    assert driver.state.stage is Stage.ASK_ADDRESS


def test_q3_asks_the_notices_question(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    question = words(driver.press("yes").replies)
    # 「117net のメールサーバを設定してメールの送信をご利用されていますか?」: from anywhere,
    # not only "from that connection".
    assert "その接続先から" not in question
    assert "117netのメールサーバーを設定して、メールを送信していますか" in question


@pytest.mark.parametrize(
    "typed", ["パスワード忘れた", "パスワードを忘れてしまいました", "I forgot my password"]
)
@pytest.mark.parametrize("desk", [True, False])
def test_a_forgotten_password_goes_to_the_desk(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, desk: bool
) -> None:
    driver = Driver(profile, catalogs, desk=desk)
    driver.start()
    result = driver.type(typed)
    if desk:
        assert Signal.HANDOFF_REQUESTED in result.signals
    else:
        assert Signal.CONTACT_GIVEN in result.signals
        assert profile.support.contact_ja in words(result.replies) or (
            profile.support.contact_en in words(result.replies)
        )


def test_the_password_question_alone_still_says_it_does_not_change(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    result = driver.type("パスワードは変わりますか？")
    assert "パスワードは変わりません" in words(result.replies)
    assert Signal.CONTACT_GIVEN not in result.signals


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_secret_typed_warning_says_one_thing(catalogs: Catalogs, locale: Locale) -> None:
    text = catalogs(locale, "secret.warning")
    # Not "your password does not change" beside "consider changing your password".
    assert not ("変更ありません" in text and "変更もご検討" in text)
    assert "ご検討" not in text
    assert "consider changing" not in text


@pytest.mark.parametrize(
    ("locale", "no_mail", "unless"),
    [
        ("ja", "メールは送信しません", "チェックを付けない限り"),
        ("en", "No mail is sent", "unless you tick"),
    ],
)
def test_the_check_pages_lead_says_when_a_message_is_sent(
    catalogs: Catalogs, locale: Locale, no_mail: str, unless: str
) -> None:
    # The page always offers "also send a test message to myself" under its lead; the lead
    # said, without exception, that no mail is sent.
    lead = catalogs(locale, "check_page.lead")
    assert no_mail in lead
    assert unless in lead
    assert catalogs(locale, "check_page.round_trip_label")


@pytest.mark.parametrize(
    ("locale", "overclaim"), [("ja", "送信もできます"), ("en", "you can receive and send")]
)
def test_a_passed_check_claims_the_logins_not_that_mail_goes_out(
    catalogs: Catalogs, locale: Locale, overclaim: str
) -> None:
    # The check logs in from the bot's network (MAIL.md): whether the subscriber's own line
    # reaches the outgoing port it cannot tell, and the note under the headline says so.
    # The headline said "you can receive and send with the new settings".
    headline = catalogs(locale, "check.passed")
    assert overclaim not in headline
    assert ("ログイン" if locale == "ja" else "log in") in headline
