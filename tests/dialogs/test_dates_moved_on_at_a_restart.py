"""A conversation under way, started again after a day of the schedule (reviewer14).

Telegram's /start and LINE's follow (on unblocking) start a conversation under way again
(`inbound.start`). Told on 2008-06-19 that their current settings still send, a subscriber
who pressed /start on 06-27 was greeted and asked on, and the start kept 06-27 as the day
of the advice: 「前回…のご案内のあと、移行の日程が進み…」 (b91e3f4) was never said, and
the stored verdict stayed 'recommended' though the old servers had stopped on 06-20.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, Sending, TextReply
from tests.dialogs.driver import Driver

TOLD: dict[str, str] = {
    "ja": "前回（2008年6月19日(木)）のご案内のあと",
    "en": "since I last advised you (Thursday 19 June 2008)",
}


def words_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


def advised_on_the_19th(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    assert driver.state.sending is Sending.RECOMMENDED
    return Driver(profile, catalogs, today=dt.date(2008, 6, 27), state=driver.state)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_start_again_says_what_changed(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    later = advised_on_the_19th(profile, catalogs, locale)
    later.start(locale)
    assert TOLD[locale].lower() in words_of(later).lower()
    assert later.state.sending is Sending.REQUIRED


def test_a_start_again_with_words_says_what_changed(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # A platform's first message that asks a question (LINE, Telegram with text).
    later = advised_on_the_19th(profile, catalogs, "ja")
    later._run(start=True, locale="ja", text="パスワードは変わりますか")
    assert TOLD["ja"] in words_of(later)


def test_a_start_on_the_same_day_says_nothing_of_it(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    driver.start("ja")
    assert "メールサーバー移行についてご案内します" in words_of(driver)
    assert "前回（" not in words_of(driver)


def test_a_clock_behind_the_advice_says_nothing_moved_on(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Advised at 00:00:01 JST on 06-21 by one replica, the next message taken by another whose
    # clock still reads 06-20: the schedule did not move on, it was read a second early.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 21))
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    behind = Driver(profile, catalogs, today=dt.date(2008, 6, 20), state=driver.state)
    behind.type("taro@vp.117.ne.jp")
    assert behind.state.address == "taro@vp.117.ne.jp"
    assert "前回（" not in words_of(behind)


def test_a_message_left_for_the_desk_after_the_day_says_what_changed(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Asked on 06-19 for a message for the desk, the subscriber wrote it on 06-27: the turn
    # took the message and kept 06-27 as the day of the advice, so nothing after it said that
    # the old servers had stopped, and the verdict stayed 'recommended'.
    driver = Driver(profile, catalogs, today=dt.date(2008, 6, 19))
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    driver.press("desk_message")
    assert driver.state.leaving_message
    later = Driver(profile, catalogs, today=dt.date(2008, 6, 27), state=driver.state)
    later.type("設定がうまくいきません。電話番号は090-1234-5678です")
    assert TOLD["ja"] in words_of(later)
    assert later.state.sending is Sending.REQUIRED
