"""A mailbox another program is collecting, as servers without response codes say it.

RFC 2449's `[IN-USE]` is optional: a POP3 server without RESP-CODES answers the login of a
locked maildrop in RFC 1939's own words (「-ERR unable to lock maildrop」) or its own
(「maildrop already locked」, UW ipop3d's 「Can't get lock.  Mailbox in use」). That is the
subscriber's own mail program (or another device) receiving at that moment, not a wrong
password: read as one, the subscriber was told the account or password was wrong and to
type the whole address, which they had. An account locked for failed logins stays a
refused login. A scripted APOP server plays such a server (a timestamp in the greeting,
no CAPA), as the seed's profile checks it: without TLS, by APOP.
"""

from __future__ import annotations

import poplib
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from bot.mailcheck.credential_check import MessageWords, check_login, round_trip
from bot.mailcheck.login_checks import CheckSettings, round_trip_value
from bot.mailcheck.outcomes import CheckResult, Outcome, ProtocolResult
from bot.mailcheck.pop_login import classify_pop_error
from bot.mailcheck.target import Access, CheckTarget
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.profile import LoginMethod, Protocol, Security
from testbed import mailservers
from testbed.mailservers import CHECK_ACCOUNT, HOST, Certificates, SmtpMode
from tests.bot.mailcheck.check_flow import Clock, chat_to_check_link, served

ADDRESS = CHECK_ACCOUNT.address
PASSWORD = CHECK_ACCOUNT.password
WORDS = MessageWords("Mail settings check", "Sent by the tests.")


@dataclass(slots=True)
class OldPop:
    """A POP3 server of RFC 1939 alone: no CAPA, APOP, one scripted answer to APOP."""

    port: int = 0
    heard: list[str] = field(default_factory=list)


@contextmanager
def old_pop3(apop_reply: bytes | None) -> Iterator[OldPop]:
    """None: the login is never answered (a server waiting on the maildrop's lock)."""
    server = OldPop()

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"+OK POP3 server ready <1896.697170952@vpop.117.ne.jp>\r\n")
            for raw in lines:
                line = raw.decode().rstrip("\r\n")
                server.heard.append(line.split(" ", 1)[0])
                if line.startswith("APOP ") and apop_reply is None:
                    continue  # read on: the client's hang-up ends the loop
                if line.startswith("APOP ") and apop_reply is not None:
                    conn.sendall(apop_reply + b"\r\n")
                    return  # the server closes after a refused login, as old ones did
                conn.sendall(b"-ERR unknown command\r\n")

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        server.port = int(listener.getsockname()[1])
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        yield server
        thread.join(timeout=5)


def _seed_like(port: int) -> CheckTarget:
    """The seed's receiving server: no TLS, the password as typed offered (APOP stands in)."""
    access = Access(login_methods=(LoginMethod.PASSWORD,))
    return CheckTarget(
        HOST, 1, Security.NONE, HOST, port, Security.NONE, False, incoming_access=access
    )


@pytest.mark.parametrize(
    "reply",
    [
        b"-ERR unable to lock maildrop",  # RFC 1939, 7 (PASS) and APOP's possible responses
        b"-ERR maildrop already locked",  # RFC 1939, 4 (the AUTHORIZATION state)
        b"-ERR Can't get lock.  Mailbox in use",
        b"-ERR Mailbox is locked by another POP3 session",
        b"-ERR Unable to lock maildrop: mailbox already locked",
    ],
)
async def test_a_locked_maildrop_without_a_code_is_a_mailbox_in_use(reply: bytes) -> None:
    with old_pop3(reply) as server:
        result = await check_login(_seed_like(server.port), ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.MAILBOX_IN_USE, result.pop
    # The agent's detail is the server's own words (spaces run together, as in any detail).
    assert result.pop.detail == " ".join(f"server replied {reply.decode()}".split())
    assert server.heard[-1] == "APOP"


@pytest.mark.parametrize(
    "reply",
    [
        b"-ERR authentication failed",
        b"-ERR [AUTH] Account locked after too many failed logins",
        b"-ERR account is locked",
        b"-ERR permission denied",
    ],
)
async def test_a_refused_login_stays_auth_failed(reply: bytes) -> None:
    with old_pop3(reply) as server:
        result = await check_login(_seed_like(server.port), ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.AUTH_FAILED, result.pop


async def test_a_login_left_unanswered_is_told_apart_from_a_filtered_port() -> None:
    # Dovecot waits 10.9 s for a locked maildrop before its [IN-USE]; with a shorter
    # MAILMOVE_CHECK_TIMEOUT the login is left unanswered. The log's detail for operators
    # said "port filtered, or wrong TLS mode" of a server that had greeted and answered.
    # The timeout is per step: 2 s, not 0.3 s, lets a loaded CI machine reach the login
    # (the connect, greeting and CAPA steps each under it) before the wait that is tested.
    with old_pop3(None) as server:
        result = await check_login(
            _seed_like(server.port), ADDRESS, PASSWORD, timeout=2.0, check_smtp=False
        )

    assert result.pop.outcome is Outcome.TIMEOUT, result.pop
    assert "filtered" not in result.pop.detail
    assert "TLS" not in result.pop.detail
    assert result.pop.detail.startswith("no answer to the login in time")


@contextmanager
def imap_locking_inbox() -> Iterator[list[str]]:
    """An IMAP server that lets the login in and answers EXAMINE INBOX with NO [INUSE]."""
    heard: list[str] = []

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"* OK [CAPABILITY IMAP4rev1 AUTH=PLAIN] ready\r\n")
            tag = ""
            for raw in lines:
                line = raw.decode().rstrip("\r\n")
                words = line.split(" ")
                if len(words) > 1 and words[1].upper() == "CAPABILITY":
                    reply = f"* CAPABILITY IMAP4rev1 AUTH=PLAIN\r\n{words[0]} OK done\r\n"
                    conn.sendall(reply.encode())
                elif len(words) > 1 and words[1].upper() == "AUTHENTICATE":
                    tag = words[0]
                    heard.append("AUTHENTICATE")
                    conn.sendall(b"+ \r\n")
                elif tag and len(words) == 1:  # the PLAIN answer
                    conn.sendall(f"{tag} OK Logged in\r\n".encode())
                    tag = ""
                elif len(words) > 1 and words[1].upper() in ("EXAMINE", "SELECT"):
                    heard.append(words[1].upper())
                    conn.sendall(f"{words[0]} NO [INUSE] Mailbox is locked\r\n".encode())
                elif len(words) > 1 and words[1].upper() == "LOGOUT":
                    conn.sendall(f"* BYE\r\n{words[0]} OK bye\r\n".encode())
                    return
                elif len(words) > 1:
                    conn.sendall(f"{words[0]} BAD unexpected\r\n".encode())

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        heard.append(str(listener.getsockname()[1]))
        yield heard
        thread.join(timeout=5)


async def test_a_locked_inbox_after_the_imap_login_is_a_mailbox_in_use() -> None:
    # RFC 5530's [INUSE] on EXAMINE: the login was accepted, the mailbox is held. It was a
    # temporary_failure (「一時的に応答できませんでした」) of a login that had worked.
    with imap_locking_inbox() as heard:
        port = int(heard.pop(0))
        target = CheckTarget(HOST, 1, Security.NONE, HOST, port, Security.NONE, True, Protocol.IMAP)
        result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False)

    assert result.pop.outcome is Outcome.MAILBOX_IN_USE, result.pop
    assert "[INUSE]" in result.pop.detail
    assert heard[:2] == ["AUTHENTICATE", "EXAMINE"]


def test_an_in_use_reply_to_stat_after_the_pop_login_is_a_mailbox_in_use() -> None:
    # A server that lets the login in and locks the maildrop only when it is read.
    error = poplib.error_proto(b"-ERR [IN-USE] maildrop busy")
    assert classify_pop_error(error, "mailbox")[0] is Outcome.MAILBOX_IN_USE
    assert classify_pop_error(error, "connect")[0] is Outcome.TEMPORARY_FAILURE


@contextmanager
def always_locked_pop3() -> Iterator[list[int]]:
    """Any number of connections, each refused with [IN-USE] after its login (APOP)."""
    logins: list[int] = []

    def serve(listener: socket.socket) -> None:
        while True:
            try:
                conn, _ = listener.accept()
            except OSError:
                return  # the listener closed: the test is over
            with conn, conn.makefile("rb") as lines:
                conn.sendall(b"+OK POP3 server ready <1896.697170952@vpop.117.ne.jp>\r\n")
                for raw in lines:
                    if raw.startswith(b"APOP "):
                        logins.append(1)
                        conn.sendall(b"-ERR [IN-USE] Mailbox is locked by another session\r\n")
                        break
                    conn.sendall(b"-ERR unknown command\r\n")

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(4)
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        logins.append(int(listener.getsockname()[1]))
        yield logins
        # Closing alone leaves accept() waiting on Linux (the join then took its 5 s).
        listener.shutdown(socket.SHUT_RDWR)
    thread.join(timeout=5)


async def test_a_round_trip_waits_out_a_mailbox_in_use(certificates: Certificates) -> None:
    # The subscriber's own program collecting while the check looks for its test message:
    # the round trip stopped at the first poll and said 「時間内に受信を確認できませんでした」
    # (not_delivered), as if the message had not come. It polls on, and if the mailbox is
    # still held at the end, the wait did not finish (not_finished), nothing was lost.
    with (
        mailservers.running_smtp_server(SmtpMode.CRAM_MD5, certificates) as smtp,
        always_locked_pop3() as logins,
    ):
        port = logins.pop(0)
        target = CheckTarget(smtp.host, smtp.port, Security.NONE, HOST, port, Security.NONE, False)
        # A wait of 2 s, not 0.6: a second poll starts before its end on a loaded machine too.
        trip = await round_trip(
            target, ADDRESS, PASSWORD, words=WORDS, wait=2.0, poll_interval=0.1, timeout=2
        )

    assert trip.send.outcome is Outcome.OK, trip.send
    assert trip.receive.outcome is Outcome.MAILBOX_IN_USE, trip.receive
    assert len(logins) >= 2  # polled again after the first [IN-USE]
    assert round_trip_value(trip) == "not_finished"
    assert len(smtp.delivered) == 1


async def test_the_round_trip_asked_for_runs_when_the_mailbox_is_in_use(
    tmp_path: Path, certificates: Certificates
) -> None:
    # The login check passes on a mailbox in use (the login worked), so the test message the
    # subscriber ticked is sent too; it ran only on a check whose every side said "ok", and
    # the page said nothing of the test message it had been asked for.
    with (
        mailservers.running_smtp_server(SmtpMode.CRAM_MD5, certificates) as smtp,
        always_locked_pop3() as logins,
    ):
        target = CheckTarget(
            smtp.host, smtp.port, Security.NONE, HOST, logins.pop(0), Security.NONE, False
        )
        settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3")
        check = CheckSettings(target=target, timeout=2.0, round_trip_wait=0.5)
        app = build_app(settings, clock=Clock(), check=check)
        async with served(app) as client:
            _, path = await chat_to_check_link(client)
            done = await client.post(path, data={"password": PASSWORD, "round_trip": "1"})

    assert done.status_code == 200
    assert "ログインを確認できました" in done.text
    assert "テストメールを送信しましたが、受信の確認は途中で終わりました" in done.text
    assert len(smtp.delivered) == 1


@pytest.mark.parametrize(
    ("smtp", "pop", "expected"),
    [
        (Outcome.OK, Outcome.MAILBOX_IN_USE, True),
        (Outcome.OK, Outcome.OK, True),
        (Outcome.NOT_CHECKED, Outcome.MAILBOX_IN_USE, True),
        (Outcome.OK, Outcome.NOT_CHECKED, True),
        (Outcome.MAILBOX_IN_USE, Outcome.OK, False),  # no such outcome of SMTP's
        (Outcome.OK, Outcome.NOT_VERIFIED, False),
        (Outcome.OK, Outcome.AUTH_FAILED, False),
        (Outcome.NOT_CHECKED, Outcome.NOT_CHECKED, False),
    ],
)
def test_logged_in_counts_a_mailbox_in_use(smtp: Outcome, pop: Outcome, expected: bool) -> None:
    result = CheckResult(ProtocolResult(smtp), ProtocolResult(pop))
    assert result.logged_in is expected
