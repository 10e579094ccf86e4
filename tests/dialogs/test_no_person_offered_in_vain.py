"""Where nobody can take the chat, the bot does not offer a person it cannot give.

Two failed login checks, or words not understood three times, offered 「担当者におつなぎします」
with a button even with no desk (with one, the chat is handed over at once). Pressing it only
said 「担当者におつなぎできません」, and the check page, which repeats the chat's words without
buttons, offered a person with no way to reach one. Now the bot says at once that nobody can
take the chat here, where to call, and offers the message the desk can take.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.desk_message import CARRY_ON, LEAVE_MESSAGE
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import CHECK_FAILURE_LIMIT, MISUNDERSTOOD_LIMIT, Signal
from dialogs.vocabulary import Locale, SystemEvent, TextReply
from tests.dialogs.driver import Driver

ADDRESS = "taro@vp.117.ne.jp"
GIBBERISH = "zzqx"


def delivered(profile: MigrationProfile, catalogs: Catalogs, *, desk: bool) -> Driver:
    driver = Driver(profile, catalogs, desk=desk)
    driver.start()
    driver.press("settings")
    driver.type(ADDRESS)
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


def fail_checks(driver: Driver) -> str:
    for _ in range(CHECK_FAILURE_LIMIT):
        driver._run(
            event=SystemEvent("check_result", (("smtp", "auth_failed"), ("pop", "auth_failed")))
        )
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


def contact(profile: MigrationProfile, locale: Locale) -> str:
    return profile.support.contact_en if locale == "en" else profile.support.contact_ja


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_failed_checks_without_a_desk_say_where_to_call_not_offer_a_person(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = delivered(profile, catalogs, desk=False)
    if locale == "en":
        driver.type("English")

    words = fail_checks(driver)

    assert catalogs.raw(locale, "check.failed_repeatedly") in words
    assert catalogs.raw(locale, "handoff.no_desk") in words
    assert contact(profile, locale) in words  # the check page shows these words too
    assert "human" not in driver.offered()
    assert driver.offered() == [LEAVE_MESSAGE, CARRY_ON]


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_words_not_understood_without_a_desk_say_where_to_call(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs, desk=False)
    driver.start(locale)
    for _ in range(MISUNDERSTOOD_LIMIT):
        driver.type(GIBBERISH)

    said = driver.said()
    assert catalogs.raw(locale, "not_understood.repeatedly") in said
    assert catalogs.raw(locale, "handoff.no_desk") in said
    assert contact(profile, locale) in said
    assert driver.offered() == [LEAVE_MESSAGE, CARRY_ON]

    # Carrying on asks the question they were at.
    driver.press(CARRY_ON)
    assert "yes" in driver.offered()


def test_with_a_desk_the_chat_is_handed_over_as_before(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, desk=True)

    words = fail_checks(driver)

    assert catalogs.raw("ja", "handoff.no_desk") not in words
    assert catalogs.raw("ja", "check.failed_repeatedly") not in words
    assert catalogs.raw("ja", "handoff.started") in words
    assert Signal.HANDOFF_REQUESTED in driver.last.signals
