"""Old servers that stop on one day are told that day once."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


def schedule_answer(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, today: dt.date
) -> str:
    driver = Driver(profile, catalogs, today=today)
    driver.start(locale)
    driver.press("topic:schedule")
    return driver.said()


ONCE: Final = {
    "ja": "従来のサーバーは、受信（POP）・送信（SMTP）とも2008年6月20日(金)までご利用"
    "いただけます。",
    "en": (
        "The old server stays available for receiving (POP) and sending (SMTP)"
        " until Friday 20 June 2008."
    ),
}
TWICE: Final = {
    "ja": "送信（SMTP）が2008年6月20日(金)まで",
    "en": "for sending (SMTP) until Friday",
}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_one_day_for_both_old_servers_is_said_once(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # The seed's servers both stop on 20 June: every schedule answer read 「受信（POP）が
    # 2008年6月20日(金)まで、送信（SMTP）が2008年6月20日(金)までご利用いただけます。」
    said = schedule_answer(profile, catalogs, locale, dt.date(2008, 6, 1))
    assert ONCE[locale] in said
    assert TWICE[locale] not in said


def test_two_days_are_each_said(profile: MigrationProfile, catalogs: Catalogs) -> None:
    schedule = dataclasses.replace(profile.schedule, old_smtp_until=dt.date(2008, 9, 30))
    said = schedule_answer(
        dataclasses.replace(profile, schedule=schedule), catalogs, "ja", dt.date(2008, 6, 1)
    )
    assert "受信（POP）が2008年6月20日(金)まで、送信（SMTP）が2008年9月30日(火)まで" in said
