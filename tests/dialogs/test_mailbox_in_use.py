"""A POP server's 「-ERR [IN-USE] Unable to lock maildrop」 (RFC 2449's IN-USE response code).

Another session (another device or program) is collecting the same mailbox at that moment.
It was read as "cannot reach the receiving server" and the subscriber was sent to check the
server name and account, which were right.
"""

from __future__ import annotations

import datetime as dt

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.diagnosis import diagnose
from dialogs.knowledge import timing
from dialogs.profile import MigrationProfile
from dialogs.reading.problems import Problem, recognise_problem
from dialogs.understanding import normalise
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

BEFORE = dt.date(2008, 5, 1)
DURING = dt.date(2008, 6, 1)
AFTER = dt.date(2008, 7, 1)


@pytest.mark.parametrize(
    "typed",
    [
        "-ERR [IN-USE] Unable to lock maildrop",
        "-ERR [IN-USE] Mailbox is locked by another POP3 session.",
        "サーバーの応答: -ERR [IN-USE] Unable to lock maildrop: Mailbox is locked",
        "-err [in-use] unable to lock maildrop",
        "メールボックスがロックされています",
        "メールボックスが使用中です",
        "Mailbox is locked by another session",
        "maildrop already locked",
    ],
)
def test_the_mailbox_in_use_is_recognised(typed: str) -> None:
    assert recognise_problem(normalise(typed)) is Problem.MAILBOX_IN_USE


@pytest.mark.parametrize(
    ("typed", "problem"),
    [
        ("-ERR [AUTH] Authentication failed.", Problem.LOGIN_FAILED),
        ("-ERR Connection refused", Problem.RECEIVE_CONNECT),
        ("POP3サーバーに接続できません", Problem.RECEIVE_CONNECT),
    ],
)
def test_other_pop_errors_keep_their_reading(typed: str, problem: Problem) -> None:
    assert recognise_problem(normalise(typed)) is problem


@pytest.mark.parametrize("day", [BEFORE, DURING, AFTER], ids=str)
def test_it_is_the_same_answer_on_any_day(profile: MigrationProfile, day: dt.date) -> None:
    # The old server locks a mailbox just the same: "change nothing yet" would not help.
    found = diagnose(Problem.MAILBOX_IN_USE, timing(profile, day))
    assert found.keys == ("problem.mailbox_in_use",)


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", ("別の機器", "同時に", "数分", "1つだけ")),
        ("en", ("another device", "at the same time", "a few minutes", "only one")),
    ],
)
def test_the_subscriber_is_told_another_device_is_receiving(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, words: tuple[str, ...]
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type("-ERR [IN-USE] Unable to lock maildrop")
    said = driver.said()
    for word in words:
        assert word in said
    # Not sent to check a server name and an account that are right.
    assert catalogs.raw(locale, "problem.receive_connect.old_up") not in said
    assert profile.incoming.new_host not in said
