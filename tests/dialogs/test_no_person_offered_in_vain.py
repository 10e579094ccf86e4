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


# words12: the settings asked for by post. 「郵送してもらえますか」「紙で欲しい」 with no desk
# said no one could take the chat and offered to take a message for a person to answer; as a
# first message 「印刷したものを送ってほしい」 got the first question alone. The notice offers
# nothing on paper: the chat says it cannot post, and how to print (the card's button).
BY_POST = [
    ("ja", "郵送してもらえますか"),
    ("ja", "紙で欲しい"),
    ("ja", "印刷したものを送ってほしい"),
    ("en", "Could you send it to me by post?"),
    ("en", "Can you mail me a printed copy?"),
]


@pytest.mark.parametrize(("locale", "text"), BY_POST)
@pytest.mark.parametrize("where", ["first message", "second question", "under the card"])
def test_the_settings_by_post_without_a_desk_are_how_to_print_them(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, where: str
) -> None:
    if where == "under the card":
        driver = delivered(profile, catalogs, desk=False)
        if locale == "en":
            driver.type("English")
    else:
        driver = Driver(profile, catalogs, desk=False)
    if where == "first message":
        driver.first_message(text, locale)
    elif where == "second question":
        driver.start(locale)
        driver.press("yes")
    stage = driver.state.stage if where != "first message" else Stage.Q1_MAIL_PROGRAM
    if where != "first message":
        driver.type(text)

    said = driver.said()
    printed = "print.after_card" if where == "under the card" else "print.before_card"
    assert catalogs.raw(locale, "by_post.no_desk") in said
    assert catalogs.raw(locale, printed) in said
    assert catalogs.raw(locale, "handoff.no_desk") not in said
    assert LEAVE_MESSAGE not in driver.offered()
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals
    assert driver.state.stage is stage


@pytest.mark.parametrize(("locale", "text"), BY_POST[::3])
def test_the_settings_by_post_with_a_desk_go_to_a_person(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str
) -> None:
    # Whoever takes the chat may know what the provider can send.
    driver = Driver(profile, catalogs, desk=True)
    driver.start(locale)
    driver.type(text)
    assert catalogs.raw(locale, "handoff.started") in driver.said()
    assert Signal.HANDOFF_REQUESTED in driver.last.signals


def test_printing_asked_is_not_the_post(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs, desk=False)
    driver.start()
    driver.type("印刷したいです")
    said = driver.said()
    assert catalogs.raw("ja", "print.before_card") in said
    assert catalogs.raw("ja", "by_post.no_desk") not in said


def test_the_post_asked_at_the_end_of_a_long_story_is_how_to_print(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Past the part the analyser reads (200 characters), the request still counts.
    story = "パソコンはあまり得意ではなく、息子も遠くに住んでいて、" * 8
    driver = Driver(profile, catalogs, desk=False)
    driver.start()
    driver.type(story + "設定を郵送してもらえますか")
    said = driver.said()
    assert len(story) > 200
    assert catalogs.raw("ja", "by_post.no_desk") in said
    assert catalogs.raw("ja", "handoff.no_desk") not in said


CAME_BY_POST = [
    "郵便でお知らせが届きました",
    "お知らせが郵送で届いたのですが、何をすればいいですか",
    "郵送されてきた案内を見ています",
    "郵送の案内を見ています",
    "郵便で来た紙に書いてあります",
]


@pytest.mark.parametrize("text", CAME_BY_POST)
@pytest.mark.parametrize("desk", [True, False])
def test_the_notice_that_came_by_post_asks_for_nothing(
    profile: MigrationProfile, catalogs: Catalogs, text: str, desk: bool
) -> None:
    # Words about the letter they were sent, not the settings asked for by post: with a desk
    # they were a handover nobody asked for, without one 「郵送することはできません」.
    driver = Driver(profile, catalogs, desk=desk)
    driver.start()
    driver.type(text)
    said = driver.said()
    assert Signal.HANDOFF_REQUESTED not in driver.last.signals
    assert catalogs.raw("ja", "handoff.started") not in said
    assert catalogs.raw("ja", "by_post.no_desk") not in said
