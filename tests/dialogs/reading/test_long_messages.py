"""A message as long as a platform lets through is read in a moment, whatever it holds.

The turn runs on the server's event loop: while one message is read, no other subscriber,
agent or health probe is answered. The web chat takes 2,000 characters, Telegram 4,096,
LINE 5,000 and Slack 40,000, and a run of one character the patterns allow around their
words (「、、、」, spaces, 「smtp.smtp.」) used to make some of them try every split of it:
a 2,000-character one took 0.7 s, an 8,000-character one 6 s, Slack's longest minutes.

Times are the test process's own CPU time, so other work on the machine counts little.
Each bound is about twenty times what the reading takes now, and well under what the old
patterns took (a machine loaded tenfold still slows CPU time by cache and frequency).
"""

from __future__ import annotations

import time

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.reading.small_talk import recognise_small_talk
from dialogs.reading.stage_reading import _topic
from dialogs.redaction import gives_a_password, names_a_password
from tests.dialogs.driver import Driver

# Today's worst is 0.07 s (40,000 characters left for the desk) and 「smtp.」 × 4,000 0.05 s;
# the old patterns took 3.1 s for the latter, and minutes for the former.
BOUND_S = 1.0

# Runs of what the patterns let stand between words, or repeat: each was quadratic or worse.
FILLERS = ["、", ",", "\t,", " ", "smtp.", "a", "。a", "１"]
# Where a message is read differently: the first question, the second, the address asked
# for, the program asked for, a message being left for the desk (read whole, for a number
# to call back).
ROUTES: dict[str, list[tuple[str, str]]] = {
    "q1": [],
    "q2": [("press", "yes")],
    "address": [("press", "settings")],
    "program": [("press", "settings"), ("type", "taro@vp.117.ne.jp")],
    "desk_message": [("press", "yes"), ("press", "human"), ("press", "desk_message")],
}


def _read_time(profile: MigrationProfile, catalogs: Catalogs, route: str, text: str) -> float:
    driver = Driver(profile, catalogs)
    driver.start()
    for action, value in ROUTES[route]:
        getattr(driver, action)(value)
    started = time.process_time()
    driver.type(text)
    return time.process_time() - started


@pytest.mark.parametrize("route", ROUTES)
@pytest.mark.parametrize("filler", FILLERS)
def test_a_slack_message_of_one_run_is_read_at_once(
    filler: str, route: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    text = (filler * 40_000)[:40_000]  # Slack's longest
    took = _read_time(profile, catalogs, route, text)
    assert took < BOUND_S, f"{filler!r} * 40,000 took {took:.2f} s of CPU"


def test_a_password_past_the_part_read_is_still_warned_about(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.type("送信できません。" * 400 + "パスワードは Zq9xK2pw77 です")
    assert catalogs.raw("ja", "secret.warning") in driver.said()


@pytest.mark.parametrize("between", ["is", "は", ",", "「", "->"])
def test_words_repeated_after_a_password_word_are_read_at_once(
    between: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # What may stand between a password word and the password (「は」, "is", a comma, a
    # quote), repeated with spaces: the masking tried every way of sharing each space
    # between two of them, so each one more doubled the time. 「パスワード」 and twenty of them
    # took 5 s, thirty hours: one short message stopped the server.
    text = "password " + f"{between} " * 20 + "x"
    took = _read_time(profile, catalogs, "q1", text)
    assert took < BOUND_S, f"{text!r} took {took:.2f} s of CPU"


@pytest.mark.parametrize("run", ["、", ",", " ", "\t,", "x "])
def test_small_talk_reads_a_long_run_of_separators_at_once(run: str) -> None:
    # The "it works" and "wait" rules let separators stand between their optional words;
    # a run of them was split between those places every possible way (2,000 「、」: 0.1 s
    # of the 2,000-character message's reading, 20,000: about 10 s).
    text = (run * 20_000)[:20_000]
    started = time.process_time()
    assert recognise_small_talk(text) is None
    assert time.process_time() - started < BOUND_S


def test_the_servers_checked_back_are_looked_for_at_once() -> None:
    # 「smtp.smtp.smtp.…」: the host pattern was tried from every position of the run.
    text = "smtp." * 4_000
    started = time.process_time()
    assert _topic(text) is None
    assert time.process_time() - started < BOUND_S


# The agent API's longest message, then Slack's (its agents' thread) and Chatwoot's.
@pytest.mark.parametrize("length", [4_000, 40_000])
@pytest.mark.parametrize(
    ("unit", "gives"),
    [
        ("パスワード「sakura」 ", False),
        ("password: sakura ", False),
        ("password: Kq7xyz99 ", True),
        ("パスワードは ", False),
    ],
)
def test_an_agents_long_message_is_checked_for_a_password_at_once(
    unit: str, gives: bool, length: int
) -> None:
    # An agent's words are refused when they hand over a password: what the masking took
    # was found by diffing the message against its masked copy, which takes time cubic in
    # the number of masks. 「パスワード：abc 」 × 400 (the agent API's 4,000 characters) took
    # 14 s of the event loop, 「パスワード「sakura」 」 to 4,000 about as long; Slack's
    # agents' thread and Chatwoot take 40,000 (hours).
    text = (unit * length)[:length]
    started = time.process_time()
    assert gives_a_password(text) is gives
    took = time.process_time() - started
    assert took < BOUND_S, f"{unit!r} to {length:,} characters took {took:.2f} s of CPU"


@pytest.mark.parametrize("label", ["password", "パスワード"])
@pytest.mark.parametrize("run", [" ", "\u3000", "\n"])
def test_a_password_word_and_a_long_run_of_spaces_is_read_at_once(
    label: str, run: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Every message is asked whether it ends naming a password (「パスワードは以下です」);
    # the pattern let spaces stand before and after an optional 「は」, so a run of them was
    # shared between the two every way: 「password」, 8,000 spaces and a letter took 2.4 s,
    # Slack's 40,000 characters about a minute of the event loop.
    text = (label + run * 40_000)[:39_999] + "x"
    started = time.process_time()
    assert not names_a_password(text)
    assert time.process_time() - started < BOUND_S
    took = _read_time(profile, catalogs, "q1", text)
    assert took < BOUND_S, f"{label!r}, a run of {run!r} and 'x' took {took:.2f} s of CPU"


# LINE's longest message, then Slack's (its agents' thread) and Chatwoot's.
@pytest.mark.parametrize("length", [5_000, 40_000])
@pytest.mark.parametrize(
    "before", ["パスワードは sakura", "Your temporary password is sakura", "ID・PW taro"]
)
@pytest.mark.parametrize("run", [" ", "\u3000", "」 "])
def test_a_password_of_letters_then_a_long_run_is_checked_at_once(
    before: str, run: str, length: int
) -> None:
    # Whether a password of letters alone is handed over reads what follows it: closing
    # quotes and spaces, a note in brackets, spaces, then the sentence's end. The spaces
    # were read by three runs in a row, shared between them every way: 10,000 of them and a
    # letter took 18 s of the event loop, Slack's and Chatwoot's 40,000 over two minutes
    # (found by attacker9).
    text = (before + " " + run * length)[: length - 1] + "x"
    started = time.process_time()
    gives_a_password(text)
    took = time.process_time() - started
    assert took < BOUND_S, f"{before!r} and a run of {run!r} took {took:.2f} s of CPU"
