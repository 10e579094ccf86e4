"""Subscribers who write in English, through whole turns (the English sweep, english1).

The reading corpus (`tests/dialogs/reading/utterances.tsv`) holds how each line is read; here
is what the subscriber is then told, and where the conversation goes.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import VerdictReply
from tests.dialogs.driver import Driver


def first_message(profile: MigrationProfile, catalogs: Catalogs, text: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("en")
    driver.type(text)
    return driver


@pytest.mark.parametrize(
    "text", ["I use Outlook", "Hello, I use Gmail", "I use Gmail on iPhone", "hi, i use outlook"]
)
def test_english_around_a_programs_name_is_english_not_romaji(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Read as romaji (「いうせoutlook」) once a program's name was kept as typed among kana
    # (54093fc), the Japanese chat stayed Japanese for them (reviewer24).
    driver = Driver(profile, catalogs)
    driver.first_message(text, "ja")
    assert driver.state.locale == "en", driver.said()


@pytest.mark.parametrize(
    "text",
    [
        "Could I end up in a sign-in loop?",
        "What if Outlook says my password is wrong after I change it?",
        "Will Thunderbird keep asking for my password after the change?",
    ],
)
def test_a_refused_login_asked_about_ahead_is_answered_not_taken_as_happened(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # Read as a report, the answer was "The mail server does not accept the login" and the
    # first question passed as answered.
    driver = first_message(profile, catalogs, text)
    said = driver.said()
    assert "does not accept the login" not in said
    assert "whole e-mail address" in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}
    assert not [r for r in driver.all_replies() if isinstance(r, VerdictReply)]


@pytest.mark.parametrize(
    "text",
    [
        "Outlook keeps asking for my password",
        "it keeps asking for my password, will it stop?",
        "Since I changed it, Outlook keeps asking for my password",
        # A program's words that open with "Could not", and a report of what happens when
        # (no question asked), were taken for questions asked ahead.
        "Could not sign in to your account",
        "Could not log on to the incoming (POP) server",
        "If I try to send it says wrong password",
        "if i click send it keeps asking for my password",
    ],
)
def test_a_refused_login_reported_is_still_the_problem(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    said = first_message(profile, catalogs, text).said()
    assert "does not accept the login" in said


@pytest.mark.parametrize(
    "text",
    [
        "thunderbird keeps asking me for password over and over",
        "Incorrect username or password (gmail app on android)",
    ],
)
def test_words_after_the_word_password_are_not_taken_for_a_typed_password(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "over" and "(gmail" were masked as a password: "Please do not type your password into
    # this chat", and the refused login went unanswered.
    said = first_message(profile, catalogs, text).said()
    assert "do not type your password" not in said
    assert "does not accept the login" in said


def test_a_wait_to_ask_someone_keeps_the_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # "let me ask" made it "Not sure", and the next question came before the husband answered.
    driver = first_message(profile, catalogs, "yes")
    driver.type("wait a sec, let me ask my husband")
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.answers == {"q1_mail_program": "yes"}
    assert "take your time" in driver.said()


def at_the_card(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = first_message(profile, catalogs, "yes")
    for answer in ("no", "taro@vp.117.ne.jp", "thunderbird", "yes"):
        driver.type(answer)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize("text", ["I'll try it later", "let me try it now"])
def test_trying_later_after_the_card_is_no_request_for_the_login_check(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "try" sent the link to the login check page.
    driver = at_the_card(profile, catalogs)
    driver.type(text)
    assert "check page" not in driver.said()
    assert "take your time" in driver.said()


def test_the_address_questions_own_button_typed_carries_on_without_it(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = first_message(profile, catalogs, "yes")
    driver.type("no")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type("continue without it")
    assert driver.state.stage is Stage.ASK_PROGRAM


@pytest.mark.parametrize(
    "text", ["Will my @vp.117.ne.jp address stay the same?", "I have an @vp.117.ne.jp address"]
)
def test_the_domain_named_in_a_sentence_is_no_address_of_theirs(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    # "my @vp.117.ne.jp" was joined into "my@vp.117.ne.jp", noted as their address and put
    # into the settings card as the account name.
    driver = first_message(profile, catalogs, text)
    assert "my@" not in driver.said()
    assert "an@" not in driver.said()
    assert "noted your address" not in driver.said()


def test_a_connection_reset_pasted_is_a_problem_not_a_restart(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Thunderbird's "was reset" read as the "restart" command: the chat started over.
    driver = first_message(profile, catalogs, "yes")
    driver.type("The connection to the server vpop.117.ne.jp was reset")
    assert "start again" not in driver.said()
    assert "cannot reach" in driver.said()
    assert driver.state.answers == {"q1_mail_program": "yes"}


@pytest.mark.parametrize("local", ["hoem", "sned", "ony"])
def test_an_address_keeps_a_local_part_that_looks_like_a_typo(
    profile: MigrationProfile, catalogs: Catalogs, local: str
) -> None:
    # Typed words are put right ("only at hoem"); an address is the subscriber's as typed.
    driver = first_message(profile, catalogs, "yes")
    driver.type("no")
    driver.type(f"{local}@vp.117.ne.jp")
    assert f"{local}@vp.117.ne.jp" in driver.said()
