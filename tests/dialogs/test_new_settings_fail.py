"""A subscriber who says they changed to the new settings and cannot send hears the checks.

「新しい設定にしたら送れません」 in the window (or after it) was answered 「送信の設定が従来の
ままの可能性があります」 / 'Your sending settings are probably still the old ones': the
opposite of what they had just said. A new setting that fails needs its points checked (SMTP
authentication, port 587, the whole address as the account, the same password) and the login
check; who did not say they changed still hears the usual cause.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

# In the window, the old servers' last day, the day after.
DAYS = [dt.date(2008, 6, 1), dt.date(2008, 6, 20), dt.date(2008, 6, 21)]
CHANGED = {
    "ja": ["新しい設定にしたら送れません", "新しい設定に変えたらメールが送信できません"],
    "en": [
        "I changed to the new settings and cannot send",
        "after changing to the new settings I can't send email",
    ],
}
STILL_OLD = {"ja": "従来のまま", "en": "still the old ones"}
CHECKS = {
    "ja": (
        "SMTP認証）がオン",
        "587番",
        "メールアドレス全体",
        "パスワードが受信と同じ",
        "ログインを確認する",
    ),
    "en": (
        "SMTP authentication",
        "587",
        "whole e-mail address",
        "same as for receiving",
        "Test my login",
    ),
}


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_new_setting_that_fails_gets_its_checks_not_the_old_settings(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    for text in CHANGED[locale]:
        driver = Driver(profile, catalogs, today=today)
        driver.start(locale)
        driver.type(text)
        said = driver.said()
        assert STILL_OLD[locale] not in said, (text, said)
        for check in CHECKS[locale]:
            assert check in said, (text, check, said)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_who_did_not_say_they_changed_still_hears_the_old_settings_cause(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs, today=DAYS[0])
    driver.start(locale)
    driver.type({"ja": "メールが送れません", "en": "I can't send email"}[locale])
    assert STILL_OLD[locale] in driver.said()
