"""A mail service named at the server question is not taken for the Gmail app (reviewer14).

「gmailです」 at 'do you send through 117net's server?' may be Google's sending server set in
any program, or the Gmail app sending through 117net's (405c75a: not sure). It was still
noted as the program, 「AndroidのGmailをお使いなのですね」, the program question skipped and
the Gmail app's guide given to someone who may use Outlook with Gmail's server. An app named
as one (「Gmailアプリです」) is still the program.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


def at_the_server_question(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("yes")
    driver.press("yes")
    assert driver.state.stage is Stage.Q3_USES_OUR_SMTP
    return driver


@pytest.mark.parametrize(
    ("text", "answer"), [("gmailです", "unsure"), ("117netとgmail両方", "yes")]
)
def test_the_service_is_no_program(
    profile: MigrationProfile, catalogs: Catalogs, text: str, answer: str
) -> None:
    driver = at_the_server_question(profile, catalogs)
    driver.type(text)
    assert driver.state.answers[Stage.Q3_USES_OUR_SMTP.value] == answer
    assert driver.state.program is None
    assert "Gmailをお使い" not in driver.said()
    driver.press("yes")
    driver.type("taro@vp.117.ne.jp")
    assert driver.state.stage is Stage.ASK_PROGRAM


def test_the_app_named_is_the_program(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = at_the_server_question(profile, catalogs)
    driver.type("はい、Gmailアプリです")
    assert driver.state.program == "gmail_android"
