"""The advice on the notice's date boundaries, path by path (dates6).

The notice: change the settings between 2008-05-21 (Wed) and 2008-06-20 (Fri); the old
servers answer until 2008-06-20. The day before the window, a subscriber whose current
settings cannot send (port 25 blocked, or not known) must not be told they keep working.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale, TextReply
from tests.dialogs.driver import Driver

BEFORE_WINDOW: Final = dt.date(2008, 5, 20)
KEEP_WORKING: Final = {
    "ja": "それまでは今の設定のままお使いいただけます。",
    "en": "Until then your current settings keep working.",
}
CANNOT_SEND_YET: Final = {
    "ja": "今の設定で送信できない場合は、期間が始まって設定を変更すると送信できるようになります。",
    "en": "Where your current settings cannot send, sending works once the period has begun",
}


def card_lead(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> str:
    driver = Driver(profile, catalogs, today=BEFORE_WINDOW)
    driver.start(locale)
    for answer in answers:
        driver.press(answer)
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:other")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "answers",
    [["yes", "yes", "yes", "yes"], ["yes", "yes", "yes", "unsure"], ["unsure"] * 4],
    ids=["port25_blocked", "not_sure_of_the_block", "not_sure_of_anything"],
)
def test_settings_that_cannot_send_are_not_said_to_keep_working_before_the_window(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> None:
    # The verdict said 「従来の設定では送信できません」, and the card's lead on 05-20 went on
    # 「それまでは今の設定のままお使いいただけます」: from a network that blocks port 25 they
    # do not send at all, and sending works only after the change, once the window opens.
    said = card_lead(profile, catalogs, locale, answers)
    assert KEEP_WORKING[locale] not in said
    assert CANNOT_SEND_YET[locale] in said


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    "answers", [["yes", "no"], ["yes", "yes", "yes", "no"], ["yes", "yes", "no"]]
)
def test_settings_that_send_today_keep_working_until_the_window(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, answers: list[str]
) -> None:
    said = card_lead(profile, catalogs, locale, answers)
    assert KEEP_WORKING[locale] in said
    assert CANNOT_SEND_YET[locale] not in said

