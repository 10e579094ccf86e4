"""words9: a program never used, or not used, is not the program, nor an answer to the line.

- 「Outlookは使ったことがありません」 'I've never used Outlook' at the first question was its
  yes with Outlook kept as the program; it is the no, as 「Outlookは使っていません」 is.
- At the network, server and blocking questions a program said not to be used says nothing
  of the line or the server: 「Outlookは使っていません」 was their no (at the server question,
  "sending not needed") with Outlook kept, or 「Outlookをお使いなのですね」. Not understood
  now, nothing kept; the rest of the message still answers.
- At the program question it chose Outlook's guide; under the card it sent Outlook's guide
  again. Now asked again, and under the card the program question.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver, at_stage

NEVER_USED = [
    ("ja", "Outlookは使ったことがありません"),
    ("ja", "アウトルックは使ったことがないです"),
    ("ja", "Outlookは一度も使ったことない"),
    ("en", "I've never used Outlook"),
    ("en", "Never used Outlook"),
]
NOT_USED = [*NEVER_USED, ("ja", "Outlookは使っていません"), ("en", "I don't use Outlook")]
_NOT_READ = ("うまく読み取れませんでした", "did not catch")


def _at(profile: MigrationProfile, catalogs: Catalogs, locale: str, stage: Stage) -> Driver:
    if stage is not Stage.ASK_PROGRAM:
        return at_stage(profile, catalogs, locale, stage)
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    for press in ("yes", "yes", "no", "settings", "skip"):
        driver.press(press)
    assert driver.state.stage is Stage.ASK_PROGRAM
    return driver


@pytest.mark.parametrize(("locale", "typed"), NEVER_USED)
def test_a_program_never_used_is_the_first_questions_no(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert dict(driver.state.answers) == {"q1_mail_program": "no"}
    assert driver.state.program is None


@pytest.mark.parametrize(("locale", "typed"), NOT_USED)
@pytest.mark.parametrize(
    "stage", [Stage.Q2_OTHER_NETWORK, Stage.Q3_USES_OUR_SMTP, Stage.Q4_OP25B, Stage.ASK_PROGRAM]
)
def test_a_program_not_used_answers_nothing_later(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str, stage: Stage
) -> None:
    driver = _at(profile, catalogs, locale, stage)
    answers = dict(driver.state.answers)
    driver.type(typed)
    assert driver.state.stage is stage
    assert dict(driver.state.answers) == answers
    assert driver.state.program is None
    assert any(words in driver.said() for words in _NOT_READ)


def test_the_rest_of_the_message_still_answers(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type("Outlookは使っていません。パスワードは変わりますか")
    assert "パスワードは変わりません" in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert driver.state.program is None
    program = _at(profile, catalogs, "ja", Stage.ASK_PROGRAM)
    program.type("Outlookは使っていません。Thunderbirdです")
    assert program.state.program == "thunderbird"


@pytest.mark.parametrize(("locale", "typed"), NOT_USED)
def test_a_program_not_used_under_its_card_asks_for_the_program(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    for press in ("yes", "yes", "no", "settings", "skip", "program:outlook_classic"):
        driver.press(press)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type(typed)
    assert driver.state.stage is Stage.ASK_PROGRAM
