"""A sending server that does not speak ESMTP has no SMTP AUTH: the settings cannot work.

SMTP AUTH (RFC 4954) is an extension announced in the answer to EHLO. A server that
answers EHLO with 500 or 502 (command not recognised, not implemented) speaks RFC 821's
HELO alone, so no mail program logs in there as the card says. The check called it a
temporary failure and told the subscriber 「しばらくしてからもう一度お試しください」: a retry
never helps. Any other refusal of EHLO (a 421 closing, a 554 policy refusal) is not that.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

import pytest

from bot.mailcheck.credential_check import check_login
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import CheckTarget
from dialogs.profile import Security
from testbed.mailservers import CHECK_ACCOUNT, HOST


@dataclass(slots=True)
class OldSmtp:
    """An SMTP server that answers EHLO with `ehlo_reply` and HELO with 250."""

    port: int = 0
    heard: list[str] = field(default_factory=list)


@contextmanager
def old_smtp(ehlo_reply: bytes) -> Iterator[OldSmtp]:
    server = OldSmtp()

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 vsmtp.117.ne.jp ESMTP-less mail service\r\n")
            for raw in lines:
                command = raw.decode().split(" ", 1)[0].strip().upper()
                server.heard.append(command)
                if command == "EHLO":
                    conn.sendall(ehlo_reply + b"\r\n")
                    if ehlo_reply.startswith(b"421"):
                        return
                elif command in ("HELO", "QUIT"):
                    conn.sendall(b"250 vsmtp.117.ne.jp\r\n")
                else:
                    conn.sendall(b"502 5.5.2 command not implemented\r\n")

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        server.port = int(listener.getsockname()[1])
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        yield server
        thread.join(timeout=5)


def _smtp_only(port: int) -> CheckTarget:
    return CheckTarget(HOST, port, Security.NONE, HOST, 1, Security.NONE, False)


@pytest.mark.parametrize(
    "reply", [b"500 5.5.1 Command unrecognized: EHLO", b"502 5.5.2 Error: command not recognized"]
)
async def test_ehlo_not_recognised_is_auth_not_offered(reply: bytes) -> None:
    with old_smtp(reply) as server:
        result = await check_login(
            _smtp_only(server.port), CHECK_ACCOUNT.address, CHECK_ACCOUNT.password, check_pop=False
        )

    assert result.smtp.outcome is Outcome.AUTH_NOT_OFFERED, result.smtp
    assert reply.decode() in result.smtp.detail
    assert "AUTH" not in server.heard  # nothing of the password was sent


@pytest.mark.parametrize("reply", [b"421 4.3.2 Service shutting down", b"554 5.7.1 Access denied"])
async def test_other_refusals_of_ehlo_stay_temporary_failures(reply: bytes) -> None:
    with old_smtp(reply) as server:
        result = await check_login(
            _smtp_only(server.port), CHECK_ACCOUNT.address, CHECK_ACCOUNT.password, check_pop=False
        )

    assert result.smtp.outcome is Outcome.TEMPORARY_FAILURE, result.smtp
