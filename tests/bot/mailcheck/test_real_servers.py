"""The live login check against what an ISP really runs, started on loopback by the suite.

Dovecot serves POP3 and IMAP (STARTTLS and implicit TLS, a test CA) and checks Postfix's
SASL logins; Postfix is the submission server (STARTTLS like 587, implicit TLS like 465,
and a port that announces AUTH without TLS). Targets come from profile files, as in
production: the check connects to 127.0.0.1 (`[*.check] connect_host`) while TLS verifies
the name subscribers type, trusting the CA the profile names (`[*.check] ca_file`).
"""

from __future__ import annotations

import os
import re
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest

from bot.mailcheck.credential_check import MessageWords, check_login, round_trip
from bot.mailcheck.outcomes import CheckResult, Outcome, ProtocolResult
from bot.mailcheck.target import CheckTarget
from bot.ops.profile_loader import load_profile
from dialogs.profile import Protocol, Security
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
    is_imap_login_end,
    is_pop3_login_end,
)
from testbed.postfix import PostfixMissingError, PostfixServer, postfix_binary, running_postfix

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")

ADDRESS = CHECK_ACCOUNT.address
EXAMPLE = Path(__file__).parents[3] / "examples" / "tls-migration.toml"
# Names in the test certificate (testbed.mailservers.SERVER_NAMES), not in any DNS.
POP_NAME, SMTP_NAME = "vpop.117.ne.jp", "vsmtp.117.ne.jp"
LOG_TIMEOUT = 5.0
WORDS = MessageWords("Mail settings check", "Sent by the tests.")


def _missing(error: Exception) -> None:
    if os.environ.get("CI") == "true":
        pytest.fail(f"{error}; CI must run the real-server tests")
    pytest.skip(str(error))


@dataclass(frozen=True, slots=True)
class Servers:
    """One Dovecot (POP3, IMAP; PLAIN and LOGIN only) and the Postfix that asks it."""

    dovecot: DovecotServer
    postfix: PostfixServer
    certificates: Certificates


@pytest.fixture(scope="module")
def certificates(tmp_path_factory: pytest.TempPathFactory) -> Certificates:
    return Certificates(tmp_path_factory.mktemp("certificates"))


@pytest.fixture(scope="module")
def servers(certificates: Certificates) -> Iterator[Servers]:
    try:
        mailservers.dovecot_binary(imap=True)
        postfix_binary()
    except (mailservers.DovecotMissingError, PostfixMissingError) as missing:
        _missing(missing)
    with (
        mailservers.running_dovecot(
            certificates=certificates, imap=True, mechanisms="plain login"
        ) as dovecot,
        running_postfix(certificates, dovecot) as postfix,
    ):
        yield Servers(dovecot, postfix, certificates)


@pytest.fixture(scope="module")
def cram_dovecot(certificates: Certificates) -> Iterator[DovecotServer]:
    """A Dovecot without PLAIN: SASL LOGIN and CRAM-MD5 (IMAP: LOGINDISABLED), APOP (POP3)."""
    try:
        mailservers.dovecot_binary(imap=True)
    except mailservers.DovecotMissingError as missing:
        _missing(missing)
    with mailservers.running_dovecot(
        certificates=certificates, imap=True, mechanisms="login cram-md5 apop"
    ) as dovecot:
        yield dovecot


# --- profiles -----------------------------------------------------------------------------


def _server_toml(
    table: str,
    *,
    host: str,
    port: int,
    security: Security,
    methods: tuple[str, ...],
    login_name: str,
    connect_host: str | None,
    ca_file: str | None,
    protocol: Protocol | None = None,
) -> str:
    methods_toml = ", ".join(f'"{m}"' for m in methods)
    lines = [f"[{table}]"]
    if protocol is not None:
        lines.append(f'protocol = "{protocol.value}"')
    lines += [
        'old_host = "pop.examplenet.ne.jp"'
        if table == "incoming"
        else 'old_hosts = ["smtp.examplenet.ne.jp"]',
        f'new_host = "{host}"',
        f'ports = [{{port = {port}, security = "{security.value}"}}]',
        "old_port = 25" if table == "outgoing" else "old_port = 110",
        'old_security = "none"',
        f"login_methods = [{methods_toml}]",
        f'login_name = "{login_name}"',
        f"[{table}.check]",
    ]
    if connect_host is not None:
        lines.append(f'connect_host = "{connect_host}"')
    if ca_file is not None:
        lines.append(f'ca_file = "{ca_file}"')
    return "\n".join(lines) + "\n\n"


@dataclass(frozen=True, slots=True)
class Side:
    """One server of a test profile: where it listens and what the profile says of it."""

    port: int
    security: Security
    methods: tuple[str, ...] = ("password",)
    protocol: Protocol = Protocol.POP3
    host: str = ""
    login_name: str = "address"
    connect_host: str | None = HOST
    trust_ca: bool = True


def profile_target(
    directory: Path,
    certificates: Certificates,
    *,
    incoming: Side,
    outgoing: Side,
    allow_plaintext_login: bool = False,
) -> CheckTarget:
    """Write a profile (the TLS example with these servers), load it as the runtime does."""
    shutil.copy(certificates.ca_path, directory / "ca.pem")
    text = EXAMPLE.read_text("utf-8")
    servers = _server_toml(
        "incoming",
        host=incoming.host or POP_NAME,
        port=incoming.port,
        security=incoming.security,
        methods=incoming.methods,
        login_name=incoming.login_name,
        connect_host=incoming.connect_host,
        ca_file="ca.pem" if incoming.trust_ca else None,
        protocol=incoming.protocol,
    ) + _server_toml(
        "outgoing",
        host=outgoing.host or SMTP_NAME,
        port=outgoing.port,
        security=outgoing.security,
        methods=outgoing.methods,
        login_name=outgoing.login_name,
        connect_host=outgoing.connect_host,
        ca_file="ca.pem" if outgoing.trust_ca else None,
    )
    text = re.sub(r"(?ms)^\[incoming\].*?(?=^\[schedule\])", lambda _: servers, text)
    text = text.replace(
        "allow_plaintext_login = false",
        f"allow_plaintext_login = {str(allow_plaintext_login).lower()}",
    )
    path = directory / "profile.toml"
    path.write_text(text, "utf-8")
    return CheckTarget.from_profile(load_profile(path))


# --- what the servers saw -----------------------------------------------------------------


def wait_for_postfix_session(postfix: PostfixServer, after: int) -> str:
    """The summary smtpd writes when a client that said EHLO leaves (after log offset)."""
    deadline = time.monotonic() + LOG_TIMEOUT
    while time.monotonic() < deadline:
        found = [
            line
            for line in postfix.log()[after:].splitlines()
            if "disconnect from" in line and "ehlo=" in line
        ]
        if found:
            return found[-1]
        time.sleep(0.02)  # postlogd writes the file on its own time: poll the condition
    raise TimeoutError(f"no smtpd session summary within {LOG_TIMEOUT} s:\n{postfix.log()[after:]}")


def login_line(dovecot: DovecotServer, after: int, protocol: Protocol, *containing: str) -> str:
    """This test's login line: the first after `after` holding everything in `containing`.

    A login process writes a connection's last line a moment after the client left, so
    the previous test's can still arrive after this test's mark: told apart by content.
    """
    ends = is_imap_login_end if protocol is Protocol.IMAP else is_pop3_login_end
    return dovecot.log.wait_for(
        lambda line: ends(line) and all(part in line for part in containing), after=after
    )


def incoming_port(dovecot: DovecotServer, protocol: Protocol, security: Security) -> int:
    ports = {
        (Protocol.POP3, Security.NONE): dovecot.pop3_port,
        (Protocol.POP3, Security.STARTTLS): dovecot.pop3_port,
        (Protocol.POP3, Security.TLS): dovecot.pop3s_port,
        (Protocol.IMAP, Security.NONE): dovecot.imap_port,
        (Protocol.IMAP, Security.STARTTLS): dovecot.imap_port,
        (Protocol.IMAP, Security.TLS): dovecot.imaps_port,
    }
    port = ports[(protocol, security)]
    assert port is not None
    return port


def outgoing_port(postfix: PostfixServer, security: Security) -> int:
    return {
        Security.NONE: postfix.plain_port,
        Security.STARTTLS: postfix.submission_port,
        Security.TLS: postfix.smtps_port,
    }[security]


# --- logging in ---------------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [Protocol.POP3, Protocol.IMAP])
@pytest.mark.parametrize("security", [Security.STARTTLS, Security.TLS])
async def test_each_protocol_and_tls_mode_logs_in_with_the_profiles_ca(
    servers: Servers, tmp_path: Path, protocol: Protocol, security: Security
) -> None:
    dovecot, postfix = servers.dovecot, servers.postfix
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(incoming_port(dovecot, protocol, security), security, protocol=protocol),
        outgoing=Side(outgoing_port(postfix, security), security),
    )
    mark, offset = dovecot.log.mark(), len(postfix.log())

    # No context from the caller: only the profile's CA can make TLS succeed.
    result = await check_login(target, ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK), result
    assert result.pop.message_count == SEEDED_MESSAGES
    line = login_line(dovecot, mark, protocol, "Login:", f"user=<{ADDRESS}>")
    assert "TLS" in line
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=1 " in summary
    assert ("starttls=1" in summary) is (security is Security.STARTTLS)
    assert "mail=" not in summary  # logged in, sent nothing


@pytest.mark.parametrize("protocol", [Protocol.POP3, Protocol.IMAP])
async def test_wrong_password_is_auth_failed_and_tried_once(
    servers: Servers, tmp_path: Path, protocol: Protocol
) -> None:
    dovecot, postfix = servers.dovecot, servers.postfix
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(
            incoming_port(dovecot, protocol, Security.TLS), Security.TLS, protocol=protocol
        ),
        outgoing=Side(postfix.submission_port, Security.STARTTLS),
    )
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(target, ADDRESS, "wrong-password")

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.AUTH_FAILED, Outcome.AUTH_FAILED)
    assert "535" in result.smtp.detail
    assert result.failed
    # Refused ("user disabled" is the test's catch-all passdb), not logged in.
    line = login_line(dovecot, mark, protocol, "Disconnected", f"user=<{ADDRESS}>")
    assert "method=PLAIN" in line
    assert " auth=0/1 " in wait_for_postfix_session(postfix, offset)  # one attempt, no more


async def test_postfix_refusing_the_client_at_connection_is_client_refused(
    servers: Servers, tmp_path: Path
) -> None:
    """554 in place of the greeting (an access rule against the check's network): told as
    the server refusing this client, not a try-again (it was TEMPORARY_FAILURE)."""
    dovecot, postfix = servers.dovecot, servers.postfix
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(dovecot.pop3_port, Security.STARTTLS),
        outgoing=Side(postfix.refusing_port, Security.STARTTLS),
    )
    offset = len(postfix.log())

    result = await check_login(target, ADDRESS, PASSWORD)

    assert result.smtp.outcome is Outcome.CLIENT_REFUSED, result.smtp
    assert result.smtp.detail.startswith("server replied 554 ")
    assert result.pop.outcome is Outcome.OK
    assert "sasl_username" not in postfix.log()[offset:]  # no login was tried


async def test_the_profiles_login_name_is_the_one_sent(servers: Servers, tmp_path: Path) -> None:
    dovecot = servers.dovecot
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(
            incoming_port(dovecot, Protocol.IMAP, Security.TLS),
            Security.TLS,
            protocol=Protocol.IMAP,
            login_name="local-part",
        ),
        outgoing=Side(servers.postfix.smtps_port, Security.TLS),
    )
    mark = dovecot.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    # These servers know only full addresses, so the part before @ is refused: it was sent.
    assert result.pop.outcome is Outcome.AUTH_FAILED
    assert "Disconnected" in login_line(dovecot, mark, Protocol.IMAP, "user=<taro>")


# --- TLS: the certificate -----------------------------------------------------------------


@pytest.mark.parametrize(
    ("host", "trust_ca"),
    [(POP_NAME, False), ("mail.examplenet.ne.jp", True)],
    ids=["CA not in the profile", "name not in the certificate"],
)
async def test_untrusted_certificate_sends_no_password(
    servers: Servers, tmp_path: Path, host: str, trust_ca: bool
) -> None:
    dovecot, postfix = servers.dovecot, servers.postfix
    smtp_host = SMTP_NAME if host == POP_NAME else host
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(
            incoming_port(dovecot, Protocol.IMAP, Security.STARTTLS),
            Security.STARTTLS,
            protocol=Protocol.IMAP,
            host=host,
            trust_ca=trust_ca,
        ),
        outgoing=Side(
            postfix.submission_port, Security.STARTTLS, host=smtp_host, trust_ca=trust_ca
        ),
    )
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(target, ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (
        Outcome.UNTRUSTED_CERTIFICATE,
        Outcome.UNTRUSTED_CERTIFICATE,
    )
    assert "certificate not trusted" in result.pop.detail
    assert result.failed
    assert "no auth attempts" in login_line(dovecot, mark, Protocol.IMAP, "no auth attempts")
    assert " auth=" not in wait_for_postfix_session(postfix, offset)


# --- which login method -------------------------------------------------------------------


@pytest.mark.parametrize("protocol", [Protocol.POP3, Protocol.IMAP])
async def test_plaintext_is_refused_as_not_verified_and_no_password_leaves(
    servers: Servers, tmp_path: Path, protocol: Protocol
) -> None:
    dovecot, postfix = servers.dovecot, servers.postfix
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(
            incoming_port(dovecot, protocol, Security.NONE), Security.NONE, protocol=protocol
        ),
        outgoing=Side(postfix.plain_port, Security.NONE),
    )
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(target, ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.NOT_VERIFIED, Outcome.NOT_VERIFIED)
    assert "clear text" in result.smtp.detail
    assert not result.ok
    assert not result.failed  # nothing was found wrong either
    assert "no auth attempts" in login_line(dovecot, mark, protocol, "no auth attempts")
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=" not in summary


async def test_cram_md5_not_offered_means_the_password_over_tls(
    servers: Servers, tmp_path: Path
) -> None:
    dovecot, postfix = servers.dovecot, servers.postfix
    prefer_cram = ("cram-md5", "password")
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(
            incoming_port(dovecot, Protocol.IMAP, Security.STARTTLS),
            Security.STARTTLS,
            prefer_cram,
            Protocol.IMAP,
        ),
        outgoing=Side(postfix.submission_port, Security.STARTTLS, prefer_cram),
    )
    mark = dovecot.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK)
    assert "PLAIN" in result.smtp.detail
    assert "AUTHENTICATE PLAIN" in result.pop.detail
    assert "method=PLAIN" in login_line(dovecot, mark, Protocol.IMAP, "method=PLAIN")


async def test_no_method_in_common_is_auth_not_offered(servers: Servers, tmp_path: Path) -> None:
    # The profile says the servers offer CRAM-MD5 and they announce PLAIN and LOGIN: a mail
    # program set up as the card says is refused its method, so the check found something
    # wrong (the server or the profile), though no password left. It was "not verified,
    # nothing found wrong" before, and the subscriber was told the settings were fine.
    dovecot, postfix = servers.dovecot, servers.postfix
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(
            incoming_port(dovecot, Protocol.IMAP, Security.TLS),
            Security.TLS,
            ("cram-md5",),
            Protocol.IMAP,
        ),
        outgoing=Side(postfix.smtps_port, Security.TLS, ("cram-md5",)),
    )

    result = await check_login(target, ADDRESS, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (
        Outcome.AUTH_NOT_OFFERED,
        Outcome.AUTH_NOT_OFFERED,
    )
    assert "in common" in result.smtp.detail
    assert result.failed


@pytest.mark.parametrize(
    ("protocol", "method", "logged"),
    [(Protocol.IMAP, "cram-md5", "method=CRAM-MD5"), (Protocol.POP3, "apop", "method=APOP")],
)
async def test_challenge_response_proves_the_password_without_tls(
    cram_dovecot: DovecotServer,
    certificates: Certificates,
    tmp_path: Path,
    protocol: Protocol,
    method: str,
    logged: str,
) -> None:
    target = profile_target(
        tmp_path,
        certificates,
        incoming=Side(
            incoming_port(cram_dovecot, protocol, Security.NONE),
            Security.NONE,
            ("password", method),  # preferred by the profile, but not in clear text
            protocol,
        ),
        outgoing=Side(1, Security.NONE),
    )
    mark = cram_dovecot.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.OK
    assert result.pop.message_count == SEEDED_MESSAGES
    assert f"user=<{ADDRESS}>" in login_line(cram_dovecot, mark, protocol, "Login:", logged)


@pytest.mark.parametrize(
    ("methods", "used", "logged"),
    [
        (("password",), "AUTHENTICATE LOGIN", "method=LOGIN"),
        (("cram-md5", "password"), "AUTHENTICATE CRAM-MD5", "method=CRAM-MD5"),
    ],
    ids=["password by SASL LOGIN", "the profile's first choice"],
)
async def test_imap_without_plain_uses_what_is_announced(
    cram_dovecot: DovecotServer,
    certificates: Certificates,
    tmp_path: Path,
    methods: tuple[str, ...],
    used: str,
    logged: str,
) -> None:
    target = profile_target(
        tmp_path,
        certificates,
        incoming=Side(
            incoming_port(cram_dovecot, Protocol.IMAP, Security.TLS),
            Security.TLS,
            methods,
            Protocol.IMAP,
        ),
        outgoing=Side(1, Security.NONE),
    )
    mark = cram_dovecot.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.OK
    assert used in result.pop.detail
    assert "TLS" in login_line(cram_dovecot, mark, Protocol.IMAP, "Login:", logged)


# --- round trip over IMAP -----------------------------------------------------------------


async def test_round_trip_finds_the_test_message_over_imap(
    cram_dovecot: DovecotServer, certificates: Certificates
) -> None:
    account = ROUND_TRIP_ACCOUNT
    assert cram_dovecot.imaps_port is not None
    with mailservers.running_smtp_server(
        SmtpMode.IMPLICIT_TLS, certificates, deliver=cram_dovecot.deliver
    ) as smtp:
        target = CheckTarget(
            HOST,
            smtp.port,
            Security.TLS,
            HOST,
            cram_dovecot.imaps_port,
            Security.TLS,
            allow_plaintext_login=False,
            incoming_protocol=Protocol.IMAP,
        )
        result = await round_trip(
            target,
            account.address,
            account.password,
            words=WORDS,
            tls_context=certificates.client_context(),
            wait=5.0,
            poll_interval=0.05,
        )

    assert result.delivered
    assert result.receive.message_count is not None
    assert result.receive.message_count >= 1


def test_a_refusal_for_safety_is_neither_pass_nor_failure() -> None:
    refused = ProtocolResult(Outcome.NOT_VERIFIED)
    passed = ProtocolResult(Outcome.OK)

    assert not CheckResult(refused, passed).ok
    assert not CheckResult(refused, passed).failed
    assert CheckResult(ProtocolResult(Outcome.UNTRUSTED_CERTIFICATE), passed).failed


@pytest.mark.parametrize("protocol", [Protocol.POP3, Protocol.IMAP])
async def test_a_password_beyond_ascii_is_a_clean_answer(
    servers: Servers, tmp_path: Path, protocol: Protocol
) -> None:
    dovecot, postfix = servers.dovecot, servers.postfix
    target = profile_target(
        tmp_path,
        servers.certificates,
        incoming=Side(
            incoming_port(dovecot, protocol, Security.TLS), Security.TLS, protocol=protocol
        ),
        outgoing=Side(postfix.smtps_port, Security.TLS),
    )

    result = await check_login(target, ADDRESS, "月見-パスワード")

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.AUTH_FAILED, Outcome.AUTH_FAILED)
