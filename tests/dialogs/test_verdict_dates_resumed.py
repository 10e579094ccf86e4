"""A conversation taken up after the old outgoing server's last day names that day once.

Advised on 20 June (「当面は送信できます」 until tonight) and back the morning after, a
subscriber heard 「前回（2008年6月20日(金)）のご案内のあと、…内容が変わりました」, then 「送信の
設定：変更が必要です。従来の送信サーバーは2008年6月20日(金)で利用できなくなりました。…」 and
the schedule's 「従来のサーバーは2008年6月20日(金)で利用できなくなりました。…」. The sending
line is the verdict's own (`advice.old_smtp_gone_key`, its day said by the schedule after it).
"""

from __future__ import annotations

import dataclasses
import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import word_date
from dialogs.vocabulary import Locale, reply_as_plain_text
from tests.dialogs.driver import Driver
from tests.dialogs.test_verdict_dates_once import EXAMPLES, WINDOW


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_conversation_taken_up_the_day_after_names_the_day_once(
    catalogs: Catalogs, locale: Locale
) -> None:
    # Advised on the last day (「当面は送信できます」 until tonight), back the morning after:
    # 「…内容が変わりました」, then the sending line and the old servers' line named 20 June each.
    profile = load_profile(EXAMPLES / "117net.toml")
    last = dt.date(2008, 6, 20)
    driver = Driver(profile, catalogs, today=last)
    driver.start(locale)
    driver.press("yes")
    driver.press("no")
    stored = dataclasses.replace(driver.state, advised_on=last)
    after = Driver(profile, catalogs, today=last + dt.timedelta(days=1), state=stored)
    after.press("skip")
    moved = reply_as_plain_text(after.last.replies[0])
    assert {"ja": "送信の設定：変更が必要です", "en": "Sending: you must change"}[locale] in moved
    said = "\n\n".join(part for part in moved.split("\n\n") if not part.startswith(WINDOW[locale]))
    # The day of the advice before (「前回（2008年6月20日(金)）のご案内のあと」) and the old
    # servers' line; not the sending line as well.
    assert said.count(word_date(catalogs, locale, last)) == 2, moved
