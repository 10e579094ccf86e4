"""audit11: issue 11's subscribers checked from outside, and subscriber27's leftovers.

- 「メールソフトって何ですか」 at the first question was its 「わからない」 (said back, and the
  next question came): it asks what the question asks, and gets the explanation and the
  question again, as 「それってどういう意味ですか」 does.
- "Hi, I can't send email since yesterday" as the first message on a phone set to Japanese
  was greeted and answered in Japanese, English offered only at a later English message;
  the first words typed after a web chat's greeting, likewise. A pasted English error stays
  in the platform's language (the program's language, not the subscriber's), and Japanese
  typed in an English chat is offered Japanese as before.
- 「やっぱり家だけです」 after the verdict was 「うまく読み取れませんでした」: a change of mind
  that would lower the change is not taken on a reading there, and nothing said how to make
  it. The question is asked again, for its button to answer.
- 「よろしくお願いします」 after a message left for the desk was greeted 「こんにちは。メールの
  設定変更についてご案内します。」; 「宜しくお願い致します」 was not understood at all.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import Locale, VerdictReply
from tests.dialogs.driver import Driver


def _japanese(text: str) -> bool:
    return any("\u3040" <= ch <= "\u9fff" for ch in text)


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "メールソフトって何ですか"),
        ("ja", "メールソフトってなんですか？"),
        ("ja", "めーるそふとってなに"),
        ("ja", "メールソフトとは何でしょうか"),
        ("ja", "メールソフトが何かわかりません"),
        ("en", "what is a mail program?"),
        ("en", "What's an email client?"),
    ],
)
def test_what_a_mail_program_is_asked_gets_the_explanation_and_the_question_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(typed)
    # Before: 「「わからない」としてお答えを受け取りました」 and the network question.
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}
    assert driver.said().startswith(catalogs.raw(locale, "explain.mail_program"))
    assert driver.offered()[:3] == ["yes", "no", "unsure"]
    driver.type("はい" if locale == "ja" else "yes")
    assert driver.state.answers == {"q1_mail_program": "yes"}


def test_a_program_named_in_such_a_question_is_still_its_yes(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("Outlookってメールソフトですか")
    assert driver.state.answers == {"q1_mail_program": "yes"}


@pytest.mark.parametrize(
    "typed",
    [
        "Hi, I can't send email since yesterday",
        "Hello, my email stopped working",
        "I cannot receive mail on my iPhone",
    ],
)
def test_an_english_first_message_on_a_japanese_phone_is_answered_in_english(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(typed, "ja")
    said = driver.said()
    assert driver.state.locale == "en"
    assert said.startswith("Hello.")
    # Told at once how to have Japanese, in both languages; the rest is English.
    offer = catalogs.raw("en", "language.offer_japanese")
    assert offer in said
    assert not _japanese(said.replace(offer, ""))
    driver.type("日本語")
    assert driver.state.locale == "ja"


def test_a_japanese_first_message_on_an_english_phone_is_offered_japanese_as_before(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # English is someone's own setting; Japanese may be a platform's default for none.
    driver = Driver(profile, catalogs)
    driver.first_message("メールアドレスは変わりますか", "en")
    assert driver.state.locale == "en"
    assert catalogs.raw("en", "language.offer_japanese") in driver.said()


@pytest.mark.parametrize(
    "typed",
    [
        # An English Outlook's error pasted: the program's language, not the subscriber's.
        "Your server has unexpectedly terminated the connection. Error Number: 0x800CCC0F",
        "Sending of the message failed.",
        "hello",
        "Outlook",
    ],
)
def test_a_pasted_error_or_a_word_keeps_the_platform_s_language(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(typed, "ja")
    assert driver.state.locale == "ja"
    assert driver.said().startswith("こんにちは。")


def test_the_first_words_typed_after_the_greeting_choose_the_language(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # A web chat opened by a Japanese browser (or LINE's follow, Telegram's /start): greeted
    # in Japanese; the first thing typed is English.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("I can't receive my emails")
    assert driver.state.locale == "en"
    said = driver.said()
    offer = catalogs.raw("en", "language.offer_japanese")
    assert said.startswith(offer)
    assert not _japanese(said.replace(offer, ""))


def test_english_after_an_answer_is_only_offered_as_before(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type("I'm at home only")
    assert driver.state.locale == "ja"
    assert catalogs.raw("ja", "language.offer_english") in driver.said()


def _after_a_verdict_that_asks_for_sending(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    while driver.state.stage is not Stage.ASK_ADDRESS:
        driver.press("yes")
    assert driver.state.answers["q2_other_network"] == "yes"
    return driver


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "やっぱり家だけです"),
        ("ja", "やっぱり自宅だけでした"),
        ("en", "actually only at home"),
    ],
)
def test_a_change_of_mind_that_lowers_the_verdict_asks_the_question_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _after_a_verdict_that_asks_for_sending(profile, catalogs, locale)
    driver.type(typed)
    said = driver.said()
    # Before: 「うまく読み取れませんでした」 and the address question again.
    assert catalogs.raw(locale, "not_understood") not in said
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    # Not taken on the reading: the answer is the subscriber's to press.
    assert "q2_other_network" not in driver.state.answers
    assert not [r for r in driver.last.replies if isinstance(r, VerdictReply)]
    assert driver.offered()[:2] == ["yes", "no"]
    driver.press("no")
    assert driver.state.answers["q2_other_network"] == "no"
    assert Signal.VERDICT_REACHED in driver.last.signals


def test_the_same_answer_said_again_after_the_verdict_is_still_kept(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _after_a_verdict_that_asks_for_sending(profile, catalogs, "ja")
    driver.type("やっぱり会社でも使ってます")
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.answers["q2_other_network"] == "yes"


def _message_left(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type("担当者と話したい" if locale == "ja" else "I want to talk to a person")
    driver.press("desk_message")
    driver.type(
        "メールが送れません。090-1234-5678に夜お願いします"
        if locale == "ja"
        else "I cannot send mail, please call 090-1234-5678"
    )
    assert Signal.DESK_MESSAGE_LEFT in driver.last.signals
    return driver


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "よろしくお願いします"),
        ("ja", "宜しくお願い致します。"),
        ("ja", "どうぞよろしくお願いいたします"),
        ("en", "Thanks, looking forward to hearing from you"),
    ],
)
def test_regards_after_a_message_left_are_acknowledged_not_greeted(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _message_left(profile, catalogs, locale)
    driver.type(typed)
    said = driver.said()
    assert said.startswith(catalogs.raw(locale, "smalltalk.regards.message_left"))
    assert catalogs.raw(locale, "smalltalk.greeting") not in said
    assert catalogs.raw(locale, "not_understood") not in said
    assert driver.state.misunderstood == 0


def test_regards_without_a_message_are_returned_not_greeted(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("宜しくお願い致します")
    said = driver.said()
    assert said.startswith(catalogs.raw("ja", "smalltalk.regards"))
    assert catalogs.raw("ja", "smalltalk.regards.message_left") not in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
