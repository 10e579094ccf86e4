"""The computer being guided, asked about, is no other device (reviewer14).

After Thunderbird's guide, 「パソコンは何を押せばいいですか」 and 「PCは何を入力すればいいですか」
ask about the steps just given on that computer; dfe8fad read any device word before
「は…何を」 as the other device and asked again which mail program they use. The other
device said as one (「…パソコンのほうは」「もう一台のほうは？」) still gets the next guide.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


def after_thunderbirds_guide(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for _ in range(4):
        driver.press("yes")
    driver.type("taro@vp.117.ne.jp")
    driver.press(f"program:{MailProgram.THUNDERBIRD.value}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


@pytest.mark.parametrize("text", ["パソコンは何を押せばいいですか", "PCは何を入力すればいいですか"])
def test_the_steps_asked_about_are_not_another_program(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = after_thunderbirds_guide(profile, catalogs)
    driver.type(text)
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    "text",
    [
        "iPhoneはできたんですけどパソコンのほうはどうすればいいですか",
        "パソコンのほうはどこを開けばいいですか",
        "もう一台のほうは？",
        "スマホは？",
    ],
)
def test_the_other_device_gets_the_next_guide(
    profile: MigrationProfile, catalogs: Catalogs, text: str
) -> None:
    driver = after_thunderbirds_guide(profile, catalogs)
    driver.type(text)
    assert driver.state.stage is Stage.ASK_PROGRAM
