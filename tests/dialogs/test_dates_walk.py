"""The advice walked across the notice's dates (dates5): what was worded false on some day.

The notice's dated facts: the settings-change window 2008-05-21 (Wed) to 2008-06-20 (Fri), and
the old POP and SMTP servers until 2008-06-20. Each test pins the day it is about.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import TextReply
from tests.dialogs.driver import Driver

ADDRESS: Final = "taro@vp.117.ne.jp"
IN_WINDOW: Final = dt.date(2008, 6, 1)
LONG_AFTER: Final = dt.date(2026, 11, 29)


def words_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


def to_the_guide(driver: Driver, program: MailProgram) -> None:
    """The address, the program and, where asked, 'yes, vs.117.ne.jp' (the changed server)."""
    driver.type(ADDRESS)
    driver.press(f"program:{program.value}")
    if driver.state.stage.value == "ask_smtp_host":
        driver.press("yes")


@pytest.mark.parametrize("day", [IN_WINDOW, LONG_AFTER], ids=str)
def test_the_value_a_program_holds_today_is_current_not_now(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date
) -> None:
    # 'Port: 587 (now 25)' reads as if the port were 25 now, after the change; the server
    # rows beside it already said '(currently vs.117.ne.jp)' (006752b), as 「（今は25）」 does.
    driver = Driver(profile, catalogs, today=day)
    driver.start("en")
    for answer in ("yes", "yes", "yes", "yes"):
        driver.press(answer)
    to_the_guide(driver, MailProgram.OTHER)
    words = words_of(driver)
    assert "Port: 587 (currently 25)" in words
    assert "(now " not in words


@pytest.mark.parametrize("typed", ["I can't send mail", "Error 0x8004210A while receiving"])
@pytest.mark.parametrize("day", [dt.date(2008, 6, 21), LONG_AFTER], ids=str)
def test_an_old_server_gone_worked_through_its_last_day(
    profile: MigrationProfile, catalogs: Catalogs, day: dt.date, typed: str
) -> None:
    # The notice: the old servers answer 「2008年6月20日(金)まで」, through that day. 'The old
    # outgoing server closed on Friday 20 June 2008' told a subscriber who sent mail that Friday
    # that the server was already shut; 「…で利用できなくなりました」 and the schedule answer
    # ('could be used until …') say it right.
    driver = Driver(profile, catalogs, today=day)
    driver.start("en")
    driver.type(typed)
    words = words_of(driver)
    assert "could be used until Friday 20 June 2008 and no longer answers" in words
    assert "closed on" not in words
