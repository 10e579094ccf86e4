"""words: the leftovers of the words rounds, as a subscriber types them.

(a) Romaji after an English greeting, a program named in it ('hi, iPhone no meeru ga
mirenai'), switched the chat to English or was offered English, and 'meeru ga okurenai'
(jaconv's 「めえる」) was not read. (b) 「ええ、いいえ」 was the yes. (c) 'not really' to
「ほかにお手伝いできることはありますか？」 after the card was not understood; 「ダメ」 'kind
of' to 「解決しましたか？」 were 「はい。続きをどうぞ。」 (a sentence begun) or not understood.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

_TO_THE_CARD = ("yes", "no", "skip", "program:thunderbird", "yes")


def _started(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants))
    driver.start(locale)
    return driver


def _at_the_card(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = _started(profile, catalogs, locale)
    for choice in _TO_THE_CARD:
        driver.press(choice)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize(
    ("greeting", "typed", "in_japanese"),
    [
        ("hello", "hi, iPhone no meeru ga mirenai", "iPhoneのメールが見れない"),
        ("hello", "Hello. Watashi no meeru ga todokimasen.", "私のメールが届きません。"),
        (None, "Hi there, outlook de meeru ga okurenai", "outlookでメールが送れない"),
        (None, "hi. meeru okurenai. dou sureba ii?", "メール送れない。どうすればいい？"),
        (None, "meeru ga okurenai", "メールが送れない"),
    ],
)
def test_romaji_after_an_english_greeting_stays_japanese_and_is_read(
    profile: MigrationProfile,
    catalogs: Catalogs,
    greeting: str | None,
    typed: str,
    in_japanese: str,
) -> None:
    driver = _started(profile, catalogs, "ja")
    if greeting is not None:
        driver.type(greeting)
    driver.type(typed)
    written = _started(profile, catalogs, "ja")
    written.type(in_japanese)
    # Before: the chat went on in English, or 「Type "English" to continue in English.」 and
    # 「うまく読み取れませんでした」 (or the program alone, its symptom unheard).
    assert driver.state.locale == "ja"
    assert driver.said() == written.said()
    assert driver.state.stage is written.state.stage is not Stage.Q1_MAIL_PROGRAM


def test_a_platforms_first_message_in_romaji_with_a_program_stays_japanese(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants))
    driver.first_message("hi, iPhone no meeru ga mirenai", "ja")
    # Before: greeted in English ('Hello. This is the 117net…').
    assert driver.state.locale == "ja"
    assert driver.said().startswith(catalogs("ja", "greeting.hello"))


def test_an_english_sentence_after_a_greeting_still_switches(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The guard: the subscriber's own English is still followed.
    driver = _started(profile, catalogs, "ja")
    driver.type("Hi, I cannot send email")
    assert driver.state.locale == "en"


@pytest.mark.parametrize("typed", ["ええ、いいえ", "ええ　いいえ", "えー、いいえ違います"])
def test_a_hesitating_ee_before_the_no_is_the_no_said_back(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _started(profile, catalogs, "ja")
    pressed = _started(profile, catalogs, "ja")
    driver.press("yes")
    pressed.press("yes")
    driver.type(typed)
    pressed.press("no")
    # Before: 「「はい」としてお答えを受け取りました。」 and the next question.
    assert driver.said().startswith(
        catalogs("ja", "answer.read_as", answer=catalogs("ja", "choice.no"))
    )
    assert driver.state.stage is pressed.state.stage


@pytest.mark.parametrize("typed", ["はい、いいえ", "うん、いや", "yes, no"])
def test_a_yes_and_a_no_together_are_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _started(profile, catalogs, "ja")
    driver.press("yes")
    driver.type(typed)
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert catalogs("ja", "answer.read_as", answer=catalogs("ja", "choice.yes")) not in (
        driver.said()
    )


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "not really"),
        ("en", "Not really."),
        ("en", "that's it, thanks"),
        ("ja", "いえ、特には"),
        ("ja", "今のところ大丈夫です"),
        ("ja", "それだけです"),
    ],
)
def test_nothing_else_after_the_card_is_a_goodbye(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _at_the_card(profile, catalogs, locale)
    driver.press("feedback:solved")
    driver.type(typed)
    said = driver.said()
    # Before: 'Sorry, I did not catch that.' or 「はい。続きをどうぞ。」.
    assert said.startswith(catalogs(locale, "smalltalk.goodbye")), said


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "ダメ"),
        ("ja", "いまいち"),
        ("ja", "微妙です"),
        ("ja", "うーん、あんまり"),
        ("en", "kind of"),
        ("en", "not really working"),
        ("en", "no luck"),
    ],
)
def test_not_quite_solved_is_the_unsolved_answer(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _at_the_card(profile, catalogs, locale)
    pressed = _at_the_card(profile, catalogs, locale)
    driver.type(typed)
    pressed.press("feedback:unsolved")
    # Before: 「はい。続きをどうぞ。」 / 'Yes, please go on.' or not understood.
    assert driver.said() == pressed.said()
