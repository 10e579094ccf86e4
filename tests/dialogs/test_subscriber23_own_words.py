"""Subscribers who arrive with a problem in their own words (subscriber23's round).

Read wrong before:
- typographic apostrophes (「’」, which iPhones and Macs type by default) were not folded:
  "I don’t know" at a question was its no, lowering the change needed, and "I can’t send
  emails" was not read;
- "can't send emails" opening the message was taken for a question asked ahead ("can …?");
- 「パスワードが分かりません」 was not the forgotten password (only 「わからない」 was), and
  where the address, the program or the sending server is asked a forgotten password was
  the address skipped or 'not sure' of the question;
- 「ＰＯＰビフォアＳＭＴＰってなんですか？」 and 'is this free?' were not answered.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind
from tests.dialogs.driver import at_stage as _at

_OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize(
    ("stage", "typed", "expected"),
    [
        # The no, dangerous: the Q2 and Q4 no lower the change needed.
        (Stage.Q2_OTHER_NETWORK, "I don’t know", Kind.UNSURE),
        (Stage.Q4_OP25B, "I don’t know", Kind.UNSURE),
        (Stage.Q4_OP25B, "I don‘t know", Kind.UNSURE),
        # Not read.
        (Stage.Q1_MAIL_PROGRAM, "I can’t send emails", Kind.PROBLEM),
        (Stage.Q2_OTHER_NETWORK, "my email won’t send", Kind.PROBLEM),
        # A no meant stays the no.
        (Stage.Q2_OTHER_NETWORK, "no, I don’t", Kind.NO),
    ],
)
def test_typographic_apostrophes_read_as_typed_plainly(
    profile: MigrationProfile, stage: Stage, typed: str, expected: Kind
) -> None:
    assert read_text(typed, stage, _OFFERED, profile).kind is expected


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("can't send emails", "cant_send"),
        ("Can't send emails 😩🙏", "cant_send"),
        ("can't receive emails", "cant_receive"),
        ("can’t send email", "cant_send"),
    ],
)
def test_cant_opening_the_message_is_a_report(
    profile: MigrationProfile, typed: str, problem: str
) -> None:
    # Its "can" was read as a question asked ahead ("can …?"), which reports nothing.
    reading = read_text(typed, Stage.Q1_MAIL_PROGRAM, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.PROBLEM, problem)


def test_can_i_still_asks(profile: MigrationProfile) -> None:
    reading = read_text("can I send from my phone?", Stage.Q1_MAIL_PROGRAM, _OFFERED, profile)
    assert reading.kind is not Kind.PROBLEM


@pytest.mark.parametrize(
    "stage",
    [
        Stage.ASK_ADDRESS,
        Stage.CHECK_ADDRESS,
        Stage.ASK_PROGRAM,
        Stage.ASK_OUTLOOK_KIND,
        Stage.ASK_SMTP_HOST,
        Stage.SETTINGS_DELIVERED,
        Stage.Q2_OTHER_NETWORK,
    ],
)
@pytest.mark.parametrize(
    "typed", ["パスワードが分かりません", "パスワードがわからない", "I don't know my password"]
)
def test_a_forgotten_password_is_answered_wherever_it_is_said(
    profile: MigrationProfile, stage: Stage, typed: str
) -> None:
    # Was the address skipped, 'not sure' of the program, the Outlook or the server, 'not
    # sure' of the network question, or 「パスワードは変わりません」 after the card.
    reading = read_text(typed, stage, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.TOPIC, "forgotten_password")


@pytest.mark.parametrize(
    ("stage", "typed"),
    [(Stage.ASK_ADDRESS, "わすれました"), (Stage.ASK_PROGRAM, "わかりません")],
)
def test_the_question_forgotten_keeps_its_reading(
    profile: MigrationProfile, stage: Stage, typed: str
) -> None:
    # The address forgotten is a skip; the program not known, the common steps.
    assert read_text(typed, stage, _OFFERED, profile).kind in (Kind.SKIP, Kind.UNSURE)


@pytest.mark.parametrize(
    ("typed", "topic"),
    [
        ("ＰＯＰビフォアＳＭＴＰってなんですか？", "pop_before_smtp"),
        ("POPビフォーSMTPとは", "pop_before_smtp"),
        ("is this free?", "fees"),
        ("is the change free?", "fees"),
    ],
)
def test_questions_in_other_spellings_are_answered(
    profile: MigrationProfile, typed: str, topic: str
) -> None:
    reading = read_text(typed, Stage.Q2_OTHER_NETWORK, _OFFERED, profile)
    assert (reading.kind, reading.value) == (Kind.TOPIC, topic)


def test_i_dont_know_typed_on_an_iphone_asks_for_the_change_that_is_safe(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The whole conversation: the blocking question's no kept POP before SMTP (recommended).
    driver = _at(profile, catalogs, "en", Stage.Q4_OP25B)
    driver.type("I don’t know")
    assert driver.state.answers["q4_op25b"] == "unsure"
    assert "you must change your settings" in driver.verdict().text.split("Sending:")[1]
