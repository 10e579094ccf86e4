"""The first message after an agent's close, under its 「解決しましたか？」.

The runtime starts a closed conversation afresh and keeps the question open for the first
message (`bot.engine`: the fresh state offers its buttons, in the closed conversation's
language). Typed, 「はい」 answers it as 解決した does; the answer is in that language, not the
phone's.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs import feedback
from dialogs.profile import MigrationProfile
from dialogs.state import DialogState, Signal
from dialogs.vocabulary import Locale, TextReply
from tests.dialogs.driver import Driver


def closed(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    """A conversation an agent closed in `locale`, as the runtime starts it again."""
    state = DialogState(offered=feedback.CHOICES, locale=locale)
    return Driver(profile, catalogs, state=state, desk=True)


@pytest.mark.parametrize(
    ("typed", "signal"),
    [
        ("はい", Signal.FEEDBACK_SOLVED),
        ("できました", Signal.FEEDBACK_SOLVED),
        ("いいえ", Signal.FEEDBACK_UNSOLVED),
        ("まだです", Signal.FEEDBACK_UNSOLVED),
    ],
)
def test_typed_words_answer_the_question(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, signal: Signal
) -> None:
    # 「はい」 was a new conversation's first message: greeted, asked the first question.
    driver = closed(profile, catalogs, "ja")
    driver.first_message(typed, locale="ja")
    assert signal in driver.last.signals
    thanks = (
        "feedback.thanks_solved" if signal is Signal.FEEDBACK_SOLVED else "feedback.thanks_unsolved"
    )
    assert driver.last.replies[0] == TextReply(catalogs.raw("ja", thanks))
    # Answered: the next 「はい」 is no second answer.
    driver.type("はい")
    assert not {Signal.FEEDBACK_SOLVED, Signal.FEEDBACK_UNSOLVED} & set(driver.last.signals)


@pytest.mark.parametrize("answer", [{"choice": feedback.SOLVED}, {"text": "yes"}])
def test_an_english_chat_on_a_japanese_phone_is_answered_in_english(
    profile: MigrationProfile, catalogs: Catalogs, answer: dict[str, str]
) -> None:
    # Telegram and LINE give every message the phone's language: the thanks came in it.
    driver = closed(profile, catalogs, "en")
    driver._run(start=True, locale="ja", **answer)
    assert Signal.FEEDBACK_SOLVED in driver.last.signals
    assert driver.last.replies == (TextReply(catalogs.raw("en", "feedback.thanks_solved")),)
    assert driver.state.locale == "en"


@pytest.mark.parametrize(
    ("typed", "locale"),
    [
        ("まだ送れません", "ja"),
        ("いいえ、まだメールが送れません", "ja"),
        ("やっぱりだめでした", "ja"),
        ("No, still not working", "en"),
    ],
)
def test_still_broken_in_other_words_is_not_solved(
    profile: MigrationProfile, catalogs: Catalogs, typed: str, locale: Locale
) -> None:
    # Each was greeted as a new conversation: a problem diagnosed afresh with the questions
    # answered before the close asked again, or 「やっぱりだめでした」 asked the first question.
    driver = closed(profile, catalogs, locale)
    driver.first_message(typed, locale=locale)
    assert Signal.FEEDBACK_UNSOLVED in driver.last.signals
    assert driver.last.replies[0] == TextReply(catalogs.raw(locale, "feedback.thanks_unsolved"))
    assert driver.last.handoff_reason == "unsolved_after_close"
