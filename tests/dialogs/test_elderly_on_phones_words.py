"""What older subscribers write on LINE between the questions (subscriber12's sweep).

A call asked for, a return announced in their own words, 「お待たせしました」 after asking
the bot to wait: each was handed on without the phone contact, or not understood.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "電話で聞きたい"),
        ("ja", "でんわでききたいです"),
        ("ja", "電話番号を教えてください"),
        ("ja", "お電話いただけますか"),
        ("en", "can you call me? I prefer the phone"),
    ],
)
def test_a_call_asked_for_is_handed_on_with_the_phone_contact(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # Handed to the chat's desk, 「担当者から、このチャットでご連絡いたします」 alone: the
    # subscriber asked for the phone and was not told where to call.
    driver = Driver(profile, catalogs, desk=True)
    driver.start(locale)
    driver.type(text)
    assert Signal.HANDOFF_REQUESTED in driver.last.signals
    support = profile.support
    contact = support.contact_en if locale == "en" else support.contact_ja
    assert catalogs(locale, "handoff.phone", contact=contact) in driver.said()


@pytest.mark.parametrize("text", ["担当者と話したい", "人と話したい"])
def test_a_person_asked_for_without_a_call_is_not_told_of_the_phone(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start("ja")
    driver.type(text)
    assert Signal.HANDOFF_REQUESTED in driver.last.signals
    assert "お電話" not in driver.said()


@pytest.mark.parametrize(
    "text",
    [
        "すみません、昨日の者です",
        "昨日相談した者です",
        "先日問い合わせた者ですが",
        "どこまで進みましたか",
        "where were we?",
    ],
)
def test_back_the_next_day_in_own_words_carries_on(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.misunderstood == 0
    assert catalogs("ja", "smalltalk.resume") in driver.said()


@pytest.mark.parametrize(
    "text", ["お待たせしました", "お待たせいたしました", "sorry to keep you waiting"]
)
def test_back_after_asking_the_bot_to_wait(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("ちょっと待ってください")
    driver.type(text)
    assert driver.state.misunderstood == 0
    assert catalogs("ja", "smalltalk.understood") in driver.said()


@pytest.mark.parametrize(
    ("text", "answer"),
    [
        ("わかならい", "unsure"),
        ("わかりまてん", "unsure"),
        ("わかりあせん", "unsure"),
        ("わかりませ", "unsure"),
        ("わかりまへん", "unsure"),
        ("いいいえ", "no"),
    ],
)
def test_an_answer_mistyped_on_a_phone_is_read(
    profile: MigrationProfile, catalogs: Catalogs, text: str, answer: str
) -> None:
    # Each was 「うまく読み取れませんでした」, as often as the small keys slipped.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.type(text)
    assert driver.state.answers.get("q2_other_network") == answer


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_question_mark_again_after_the_explanation_is_answered_plainly(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # 「？」 three times at the network question got the same 130-character paragraph three
    # times, each with the question again under it.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type("？")
    explanation = catalogs(locale, "explain.other_network", provider=profile.provider_name)
    assert explanation in driver.said()
    driver.type("？")
    assert explanation not in driver.said()
    assert catalogs(locale, "explain.plain") in driver.said()
    driver.type("?")
    assert catalogs(locale, "explain.plain") in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.misunderstood == 0
    # Answered in between, the next question's 「？」 is explained in full again.
    driver.press("unsure")
    driver.type("？")
    assert catalogs(locale, "explain.plain") not in driver.said()


@pytest.mark.parametrize(
    ("locale", "text"),
    [
        ("ja", "祖母のメールの設定です"),
        ("ja", "母のメールです"),
        ("ja", "おばあちゃんのメールのことで"),
        ("ja", "父に頼まれて、父のパソコンのメールの設定をしたいです"),
        ("ja", "祖父の代わりに聞いています"),
        ("en", "I'm writing for my grandmother"),
        ("en", "hi, I'm writing for my mother"),
        ("en", "it's my mother's email"),
    ],
)
def test_someone_writing_for_a_relative_is_told_whose_answers_are_wanted(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # A grandchild on their own LINE for the grandparent: greeted and asked the first
    # question as if nothing had been said, and no word that the questions are about the
    # grandparent's computer or phone, not theirs.
    driver = Driver(profile, catalogs)
    driver._run(start=True, text=text, locale=locale)
    assert catalogs(locale, "smalltalk.on_behalf") in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    driver.press("yes")
    driver.type(text)
    assert catalogs(locale, "smalltalk.on_behalf") in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.misunderstood == 0


@pytest.mark.parametrize(
    "text",
    [
        "母のメールが届きません",
        "祖母はパソコンでメールしています",
        "母のメールアドレスはhanako@vp.117.ne.jpです",
    ],
)
def test_a_relative_named_beside_the_business_is_read_as_before(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(text)
    assert catalogs("ja", "smalltalk.on_behalf") not in driver.said()
