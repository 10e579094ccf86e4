"""A mailbox in use at the check is a login that worked, said so in the chat and on the page.

RFC 2449 defines POP3's `[IN-USE]` as "the authentication was successful, but the user's
maildrop is currently in use", and RFC 1939's server takes the maildrop's lock only once it
has let the client in: Dovecot logs the login, then 「Couldn't lock POP3 session」. The
check therefore proved the account and the password; only the message count is unknown.
It was headed 「ログインの確認で問題が見つかりました」, marked a failure, counted towards a
person, and followed by 「…メールソフトの設定で直してから」: the subscriber with right
settings was sent to change them.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.desk.summary import worded_check
from bot.mailcheck.login_checks import marks
from bot.mailcheck.outcomes import CheckResult, Outcome, ProtocolResult
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs import check_words
from dialogs.profile import MigrationProfile
from dialogs.state import Signal
from dialogs.vocabulary import Locale, ResultVerdict, SystemEvent
from tests.dialogs.driver import Driver
from tests.dialogs.test_check_words import ADDRESS, delivered, reported, result

IN_USE = SystemEvent("check_result", (("pop", "mailbox_in_use"), ("smtp", "ok")))


def test_the_verdict_is_a_pass_and_the_receiving_server_is_marked_passed() -> None:
    assert check_words.verdict(IN_USE) is check_words.Verdict.PASSED
    reply = check_words.result_reply(IN_USE, lambda key: key)
    assert reply.verdict is ResultVerdict.PASSED
    assert reply.verdicts[1] is ResultVerdict.PASSED  # the receiving server's paragraph
    data = (("smtp", "ok"), ("pop", "mailbox_in_use"))
    assert dict(marks(data))["receive"] is dict(marks((("pop", "ok"),)))["receive"]


def test_no_failure_is_counted() -> None:
    result = CheckResult(ProtocolResult(Outcome.OK), ProtocolResult(Outcome.MAILBOX_IN_USE))
    assert not result.failed
    assert not Outcome.MAILBOX_IN_USE.is_failure


@pytest.mark.parametrize(
    ("profile_file", "locale", "words", "never"),
    [
        (
            "",
            "ja",
            ("受信（POP）", "ログインできました", "使用中", "別の機器", "直す必要はありません"),
            ("問題が見つかりました", "もう一度お試しください"),
        ),
        (
            "",
            "en",
            ("Receiving (POP)", "were accepted", "in use", "another device", "need no change"),
            ("found a problem", "try again"),
        ),
        (
            "sakura_net.toml",
            "ja",
            ("受信（IMAP）", "ログインできました", "使用中", "直す必要はありません"),
            ("問題が見つかりました",),
        ),
        (
            "sakura_net.toml",
            "en",
            ("Receiving (IMAP)", "were accepted", "in use", "need no change"),
            ("found a problem",),
        ),
    ],
)
def test_the_chat_says_the_login_worked_and_the_settings_stay(
    profile: MigrationProfile,
    catalogs: Catalogs,
    profile_file: str,
    locale: Locale,
    words: tuple[str, ...],
    never: tuple[str, ...],
) -> None:
    checked = load_profile(Path(__file__).with_name(profile_file)) if profile_file else profile
    driver = Driver(checked, catalogs)
    driver.start(locale)
    said = result(driver, pop="mailbox_in_use", smtp="ok")

    for word in words:
        assert word in said
    for word in never:
        assert word not in said
    assert catalogs.raw(locale, "check.failed") not in said
    assert Signal.CHECK_PASSED in driver.last.signals
    assert Signal.CHECK_FAILED not in driver.last.signals


def test_two_in_a_row_offer_no_person(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = delivered(profile, catalogs, ADDRESS)
    result(driver, smtp="auth_failed", pop="auth_failed")
    assert driver.state.check_failures == 1

    for _ in range(2):
        text = result(driver, pop="mailbox_in_use", smtp="ok")
        assert Signal.HANDOFF_SUGGESTED not in driver.last.signals
        assert catalogs.raw("ja", "check.failed_repeatedly") not in text
    assert driver.state.check_failures == 0


def test_the_paragraphs_carry_a_pass(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = delivered(profile, catalogs, ADDRESS)

    reply = reported(driver, pop="mailbox_in_use", smtp="ok")

    assert reply.verdict is ResultVerdict.PASSED
    assert reply.verdicts[:3] == (ResultVerdict.PASSED,) * 3


@pytest.mark.parametrize(
    ("locale", "said"),
    [
        ("ja", "受信（ポート110）: 成功（メールボックス使用中）"),
        ("en", "receiving (port 110): ok (mailbox in use)"),
    ],
)
def test_the_desk_reads_a_login_that_worked(catalogs: Catalogs, locale: Locale, said: str) -> None:
    # The agent's summary of the check: a login, not an outcome that reads as a failure.
    line = "smtp=ok pop=mailbox_in_use pop_count=0 smtp_port=587 pop_port=110 seconds=12.03"
    assert said in worded_check(line, catalogs, locale)
