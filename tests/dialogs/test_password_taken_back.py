"""「それはパスワードでした」: the message before was the password, typed for the address.

A token whose only capital is its first letter (「abc12345」「Kq7xyz99」) passes as an
address's local part, on purpose (phones capitalise it), so it was said back as
「abc12345@vp.117.ne.jp」 and kept. Told 「さっきのはパスワードです」, the bot answered that
passwords do not change. Now the step asks the runtime to withdraw the message before
(`Signal.PREVIOUS_WITHDRAWN`), undoes what it answered, says so and asks the question again.
"""

from __future__ import annotations

import dataclasses

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.understanding import Kind, understand_command
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

TAKEN_BACK = [
    ("ja", "ごめんなさい それはパスワードでした"),
    ("ja", "さっきのはパスワードです"),
    ("ja", "さっきのはパスワードです。"),
    ("ja", "すみません、今のはパスワードでした！"),
    ("ja", "前のはパスワードだった"),
    ("ja", "それ ぱすわーどです"),
    ("ja", "あ、それはパスワードでした。すみません"),
    ("ja", "間違えてパスワードを入力しました"),
    ("ja", "まちがえてぱすわーどをいれてしまいました"),
    ("en", "sorry, that was my password"),
    ("en", "Sorry that was my password!"),
    ("en", "oops that was the password"),
    ("en", "I typed my password by mistake"),
    ("en", "i accidentally entered my password"),
    ("en", "that's my password, sorry"),
    ("en", "oh no that was my password please delete it"),
    ("ja", "さっき送ったのはパスワードでした"),
    ("ja", "それパスワード"),
    # The message named (reviewer17): each was read as nothing of the kind.
    ("ja", "前のメッセージはパスワードです"),
    ("ja", "さっきのメッセージはパスワードでした、消してください"),
    ("en", "the previous message was my password"),
    ("en", "my last message was my password, sorry"),
    ("en", "I sent you my password by accident"),
    ("en", "that's my pw, sorry"),
]

NOT_TAKEN_BACK = [
    "パスワードが違うと出ます",
    "パスワードは変わりますか",
    "パスワードは変わりますか？",
    "それはパスワードですか？",
    "前のパスワードでログインできません",
    "さっきのパスワードでいいですか",
    "それはパスワードではありません",
    "my password was rejected",
    "is that the password?",
    "I entered my password but it says wrong",
    "does my password change?",
    "this is the password screen",
    "it's my password that does not work",
    "それはパスワードの画面です",
    "今のパスワードです",
    "これはパスワード画面です",
    "それはパスワード入力欄です",
    # A wrong password entered in the mail program, not here.
    "パスワードを間違えて入れてしまいました",
    "前のメッセージはパスワードですか？",
    "the previous message was about my password",
    "I sent my password to the wrong address by accident?",
]


@pytest.mark.parametrize(("locale", "text"), TAKEN_BACK)
def test_the_words_are_read_as_taking_the_password_back(locale: Locale, text: str) -> None:
    from dialogs.understanding import normalise

    intent = understand_command(normalise(text))
    assert intent is not None
    assert intent.kind is Kind.PASSWORD_TAKEN_BACK


@pytest.mark.parametrize("text", NOT_TAKEN_BACK)
def test_other_words_about_a_password_are_not(text: str) -> None:
    from dialogs.understanding import normalise

    intent = understand_command(normalise(text))
    assert intent is None or intent.kind is not Kind.PASSWORD_TAKEN_BACK


@pytest.mark.parametrize(
    ("locale", "token", "taken_back"),
    [
        ("ja", "abc12345", "ごめんなさい それはパスワードでした"),
        ("ja", "Kq7xyz99", "さっきのはパスワードです"),
        ("en", "Kq7xyz99", "sorry, that was my password"),
        ("en", "abc12345", "I typed my password by mistake"),
    ],
)
def test_at_the_address_question_it_is_withdrawn_and_asked_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, token: str, taken_back: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(token)
    driver.type(taken_back)
    assert Signal.PREVIOUS_WITHDRAWN in driver.last.signals
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.address is None
    said = driver.said()
    assert catalogs(locale, "password_taken_back.withdrawn") in said
    assert catalogs(locale, "address.question", at_domains="@vp.117.ne.jp") in said
    # Not the "does the password change?" topic.
    assert catalogs(locale, "topic.password.answer") not in said
    assert token.casefold() not in said.casefold()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_address_taken_from_the_message_is_undone(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # The whole address typed with the password as its local part was taken and the next
    # question asked: the answer is undone as 「戻る」 would, and the address forgotten.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.type("Kq7xyz99@vp.117.ne.jp")
    assert driver.state.address == "kq7xyz99@vp.117.ne.jp"
    assert driver.state.stage is not Stage.ASK_ADDRESS
    driver.type("それはパスワードでした" if locale == "ja" else "that was my password")
    assert Signal.PREVIOUS_WITHDRAWN in driver.last.signals
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.address is None
    assert "kq7xyz99" not in repr(driver.state.to_json()).casefold()
    assert catalogs(locale, "address.question", at_domains="@vp.117.ne.jp") in driver.said()


def test_an_older_answer_stays(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # The address given two messages before is not the message withdrawn: it stays.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    stage = driver.state.stage
    driver.type("Kq7xyz99")
    driver.type("さっきのはパスワードです")
    assert Signal.PREVIOUS_WITHDRAWN in driver.last.signals
    assert driver.state.address == "taro@vp.117.ne.jp"
    assert driver.state.stage is stage


def test_at_the_check_address_it_is_asked_again_there(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The address for the login check: its question is asked again, and the answers before
    # it stay (it went back to the address question skipped at the start, and the program
    # and the server named since were lost).
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for choice in ["settings", "skip", "program:thunderbird", "yes", "check"]:
        driver.press(choice)
    assert driver.state.stage is Stage.CHECK_ADDRESS
    history = driver.state.history
    driver.type("Kq7xyz99@vp.117.ne.jp")
    driver.type("さっきのはパスワードです")
    assert Signal.PREVIOUS_WITHDRAWN in driver.last.signals
    assert driver.state.stage is Stage.CHECK_ADDRESS
    assert driver.state.address is None
    assert driver.state.history == history
    assert driver.state.program == "thunderbird"


def test_an_address_noted_at_another_question_is_forgotten_there(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Skipped at the address question and typed at the program question: forgotten, and the
    # program question (the one on screen) asked again, not the address question.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("settings")
    driver.press("skip")
    stage, history = driver.state.stage, driver.state.history
    driver.type("Kq7xyz99@vp.117.ne.jp")
    driver.type("さっきのはパスワードです")
    assert driver.state.address is None
    assert driver.state.stage is stage
    assert driver.state.history == history


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_said_twice_nothing_more_is_withdrawn(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.type("Kq7xyz99")
    driver.type("さっきのはパスワードです" if locale == "ja" else "that was my password")
    driver.type("それはパスワードでした" if locale == "ja" else "sorry, that was my password")
    assert Signal.PREVIOUS_WITHDRAWN not in driver.last.signals
    said = driver.said()
    assert catalogs(locale, "password_taken_back.again") in said
    assert catalogs(locale, "address.question", at_domains="@vp.117.ne.jp") in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_said_a_third_time_still_nothing_more_is_withdrawn(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # The saying itself is never the message withdrawn: the third one withdrew the second.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.type("Kq7xyz99")
    for _ in range(3):
        driver.type("さっきのはパスワードです" if locale == "ja" else "that was my password")
    assert Signal.PREVIOUS_WITHDRAWN not in driver.last.signals
    assert catalogs(locale, "password_taken_back.again") in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_after_a_press_nothing_typed_is_withdrawn(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Nothing typed left to withdraw (the runtime clears `last_words` once a message is
    # withdrawn), and a press the latest thing done (`DialogState.last_pressed`): the bot
    # says so, politely.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    stage = driver.state.stage
    driver.state = dataclasses.replace(driver.state, last_words="", last_pressed=True)
    driver.type("さっきのはパスワードです" if locale == "ja" else "sorry, that was my password")
    assert Signal.PREVIOUS_WITHDRAWN not in driver.last.signals
    said = driver.said()
    assert catalogs(locale, "password_taken_back.after_press") in said
    assert catalogs(locale, "password_taken_back.withdrawn") not in said
    assert driver.state.address == "taro@vp.117.ne.jp"
    assert driver.state.stage is stage


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_as_the_first_message_nothing_is_said_to_be_removed(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # The words typed before anything else: no message of theirs exists, so being told
    # 「ひとつ前のメッセージは、記録から消しました」 would be untrue.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type("さっきのはパスワードです" if locale == "ja" else "sorry, that was my password")
    assert Signal.PREVIOUS_WITHDRAWN not in driver.last.signals
    said = driver.said()
    assert catalogs(locale, "password_taken_back.nothing") in said
    assert catalogs(locale, "password_taken_back.withdrawn") not in said
