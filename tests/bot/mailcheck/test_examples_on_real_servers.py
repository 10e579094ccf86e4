"""The live check of four example profiles against the Dovecot and Postfix the suite starts.

`examples/pop-to-imap.toml` (IMAP on implicit TLS, SMTP on 465, the login becomes the whole
address), `examples/new-domain-imap.toml` (IMAP on implicit TLS, SMTP on 587 with STARTTLS,
the address moves to a new domain), `examples/hosted-mail-by-post.toml` (POP3 on implicit
TLS, SMTP on 587 with STARTTLS, the login becomes the whole address) and
`examples/op25b-sending-only.toml` (sending alone: 587 with STARTTLS, receiving left alone;
also with its receiving server read over IMAP on 993, and a test message's round trip),
`examples/mailbox-id-to-address.toml` (POP3 on 995 and SMTP on 465, the whole address instead
of a mailbox id), `examples/webmail-for-some-programs.toml` (IMAP on 993 and SMTP on 465),
`examples/imap-new-domain-by-post.toml` (IMAP on 993 and SMTP on 465, the old address typed)
and `examples/tls-required-one-host.toml` (one kept name, POP3 on 995 and SMTP on 465):
each file as an operator wrote it, with only what a test network needs changed: the host
names to the ones the test certificate holds, the check led to 127.0.0.1 with the test CA
(`[*.check]`, as docs/login-check.md says for an internal relay), the servers' domain as the
subscribers' (or the new) one, and the ports the servers listen on. The protocol, the TLS
modes, the login name and the login method stay the profile's.
"""

from __future__ import annotations

import dataclasses
import re
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest

from bot.mailcheck.credential_check import MessageWords, check_login, round_trip
from bot.mailcheck.login_checks import round_trip_value
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import CheckTarget
from bot.ops.profile_loader import load_profile
from dialogs.profile import Protocol, Security
from testbed import mailservers
from testbed.mailservers import (
    CHECK_ACCOUNT,
    DOMAIN,
    HOST,
    PASSWORD,
    ROUND_TRIP_ACCOUNT,
    SEEDED_MESSAGES,
    Certificates,
    SmtpMode,
)
from testbed.postfix import PostfixMissingError, postfix_binary, running_postfix
from tests.bot.mailcheck.test_real_servers import (
    POP_NAME,
    SMTP_NAME,
    Servers,
    _missing,
    incoming_port,
    login_line,
    outgoing_port,
    wait_for_postfix_session,
)

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")

EXAMPLES: Final = Path(__file__).resolve().parents[3] / "examples"
WORDS: Final = MessageWords("Mail settings check", "Sent by the tests.")


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


def on_test_servers(name: str, domain_line: str, servers: Servers, directory: Path) -> CheckTarget:
    """The example as the test network needs it, loaded as `mailmove serve` loads it."""
    text = (EXAMPLES / f"{name}.toml").read_text("utf-8")
    assert domain_line in text
    text = text.replace(domain_line, re.sub(r'"[^"]+"', f'"{DOMAIN}"', domain_line))
    hosts = iter((POP_NAME, SMTP_NAME))
    text = re.sub(r'(?m)^new_host = "[^"]+"', lambda _: f'new_host = "{next(hosts)}"', text)
    shutil.copy(servers.certificates.ca_path, directory / "ca.pem")
    for table in ("incoming", "outgoing"):
        text += f'\n[{table}.check]\nconnect_host = "{HOST}"\nca_file = "ca.pem"\n'
    path = directory / f"{name}.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    target = CheckTarget.from_profile(profile)
    # The servers listen on free ports: the profile's TLS mode picks which one.
    target = dataclasses.replace(
        target,
        pop_port=incoming_port(servers.dovecot, Protocol.IMAP, target.pop_security),
        smtp_port=outgoing_port(servers.postfix, target.smtp_security),
    )
    return target


@pytest.mark.parametrize(
    ("name", "domain_line", "typed", "security"),
    [
        # The login was the part before @ until now: the whole address is what is sent.
        (
            "pop-to-imap",
            'affected_domains = ["tsubame.example.jp"]',
            CHECK_ACCOUNT.address,
            Security.TLS,
        ),
        # The OLD address typed logs in as the new one.
        (
            "new-domain-imap",
            'new_domain = "new.example.jp"',
            "taro@old.example.jp",
            Security.STARTTLS,
        ),
        # The same on 465 (implicit TLS), the new password sent by post.
        (
            "imap-new-domain-by-post",
            'new_domain = "sora-hikari.example.jp"',
            "taro@aozora-net.example.jp",
            Security.TLS,
        ),
    ],
)
async def test_the_example_logs_in_over_tls_with_the_whole_new_address(
    servers: Servers,
    tmp_path: Path,
    name: str,
    domain_line: str,
    typed: str,
    security: Security,
) -> None:
    target = on_test_servers(name, domain_line, servers, tmp_path)
    assert (target.incoming_protocol, target.pop_security) == (Protocol.IMAP, Security.TLS)
    assert target.smtp_security is security
    dovecot, postfix = servers.dovecot, servers.postfix
    mark, offset = dovecot.log.mark(), len(postfix.log())

    # No context from the caller: only the CA the profile names makes TLS succeed.
    result = await check_login(target, typed, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK), result
    assert result.pop.message_count == SEEDED_MESSAGES
    line = login_line(dovecot, mark, Protocol.IMAP, "Login:", f"user=<{CHECK_ACCOUNT.address}>")
    assert "TLS" in line
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=1 " in summary
    assert ("starttls=1" in summary) is (security is Security.STARTTLS)
    assert "mail=" not in summary  # logged in, sent nothing


async def test_a_wrong_password_on_the_example_is_refused_once(
    servers: Servers, tmp_path: Path
) -> None:
    target = on_test_servers(
        "pop-to-imap", 'affected_domains = ["tsubame.example.jp"]', servers, tmp_path
    )
    offset = len(servers.postfix.log())

    result = await check_login(target, CHECK_ACCOUNT.address, "not-the-password")

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.AUTH_FAILED, Outcome.AUTH_FAILED)
    assert " auth=0/1 " in wait_for_postfix_session(servers.postfix, offset)


async def test_the_hosted_example_logs_in_over_pop3_tls_and_587_starttls(
    servers: Servers, tmp_path: Path
) -> None:
    # examples/hosted-mail-by-post.toml: POP3 on 995 (implicit TLS), SMTP on 587 + STARTTLS,
    # the whole address as the login (the part before @ until now), the letter's password.
    target = on_test_servers(
        "hosted-mail-by-post", 'affected_domains = ["minami-catv.example.jp"]', servers, tmp_path
    )
    target = dataclasses.replace(
        target, pop_port=incoming_port(servers.dovecot, Protocol.POP3, target.pop_security)
    )
    assert (target.incoming_protocol, target.pop_security, target.smtp_security) == (
        Protocol.POP3,
        Security.TLS,
        Security.STARTTLS,
    )
    dovecot, postfix = servers.dovecot, servers.postfix
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(target, CHECK_ACCOUNT.address, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK), result
    assert result.pop.message_count == SEEDED_MESSAGES
    line = login_line(dovecot, mark, Protocol.POP3, "Login:", f"user=<{CHECK_ACCOUNT.address}>")
    assert "TLS" in line
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=1 " in summary
    assert "starttls=1" in summary
    assert "mail=" not in summary  # logged in, sent nothing


async def test_the_sending_only_example_logs_in_to_587_starttls_and_leaves_receiving_alone(
    servers: Servers, tmp_path: Path
) -> None:
    # examples/op25b-sending-only.toml: port 25 without a login becomes 587 with STARTTLS and
    # SMTP AUTH on the same host name; receiving is kept exactly as it is, so both of its
    # names (old and new, equal) become the test certificate's and the check leaves it alone.
    text = (EXAMPLES / "op25b-sending-only.toml").read_text("utf-8")
    text = text.replace("pop.hotaru.example.ne.jp", POP_NAME)
    text = text.replace("smtp.hotaru.example.ne.jp", SMTP_NAME)
    text = text.replace(
        'affected_domains = ["hotaru.example.ne.jp"]', f'affected_domains = ["{DOMAIN}"]'
    )
    shutil.copy(servers.certificates.ca_path, tmp_path / "ca.pem")
    for table in ("incoming", "outgoing"):
        text += f'\n[{table}.check]\nconnect_host = "{HOST}"\nca_file = "ca.pem"\n'
    path = tmp_path / "op25b.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.incoming.unchanged
    target = CheckTarget.from_profile(profile)
    assert not target.check_incoming
    assert (target.smtp_port, target.smtp_security) == (587, Security.STARTTLS)
    target = dataclasses.replace(
        target, smtp_port=outgoing_port(servers.postfix, target.smtp_security)
    )
    offset = len(servers.postfix.log())

    result = await check_login(
        target, CHECK_ACCOUNT.address, PASSWORD, check_pop=target.check_incoming
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.NOT_CHECKED), result
    summary = wait_for_postfix_session(servers.postfix, offset)
    assert " auth=1 " in summary
    assert "starttls=1" in summary
    assert "mail=" not in summary  # logged in, sent nothing


def sending_only_on_imap(servers: Servers, directory: Path) -> CheckTarget:
    """examples/op25b-sending-only.toml with its kept receiving server read over IMAP (993)."""
    text = (EXAMPLES / "op25b-sending-only.toml").read_text("utf-8")
    for old, new in (
        ('protocol = "pop3"', 'protocol = "imap"'),
        ("port = 995", "port = 993"),
        ("pop.hotaru.example.ne.jp", POP_NAME),
        ("smtp.hotaru.example.ne.jp", SMTP_NAME),
        ('affected_domains = ["hotaru.example.ne.jp"]', f'affected_domains = ["{DOMAIN}"]'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    shutil.copy(servers.certificates.ca_path, directory / "ca.pem")
    for table in ("incoming", "outgoing"):
        text += f'\n[{table}.check]\nconnect_host = "{HOST}"\nca_file = "ca.pem"\n'
    path = directory / "op25b-imap.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.incoming.unchanged
    assert profile.incoming.protocol is Protocol.IMAP
    return CheckTarget.from_profile(profile)


async def test_the_sending_only_example_on_imap_logs_in_to_587_and_not_to_imap(
    servers: Servers, tmp_path: Path
) -> None:
    target = sending_only_on_imap(servers, tmp_path)
    assert not target.check_incoming
    assert (target.smtp_port, target.smtp_security) == (587, Security.STARTTLS)
    target = dataclasses.replace(
        target,
        smtp_port=outgoing_port(servers.postfix, target.smtp_security),
        pop_port=incoming_port(servers.dovecot, Protocol.IMAP, target.pop_security),
    )
    dovecot, postfix = servers.dovecot, servers.postfix
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(
        target, CHECK_ACCOUNT.address, PASSWORD, check_pop=target.check_incoming
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.NOT_CHECKED), result
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=1 " in summary
    assert "starttls=1" in summary
    assert "mail=" not in summary  # logged in, sent nothing
    # Receiving is not the migration's to test: IMAP was not logged in to.
    assert not [line for line in dovecot.log.lines()[mark:] if "imap-login: Login:" in line]


async def test_the_sending_only_example_on_imap_finds_its_test_message_over_imaps(
    servers: Servers, tmp_path: Path
) -> None:
    # The suite's Postfix delivers nothing: the message goes through a submission server
    # on 587's STARTTLS that drops it into the Dovecot mailbox, read back over IMAP on 993.
    account = ROUND_TRIP_ACCOUNT
    target = sending_only_on_imap(servers, tmp_path)
    assert target.pop_security is Security.TLS
    with mailservers.running_smtp_server(
        SmtpMode.STARTTLS_REQUIRED, servers.certificates, deliver=servers.dovecot.deliver
    ) as smtp:
        target = dataclasses.replace(
            target,
            smtp_port=smtp.port,
            pop_port=incoming_port(servers.dovecot, Protocol.IMAP, target.pop_security),
        )
        mark = servers.dovecot.log.mark()
        result = await round_trip(
            target, account.address, account.password, words=WORDS, wait=5.0, poll_interval=0.05
        )

    assert result.delivered, result
    assert round_trip_value(result) == "delivered"
    line = login_line(servers.dovecot, mark, Protocol.IMAP, "Login:", f"user=<{account.address}>")
    assert "TLS" in line


@pytest.mark.parametrize(
    ("name", "domain_line", "protocol"),
    [
        # The login was a mailbox id until now: the whole address is what is sent, with the
        # password e-mailed to the contact address (the suite's account's).
        ("mailbox-id-to-address", 'affected_domains = ["kawasemi.example.jp"]', Protocol.POP3),
        # Becky! and unlisted programs are sent to webmail; the servers are checked as usual.
        ("webmail-for-some-programs", 'affected_domains = ["hibari.example.jp"]', Protocol.IMAP),
    ],
)
async def test_the_new_examples_log_in_over_implicit_tls_with_the_whole_address(
    servers: Servers, tmp_path: Path, name: str, domain_line: str, protocol: Protocol
) -> None:
    target = on_test_servers(name, domain_line, servers, tmp_path)
    target = dataclasses.replace(
        target, pop_port=incoming_port(servers.dovecot, protocol, target.pop_security)
    )
    assert (target.incoming_protocol, target.pop_security, target.smtp_security) == (
        protocol,
        Security.TLS,
        Security.TLS,
    )
    dovecot, postfix = servers.dovecot, servers.postfix
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(target, CHECK_ACCOUNT.address, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK), result
    assert result.pop.message_count == SEEDED_MESSAGES
    line = login_line(dovecot, mark, protocol, "Login:", f"user=<{CHECK_ACCOUNT.address}>")
    assert "TLS" in line
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=1 " in summary
    assert "starttls=1" not in summary  # implicit TLS on 465
    assert "mail=" not in summary  # logged in, sent nothing


def receiving_only_on_test_servers(servers: Servers, directory: Path) -> CheckTarget:
    """examples/pop-moves-smtp-unchanged.toml as the test network needs it.

    The new receiving server and the kept outgoing one (old and new name, equal) become the
    test certificate's names; the old receiving name stays the example's.
    """
    text = (EXAMPLES / "pop-moves-smtp-unchanged.toml").read_text("utf-8")
    for old, new in (
        ("pop3.yamabiko.example.ne.jp", POP_NAME),
        ("smtp.yamabiko.example.ne.jp", SMTP_NAME),
        ('affected_domains = ["yamabiko.example.ne.jp"]', f'affected_domains = ["{DOMAIN}"]'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    shutil.copy(servers.certificates.ca_path, directory / "ca.pem")
    for table in ("incoming", "outgoing"):
        text += f'\n[{table}.check]\nconnect_host = "{HOST}"\nca_file = "ca.pem"\n'
    path = directory / "yamabiko.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.outgoing.unchanged
    return CheckTarget.from_profile(profile)


async def test_the_receiving_only_example_logs_in_to_pop3_tls_and_leaves_sending_alone(
    servers: Servers, tmp_path: Path
) -> None:
    # examples/pop-moves-smtp-unchanged.toml: POP3 moves to a new name on 995 (implicit TLS);
    # the outgoing server is kept exactly as it is, so the check leaves it alone: a refused
    # SMTP login would not be the migration's doing.
    target = receiving_only_on_test_servers(servers, tmp_path)
    assert not target.check_outgoing
    assert (target.incoming_protocol, target.pop_port, target.pop_security) == (
        Protocol.POP3,
        995,
        Security.TLS,
    )
    target = dataclasses.replace(
        target,
        pop_port=incoming_port(servers.dovecot, Protocol.POP3, target.pop_security),
        smtp_port=outgoing_port(servers.postfix, target.smtp_security),
    )
    dovecot, postfix = servers.dovecot, servers.postfix
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(
        target, CHECK_ACCOUNT.address, PASSWORD, check_smtp=target.check_outgoing
    )

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.NOT_CHECKED, Outcome.OK), result
    assert result.pop.message_count == SEEDED_MESSAGES
    line = login_line(dovecot, mark, Protocol.POP3, "Login:", f"user=<{CHECK_ACCOUNT.address}>")
    assert "TLS" in line
    # Sending is not the migration's to test: Postfix saw no session.
    assert len(postfix.log()) == offset


async def test_the_receiving_only_example_finds_its_test_message_on_the_new_pop_server(
    servers: Servers, tmp_path: Path
) -> None:
    # The test message goes out through today's outgoing server (587 + STARTTLS) and is read
    # back from the new receiving server over POP3 on 995: the round trip proves the move.
    account = ROUND_TRIP_ACCOUNT
    target = receiving_only_on_test_servers(servers, tmp_path)
    with mailservers.running_smtp_server(
        SmtpMode.STARTTLS_REQUIRED, servers.certificates, deliver=servers.dovecot.deliver
    ) as smtp:
        target = dataclasses.replace(
            target,
            smtp_port=smtp.port,
            pop_port=incoming_port(servers.dovecot, Protocol.POP3, target.pop_security),
        )
        mark = servers.dovecot.log.mark()
        result = await round_trip(
            target, account.address, account.password, words=WORDS, wait=5.0, poll_interval=0.05
        )

    assert result.delivered, result
    assert round_trip_value(result) == "delivered"
    line = login_line(servers.dovecot, mark, Protocol.POP3, "Login:", f"user=<{account.address}>")
    assert "TLS" in line


async def test_the_kept_receiving_name_example_logs_in_to_pop3_tls_and_the_new_587(
    servers: Servers, tmp_path: Path
) -> None:
    # examples/pop-name-kept-smtp-moves.toml: POP3 keeps its name and moves from 110 to 995
    # (implicit TLS); sending moves to a new name on 587 + STARTTLS with SMTP AUTH. Both are
    # checked: both change.
    text = (EXAMPLES / "pop-name-kept-smtp-moves.toml").read_text("utf-8")
    for old, new in (
        ("mail.tsukushi.example.ne.jp", POP_NAME),
        ("smtp.tsukushi.example.ne.jp", SMTP_NAME),
        ('affected_domains = ["tsukushi.example.ne.jp"]', f'affected_domains = ["{DOMAIN}"]'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    shutil.copy(servers.certificates.ca_path, tmp_path / "ca.pem")
    for table in ("incoming", "outgoing"):
        text += f'\n[{table}.check]\nconnect_host = "{HOST}"\nca_file = "ca.pem"\n'
    path = tmp_path / "tsukushi.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.incoming.host_kept
    assert not profile.outgoing.host_kept
    target = CheckTarget.from_profile(profile)
    assert (target.check_incoming, target.check_outgoing) == (True, True)
    assert (target.pop_port, target.pop_security) == (995, Security.TLS)
    assert (target.smtp_port, target.smtp_security) == (587, Security.STARTTLS)
    target = dataclasses.replace(
        target,
        pop_port=incoming_port(servers.dovecot, Protocol.POP3, target.pop_security),
        smtp_port=outgoing_port(servers.postfix, target.smtp_security),
    )
    dovecot, postfix = servers.dovecot, servers.postfix
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(target, CHECK_ACCOUNT.address, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK), result
    assert result.pop.message_count == SEEDED_MESSAGES
    line = login_line(dovecot, mark, Protocol.POP3, "Login:", f"user=<{CHECK_ACCOUNT.address}>")
    assert "TLS" in line
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=1 " in summary
    assert "starttls=1" in summary
    assert "mail=" not in summary  # logged in, sent nothing


async def test_the_one_kept_host_example_logs_in_to_pop3_on_995_and_465_with_smtp_auth(
    servers: Servers, tmp_path: Path
) -> None:
    # examples/tls-required-one-host.toml: one host name for receiving and sending, kept;
    # POP3 110 -> 995 and SMTP 25 without a login -> 465 with SMTP AUTH. Both change, so
    # both are checked, on the one name (the test certificate's).
    text = (EXAMPLES / "tls-required-one-host.toml").read_text("utf-8")
    for old, new in (
        ("mail.hinata.example.jp", POP_NAME),
        ('affected_domains = ["hinata.example.jp"]', f'affected_domains = ["{DOMAIN}"]'),
    ):
        assert old in text, old
        text = text.replace(old, new)
    shutil.copy(servers.certificates.ca_path, tmp_path / "ca.pem")
    for table in ("incoming", "outgoing"):
        text += f'\n[{table}.check]\nconnect_host = "{HOST}"\nca_file = "ca.pem"\n'
    path = tmp_path / "hinata.toml"
    path.write_text(text, "utf-8")
    profile = load_profile(path)
    assert profile.incoming.host_kept
    assert profile.outgoing.host_kept
    target = CheckTarget.from_profile(profile)
    assert (target.check_incoming, target.check_outgoing) == (True, True)
    assert (target.pop_port, target.pop_security) == (995, Security.TLS)
    assert (target.smtp_port, target.smtp_security) == (465, Security.TLS)
    target = dataclasses.replace(
        target,
        pop_port=incoming_port(servers.dovecot, Protocol.POP3, target.pop_security),
        smtp_port=outgoing_port(servers.postfix, target.smtp_security),
    )
    dovecot, postfix = servers.dovecot, servers.postfix
    mark, offset = dovecot.log.mark(), len(postfix.log())

    result = await check_login(target, CHECK_ACCOUNT.address, PASSWORD)

    assert (result.smtp.outcome, result.pop.outcome) == (Outcome.OK, Outcome.OK), result
    assert result.pop.message_count == SEEDED_MESSAGES
    line = login_line(dovecot, mark, Protocol.POP3, "Login:", f"user=<{CHECK_ACCOUNT.address}>")
    assert "TLS" in line
    summary = wait_for_postfix_session(postfix, offset)
    assert " auth=1 " in summary
    assert "starttls=1" not in summary  # implicit TLS on 465
    assert "mail=" not in summary  # logged in, sent nothing
