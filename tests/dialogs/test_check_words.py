"""A login check refused for safety, and an untrusted certificate, in the chat's words.

Refused for safety (no TLS and no challenge-response it may use) means
nothing was verified and nothing was found wrong: no failure, never counted towards
offering a person, and never headed 「問題が見つかりました」.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.mailcheck.outcomes import Outcome
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs import check_words
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import Signal
from dialogs.vocabulary import Locale, ResultVerdict, SystemEvent, TextReply, reply_to_dict
from tests.dialogs.driver import Driver

ADDRESS = "taro@vp.117.ne.jp"


def delivered(profile: MigrationProfile, catalogs: Catalogs, address: str) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start()
    driver.press("settings")
    driver.type(address)
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    return driver


def result(driver: Driver, **outcomes: str) -> str:
    driver._run(event=SystemEvent("check_result", tuple(outcomes.items())))
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))


@pytest.mark.parametrize(
    ("smtp", "pop", "expected"),
    [
        ("ok", "ok", check_words.Verdict.PASSED),
        ("not_verified", "not_verified", check_words.Verdict.NOT_VERIFIED),
        ("ok", "not_verified", check_words.Verdict.NOT_VERIFIED),
        ("not_checked", "not_verified", check_words.Verdict.NOT_VERIFIED),
        ("not_verified", "auth_failed", check_words.Verdict.FAILED),
        ("untrusted_certificate", "ok", check_words.Verdict.FAILED),
        ("not_checked", "not_checked", check_words.Verdict.FAILED),
    ],
)
def test_verdict(smtp: str, pop: str, expected: check_words.Verdict) -> None:
    assert check_words.verdict(SystemEvent("check_result", (("smtp", smtp), ("pop", pop)))) is (
        expected
    )


def test_nothing_verified_is_said_so_and_is_no_failure(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, ADDRESS)

    text = result(driver, smtp="not_verified", pop="not_verified")

    assert catalogs.raw("ja", "check.not_verified") in text
    assert catalogs.raw("ja", "check.failed") not in text
    assert "問題が見つかりました" not in text
    assert "大丈夫" not in text  # nothing was verified, so nothing is said to be fine
    assert not {Signal.CHECK_FAILED, Signal.CHECK_PASSED} & set(driver.last.signals)
    assert driver.state.check_failures == 0
    assert "check" in driver.offered()  # it may be tried again


def test_refusals_in_a_row_never_offer_a_person(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, ADDRESS)
    for _ in range(3):
        text = result(driver, smtp="not_verified", pop="not_verified")
        assert Signal.HANDOFF_SUGGESTED not in driver.last.signals
        assert catalogs.raw("ja", "check.failed_repeatedly") not in text

    # A real failure after them is the first, not the fourth.
    result(driver, smtp="auth_failed", pop="auth_failed")
    assert driver.state.check_failures == 1
    assert Signal.HANDOFF_SUGGESTED not in driver.last.signals


def test_a_refusal_between_two_failures_does_not_reset_the_count(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, ADDRESS)
    result(driver, smtp="auth_failed", pop="auth_failed")
    result(driver, smtp="not_verified", pop="not_verified")
    assert Signal.HANDOFF_SUGGESTED not in driver.last.signals

    result(driver, smtp="auth_failed", pop="auth_failed")

    assert Signal.HANDOFF_SUGGESTED in driver.last.signals


def test_one_side_logged_in_the_other_not_tried(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, ADDRESS)

    text = result(driver, smtp="not_verified", pop="ok", pop_count="2")

    assert catalogs.raw("ja", "check.partly_verified") in text
    assert catalogs.raw("ja", "check.passed") not in text
    assert catalogs.raw("ja", "check.smtp.not_verified") in text
    assert not {Signal.CHECK_FAILED, Signal.CHECK_PASSED} & set(driver.last.signals)


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_untrusted_certificate_sends_to_support_not_to_try_later(
    catalogs: Catalogs, locale: Locale
) -> None:
    for protocol in ("smtp", "pop"):
        words = catalogs.raw(locale, f"check.{protocol}.untrusted_certificate")
        assert ("証明書" if locale == "ja" else "certificate") in words
        assert ("担当者" if locale == "ja" else "support") in words
        assert words != catalogs.raw(locale, f"check.{protocol}.tls_error")
        assert ("しばらくしてから" if locale == "ja" else "try again in a while") not in words


def test_an_untrusted_certificate_is_a_failure_in_the_chat(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = delivered(profile, catalogs, ADDRESS)

    text = result(driver, smtp="untrusted_certificate", pop="untrusted_certificate")

    assert catalogs.raw("ja", "check.pop.untrusted_certificate") in text
    assert catalogs.raw("ja", "check.smtp.untrusted_certificate") in text
    assert Signal.CHECK_FAILED in driver.last.signals


# -- the verdicts the reply carries as data (the web chat marks paragraphs from them) ----------

PASS, FAIL, NOT_VERIFIED = (
    ResultVerdict.PASSED,
    ResultVerdict.FAILED,
    ResultVerdict.NOT_VERIFIED,
)


def reported(driver: Driver, **outcomes: str) -> TextReply:
    driver._run(event=SystemEvent("check_result", tuple(outcomes.items())))
    (reply,) = (r for r in driver.last.replies if isinstance(r, TextReply) and r.verdict)
    return reply


@pytest.mark.parametrize(
    ("outcomes", "expected"),
    [
        pytest.param(
            {"smtp": "ok", "pop": "ok", "round_trip": "delivered"},
            [PASS, PASS, PASS, PASS, None],
            id="passed-with-round-trip",
        ),
        pytest.param(
            {"smtp": "ok", "pop": "ok", "round_trip": "not_delivered"},
            [PASS, PASS, PASS, FAIL, None],
            id="logged-in-but-not-delivered",
        ),
        # A failure the page's sentence list once forgot: it went unmarked.
        pytest.param(
            {"smtp": "auth_not_offered", "pop": "ok"}, [FAIL, PASS, FAIL, None], id="smtp-auth"
        ),
        pytest.param(
            {"smtp": "not_verified", "pop": "ok"},
            [NOT_VERIFIED, PASS, NOT_VERIFIED, None],
            id="partly-verified",
        ),
        # Sending not checked (a receiving-only migration's check): no note on its port.
        pytest.param({"smtp": "not_checked", "pop": "something_new"}, [FAIL, FAIL], id="unknown"),
    ],
)
def test_each_paragraph_of_a_result_carries_what_it_reports(
    profile: MigrationProfile,
    catalogs: Catalogs,
    outcomes: dict[str, str],
    expected: list[ResultVerdict | None],
) -> None:
    driver = delivered(profile, catalogs, ADDRESS)

    reply = reported(driver, **outcomes)

    assert list(reply.verdicts) == expected
    assert reply.verdict is expected[0]
    assert len(reply.text.split("\n\n")) == len(expected)
    as_json = reply_to_dict(reply)
    assert as_json["verdict"] == expected[0]
    assert as_json["verdicts"] == [None if v is None else v.value for v in expected]


@pytest.mark.parametrize("outcome", [o for o in Outcome if o is not Outcome.NOT_CHECKED])
@pytest.mark.parametrize("protocol", check_words.PROTOCOLS)
def test_every_outcome_of_the_check_is_marked_as_the_check_counts_it(
    outcome: Outcome, protocol: str
) -> None:
    other = "pop" if protocol == "smtp" else "smtp"
    event = SystemEvent("check_result", ((protocol, outcome.value), (other, "ok")))

    reply = check_words.result_reply(event, lambda key: key)

    line = reply.verdicts[1 if protocol == "pop" else 2]
    if outcome is Outcome.MAILBOX_IN_USE and protocol == "smtp":
        # No outcome SMTP has (no mailbox): worded as a temporary failure, marked so.
        assert line is FAIL
    elif outcome.value in check_words.SERVER_NOT_REACHED:
        # The server was not reached: the login was never tried, nothing found wrong.
        assert line is NOT_VERIFIED
        assert reply.verdict is NOT_VERIFIED
    elif outcome.is_failure:
        assert line is FAIL
        assert reply.verdict is FAIL
    else:
        logged_in = outcome in (Outcome.OK, Outcome.MAILBOX_IN_USE)
        assert line is (PASS if logged_in else NOT_VERIFIED)


def test_the_servers_not_reached_are_outcomes_of_the_check() -> None:
    # A renamed outcome would silently count as the subscriber's failure again.
    assert {o.value for o in Outcome if o.is_failure} >= check_words.SERVER_NOT_REACHED


def test_a_check_that_did_not_run_reports_no_verdict() -> None:
    event = SystemEvent("check_result", (("refused", "rate_limited"),))

    reply = check_words.result_reply(event, lambda key: key)

    assert (reply.verdict, reply.verdicts) == (None, ())
    assert reply_to_dict(reply) == {"type": "text", "text": "check.rate_limited"}


def test_a_sentence_with_a_blank_line_of_its_own_marks_only_the_whole() -> None:
    event = SystemEvent("check_result", (("smtp", "auth_failed"), ("pop", "ok")))

    reply = check_words.result_reply(event, lambda key: f"{key}\n\nmore" if "pop" in key else key)

    assert (reply.verdict, reply.verdicts) == (FAIL, ())


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_every_sentence_of_a_result_is_one_paragraph(catalogs: Catalogs, locale: Locale) -> None:
    for key in catalogs.keys(locale):
        if key.startswith("check.") and not key.startswith("check_page."):
            assert "\n\n" not in catalogs.raw(locale, key).strip(), key


@pytest.mark.parametrize("outcome", ["timeout", "unreachable"])
@pytest.mark.parametrize(
    ("profile_file", "locale", "named"),
    [
        ("", "ja", ("vpop.117.ne.jp", "ポート110番")),
        ("", "en", ("vpop.117.ne.jp", "port 110")),
        ("sakura_net.toml", "ja", ("imap.mail.sakura-net.example", "ポート993番")),
        ("sakura_net.toml", "en", ("imap.mail.sakura-net.example", "port 993")),
    ],
)
def test_an_unreachable_receiving_server_is_named_with_its_port(
    profile: MigrationProfile,
    catalogs: Catalogs,
    outcome: str,
    profile_file: str,
    locale: Locale,
    named: tuple[str, str],
) -> None:
    # The sending lines named the host and the port; the receiving ones (POP and IMAP) only
    # the host, so a blocked 110 or 993 looked like a server that was down.
    checked = load_profile(Path(__file__).with_name(profile_file)) if profile_file else profile
    driver = Driver(checked, catalogs)
    driver.start(locale)
    said = result(driver, pop=outcome, smtp="ok")
    for name in named:
        assert name in said


@pytest.mark.parametrize(
    ("profile_file", "locale", "words"),
    [
        ("", "ja", ("受信（POP）", "使用中", "別の機器", "ログインできました")),
        ("", "en", ("Receiving (POP)", "in use", "another device", "logged in")),
        ("sakura_net.toml", "ja", ("受信（IMAP）", "使用中", "別の機器")),
        ("sakura_net.toml", "en", ("Receiving (IMAP)", "in use", "another device")),
    ],
)
def test_a_mailbox_in_use_says_another_device_is_receiving(
    profile: MigrationProfile,
    catalogs: Catalogs,
    profile_file: str,
    locale: Locale,
    words: tuple[str, ...],
) -> None:
    # POP's [IN-USE] and IMAP's [INUSE]: another session holds the mailbox, not a server
    # that "could not answer just now"; the login itself worked (RFC 2449), so the check
    # passed (tests/dialogs/test_check_mailbox_in_use.py).
    checked = load_profile(Path(__file__).with_name(profile_file)) if profile_file else profile
    driver = Driver(checked, catalogs)
    driver.start(locale)
    said = result(driver, pop="mailbox_in_use", smtp="ok")
    for word in words:
        assert word in said
    assert (
        check_words.verdict(
            SystemEvent("check_result", (("pop", "mailbox_in_use"), ("smtp", "ok")))
        )
        is check_words.Verdict.PASSED
    )


@pytest.mark.parametrize(
    ("outcome", "locale", "tried", "not_tried"),
    [
        ("unreachable", "ja", ("ポート995番", "ポート465番"), ("ポート110番", "ポート587番")),
        ("timeout", "en", ("port 995", "port 465"), ("port 110", "port 587")),
    ],
)
def test_a_server_not_reached_is_named_with_the_port_the_check_tried(
    profile: MigrationProfile,
    catalogs: Catalogs,
    outcome: str,
    locale: Locale,
    tried: tuple[str, ...],
    not_tried: tuple[str, ...],
) -> None:
    # When only another port was safe to log in on (`check_port`), the check tried that
    # one: naming the profile's first port would send the subscriber to the wrong one.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    said = result(driver, pop=outcome, smtp=outcome, pop_port="995", smtp_port="465")
    for words in tried:
        assert words in said
    for words in not_tried:
        assert words not in said


def test_a_result_that_names_no_port_names_the_profiles(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # A result stored before the check named its ports.
    driver = Driver(profile, catalogs)
    driver.start("ja")
    said = result(driver, pop="unreachable", smtp="unreachable")
    assert f"ポート{profile.incoming.port}番" in said
    assert f"ポート{profile.outgoing.port}番" in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_test_message_sent_but_not_read_is_unproved_not_lost(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Its mailbox could not be read safely (POP3 without TLS): 「時間内に受信を確認できません
    # でした」 said it did not arrive.
    driver = delivered(profile, catalogs, ADDRESS)
    if locale == "en":
        driver.type("English")

    text = result(driver, smtp="ok", pop="ok", round_trip="sent_unread")

    assert catalogs.raw(locale, "check.round_trip.sent_unread") in text
    assert catalogs.raw(locale, "check.round_trip.not_delivered") not in text
