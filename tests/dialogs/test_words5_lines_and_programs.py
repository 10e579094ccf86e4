"""What words5's subscribers said of their line and their program that was not read.

- 「娘の家のWi-Fiでも使います」 at the network question: a relative's line named by its Wi-Fi
  (「娘の家でも使います」 was read).
- 「Windowsに最初から入っているメールです」 'the one that came with windows' where the program
  is asked (「Windowsのメール」 was read).

words12: Windows 10's and 11's own Mail app was the generic table. Microsoft ended it on
2024-12-31 (it no longer sends or receives) and moved its users to the new Outlook, which
Windows 11 PCs come with: it is the new Outlook's guide, said why (`program.windows_mail`).
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver, at_stage


@pytest.mark.parametrize("typed", ["娘の家のWi-Fiでも使います", "実家の無線でも送ります"])
def test_a_relatives_line_named_by_its_wifi_is_another_line(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q2_OTHER_NETWORK)
    driver.type(typed)
    assert driver.state.answers[Stage.Q2_OTHER_NETWORK.value] == "yes"


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "Windowsに最初から入っているメールです"),
        ("ja", "Windows標準のメールアプリ"),
        ("en", "the one that came with windows"),
    ],
)
def test_the_mail_app_that_came_with_windows_is_a_program(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    # Where the program is asked: 「うまく読み取れませんでした」, as 「Windowsのメール」 was not.
    driver = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.press("settings")
    driver.press("skip")
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.type(typed)
    # The new Outlook's steps since words12: it replaced Windows' own Mail app.
    assert driver.state.program == "outlook_new"
    assert driver.state.misunderstood == 0


def _at_the_program_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> Driver:
    # Answered so that the program is the last thing asked: its guide comes next.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for press in ("yes", "yes", "no", "settings", "skip"):
        driver.press(press)
    assert driver.state.stage is Stage.ASK_PROGRAM
    return driver


def _new_outlooks_guide(catalogs: Catalogs, locale: Locale) -> str:
    return catalogs(locale, "guide.title", program=catalogs(locale, "program.outlook_new"))


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "Windows11に最初から入っているメール"),
        ("ja", "ウィンドウズのメールアプリ"),
        ("ja", "Windowsのメール"),
        ("ja", "メールアプリ（Windows10）"),
        ("en", "the mail app that came with windows"),
        ("en", "the Windows 11 mail app"),
    ],
)
def test_windows_own_mail_gets_the_new_outlooks_guide_and_why(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, locale)
    driver.type(typed)
    assert driver.state.program == "outlook_new"
    assert catalogs(locale, "program.windows_mail") in driver.said()
    assert _new_outlooks_guide(catalogs, locale) in driver.said()


@pytest.mark.parametrize(("locale", "typed"), [("ja", "新しいOutlook"), ("en", "Outlook (new)")])
def test_the_new_outlook_named_is_its_guide_without_the_windows_note(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _at_the_program_question(profile, catalogs, locale)
    driver.type(typed)
    assert driver.state.program == "outlook_new"
    assert catalogs(locale, "program.windows_mail") not in driver.said()


def test_windows_own_mail_at_the_first_question_is_its_yes_and_why(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Said back as the new Outlook would be a program they did not name: told why instead.
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("Windows11に最初から入っているメールを使っています")
    said = driver.said()
    assert driver.state.answers["q1_mail_program"] == "yes"
    assert driver.state.program == "outlook_new"
    assert catalogs("ja", "program.windows_mail") in said
    assert "新しいOutlookをお使いなのですね" not in said


def test_windows_live_mail_stays_the_generic_table(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _at_the_program_question(profile, catalogs, "ja")
    driver.type("ウィンドウズライブメール")
    assert driver.state.program == "other"
    assert catalogs("ja", "program.windows_mail") not in driver.said()
