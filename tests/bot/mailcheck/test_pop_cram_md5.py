"""POP3 AUTH CRAM-MD5 (RFC 5034) in the live login check, against Dovecot on loopback.

The seed's servers have no TLS: a POP3 server that offers CRAM-MD5 lets the check prove
the password without putting it on the wire. Dovecot keeps the passwords as {PLAIN}, which
CRAM-MD5 needs. A scripted listener plays the broken servers Dovecot cannot be.
"""

from __future__ import annotations

import base64
import hmac
import logging
import os
import socket
import threading
from collections.abc import AsyncIterator, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.mailcheck.credential_check import check_login
from bot.mailcheck.login_checks import CheckSettings
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import Access, CheckTarget
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.profile import LoginMethod, Protocol, Security
from testbed import mailservers
from testbed.disk import files_holding
from testbed.mailservers import (
    ACCOUNTS,
    CHECK_ACCOUNT,
    HOST,
    PASSWORD,
    SEEDED_MESSAGES,
    Account,
    Certificates,
    DovecotServer,
    SmtpMode,
)
from tests.bot.mailcheck.check_flow import Clock, chat_to_check_link, history_texts
from tests.bot.mailcheck.test_real_servers import Side, login_line, profile_target

pytestmark = pytest.mark.filterwarnings("ignore:Session.login_data is deprecated")

ADDRESS = CHECK_ACCOUNT.address
# CRAM-MD5 keys its HMAC with the password's UTF-8 bytes, as Dovecot does.
WIDE_ACCOUNT = Account(f"jiro@{mailservers.DOMAIN}", "月見-パスワード#2008")
NOT_SENT = "USER "  # the command that would carry the password as typed


@pytest.fixture(scope="module")
def cram_pop(certificates: Certificates) -> Iterator[DovecotServer]:
    """POP3 with CAPA "SASL PLAIN LOGIN CRAM-MD5" and USER, no APOP timestamp.

    Its port 110-style listener is used without STLS, like the seed's servers.
    """
    try:
        mailservers.dovecot_binary()
    except mailservers.DovecotMissingError as missing:
        if os.environ.get("CI") == "true":
            pytest.fail(f"{missing}; CI must run the POP tests")
        pytest.skip(str(missing))
    with mailservers.running_dovecot(
        certificates=certificates,
        accounts=(*ACCOUNTS, WIDE_ACCOUNT),
        mechanisms="plain login cram-md5",
    ) as server:
        yield server


def pop_target(
    directory: Path,
    certificates: Certificates,
    port: int,
    methods: tuple[str, ...],
    security: Security = Security.NONE,
) -> CheckTarget:
    """The receiving server of a profile file, loaded as the runtime does."""
    return profile_target(
        directory,
        certificates,
        incoming=Side(port, security, methods, Protocol.POP3),
        outgoing=Side(1, Security.NONE),
    )


# --- against Dovecot ----------------------------------------------------------------------


async def test_a_server_offering_only_cram_md5_is_checked_without_tls(
    cram_pop: DovecotServer,
    certificates: Certificates,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.DEBUG)
    target = pop_target(tmp_path, certificates, cram_pop.pop3_port, ("cram-md5",))
    mark = cram_pop.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.OK, result.pop
    assert result.pop.message_count == SEEDED_MESSAGES
    assert result.pop.detail == "logged in with AUTH CRAM-MD5 (none)"
    line = login_line(cram_pop, mark, Protocol.POP3, "Login:", "method=CRAM-MD5")
    assert f"user=<{ADDRESS}>" in line
    assert "secured" in line  # loopback: Dovecot's word for it; no TLS on the wire
    assert "TLS" not in line
    # The check's own log line (the audit trail) names the method; nothing holds the password.
    assert "logged in with AUTH CRAM-MD5" in caplog.text
    assert PASSWORD not in caplog.text
    assert all(PASSWORD not in repr(record.args) for record in caplog.records)
    assert PASSWORD not in repr(result)
    assert not [line for line in cram_pop.log.lines() if PASSWORD in line]


async def test_a_wrong_password_is_auth_failed_after_one_attempt(
    cram_pop: DovecotServer, certificates: Certificates, tmp_path: Path
) -> None:
    target = pop_target(tmp_path, certificates, cram_pop.pop3_port, ("cram-md5",))
    mark = cram_pop.log.mark()

    result = await check_login(target, ADDRESS, "Tsukimi-wrong#2008", check_smtp=False)

    assert result.pop.outcome is Outcome.AUTH_FAILED, result.pop
    assert result.pop.detail.startswith("server replied -ERR")
    assert result.failed
    line = login_line(cram_pop, mark, Protocol.POP3, "Disconnected", "method=CRAM-MD5")
    assert "auth failed, 1 attempts" in line  # no second method after the refusal
    assert f"user=<{ADDRESS}>" in line


@pytest.mark.parametrize(
    "methods",
    [("password", "cram-md5"), ("password",)],
    ids=["the profile prefers the password as typed", "the profile offers only that"],
)
async def test_without_tls_cram_md5_stands_in_for_the_password_as_typed(
    cram_pop: DovecotServer, certificates: Certificates, tmp_path: Path, methods: tuple[str, ...]
) -> None:
    # The server announces USER too (loopback counts as secure to Dovecot); the check still
    # never sends the password in clear text where challenge-response can prove it.
    target = pop_target(tmp_path, certificates, cram_pop.pop3_port, methods)
    mark = cram_pop.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.OK, result.pop
    assert "AUTH CRAM-MD5" in result.pop.detail
    assert f"user=<{ADDRESS}>" in login_line(
        cram_pop, mark, Protocol.POP3, "Login:", "method=CRAM-MD5"
    )


@pytest.mark.parametrize(
    ("methods", "used", "logged"),
    [
        (("cram-md5", "password"), "AUTH CRAM-MD5", "method=CRAM-MD5"),
        (("password", "cram-md5"), "USER/PASS", "method=PLAIN"),
    ],
    ids=["cram-md5 first", "password first"],
)
async def test_over_tls_the_profiles_order_decides(
    cram_pop: DovecotServer,
    certificates: Certificates,
    tmp_path: Path,
    methods: tuple[str, ...],
    used: str,
    logged: str,
) -> None:
    target = pop_target(
        tmp_path, certificates, cram_pop.pop3_port, methods, security=Security.STARTTLS
    )
    mark = cram_pop.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.OK, result.pop
    assert result.pop.detail == f"logged in with {used} (starttls)"
    assert "TLS" in login_line(cram_pop, mark, Protocol.POP3, "Login:", logged)


async def test_a_password_beyond_ascii_logs_in_by_cram_md5(
    cram_pop: DovecotServer, certificates: Certificates, tmp_path: Path
) -> None:
    target = pop_target(tmp_path, certificates, cram_pop.pop3_port, ("cram-md5",))

    result = await check_login(
        target, WIDE_ACCOUNT.address, WIDE_ACCOUNT.password, check_smtp=False
    )

    assert result.pop.outcome is Outcome.OK, result.pop
    assert result.pop.message_count == 0


@pytest.mark.parametrize("security", [Security.NONE, Security.STARTTLS])
async def test_cram_md5_offered_but_not_announced_is_auth_not_offered(
    dovecot: DovecotServer,  # conftest: PLAIN and APOP, no CRAM-MD5
    certificates: Certificates,
    tmp_path: Path,
    security: Security,
) -> None:
    target = pop_target(tmp_path, certificates, dovecot.pop3_port, ("cram-md5",), security)
    mark = dovecot.log.mark()

    result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    # What IMAP gives for the same profile (test_no_method_in_common_is_auth_not_offered):
    # a mail program set up with CRAM-MD5 would be refused, though no password was sent.
    assert result.pop.outcome is Outcome.AUTH_NOT_OFFERED, result.pop
    assert "no login method in common" in result.pop.detail
    assert "server: password, apop" in result.pop.detail
    assert result.failed
    assert "no auth attempts" in login_line(dovecot, mark, Protocol.POP3, "no auth attempts")


# --- servers that break the protocol ------------------------------------------------------


@dataclass(slots=True)
class ScriptedPop:
    """A POP3 server that announces CRAM-MD5 and answers AUTH's lines from a script."""

    port: int = 0
    heard: list[str] = field(default_factory=list)
    hung_up: threading.Event = field(default_factory=threading.Event)


CHALLENGE = b"<1896.697170952@vpop.117.ne.jp>"
GOOD_CHALLENGE = b"+ " + base64.b64encode(CHALLENGE)


@contextmanager
def scripted_pop3(auth_replies: Sequence[bytes]) -> Iterator[ScriptedPop]:
    """One connection: a greeting, CAPA, then `auth_replies` in turn to AUTH and after."""
    server = ScriptedPop()
    replies = iter(auth_replies)

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"+OK scripted ready\r\n")
            for raw in lines:
                line = raw.decode().rstrip("\r\n")
                server.heard.append(line)
                if line == "CAPA":
                    conn.sendall(b"+OK\r\nUSER\r\nSASL CRAM-MD5\r\n.\r\n")
                elif line == "QUIT":
                    conn.sendall(b"+OK bye\r\n")
                else:
                    conn.sendall(next(replies, b"-ERR unexpected") + b"\r\n")
        server.hung_up.set()

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        server.port = int(listener.getsockname()[1])
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        yield server
        thread.join(timeout=5)


def cram_only(port: int) -> CheckTarget:
    access = Access(login_methods=(LoginMethod.CRAM_MD5,))
    return CheckTarget(
        HOST, 1, Security.NONE, HOST, port, Security.NONE, False, incoming_access=access
    )


@pytest.mark.parametrize(
    "challenge",
    [b"+ not base64 at all!", b"+ ", b"+OK no challenge", b"+ " + base64.b64encode(b"")],
    ids=["not base64", "nothing after the plus", "+OK instead", "empty challenge"],
)
async def test_a_malformed_challenge_is_a_protocol_failure_and_gets_no_answer(
    challenge: bytes,
) -> None:
    with scripted_pop3([challenge]) as server:
        result = await check_login(cram_only(server.port), ADDRESS, PASSWORD, check_smtp=False)
        assert server.hung_up.wait(timeout=5)

    assert result.pop.outcome is Outcome.TEMPORARY_FAILURE, result.pop
    assert result.pop.detail.startswith("CRAM-MD5: malformed challenge")
    assert server.heard == ["CAPA", "AUTH CRAM-MD5"]  # nothing sent after the challenge


async def test_the_answer_is_the_hmac_of_the_challenge_and_a_second_challenge_fails() -> None:
    with scripted_pop3([GOOD_CHALLENGE, GOOD_CHALLENGE]) as server:
        result = await check_login(cram_only(server.port), ADDRESS, PASSWORD, check_smtp=False)
        assert server.hung_up.wait(timeout=5)

    assert result.pop.outcome is Outcome.TEMPORARY_FAILURE, result.pop
    assert "second challenge" in result.pop.detail
    assert server.heard[:2] == ["CAPA", "AUTH CRAM-MD5"]
    assert len(server.heard) == 3  # one answer, no "*" or retry
    expected = hmac.new(PASSWORD.encode(), CHALLENGE, "md5").hexdigest()
    assert base64.b64decode(server.heard[2]).decode() == f"{ADDRESS} {expected}"
    assert not [line for line in server.heard if PASSWORD in line or NOT_SENT in line]


async def test_a_refusal_of_the_answer_is_auth_failed() -> None:
    with scripted_pop3([GOOD_CHALLENGE, b"-ERR [AUTH] Authentication failed."]) as server:
        result = await check_login(cram_only(server.port), ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.AUTH_FAILED, result.pop
    assert result.pop.detail == "server replied -ERR [AUTH] Authentication failed."


# --- through the chat: the transcript and the store -----------------------------------------


@pytest.fixture
async def cram_app(
    tmp_path: Path, cram_pop: DovecotServer, certificates: Certificates
) -> AsyncIterator[Starlette]:
    """The whole server, checking both servers of the seed's kind: no TLS, CRAM-MD5."""
    with mailservers.running_smtp_server(SmtpMode.CRAM_MD5, certificates) as smtp:
        cram = Access(login_methods=(LoginMethod.CRAM_MD5,))
        target = CheckTarget(
            smtp.host,
            smtp.port,
            Security.NONE,
            HOST,
            cram_pop.pop3_port,
            Security.NONE,
            allow_plaintext_login=False,
            smtp_access=cram,
            incoming_access=cram,
        )
        settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3")
        check = CheckSettings(target=target, timeout=5.0)
        app = build_app(settings, clock=Clock(), check=check)
        store = app.state.runtime.engine.store
        await store.open()
        yield app
        await store.close()


async def test_through_the_chat_the_password_lands_nowhere(
    cram_app: Starlette, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    transport = httpx.ASGITransport(app=cram_app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        conversation, path = await chat_to_check_link(client)
        page = await client.post(path, data={"password": PASSWORD})
        history = await history_texts(client, conversation)

    assert "ログインを確認できました" in page.text
    assert "ログインを確認できました" in history
    assert "logged in with AUTH CRAM-MD5 (none)" in caplog.text
    assert PASSWORD not in page.text
    assert PASSWORD not in history
    assert PASSWORD not in caplog.text
    assert all(PASSWORD not in repr(record.args) for record in caplog.records)
    assert not files_holding(tmp_path, PASSWORD.encode())
