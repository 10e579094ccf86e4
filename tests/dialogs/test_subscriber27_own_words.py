"""subscriber27: subscribers in their own words, and subscriber26's leftovers.

- Under 「解決しましたか？」 the English no's ("No, not yet.", "still no", "no, sorry") and
  「まだできてない」「うまくいきません」 were 「うまく読み取れませんでした」. "no thanks" declines,
  as 「いいえ、大丈夫です」 does; "Not yet, I'll try later" was the login check.
- 「新しいOutlookで「アカウントを追加できませんでした」と出ます」 got the first question and no
  word of the error.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs import feedback
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import LinkReply, Locale, SettingsReply, TextReply
from tests.dialogs.driver import Driver


def _at_the_settings(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs, desk=True)
    driver.start(locale)
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert any(isinstance(r, SettingsReply) for r in driver.all_replies())
    assert feedback.is_asked(driver.state.offered)
    return driver


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("en", "No, not yet."),
        ("en", "still no"),
        ("en", "no, sorry"),
        ("en", "not really"),
        ("en", "no, it didn't work"),
        # As 「わかりません」 after the guide (a person helps).
        ("en", "no idea"),
        ("en", "I don't understand"),
        ("en", "I'm lost"),
        ("ja", "まだできてない"),
        ("ja", "いいえ、まだできていません"),
        ("ja", "うまくいきません"),
    ],
)
def test_a_no_under_the_question_is_not_solved(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, words: str
) -> None:
    driver = _at_the_settings(profile, catalogs, locale)
    driver.type(words)
    assert Signal.FEEDBACK_UNSOLVED in driver.last.signals
    assert Signal.HANDOFF_REQUESTED in driver.last.signals


@pytest.mark.parametrize("words", ["no thanks", "No thank you.", "nope, thanks"])
def test_no_thanks_declines_as_no_that_is_all_does(
    profile: MigrationProfile, catalogs: Catalogs, words: str
) -> None:
    driver = _at_the_settings(profile, catalogs, "en")
    driver.type(words)
    assert not {Signal.FEEDBACK_SOLVED, Signal.FEEDBACK_UNSOLVED} & set(driver.last.signals)
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals
    said = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    assert catalogs.raw("en", "smalltalk.goodbye") in said


@pytest.mark.parametrize("words", ["Not yet, I'll try later", "I haven't tried yet"])
def test_not_tried_yet_is_waited_for_not_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs, words: str
) -> None:
    driver = _at_the_settings(profile, catalogs, "en")
    driver.type(words)
    # Before: the login check ("Which address shall I check?", no address was given).
    assert catalogs.raw("en", "smalltalk.wait") in driver.said()
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert Signal.CHECK_REQUESTED not in driver.last.signals
    assert not [r for r in driver.last.replies if isinstance(r, LinkReply)]
    assert not {Signal.FEEDBACK_SOLVED, Signal.FEEDBACK_UNSOLVED} & set(driver.last.signals)


@pytest.mark.parametrize(
    ("locale", "typed", "program"),
    [
        ("ja", "新しいOutlookで「アカウントを追加できませんでした」と出ます", "outlook_new"),
        ("ja", "Thunderbirdでアカウントの追加に失敗しました", "thunderbird"),
        ("en", "The new Outlook says it couldn't add my account", "outlook_new"),
    ],
)
def test_an_account_not_added_is_answered_before_the_questions(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, program: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(typed, locale)
    # What to compare with the new settings; then the questions, the first answered by the
    # program named.
    assert catalogs.raw(locale, "problem.account_not_saved") in driver.said()
    assert driver.state.program == program
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


def test_i_am_lost_is_not_about_lost_mail(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # "I'm lost" at a question was told what happens to old mail (the topic's 'lost').
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.press("yes")
    driver.type("I'm lost")
    assert catalogs.raw("en", "topic.old_mail.answer").split("{", 1)[0] not in driver.said()
    # It is "not sure", as "I'm confused" is (said back, so that "back" undoes it).
    assert driver.state.answers["q2_other_network"] == "unsure"
    # Mail said lost still is.
    driver.press("back")
    driver.type("I think my old mail got lost")
    assert catalogs.raw("en", "topic.old_mail.answer").split("{", 1)[0] in driver.said()
