"""After a login-check link: a subscriber who says the link ran out asks for a new one.

The expired page says to press 「ログインを確認する」 in the chat; on LINE or Telegram the
button may be far up (or gone), and subscribers type what happened instead. 「リンクの期限が
切れました」 was read as the migration's deadline (「設定変更の期間…は終了しましたが」), and
「新しいリンクをください」 was 「うまく読み取れませんでした」: a dead link, and no new one.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


def after_a_check_link(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    driver.press("check")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert Signal.CHECK_REQUESTED in driver.last.signals
    return driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "リンクの期限が切れました"),
        ("ja", "リンクの有効期限が切れてしまいました"),
        ("ja", "期限切れと出ました"),
        ("ja", "時間切れになりました"),
        ("ja", "新しいリンクをください"),
        ("ja", "リンクをもう一度送ってください"),
        ("ja", "リンクが使えません"),
        ("ja", "このリンクは使えませんと出ます"),
        ("en", "The link expired"),
        ("en", "the link has expired, can I have a new one?"),
        ("en", "Please send me a new link"),
        ("en", "the link doesn't work"),
    ],
)
def test_a_link_that_ran_out_gets_a_new_one(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = after_a_check_link(profile, catalogs, locale)
    driver.type(text)
    assert Signal.CHECK_REQUESTED in driver.last.signals, driver.said()


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        # The migration's own deadline, asked after a link: still the schedule's answer.
        ("ja", "設定の期限はいつまでですか"),
        ("en", "When is the deadline?"),
        # A password that expired, and the settings file's link: not the check's link.
        ("ja", "パスワードが期限切れと言われました"),
        ("ja", "設定ファイルのリンクが開かないです"),
        ("en", "the profile link doesn't open"),
        # Mail not arriving after ten minutes is no link.
        ("ja", "10分経ってもメールが届きません"),
    ],
)
def test_the_migration_s_deadline_is_still_the_schedule(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    driver = after_a_check_link(profile, catalogs, locale)
    driver.type(text)
    assert Signal.CHECK_REQUESTED not in driver.last.signals, driver.said()
