"""What subscriber23's round left misread (subscriber24).

- 「いいえ、ウェブメールです。でもログインできません」 was a mail program's refused login (the
  account as the whole address), and its login proved a mail program, so the first question
  was taken as its yes: the webmail user was told to change a program they do not use;
- 「スマホでもできますか」 'can I do this on my phone?' was asked which phone, its question left
  unanswered;
- 「設定を教えてください、送信できません」 got the settings and never a word of the problem.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind
from dialogs.vocabulary import Receiving
from tests.dialogs.driver import Driver
from tests.dialogs.driver import at_stage as _at

_OFFERED = ("yes", "no", "unsure", "back", "menu")
_WEBMAIL_LOGIN = {
    "ja": "Webメールには変えていただく設定はありません",
    "en": "webmail has no settings for you to change",
}
_WHOLE_ADDRESS = {"ja": "@より前だけでなく", "en": "not only the part before the @"}


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "いいえ、ウェブメールです。でもログインできません"),
        ("ja", "いいえ、ブラウザで見ています。でもログインできません"),
        ("en", "no, I use webmail. but I can't log in"),
    ],
)
def test_a_webmail_user_who_cannot_log_in_is_told_nothing_changes_for_webmail(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Before: the account as the whole address, and the first question taken as its yes.
    driver = _at(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    said = driver.said()
    assert _WEBMAIL_LOGIN[locale] in said
    assert _WHOLE_ADDRESS[locale] not in said
    assert driver.state.answers == {"q1_mail_program": "no"}
    # The verdict is the webmail's: nothing to change.
    assert driver.verdict().receiving is Receiving.NOT_NEEDED


def test_a_webmail_login_as_the_first_message(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message("いいえ、ウェブメールです。でもログインできません", "ja")
    assert _WEBMAIL_LOGIN["ja"] in driver.said()
    assert driver.state.answers == {"q1_mail_program": "no"}


@pytest.mark.parametrize(
    ("stage", "typed", "problem"),
    [
        (Stage.Q2_OTHER_NETWORK, "Webメールにログインできません", "webmail_login"),
        # The webmail denied, or named as used too: a program's login, as before.
        (Stage.Q1_MAIL_PROGRAM, "Webメールは使っていません。ログインできません", "login_failed"),
        (Stage.Q2_OTHER_NETWORK, "Webメールもログインできない", "login_failed"),
        (Stage.Q2_OTHER_NETWORK, "ログインできません", "login_failed"),
    ],
)
def test_whose_login_is_refused(
    profile: MigrationProfile, stage: Stage, typed: str, problem: str
) -> None:
    reading = read_text(typed, stage, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.PROBLEM, problem)


@pytest.mark.parametrize(
    ("locale", "stage", "typed"),
    [
        ("ja", Stage.Q2_OTHER_NETWORK, "スマホでもできますか"),
        ("ja", Stage.Q3_USES_OUR_SMTP, "スマホでも大丈夫？"),
        ("ja", Stage.Q2_OTHER_NETWORK, "スマホでも送れますか"),
        ("en", Stage.Q2_OTHER_NETWORK, "can I do this on my phone?"),
        ("en", Stage.Q3_USES_OUR_SMTP, "does this work on my phone too?"),
    ],
)
def test_asked_whether_a_phone_will_do_the_yes_comes_before_which_phone(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, stage: Stage, typed: str
) -> None:
    # Before: 「スマートフォンのメールアプリですね。iPhoneとAndroidのどちらを…」 alone.
    driver = _at(profile, catalogs, locale, stage)
    driver.type(typed)
    said = driver.said()
    assert said.startswith({"ja": "はい、スマートフォン", "en": "Yes: this chat helps"}[locale])
    assert {"ja": "iPhoneとAndroidのどちら", "en": "iPhone or an Android"}[locale] in said
    assert driver.state.stage is stage
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


def test_a_phone_said_is_still_asked_which(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("スマホです")
    said = driver.said()
    assert said.startswith("スマートフォンのメールアプリですね")
    assert not said.startswith("はい")


@pytest.mark.parametrize(
    ("locale", "typed", "check"),
    [
        ("ja", "設定を教えてください、送信できません", "ポート587番"),
        ("en", "tell me the settings, I can't send", "port 587"),
        ("ja", "設定を見せてください。0x800CCC0Fが出ます", "メールサーバーに接続できていません"),
    ],
)
def test_the_settings_asked_for_beside_a_problem_answer_both(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str, check: str
) -> None:
    # Before: the address question alone (or, in English, the problem alone and the first
    # question taken as its yes).
    driver = _at(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    said = driver.said()
    assert check in said
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.offered() == ["skip"]
    # The settings follow as asked.
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.settings()["username"] == "taro@vp.117.ne.jp"


def test_the_settings_and_a_problem_as_the_first_message(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message("設定を教えてください、送信できません", "ja")
    assert "送信の設定が従来のままの可能性があります" in driver.said()
    assert driver.state.stage is Stage.ASK_ADDRESS


def test_the_settings_asked_for_alone_say_no_problem(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("設定を教えてください")
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert "587" not in driver.said()


def test_where_the_domain_changes_a_webmail_login_is_told_the_new_address(
    catalogs: Catalogs,
) -> None:
    # "No settings to change for webmail" alone would hide that the address changes.
    moved = load_profile(Path(__file__).parents[2] / "examples" / "domain-change.toml")
    driver = Driver(moved, catalogs.with_variants(moved.text_variants))
    driver.start("ja")
    driver.type("いいえ、ウェブメールです。でもログインできません")
    said = driver.said()
    assert "@kaigan-hikari.example.jpで終わるアドレスに変わります" in said
    assert _WEBMAIL_LOGIN["ja"] not in said
    assert driver.state.answers == {"uses_mail_program": "no"}
