"""Whole conversations typed, never tapped (the typed-conversation sweep, subscriber4).

Subscribers on LINE, Telegram, Slack and the web chat who answer every question in their
own words wander: they ask the bot to wait while they look, come back the next day, ask
what a question means. Each of these was 「うまく読み取れませんでした」 and counted toward
a handoff; the corpus (`tests/dialogs/reading/utterances.tsv`) holds how each is read.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import ChoicesReply, Locale, TextReply
from tests.dialogs.driver import Driver


def words(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


def at_third_question(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type("はい" if locale == "ja" else "yes")
    driver.type("会社からも送ります" if locale == "ja" else "yes, also from work")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    return driver


@pytest.mark.parametrize(
    ("locale", "text", "said"),
    [
        ("ja", "ちょっと待ってください", "ごゆっくり"),
        ("ja", "今調べます", "ごゆっくり"),
        ("en", "hold on", "take your time"),
    ],
)
def test_asked_to_wait_the_bot_waits_and_the_question_stays(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, said: str
) -> None:
    driver = at_third_question(profile, catalogs, locale)
    driver.type(text)
    assert said in words(driver)
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.misunderstood == 0
    assert driver.offered() == ["yes", "no", "unsure", "back", "menu"]


def test_back_the_next_day_carries_on_at_the_question_where_they_stopped(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_third_question(profile, catalogs, "ja")
    driver.type("昨日の続きです")
    said = words(driver)
    assert "前回の続きから" in said
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    assert driver.state.answers == {"q1_mail_program": "yes", "q2_other_network": "yes"}
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(("locale", "text"), [("ja", "昨日の続きです"), ("en", "I'm back")])
def test_back_with_nothing_kept_is_told_so_and_starts_at_the_first_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # The conversation expired (or began on another channel): 「前回の続きから」 would be untrue.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(text)
    said = words(driver)
    assert ("最初の質問から" if locale == "ja" else "first question") in said
    assert "前回の続きから" not in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
