"""The dialog side of the live login check: offering it, and wording its result."""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs import check_words
from dialogs.desk_message import LEAVE_MESSAGE
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import (
    CHECK_LINK_PLACEHOLDER,
    LinkReply,
    Locale,
    ResultVerdict,
    SettingsReply,
    SystemEvent,
    TextReply,
)
from tests.dialogs.driver import Driver


def delivered(profile: MigrationProfile, catalogs: Catalogs, address: str | None) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    if address:
        driver.type(address)
    else:
        driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert "check" in driver.offered()
    return driver


def result(driver: Driver, **outcomes: str) -> str:
    event = SystemEvent("check_result", tuple(outcomes.items()))
    driver._run(event=event)
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


def test_the_check_is_offered_with_a_link_never_a_password_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, "taro@vp.117.ne.jp")
    driver.type("ログインを確認したい")
    assert Signal.CHECK_REQUESTED in driver.last.signals
    links = [r for r in driver.last.replies if isinstance(r, LinkReply)]
    assert [link.url for link in links] == [CHECK_LINK_PLACEHOLDER]
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


def test_without_an_address_the_check_asks_for_one_first(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, None)
    driver.press("check")
    assert driver.state.stage is Stage.CHECK_ADDRESS
    assert Signal.CHECK_REQUESTED not in driver.last.signals
    driver.type("hanako@vp.117.ne.jp です")
    assert Signal.CHECK_REQUESTED in driver.last.signals
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    # Coming back from the address question does not repeat the whole settings card.
    assert not any(isinstance(r, SettingsReply) for r in driver.last.replies)


def test_declining_to_give_the_address_returns_quietly(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, None)
    driver.press("check")
    driver.type("やめておきます")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert not any(isinstance(r, SettingsReply) for r in driver.last.replies)


def test_a_passed_check_says_so_and_what_it_cannot_know(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, "taro@vp.117.ne.jp")
    text = result(driver, smtp="ok", pop="ok", pop_count="3")
    assert Signal.CHECK_PASSED in driver.last.signals
    assert "3" in text
    assert "お使いの回線から送信ポート587番につながるかどうかは、ここではわかりません" in text


@pytest.mark.parametrize(
    ("smtp", "pop", "must_mention"),
    [
        ("auth_failed", "auth_failed", "taro@vp.117.ne.jp"),
        ("unreachable", "ok", "vsmtp.117.ne.jp"),
        ("timeout", "ok", "587"),
        ("ok", "timeout", "vpop.117.ne.jp"),
        ("tls_error", "ok", "暗号化"),
        ("auth_not_offered", "ok", "認証が必要"),
        ("temporary_failure", "ok", "一時的"),
        ("something_new", "ok", "一時的"),
    ],
)
def test_each_failure_gets_its_fix(
    smtp: str, pop: str, must_mention: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, "taro@vp.117.ne.jp")
    text = result(driver, smtp=smtp, pop=pop)
    # A server not reached is said with what to do, but is no failure of the subscriber's.
    not_reached = {smtp, pop} - {"ok"} <= check_words.SERVER_NOT_REACHED
    assert (Signal.CHECK_FAILED in driver.last.signals) is not not_reached
    assert must_mention in text
    assert "check" in driver.offered()


def test_two_failures_in_a_row_give_the_way_to_a_person(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, "taro@vp.117.ne.jp")
    result(driver, smtp="auth_failed", pop="auth_failed")
    assert Signal.HANDOFF_SUGGESTED not in driver.last.signals
    result(driver, smtp="auth_failed", pop="auth_failed")
    assert Signal.HANDOFF_SUGGESTED in driver.last.signals
    # No desk in this chat: where to call, or a message for the desk.
    assert LEAVE_MESSAGE in driver.offered()


@pytest.mark.parametrize(
    ("locale", "retry_at", "said"),
    [
        ("ja", "2008-06-01T13:05:00+09:00", "本日13:05（JST）以降に、もう一度お試しください。"),
        (
            "ja",
            "2008-06-02T00:01:00+09:00",
            "明日（月曜日）の0:01（JST）以降に、もう一度お試しください。",
        ),
        ("en", "2008-06-01T13:05:00+09:00", "Please try again today at 13:05 (JST) or later."),
    ],
)
def test_a_rate_limited_check_says_when_it_may_run_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, retry_at: str, said: str
) -> None:
    """「しばらく」 alone said no time: the subscriber tried again and was refused again."""
    driver = Driver(profile, catalogs)
    driver.start(locale=locale)
    text = result(driver, refused="rate_limited", retry_at=retry_at, retry_zone="JST")
    assert said in text
    assert "しばらく" not in text
    assert driver.state.check_failures == 0


def test_a_refused_check_is_neither_pass_nor_failure(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, "taro@vp.117.ne.jp")
    text = result(driver, refused="rate_limited")
    assert catalogs.raw("ja", "check.rate_limited") in text
    assert driver.state.check_failures == 0
    assert not {Signal.CHECK_FAILED, Signal.CHECK_PASSED} & set(driver.last.signals)


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("smtp", "pop"),
    [
        ("unreachable", "unreachable"),
        ("timeout", "ok"),
        ("ok", "temporary_failure"),
        ("not_verified", "unreachable"),
    ],
)
def test_a_server_not_reached_is_not_the_subscribers_failure(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, smtp: str, pop: str
) -> None:
    # It was headed 「ログインの確認で問題が見つかりました」 and counted: two checks while a
    # server was down handed the chat to a person, as two wrong passwords do.
    driver = Driver(profile, catalogs, desk=True)
    driver.start(locale=locale)
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    for _ in range(3):
        text = result(driver, smtp=smtp, pop=pop)
        assert catalogs.raw(locale, "check.failed") not in text
        assert Signal.HANDOFF_SUGGESTED not in driver.last.signals
        assert driver.state.check_failures == 0
        assert "check" in driver.offered()
    reached_one = "ok" in (smtp, pop)
    headline = "check.partly_reached" if reached_one else "check.not_reached"
    assert text.startswith(catalogs.raw(locale, headline))
    reply = next(r for r in driver.last.replies if isinstance(r, TextReply) and r.verdict)
    assert reply.verdict is ResultVerdict.NOT_VERIFIED
    assert ResultVerdict.FAILED not in reply.verdicts


def test_a_wrong_password_beside_a_server_not_reached_still_counts(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start()
    driver.press("settings")
    driver.type("taro@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    result(driver, smtp="unreachable", pop="unreachable")
    text = result(driver, smtp="unreachable", pop="auth_failed")
    assert text.startswith(catalogs.raw("ja", "check.failed"))
    assert driver.state.check_failures == 1
    result(driver, smtp="timeout", pop="auth_failed")
    assert Signal.HANDOFF_SUGGESTED in driver.last.signals
