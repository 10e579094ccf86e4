"""A subscriber who said sending fails is not told their current settings still send.

The notice's "recommended" leaves say 「現在の設定でも送信できますが…」 (the home line, the old
server answering) and 「従来の設定（POP before SMTP）でも当面は送信できますが…」: true of a setup
that works, a contradiction to someone who opened with 「メールが送れない」.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
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


ELSEWHERE = {"ja": "ご利用の送信サーバー側にある", "en": "lies with the outgoing server you use"}
STAYS = {"ja": "送信の設定はそのままで大丈夫です", "en": "can stay as they are"}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_after_saying_sending_fails_another_providers_server_is_where_to_look(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # 「送信できません」, another network, not the provider's outgoing server: "your sending
    # settings can stay as they are" alone left them with mail that does not go, and nowhere
    # to go (sweep of round 4).
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(OPENINGS[locale])
    driver.press("yes")  # another network
    driver.press("no")  # not the provider's outgoing server
    verdict = driver.verdict()
    assert verdict.sending is Sending.NOT_NEEDED
    assert STAYS[locale] not in verdict.text
    assert ELSEWHERE[locale] in verdict.text
    assert profile.outgoing.old_hosts[0] in verdict.text
    # The way back it names leads to the outgoing-server question again.
    driver.type("戻る" if locale == "ja" else "back")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    driver.press("yes")
    driver.press("yes")  # port 25 blocked where they are
    assert driver.verdict().sending is Sending.REQUIRED


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_without_a_sending_problem_another_providers_server_stays_as_it_is(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.press("yes")
    driver.press("no")
    assert STAYS[locale] in driver.verdict().text
