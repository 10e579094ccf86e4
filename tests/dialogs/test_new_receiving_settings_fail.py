"""A subscriber who says they changed to the new settings and cannot receive hears the checks.

「新しい設定にしたら受信できません」「vpopに変えたら受信できなくなりました」 in the window (or
on the old servers' last day, or after it) was answered 「受信サーバーをvpop.117.ne.jpに…
変更すると受信できます」: the change they had just made. A new receiving setting that fails
needs its points checked (the server name exactly, the account as the profile has it, the
port and encryption, the password) and the login check; who did not say they changed still
hears the fix.
"""

from __future__ import annotations

import datetime as dt
import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import word_date
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, reply_as_plain_text
from tests.dialogs.driver import Driver

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
# In the window, the old servers' last day, the day after.
DAYS = [dt.date(2008, 6, 1), dt.date(2008, 6, 20), dt.date(2008, 6, 21)]
CHANGED = {
    "ja": ["新しい設定にしたら受信できません", "vpopに変えたら受信できなくなりました"],
    "en": [
        "I changed to the new settings and can't receive",
        "after changing to the new settings I can't receive email",
    ],
}
# The fix they have just made: 「…に変更すると受信できます」 / 「…に変更してください」.
THE_FIX = {"ja": "vpop.117.ne.jpに、", "en": "Change the incoming server to"}
CHECKS = {
    "ja": (
        "正確にvpop.117.ne.jp",
        "vp.117.ne.jpのまま",
        "メールアドレス全体",
        "受信ポートが110番",
        "パスワードが正しく",
        "ログインを確認する",
    ),
    "en": (
        "exactly vpop.117.ne.jp",
        "not still vp.117.ne.jp",
        "whole e-mail address",
        "incoming port is 110",
        "password is typed correctly",
        "Test my login",
    ),
}


def said_after(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date, text: str
) -> str:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.type(text)
    return driver.said()


@pytest.mark.parametrize("today", DAYS, ids=str)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_new_receiving_setting_that_fails_gets_its_checks_not_the_change(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    for text in CHANGED[locale]:
        said = said_after(profile, catalogs, locale, today, text)
        assert THE_FIX[locale] not in said, (text, said)
        for check in CHECKS[locale]:
            assert check in said, (text, check, said)


@pytest.mark.parametrize("today", [DAYS[0], DAYS[2]], ids=str)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_who_did_not_say_they_changed_still_hears_the_fix(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> None:
    text = {"ja": "受信できません", "en": "I can't receive email"}[locale]
    said = said_after(profile, catalogs, locale, today, text)
    assert THE_FIX[locale] in said
    assert CHECKS[locale][0] not in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_kept_receiving_name_is_said_to_stay(catalogs: Catalogs, locale: Locale) -> None:
    kept = load_profile(EXAMPLES / "pop-name-kept-smtp-moves.toml")
    today = kept.schedule.window_start + dt.timedelta(days=1)
    text = CHANGED[locale][0]
    said = said_after(kept, catalogs, locale, today, text)
    stays = {"ja": "受信サーバー名は変わりません", "en": "incoming server name stays the same"}
    assert stays[locale] in said, said
    assert {"ja": "ログインを確認する", "en": "Test my login"}[locale] in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_account_before_the_at_is_not_called_the_whole_address(
    catalogs: Catalogs, locale: Locale
) -> None:
    local = load_profile(EXAMPLES / "imap-local-part-new-year.toml")
    said = said_after(local, catalogs, locale, dt.date(2028, 1, 4), CHANGED[locale][0])
    assert {"ja": "@より前の部分", "en": "before the @"}[locale] in said, said
    assert {"ja": "メールアドレス全体", "en": "whole e-mail address"}[locale] not in said
    assert {"ja": "受信ポートが993番", "en": "incoming port is 993"}[locale] in said


# After the old receiving server stopped, the old servers' line before the checks said
# 「新しいサーバーに届いたメールは、設定を変更すると受信できます」 to who had just changed them
# and cannot receive (dates3): it names the days alone, in every profile's wording.
@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "name",
    [
        "117net.toml",
        "pop-to-imap.toml",
        "tls-required-one-host.toml",
        "pop-name-kept-smtp-moves.toml",
        "pop-moves-smtp-name-kept.toml",
        "pop-moves-smtp-unchanged.toml",
    ],
)
def test_after_the_old_server_stopped_the_change_is_not_asked_of_who_made_it(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = load_profile(EXAMPLES / name)
    gone = profile.schedule.old_pop_until
    assert gone is not None
    driver = Driver(
        profile, catalogs.with_variants(profile.text_variants), today=gone + dt.timedelta(days=1)
    )
    driver.start(locale)
    driver.type(CHANGED[locale][0])
    # The problem's answer (a verdict the answer completes follows in a reply of its own).
    said = reply_as_plain_text(driver.last.replies[0])
    promise = {
        "ja": r"変更すると(?:送)?受信できます|変更すれば受信できます",
        "en": r"once you change|change your settings and you can",
    }[locale]
    assert not re.search(promise, said), said
    assert word_date(catalogs, locale, gone) in said, said
    assert {"ja": "ログインを確認する", "en": "Test my login"}[locale] in said, said
