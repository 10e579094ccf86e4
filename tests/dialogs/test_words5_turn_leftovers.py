"""words4's leftovers in the turn: an answer given beside a question, the card, webmail only.

- 「Outlookです。パスワードは変わりますか」 where the program is asked, 「taro@…です。ポートは
  何番？」 where the address is: the answer was taken and the question dropped.
- The settings typed back after a card that keeps sending as it is: each sending value was
  「カードでは「変更なし」です。こちらに直してください」.
- The webmail-only answer to a trouble said first opened 「先ほどのお答えでは…」 without the
  trouble: it names it.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import TROUBLE_OF_NO_KIND, DialogState
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "typed", "answered", "next_stage"),
    [
        (
            "ja",
            "Outlookです。パスワードは変わりますか",
            "パスワードは変わりません",
            Stage.ASK_OUTLOOK_KIND,
        ),
        ("ja", "iPhoneです、POPって何ですか", "メールを受信する仕組み", Stage.ASK_SMTP_HOST),
        ("en", "Thunderbird. What is SMTP?", "SMTP is the way mail is sent", Stage.ASK_SMTP_HOST),
    ],
)
def test_a_program_given_with_a_question_answers_both(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    typed: str,
    answered: str,
    next_stage: Stage,
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.press("skip")
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.type(typed)
    assert answered in driver.said()
    assert driver.state.stage is next_stage


@pytest.mark.parametrize(
    ("locale", "typed", "answered"),
    [
        ("ja", "taro@vp.117.ne.jpです。ポートは何番？", "587"),
        ("ja", "taro@vp.117.ne.jpです。パスワードは変わりますか", "パスワードは変わりません"),
        ("en", "taro@vp.117.ne.jp - does my password change?", "password does not change"),
    ],
)
def test_an_address_given_with_a_question_answers_both(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, answered: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.type(typed)
    assert answered in driver.said()
    assert driver.state.address == "taro@vp.117.ne.jp"
    assert driver.state.stage is Stage.ASK_PROGRAM


@pytest.mark.parametrize(
    ("locale", "typed", "kept"),
    [
        (
            "ja",
            "受信サーバー vpop.117.ne.jp ポート110 送信 vs.117.ne.jp ポート25 これでいいですか",
            "・送信ポート：25（変更の必要はありません。今のままお使いください）",
        ),
        (
            "en",
            "incoming vpop.117.ne.jp 110, outgoing vs.117.ne.jp 25. is this right?",
            "- Outgoing port: 25 (no change needed: keep it as it is)",
        ),
    ],
)
def test_a_typed_value_the_card_keeps_needs_no_change(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, kept: str
) -> None:
    # Sending needs no change (another line, not the provider's outgoing server).
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for press in ("yes", "yes", "no", "settings", "skip", "program:thunderbird"):
        driver.press(press)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type(typed)
    said = driver.said()
    assert kept in said
    assert "変更なし」です。こちらに直して" not in said
    assert 'the card says "No change"' not in said


@pytest.mark.parametrize(
    ("locale", "first", "no", "named"),
    [
        ("ja", "メールが使えなくなりました", "いいえ", "メールがうまく使えないとのことですね"),
        ("en", "my email stopped working", "No", "You said your mail is not working."),
    ],
)
def test_the_webmail_only_answer_names_the_trouble_said_first(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    first: str,
    no: str,
    named: str,
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(first, locale)
    driver.type(no)
    assert driver.state.stage is Stage.WEBMAIL_ONLY
    assert named in driver.said()
    assert "先ほどのお答えでは" not in driver.said()
    # Right under the verdict, which says webmail goes on as before: not said again
    # (「…これまでどおりご利用いただけます。」 then 「Webメールは…今までどおりお使い
    # いただけますので…」 in one answer).
    as_before = "どおり" if locale == "ja" else "as before"
    assert driver.said().count(as_before) == 1, driver.said()


@pytest.mark.parametrize(
    ("typed", "named"),
    [
        ("メールが受信できません", "メールが受信できないとのことですね"),
        ("メールが送れません", "メールが送信できないとのことですね"),
    ],
)
def test_a_trouble_after_the_webmail_only_verdict_is_named(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, named: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("no")
    driver.type(typed)
    assert named in driver.said()


def test_a_trouble_stored_without_its_kind_is_still_answered() -> None:
    # A record kept before the kind was: its `true` is a trouble of no kind named.
    stored = DialogState.from_json({"stage": "q1_mail_program", "trouble_said": True})
    assert stored.trouble_said == TROUBLE_OF_NO_KIND
    kept = DialogState.from_json(DialogState(trouble_said="cant_send").to_json())
    assert kept.trouble_said == "cant_send"
