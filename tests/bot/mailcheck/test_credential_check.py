"""The live login check against real servers on loopback: aiosmtpd and Dovecot.

aiosmtpd stays for the cases Postfix cannot produce (no STARTTLS, CRAM-MD5 in clear text,
a round trip); test_real_servers.py runs the check against Postfix and Dovecot's IMAP.
"""

from __future__ import annotations

import asyncio
import email.policy
import logging
import os
import poplib
import socket
import ssl
import tomllib
from collections.abc import Callable, Iterator
from contextlib import ExitStack
from email import message_from_bytes
from pathlib import Path

import aiosmtplib
import pytest

from bot.mailcheck.credential_check import MessageWords, check_login, round_trip
from bot.mailcheck.login_checks import Mark, marks, round_trip_value
from bot.mailcheck.outcomes import CheckResult, Outcome, ProtocolResult
from bot.mailcheck.pop_login import classify_pop_error
from bot.mailcheck.smtp_login import classify_smtp_error
from bot.mailcheck.target import Access, CheckTarget
from bot.ops.profile_loader import load_profile
from dialogs.profile import LoginMethod, Protocol, Security, parse_profile
from testbed import mailservers
from testbed.mailservers import (
    CHECK_ACCOUNT,
    HOST,
    PASSWORD,
    ROUND_TRIP_ACCOUNT,
    SEEDED_MESSAGES,
    Certificates,
    DovecotServer,
    SmtpMode,
    SmtpServer,
    is_pop3_login_end,
)

# aiosmtpd 1.4 warns about its own deprecated attribute on every successful AUTH.
pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")

ADDRESS = CHECK_ACCOUNT.address
NONE, STARTTLS, TLS = Security.NONE, Security.STARTTLS, Security.TLS
PROFILE_PATH = Path(__file__).parents[3] / "bot" / "ops" / "default_profile.toml"
WORDS = MessageWords("Mail settings check", "Sent by the tests.")


def target(
    smtp_port: int,
    smtp_security: Security,
    pop_port: int,
    pop_security: Security,
    *,
    allow_plaintext: bool = False,
) -> CheckTarget:
    return CheckTarget(
        HOST, smtp_port, smtp_security, HOST, pop_port, pop_security, allow_plaintext
    )


# --- servers ------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(scope="module")
def trusting(certificates: Certificates) -> ssl.SSLContext:
    return certificates.client_context()


def _start_dovecot(certificates: Certificates | None) -> Iterator[DovecotServer]:
    try:
        mailservers.dovecot_binary()
    except mailservers.DovecotMissingError as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; CI must run the POP tests")
        pytest.skip(str(missing))
    with mailservers.running_dovecot(certificates=certificates) as server:
        yield server


@pytest.fixture(scope="module")
def dovecot_tls(certificates: Certificates) -> Iterator[DovecotServer]:
    """STLS, POP3S and APOP (timestamp in the greeting)."""
    yield from _start_dovecot(certificates)


@pytest.fixture(scope="module")
def dovecot_plain() -> Iterator[DovecotServer]:
    """No TLS, no APOP: USER/PASS only."""
    yield from _start_dovecot(None)


@pytest.fixture
def smtp(certificates: Certificates) -> Iterator[Callable[[SmtpMode], SmtpServer]]:
    """Start a fresh submission server per call, so what it observed is this test's alone."""
    with ExitStack() as stack:
        yield lambda mode: stack.enter_context(mailservers.running_smtp_server(mode, certificates))


@pytest.fixture
def closed_port() -> Iterator[int]:
    with mailservers.closed_port() as port:
        yield port


@pytest.fixture
def silent_port() -> Iterator[int]:
    with mailservers.silent_listener() as port:
        yield port


def pop_login_line(server: DovecotServer, after: int, containing: str) -> str:
    """This test's pop3-login line: the first after `after` holding `containing`.

    pop3-login writes a connection's last line a moment after the client left, so the
    previous test's line can still arrive after this test's mark: it is told apart by
    what it holds (the method, the account, "no auth attempts").
    """
    return server.log.wait_for(
        lambda line: is_pop3_login_end(line) and containing in line, after=after
    )


# --- targets come from the profile --------------------------------------------------------


def test_target_holds_the_profiles_new_servers() -> None:
    profile = parse_profile(tomllib.loads(PROFILE_PATH.read_text("utf-8")), str(PROFILE_PATH))

    checked = CheckTarget.from_profile(profile)

    assert checked == CheckTarget(
        "vsmtp.117.ne.jp",
        587,
        NONE,
        "vpop.117.ne.jp",
        110,
        NONE,
        allow_plaintext_login=False,
        # The seed names only the password as typed (what mail programs are told to use).
        smtp_access=Access(login_methods=(LoginMethod.PASSWORD,)),
        incoming_access=Access(login_methods=(LoginMethod.PASSWORD,)),
    )
    assert checked.incoming.protocol is Protocol.POP3
    assert checked.smtp.access.tls_context is None  # no CA named: the system's trust


EXAMPLES = Path(__file__).parents[3] / "examples"


@pytest.mark.parametrize(
    ("example", "smtp", "incoming", "protocol", "login"),
    [
        ("117net.toml", (587, NONE), (110, NONE), Protocol.POP3, "taro@vp.117.ne.jp"),
        ("tls-migration.toml", (465, TLS), (995, TLS), Protocol.POP3, "taro@vp.117.ne.jp"),
        ("imap-move.toml", (587, STARTTLS), (993, TLS), Protocol.IMAP, "taro"),
    ],
)
def test_each_example_profile_gives_the_check_its_servers(
    example: str,
    smtp: tuple[int, Security],
    incoming: tuple[int, Security],
    protocol: Protocol,
    login: str,
) -> None:
    checked = CheckTarget.from_profile(load_profile(EXAMPLES / example))

    assert (checked.smtp.port, checked.smtp.security) == smtp
    assert (checked.incoming.port, checked.incoming.security) == incoming
    assert checked.incoming.protocol is protocol
    assert checked.incoming.login_name("taro@vp.117.ne.jp") == login


def test_the_check_takes_a_safe_port_when_the_recommended_one_is_not() -> None:
    data = tomllib.loads(PROFILE_PATH.read_text("utf-8"))
    incoming = dict(data["incoming"])
    del incoming["port"], incoming["security"]
    incoming["ports"] = [{"port": 110, "security": "none"}, {"port": 995, "security": "tls"}]
    profile = parse_profile({**data, "incoming": incoming}, "test")

    checked = CheckTarget.from_profile(profile)

    # Recommended: 110 without TLS, where the password as typed may not go; 995 proves the
    # same account and password safely.
    assert (checked.pop_port, checked.pop_security) == (995, TLS)
    assert (checked.smtp_port, checked.smtp_security) == (587, NONE)  # nothing safer offered


# --- success ------------------------------------------------------------------------------


async def test_starttls_login_succeeds_and_counts_messages_without_sending(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer, trusting: ssl.SSLContext
) -> None:
    server = smtp(SmtpMode.STARTTLS_REQUIRED)
    mark = dovecot_tls.log.mark()

    result = await check_login(
        target(server.port, STARTTLS, dovecot_tls.pop3_port, STARTTLS),
        ADDRESS,
        PASSWORD,
        tls_context=trusting,
    )

    assert result.ok
    assert result.smtp.outcome is Outcome.OK
    assert result.pop.outcome is Outcome.OK
    assert result.pop.message_count == SEEDED_MESSAGES
    assert result.smtp.message_count is None
    assert server.auth_mechanisms_seen == ["PLAIN"]
    assert server.delivered == []
    assert "TLS" in pop_login_line(dovecot_tls, mark, "method=PLAIN")


async def test_implicit_tls_login_succeeds(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer, trusting: ssl.SSLContext
) -> None:
    server = smtp(SmtpMode.IMPLICIT_TLS)
    assert dovecot_tls.pop3s_port is not None

    result = await check_login(
        target(server.port, TLS, dovecot_tls.pop3s_port, TLS),
        ADDRESS,
        PASSWORD,
        tls_context=trusting,
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK)
    assert result.pop.message_count == SEEDED_MESSAGES


async def test_unencrypted_login_uses_only_cram_md5_and_apop(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer
) -> None:
    server = smtp(SmtpMode.CRAM_MD5)  # offers CRAM-MD5, LOGIN and PLAIN
    mark = dovecot_tls.log.mark()

    result = await check_login(
        target(server.port, NONE, dovecot_tls.pop3_port, NONE), ADDRESS, PASSWORD
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK)
    assert server.auth_mechanisms_seen == ["CRAM-MD5"]
    assert "method=APOP" in pop_login_line(dovecot_tls, mark, "method=APOP")


async def test_the_seeds_profile_is_checked_by_challenge_response_where_the_server_has_it(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer
) -> None:
    # The seed's profile tells mail programs to send the password as typed, on ports without
    # TLS; the check must not put it on the wire, but a server that also announces CRAM-MD5
    # or APOP proves the same account and password with them (as the check always did).
    seed = CheckTarget.from_profile(load_profile(PROFILE_PATH))
    server = smtp(SmtpMode.CRAM_MD5)  # offers CRAM-MD5, LOGIN and PLAIN
    mark = dovecot_tls.log.mark()
    checked = CheckTarget(
        HOST,
        server.port,
        NONE,
        HOST,
        dovecot_tls.pop3_port,
        NONE,
        allow_plaintext_login=False,
        smtp_access=seed.smtp_access,
        incoming_access=seed.incoming_access,
    )

    result = await check_login(checked, ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK)
    assert server.auth_mechanisms_seen == ["CRAM-MD5"]
    assert "method=APOP" in pop_login_line(dovecot_tls, mark, "method=APOP")


async def test_only_pop_can_be_checked(dovecot_tls: DovecotServer) -> None:
    result = await check_login(
        target(1, NONE, dovecot_tls.pop3_port, NONE), ADDRESS, PASSWORD, check_smtp=False
    )

    assert result.smtp.outcome is Outcome.NOT_CHECKED
    assert result.pop.outcome is Outcome.OK
    assert result.ok


def test_a_check_of_nothing_is_not_ok() -> None:
    skipped = ProtocolResult(Outcome.NOT_CHECKED)

    assert not CheckResult(skipped, skipped).ok


# --- wrong credentials --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("address", "password"),
    [(ADDRESS, "wrong-password"), ("taro", PASSWORD)],
    ids=["wrong password", "local part without the domain"],
)
async def test_wrong_credentials_are_auth_failed(
    smtp: Callable[[SmtpMode], SmtpServer],
    dovecot_tls: DovecotServer,
    trusting: ssl.SSLContext,
    address: str,
    password: str,
) -> None:
    server = smtp(SmtpMode.STARTTLS_REQUIRED)

    result = await check_login(
        target(server.port, STARTTLS, dovecot_tls.pop3_port, STARTTLS),
        address,
        password,
        tls_context=trusting,
    )

    assert result.smtp.outcome is Outcome.AUTH_FAILED
    assert result.pop.outcome is Outcome.AUTH_FAILED
    assert "535" in result.smtp.detail
    assert "[AUTH]" in result.pop.detail
    assert not result.ok


async def test_wrong_password_over_challenge_response_is_tried_once(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer
) -> None:
    server = smtp(SmtpMode.CRAM_MD5)
    mark = dovecot_tls.log.mark()

    result = await check_login(
        target(server.port, NONE, dovecot_tls.pop3_port, NONE), ADDRESS, "wrong-password"
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.AUTH_FAILED, Outcome.AUTH_FAILED)
    # No fall-back to PLAIN after the CRAM-MD5 failure (aiosmtplib's login() would do that).
    assert server.auth_mechanisms_seen == ["CRAM-MD5"]
    line = pop_login_line(dovecot_tls, mark, "method=APOP")
    assert "auth failed, 1 attempts" in line
    assert "method=APOP" in line


# --- the network fails --------------------------------------------------------------------


async def test_server_down_is_unreachable(closed_port: int) -> None:
    result = await check_login(target(closed_port, NONE, closed_port, NONE), ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.UNREACHABLE, Outcome.UNREACHABLE)
    assert "refused" in result.smtp.detail
    assert "refused" in result.pop.detail


@pytest.mark.parametrize("security", [NONE, TLS], ids=["plain", "implicit TLS"])
async def test_port_that_never_answers_times_out(silent_port: int, security: Security) -> None:
    result = await check_login(
        target(silent_port, security, silent_port, security), ADDRESS, PASSWORD, timeout=0.5
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.TIMEOUT, Outcome.TIMEOUT)
    for protocol in (result.smtp, result.pop):
        assert 0.4 < protocol.duration < 1.5


async def test_a_server_dribbling_bytes_cannot_outlast_the_overall_limit() -> None:
    # Each byte arrives well within the 0.2 s step timeout, but no line ever ends.
    with (
        mailservers.dribbling_listener(interval=0.05) as smtp_dribbler,
        mailservers.dribbling_listener(interval=0.05) as pop_dribbler,
    ):
        result = await check_login(
            target(smtp_dribbler.port, NONE, pop_dribbler.port, NONE),
            ADDRESS,
            PASSWORD,
            timeout=0.2,
        )

        assert (result.smtp.outcome, result.pop.outcome) == (Outcome.TIMEOUT, Outcome.TIMEOUT)
        # aiosmtplib times a whole reply; poplib's socket timeout only each read, so POP
        # runs into the overall budget of 4 steps of 0.2 s, unless a loaded machine delays
        # the dribbler past one read's 0.2 s first (once 0.57 s in all). The bounds are
        # loose (a loaded 2-core CI machine once took SMTP past 0.7 s): what matters is
        # that neither takes the 100 s the dribble would.
        assert result.smtp.duration < 3.0
        assert result.pop.duration < 5.0
        # The worker thread let go at once: its socket was shut, and the server saw it.
        assert pop_dribbler.hung_up.wait(timeout=1.0)
        assert smtp_dribbler.hung_up.wait(timeout=1.0)


# --- TLS and mechanisms -------------------------------------------------------------------


@pytest.mark.parametrize("security", [STARTTLS, TLS])
async def test_untrusted_certificate_is_its_own_outcome(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer, security: Security
) -> None:
    server = smtp(SmtpMode.STARTTLS_REQUIRED if security is STARTTLS else SmtpMode.IMPLICIT_TLS)
    pop_port = dovecot_tls.pop3_port if security is STARTTLS else dovecot_tls.pop3s_port
    assert pop_port is not None
    system_trust_only = ssl.create_default_context()  # does not know the trustme CA

    result = await check_login(
        target(server.port, security, pop_port, security),
        ADDRESS,
        PASSWORD,
        tls_context=system_trust_only,
    )

    assert (result.smtp.outcome, result.pop.outcome) == (
        Outcome.UNTRUSTED_CERTIFICATE,
        Outcome.UNTRUSTED_CERTIFICATE,
    )
    assert "certificate not trusted" in result.smtp.detail
    assert "certificate not trusted" in result.pop.detail
    assert server.auth_mechanisms_seen == []


async def test_starttls_not_offered_is_auth_not_offered(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_plain: DovecotServer, trusting: ssl.SSLContext
) -> None:
    server = smtp(SmtpMode.NO_STARTTLS)
    mark = dovecot_plain.log.mark()

    result = await check_login(
        target(server.port, STARTTLS, dovecot_plain.pop3_port, STARTTLS),
        ADDRESS,
        PASSWORD,
        tls_context=trusting,
    )

    assert result.smtp.outcome is Outcome.AUTH_NOT_OFFERED
    assert result.pop.outcome is Outcome.AUTH_NOT_OFFERED
    assert "STARTTLS" in result.smtp.detail
    assert "STLS" in result.pop.detail
    assert server.auth_mechanisms_seen == []
    assert "no auth attempts" in pop_login_line(dovecot_plain, mark, "no auth attempts")


async def test_no_safe_mechanism_on_plaintext_sends_no_password(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_plain: DovecotServer
) -> None:
    server = smtp(SmtpMode.NO_STARTTLS)  # offers only LOGIN and PLAIN
    mark = dovecot_plain.log.mark()  # its greeting has no APOP timestamp

    result = await check_login(
        target(server.port, NONE, dovecot_plain.pop3_port, NONE), ADDRESS, PASSWORD
    )

    # Refused on our side for safety: nothing verified, nothing found wrong.
    assert result.smtp.outcome is Outcome.NOT_VERIFIED
    assert result.pop.outcome is Outcome.NOT_VERIFIED
    assert "clear text" in result.smtp.detail
    assert not result.failed
    assert server.auth_mechanisms_seen == []
    assert "no auth attempts" in pop_login_line(dovecot_plain, mark, "no auth attempts")


async def test_plaintext_login_when_the_profile_allows_it(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_plain: DovecotServer
) -> None:
    server = smtp(SmtpMode.NO_STARTTLS)
    mark = dovecot_plain.log.mark()

    result = await check_login(
        target(server.port, NONE, dovecot_plain.pop3_port, NONE, allow_plaintext=True),
        ADDRESS,
        PASSWORD,
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK)
    assert server.auth_mechanisms_seen == ["PLAIN"]
    assert "method=PLAIN" in pop_login_line(dovecot_plain, mark, "method=PLAIN")


async def test_apop_is_preferred_even_when_plaintext_is_allowed(
    dovecot_tls: DovecotServer,
) -> None:
    mark = dovecot_tls.log.mark()

    result = await check_login(
        target(1, NONE, dovecot_tls.pop3_port, NONE, allow_plaintext=True),
        ADDRESS,
        PASSWORD,
        check_smtp=False,
    )

    assert result.pop.outcome is Outcome.OK
    assert "method=APOP" in pop_login_line(dovecot_tls, mark, "method=APOP")


# --- round trip ---------------------------------------------------------------------------


async def test_round_trip_delivers_a_test_message(
    certificates: Certificates, dovecot_tls: DovecotServer, trusting: ssl.SSLContext
) -> None:
    account = ROUND_TRIP_ACCOUNT
    # The caller's words, in Japanese: they must reach the mail program as written.
    words = MessageWords("メール設定の確認（テストメール）", "新しい設定で送受信できました。\n")
    with mailservers.running_smtp_server(
        SmtpMode.STARTTLS_REQUIRED, certificates, deliver=dovecot_tls.deliver
    ) as server:
        result = await round_trip(
            target(server.port, STARTTLS, dovecot_tls.pop3_port, STARTTLS),
            account.address,
            account.password,
            words=words,
            tls_context=trusting,
            wait=5.0,
            poll_interval=0.05,
        )

    assert result.delivered
    assert result.receive.message_count is not None
    assert result.receive.message_count >= 1
    [(recipient, content)] = server.delivered
    assert recipient == account.address
    # The subject goes out RFC 2047 encoded; the body as declared (8bit where the server
    # offers 8BITMIME, else aiosmtplib re-encodes it), so the Japanese reads back intact.
    head, _, _ = content.partition(b"\r\n\r\n")
    assert head.isascii()
    sent = message_from_bytes(content, policy=email.policy.default)
    assert sent["From"] == sent["To"] == account.address
    assert sent["X-Mailmove-Check"]
    assert sent["Subject"] == words.subject
    assert sent.get_content_type() == "text/plain"
    assert sent.get_content_charset() == "utf-8"
    assert sent.get_content().splitlines() == words.body.splitlines()


def test_the_test_message_s_words_must_make_a_mail() -> None:
    for subject, body in (("", "body"), ("two\nlines", "body"), ("subject", " \n")):
        with pytest.raises(ValueError, match="test message"):
            MessageWords(subject, body)


async def test_round_trip_reports_a_message_that_never_arrives(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer, trusting: ssl.SSLContext
) -> None:
    server = smtp(SmtpMode.STARTTLS_REQUIRED)  # accepts mail but delivers it nowhere
    account = ROUND_TRIP_ACCOUNT

    result = await round_trip(
        target(server.port, STARTTLS, dovecot_tls.pop3_port, STARTTLS),
        account.address,
        account.password,
        words=WORDS,
        tls_context=trusting,
        wait=0.3,
        poll_interval=0.05,
    )

    assert result.send.outcome is Outcome.OK
    assert result.receive.outcome is Outcome.TIMEOUT
    assert not result.delivered
    assert len(server.delivered) == 1


async def test_a_round_trip_begun_after_the_drain_sends_nothing(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer, trusting: ssl.SSLContext
) -> None:
    # Draining began while the login ran: a send begun now ran on into the shutdown grace.
    server = smtp(SmtpMode.STARTTLS_REQUIRED)
    stop = asyncio.Event()
    stop.set()

    result = await round_trip(
        target(server.port, STARTTLS, dovecot_tls.pop3_port, STARTTLS),
        ROUND_TRIP_ACCOUNT.address,
        ROUND_TRIP_ACCOUNT.password,
        words=WORDS,
        tls_context=trusting,
        stop=stop,
        stop_wait=10.0,
    )

    assert result.send.outcome is Outcome.NOT_CHECKED
    assert (server.connections, server.delivered) == (0, [])
    assert round_trip_value(result) == "not_sent"


async def test_a_test_message_whose_mailbox_cannot_be_read_safely_is_sent_not_lost(
    certificates: Certificates, dovecot_plain: DovecotServer, trusting: ssl.SSLContext
) -> None:
    # A sending-only migration keeps POP3 on 110 without TLS, where the check will not send
    # the password: the test message went out, and the page said 「時間内に受信を確認できません
    # でした」, as if it had not arrived.
    account = ROUND_TRIP_ACCOUNT
    with mailservers.running_smtp_server(
        SmtpMode.STARTTLS_REQUIRED, certificates, deliver=dovecot_plain.deliver
    ) as server:
        result = await round_trip(
            target(server.port, STARTTLS, dovecot_plain.pop3_port, NONE),
            account.address,
            account.password,
            words=WORDS,
            tls_context=trusting,
            wait=5.0,
            poll_interval=0.05,
        )

    assert result.send.outcome is Outcome.OK
    assert result.receive.outcome is Outcome.NOT_VERIFIED
    assert round_trip_value(result) == "sent_unread"
    assert marks((("round_trip", round_trip_value(result)),)) == (("round_trip", Mark.NOT_CHECKED),)
    assert len(server.delivered) == 1


async def test_round_trip_stops_when_sending_fails(
    smtp: Callable[[SmtpMode], SmtpServer], trusting: ssl.SSLContext, closed_port: int
) -> None:
    server = smtp(SmtpMode.STARTTLS_REQUIRED)

    result = await round_trip(
        target(server.port, STARTTLS, closed_port, STARTTLS),
        ADDRESS,
        "wrong-password",
        words=WORDS,
        tls_context=trusting,
    )

    assert result.send.outcome is Outcome.AUTH_FAILED
    assert result.receive.outcome is Outcome.NOT_CHECKED
    assert server.delivered == []


# --- the password stays secret ------------------------------------------------------------


async def test_password_appears_in_no_log_record_result_or_server_log(
    caplog: pytest.LogCaptureFixture,
    smtp: Callable[[SmtpMode], SmtpServer],
    certificates: Certificates,
    dovecot_tls: DovecotServer,
    dovecot_plain: DovecotServer,
    trusting: ssl.SSLContext,
    closed_port: int,
    silent_port: int,
) -> None:
    caplog.set_level(logging.DEBUG)
    starttls = smtp(SmtpMode.STARTTLS_REQUIRED)
    cram = smtp(SmtpMode.CRAM_MD5)
    bare = smtp(SmtpMode.NO_STARTTLS)
    pop_tls, pop_plain = dovecot_tls.pop3_port, dovecot_plain.pop3_port
    untrusted = ssl.create_default_context()
    runs = [
        (target(starttls.port, STARTTLS, pop_tls, STARTTLS), ADDRESS, trusting),
        (target(starttls.port, STARTTLS, pop_tls, STARTTLS), "taro", trusting),
        (target(starttls.port, STARTTLS, pop_tls, STARTTLS), ADDRESS, untrusted),
        (target(cram.port, NONE, pop_tls, NONE), ADDRESS, None),
        (target(bare.port, NONE, pop_plain, NONE), ADDRESS, None),
        (target(bare.port, NONE, pop_plain, NONE, allow_plaintext=True), ADDRESS, None),
        (target(bare.port, STARTTLS, pop_plain, STARTTLS), ADDRESS, trusting),
        (target(closed_port, NONE, silent_port, NONE), ADDRESS, None),
    ]
    results: list[object] = []
    for checked, address, context in runs:
        results.append(
            await check_login(checked, address, PASSWORD, timeout=0.5, tls_context=context)
        )
    results.append(
        await round_trip(
            target(starttls.port, STARTTLS, pop_tls, STARTTLS),
            ADDRESS,
            PASSWORD,
            words=WORDS,
            tls_context=trusting,
            wait=0.1,
            poll_interval=0.05,
        )
    )
    # The battery really did log in, fail, and refuse, so there was something to leak.
    outcomes = {r.smtp.outcome for r in results if isinstance(r, CheckResult)}
    assert {Outcome.OK, Outcome.AUTH_FAILED, Outcome.UNTRUSTED_CERTIFICATE} <= outcomes
    assert caplog.records

    for record in caplog.records:
        assert PASSWORD not in record.getMessage()
        assert PASSWORD not in repr(record.args)
    assert PASSWORD not in caplog.text
    assert PASSWORD not in repr(results)
    for server in (dovecot_tls, dovecot_plain):
        assert not [line for line in server.log.lines() if PASSWORD in line]


async def test_line_breaks_are_refused_without_echoing_the_password(closed_port: int) -> None:
    sneaky = PASSWORD + "\r\nDELE 1"

    with pytest.raises(ValueError, match="line break") as raised:
        await check_login(target(closed_port, NONE, closed_port, NONE), ADDRESS, sneaky)

    assert PASSWORD not in str(raised.value)


# --- classification of failures the loopback servers cannot produce -----------------------


def _connect_error(cause: BaseException) -> aiosmtplib.SMTPConnectError:
    error = aiosmtplib.SMTPConnectError("Error connecting to vsmtp.117.ne.jp on port 587")
    error.__cause__ = cause
    return error


@pytest.mark.parametrize(
    ("error", "expected"),
    [
        (_connect_error(socket.gaierror(-2, "Name or service not known")), Outcome.UNREACHABLE),
        (_connect_error(ConnectionRefusedError(111, "refused")), Outcome.UNREACHABLE),
        (_connect_error(ssl.SSLError(1, "WRONG_VERSION_NUMBER")), Outcome.TLS_ERROR),
        (aiosmtplib.SMTPConnectTimeoutError("Timed out"), Outcome.TIMEOUT),
        (aiosmtplib.SMTPReadTimeoutError("Timed out"), Outcome.TIMEOUT),
        (aiosmtplib.SMTPAuthenticationError(535, "5.7.8 bad"), Outcome.AUTH_FAILED),
        (aiosmtplib.SMTPAuthenticationError(534, "5.7.9 too weak"), Outcome.AUTH_NOT_OFFERED),
        (aiosmtplib.SMTPAuthenticationError(454, "4.7.0 try later"), Outcome.TEMPORARY_FAILURE),
        (aiosmtplib.SMTPResponseException(538, "5.7.11 encryption"), Outcome.AUTH_NOT_OFFERED),
        (aiosmtplib.SMTPResponseException(530, "5.7.0 auth first"), Outcome.AUTH_NOT_OFFERED),
        (aiosmtplib.SMTPConnectResponseError(421, "busy"), Outcome.TEMPORARY_FAILURE),
        (aiosmtplib.SMTPServerDisconnected("gone"), Outcome.TEMPORARY_FAILURE),
    ],
)
def test_smtp_failures_are_classified_in_mail_md_order(
    error: BaseException, expected: Outcome
) -> None:
    assert classify_smtp_error(error)[0] is expected


@pytest.mark.parametrize(
    ("error", "step", "expected"),
    [
        (socket.gaierror(-2, "Name or service not known"), "connect", Outcome.UNREACHABLE),
        (OSError(113, "No route to host"), "connect", Outcome.UNREACHABLE),
        (ConnectionResetError(104, "reset"), "mailbox", Outcome.TEMPORARY_FAILURE),
        (TimeoutError("timed out"), "login", Outcome.TIMEOUT),
        (ssl.SSLError(1, "WRONG_VERSION_NUMBER"), "connect", Outcome.TLS_ERROR),
        (poplib.error_proto(b"-ERR Invalid password"), "login", Outcome.AUTH_FAILED),
        (poplib.error_proto(b"-ERR [SYS/TEMP] try later"), "login", Outcome.TEMPORARY_FAILURE),
        (poplib.error_proto(b"-ERR [IN-USE] locked"), "login", Outcome.MAILBOX_IN_USE),
        (
            poplib.error_proto(b"-ERR [IN-USE] Mailbox is locked by another POP3 session"),
            "login",
            Outcome.MAILBOX_IN_USE,
        ),
        (
            poplib.error_proto(b"-ERR [AUTH] Plaintext authentication disallowed"),
            "login",
            Outcome.AUTH_NOT_OFFERED,
        ),
        (poplib.error_proto(b"-ERR go away"), "connect", Outcome.TEMPORARY_FAILURE),
    ],
)
def test_pop_failures_are_classified(error: BaseException, step: str, expected: Outcome) -> None:
    assert classify_pop_error(error, step)[0] is expected


# --- the profile's connect host ------------------------------------------------------------


def _via_loopback(port: int, security: Security) -> CheckTarget:
    """A target named like the profile's servers, reached through connect_host 127.0.0.1."""
    access = Access(connect_host=HOST)
    return CheckTarget(
        "vsmtp.117.ne.jp",
        port,
        security,
        "vpop.117.ne.jp",
        port,
        security,
        allow_plaintext_login=False,
        smtp_access=access,
        incoming_access=access,
    )


async def test_a_connect_host_that_refuses_is_unreachable(closed_port: int) -> None:
    result = await check_login(_via_loopback(closed_port, NONE), ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.UNREACHABLE, Outcome.UNREACHABLE)
    assert "refused" in result.smtp.detail


@pytest.mark.parametrize("security", [NONE, TLS], ids=["plain", "implicit TLS"])
async def test_a_connect_host_that_never_answers_times_out(
    silent_port: int, security: Security
) -> None:
    result = await check_login(_via_loopback(silent_port, security), ADDRESS, PASSWORD, timeout=0.5)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.TIMEOUT, Outcome.TIMEOUT)
    assert result.smtp.duration < 2.5


async def test_the_certificate_is_checked_against_the_name_not_the_connect_host(
    smtp: Callable[[SmtpMode], SmtpServer], dovecot_tls: DovecotServer, trusting: ssl.SSLContext
) -> None:
    server = smtp(SmtpMode.IMPLICIT_TLS)
    assert dovecot_tls.pop3s_port is not None
    access = Access(connect_host=HOST)
    named = CheckTarget(
        "vsmtp.117.ne.jp", server.port, TLS, "vpop.117.ne.jp", dovecot_tls.pop3s_port, TLS,
        allow_plaintext_login=False, smtp_access=access, incoming_access=access,
    )  # fmt: skip
    elsewhere = CheckTarget(
        "mail.example.net", server.port, TLS, "mail.example.net", dovecot_tls.pop3s_port, TLS,
        allow_plaintext_login=False, smtp_access=access, incoming_access=access,
    )  # fmt: skip

    good = await check_login(named, ADDRESS, PASSWORD, tls_context=trusting)
    bad = await check_login(elsewhere, ADDRESS, PASSWORD, tls_context=trusting)

    assert (good.smtp.outcome, good.pop.outcome) == (Outcome.OK, Outcome.OK)
    assert (bad.smtp.outcome, bad.pop.outcome) == (
        Outcome.UNTRUSTED_CERTIFICATE,
        Outcome.UNTRUSTED_CERTIFICATE,
    )
    for refused in (bad.smtp, bad.pop):
        assert "not valid for 'mail.example.net'" in refused.detail


async def test_receiving_servers_that_never_answer_hold_up_no_other_check(
    silent_port: int, closed_port: int
) -> None:
    # POP3 and IMAP run in worker threads. In asyncio's default pool (6 threads on the
    # 2-core server) 20 checks of a silent receiving server queued behind each other, and
    # so did every name lookup the process makes there: the sending side's (aiosmtplib
    # looks the profile's host name up), Slack's and LINE's. 18 of 20 sending servers that
    # refused at once were reported 'timeout', after up to 4 times the step timeout.
    looked_up = CheckTarget("localhost", closed_port, NONE, HOST, silent_port, NONE, False)
    results = await asyncio.gather(
        *(check_login(looked_up, ADDRESS, PASSWORD, timeout=0.5) for _ in range(20))
    )

    assert {result.smtp.outcome for result in results} == {Outcome.UNREACHABLE}
    assert {result.pop.outcome for result in results} == {Outcome.TIMEOUT}
    # No bound on the durations: the sending side's outcome is what queueing changed, and a
    # wall-clock bound would only measure the machine's load.
