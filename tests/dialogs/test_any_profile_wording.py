"""The notice's receiving sentences only where they are true; every other profile's own words.

The seed's notice says 「受信（POP）」 and that the account becomes the whole address. With
`examples/imap-move.toml` (IMAP, the login stays the part before the @) and
`examples/tls-migration.toml` (POP3, the login was the whole address already), the verdict,
the problem diagnoses and the topics say what that profile's servers want instead; the
seed's words are unchanged (tests/dialogs/test_notice_wording.py).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.knowledge import timing
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, SystemEvent, VerdictReply
from tests.dialogs.driver import IN_WINDOW_DAY, Driver

EXAMPLES = Path(__file__).resolve().parents[2] / "examples"
IMAP = load_profile(EXAMPLES / "imap-move.toml")
TLS = load_profile(EXAMPLES / "tls-migration.toml")
# What only the seed's notice may say about receiving and the account.
NOTICE_ONLY: dict[Locale, tuple[str, ...]] = {
    "ja": (
        "（POP）",
        "アカウント名の変更",
        "メールアドレス全体に",
        "メールアドレス全体（",
        "（メールアドレス）",
    ),
    "en": (
        "(POP)",
        "and the account name",
        "account to your whole",
        "becomes your whole",
        "(your e-mail address)",
    ),
}
TYPED = {
    "login_failed": "535 Authentication failed",
    "receive_connect": "0x8004210A",
    "cant_receive": "メールが受信できません",
    "auth_missing": "530 Authentication required",
}


def assert_own_words(text: str, locale: Locale) -> None:
    for phrase in NOTICE_ONLY[locale]:
        assert phrase not in text


def test_only_the_seed_reads_as_the_notice(profile: MigrationProfile) -> None:
    assert timing(profile, IN_WINDOW_DAY).as_notice
    assert not timing(IMAP, IN_WINDOW_DAY).as_notice
    assert not timing(TLS, IN_WINDOW_DAY).as_notice


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("problem", sorted(TYPED))
def test_a_problem_is_diagnosed_in_the_imap_profiles_words(
    catalogs: Catalogs, locale: Locale, problem: str
) -> None:
    # Inside this profile's own window: before it, a problem is told "change nothing yet".
    driver = Driver(IMAP, catalogs, today=IMAP.schedule.window_start)
    driver.start(locale)
    driver.type(TYPED[problem])
    text = driver.said()
    assert_own_words(text, locale)
    if problem != "auth_missing":
        # The login stays the part before the @, and the server speaks IMAP.
        assert ("@より前の部分" if locale == "ja" else "before the @") in text
    if problem in ("receive_connect", "cant_receive"):
        # With the port and encryption the move changes (110 → 993, SSL/TLS).
        assert (
            "imap.mail.minato-cable.example.jp（IMAP、ポート993番、SSL/TLS）" in text
            or "imap.mail.minato-cable.example.jp (IMAP, port 993, SSL/TLS)" in text
        )


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_topics_name_the_profiles_protocol_and_login(
    catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(IMAP, catalogs)
    driver.start(locale)
    driver.press("topic:smtp_auth")
    assert_own_words(driver.said(), locale)
    driver.press("topic:account")
    account = driver.said()
    assert_own_words(account, locale)
    assert ("@より前の部分" if locale == "ja" else "before the @") in account
    driver.press("topic:schedule")
    # The old server is POP3 here: named from the profile, not the notice's 「POP」.
    assert ("受信（POP3）" if locale == "ja" else "receiving (POP3)") in driver.said()


def test_a_verdict_says_what_changes_for_the_profile(catalogs: Catalogs) -> None:
    driver = Driver(TLS, catalogs)
    driver.start("ja")
    driver.press("yes")
    verdict = next(r for r in driver.last.replies if isinstance(r, VerdictReply))
    assert_own_words(verdict.text, "ja")
    assert "受信の設定の変更が必要です" in verdict.text
    assert "mail.examplenet.ne.jp、POP3" in verdict.text


def test_the_seed_keeps_the_notices_words(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(TYPED["login_failed"])
    assert catalogs.raw("ja", "problem.login_failed").split("{")[0] in driver.said()
    assert "メールアドレス全体（" in driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_topics_follow_the_profiles_policy(catalogs: Catalogs, locale: Locale) -> None:
    # tls-migration keeps no POP before SMTP and plans no OP25B: promising either is wrong.
    driver = Driver(TLS, catalogs)
    driver.start(locale)
    driver.press("topic:pop_before_smtp")
    kept = driver.said()
    assert ("当面は" if locale == "ja" else "transition period") not in kept
    assert ("新しいサーバーでは使えません" if locale == "ja" else "does not offer it") in kept
    driver.press("topic:why")
    why = driver.said()
    assert ("実施を予定" if locale == "ja" else "plans to introduce") not in why
    # Its subscribers send on 587 with SMTP AUTH today: the reasons are the new servers and
    # their encryption, not the notice's authentication and port 25.
    assert (
        "新しいサーバー（受信：mail.examplenet.ne.jp" if locale == "ja" else "new servers"
    ) in why
    assert ("暗号化（SSL/TLS）されます" if locale == "ja" else "is encrypted") in why
    assert ("なりすまし" if locale == "ja" else "spoof") not in why


def test_the_seed_keeps_its_policy_topics(profile: MigrationProfile, catalogs: Catalogs) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("topic:why")
    assert "実施を予定" in driver.said()
    driver.press("topic:pop_before_smtp")
    assert "当面は引き続き" in driver.said()


def checked(catalogs: Catalogs, locale: Locale, **outcomes: str) -> str:
    """The live check's result as the chat words it, after the settings on imap-move."""
    driver = Driver(IMAP, catalogs)
    driver.start(locale)
    driver.press("settings")
    driver.type("taro@minato-cable.example.jp")
    driver.press("program:thunderbird")
    if driver.state.stage is not Stage.SETTINGS_DELIVERED:
        driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver._run(event=SystemEvent("check_result", tuple(outcomes.items())))
    return driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_live_checks_words_name_the_profiles_protocol_and_login(
    catalogs: Catalogs, locale: Locale
) -> None:
    ok = checked(catalogs, locale, pop="ok", smtp="ok", pop_count="3")
    assert ("受信（IMAP）" if locale == "ja" else "Receiving (IMAP)") in ok
    refused = checked(catalogs, locale, pop="auth_failed", smtp="auth_failed")
    assert_own_words(refused, locale)
    assert ("受信（IMAP）" if locale == "ja" else "Receiving (IMAP)") in refused
    # The account name here is the part before the @: said so, not "the whole address".
    assert "（taro）" in refused or ", taro" in refused
    assert "whole e-mail address" not in refused
    assert "メールアドレス全体" not in refused
