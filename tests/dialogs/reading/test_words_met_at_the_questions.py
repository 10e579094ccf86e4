"""Words subscribers typed that were read as something else (polish2's round).

"My address is secret" got the example 「secret@vp.117.ne.jp」, 「アドレスはgmailです」 was
noted as the Gmail app, 「パスワードはinvalidです」 got "the password does not change", and
「でんわばんごうをおしえて」, 「デキマシタ」 and 「封筒のマークのやつ」 were not read at all.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import ChoicesReply, Locale, TextReply
from tests.dialogs.driver import Driver

NOT_READ = {"ja": "うまく読み取れませんでした", "en": "did not catch"}


def texts_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


def at_address_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale = "ja"
) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    assert driver.state.stage is Stage.ASK_ADDRESS
    return driver


def after_the_card(profile: MigrationProfile, catalogs: Catalogs, *, desk: bool = False) -> Driver:
    driver = Driver(profile, catalogs, desk=desk)
    driver.start("ja")
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("my address is secret", "en"),
        ("It's private", "en"),
        ("secret", "en"),
        ("アドレスは秘密です", "ja"),
        ("ないしょです", "ja"),
        ("内緒", "ja"),
    ],
)
def test_an_address_kept_secret_is_carried_on_without(
    typed: str, locale: Locale, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs, locale)
    driver.type(typed)
    assert driver.state.stage is Stage.ASK_PROGRAM
    assert driver.state.address is None
    assert "@vp.117.ne.jp」" not in texts_of(driver)
    assert "secret@" not in texts_of(driver)


@pytest.mark.parametrize(
    ("typed", "locale", "said"),
    [
        ("アドレスはgmailです", "ja", "今回の移行の対象ではありません"),
        ("gmailのアドレスです", "ja", "今回の移行の対象ではありません"),
        ("メアドはヤフーです", "ja", "今回の移行の対象ではありません"),
        ("my address is gmail", "en", "is not part of this migration"),
        ("it's a gmail address", "en", "is not part of this migration"),
    ],
)
def test_an_address_at_another_service_is_said_to_be_outside_the_move(
    typed: str, locale: Locale, said: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs, locale)
    driver.type(typed)
    text = texts_of(driver)
    assert said in text
    # Not taken for the Gmail app (its guide would be given for the wrong reason).
    assert driver.state.program is None
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert "@vp.117.ne.jp" in text


def test_the_gmail_app_named_at_the_address_question_is_still_the_app(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs)
    driver.type("AndroidのGmailアプリです")
    assert driver.state.program == "gmail_android"


@pytest.mark.parametrize(
    "typed",
    ["パスワードはinvalidです", "パスワードがinvalidと出ます", "パスワードがincorrectと出る"],
)
def test_a_password_called_invalid_is_a_refused_login(
    typed: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type(typed)
    text = texts_of(driver)
    assert "ログインを受け付けていません" in text
    assert "パスワードは変わりません。今お使い" not in text


def test_the_support_number_asked_in_kana_is_the_contact(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type("でんわばんごうをおしえてください")
    assert NOT_READ["ja"] not in texts_of(driver)
    assert "サポート窓口" in texts_of(driver)


def test_the_number_word_alone_in_kana_asks_for_no_one(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = after_the_card(profile, catalogs, desk=True)
    driver.type("でんわばんごうは")
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals


def test_done_typed_in_katakana_after_the_card_is_read(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = after_the_card(profile, catalogs)
    driver.type("デキマシタ")
    assert NOT_READ["ja"] not in texts_of(driver)
    assert "解決してよかったです" in texts_of(driver)


@pytest.mark.parametrize("typed", ["封筒のマークのやつ", "ふうとうのマークのアプリです"])
def test_the_envelope_app_at_the_program_question_is_a_phones_mail(
    typed: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs)
    driver.press("skip")
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.type(typed)
    assert NOT_READ["ja"] not in texts_of(driver)
    assert "iPhoneとAndroidのどちらをお使いですか" in texts_of(driver)
