"""A subscriber who said sending fails is not told their current settings still send.

The notice's "recommended" leaves say 「現在の設定でも送信できますが…」 (the home line, the old
server answering) and 「従来の設定（POP before SMTP）でも当面は送信できますが…」: true of a setup
that works, a contradiction to someone who opened with 「メールが送れない」.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.state import DialogState
from dialogs.vocabulary import Locale, Sending
from tests.dialogs.driver import Driver

STILL_SENDS = {"ja": "現在の設定でも送信できますが", "en": "Your current settings still send"}
CHANGE_IT = {"ja": "今の設定では送信できないとのことですので", "en": "current settings do not send"}
OPENINGS = {"ja": "メールが送れない", "en": "I can't send email"}


def home_line_verdict(driver: Driver) -> str:
    """Only the home line, through the provider's outgoing server: "recommended"."""
    driver.press("no")  # no other network
    driver.press("yes")  # the provider's outgoing server
    verdict = driver.verdict()
    assert verdict.sending is Sending.RECOMMENDED
    return verdict.text


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_after_saying_sending_fails_the_recommended_change_is_not_said_to_still_send(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(OPENINGS[locale])
    text = home_line_verdict(driver)
    assert STILL_SENDS[locale] not in text
    assert CHANGE_IT[locale] in text
    assert "587" in text


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_without_a_sending_problem_the_notices_words_stand(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")  # a mail program
    text = home_line_verdict(driver)
    assert STILL_SENDS[locale] in text
    assert CHANGE_IT[locale] not in text


def test_starting_over_forgets_it(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("メールが送れない")
    driver.press("restart")
    driver.press("yes")
    assert STILL_SENDS["ja"] in home_line_verdict(driver)


def test_it_is_kept_between_turns_in_the_stored_state() -> None:
    stored = DialogState(cannot_send=True).to_json()
    assert DialogState.from_json(stored).cannot_send is True
    # A state stored before the field existed reads as "not said".
    del stored["cannot_send"]
    assert DialogState.from_json(stored).cannot_send is False
