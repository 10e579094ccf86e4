"""An IMAP server whose AUTHENTICATE challenge is not base64 breaks the protocol, not the check.

imaplib decodes each "+ <base64>" continuation itself and raised `binascii.Error` out of the
whole check (the check page would have answered 500). A scripted listener plays the server.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import pytest

from bot.mailcheck import imap_login
from bot.mailcheck.credential_check import check_login
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import Access, CheckTarget
from dialogs.profile import LoginMethod, Protocol, Security

HOST: Final = "127.0.0.1"
ADDRESS: Final = "taro@vp.117.ne.jp"
PASSWORD: Final = "pw-secret-42"


@contextmanager
def scripted_imap(capabilities: str, challenge: bytes) -> Iterator[tuple[int, list[bytes]]]:
    """One connection: a greeting, CAPABILITY, then `challenge` to AUTHENTICATE."""
    heard: list[bytes] = []

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"* OK scripted ready\r\n")
            for raw in lines:
                heard.append(raw)
                tag = raw.split(b" ", 1)[0]
                if b" CAPABILITY" in raw:
                    conn.sendall(
                        f"* CAPABILITY {capabilities}\r\n".encode() + tag + b" OK done\r\n"
                    )
                elif b" AUTHENTICATE" in raw:
                    conn.sendall(challenge + b"\r\n")
                elif b" LOGOUT" in raw:
                    conn.sendall(b"* BYE bye\r\n" + tag + b" OK done\r\n")
                    return
                else:
                    conn.sendall(tag + b" BAD unexpected\r\n")

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        yield int(listener.getsockname()[1]), heard
        thread.join(timeout=5)


@pytest.mark.parametrize(
    ("capabilities", "method"),
    [
        ("IMAP4rev1 AUTH=CRAM-MD5 LOGINDISABLED", LoginMethod.CRAM_MD5),
        ("IMAP4rev1 AUTH=PLAIN", LoginMethod.PASSWORD),
    ],
    ids=["cram-md5", "plain"],
)
async def test_a_challenge_that_is_not_base64_is_a_temporary_failure(
    capabilities: str, method: LoginMethod
) -> None:
    access = Access(login_methods=(method,))
    with scripted_imap(capabilities, b"+ abc") as (port, heard):
        target = CheckTarget(
            HOST,
            1,
            Security.NONE,
            HOST,
            port,
            Security.NONE,
            True,
            incoming_protocol=Protocol.IMAP,
            incoming_access=access,
        )
        result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False, timeout=5)

    assert result.pop.outcome is Outcome.TEMPORARY_FAILURE, result.pop
    assert "malformed challenge" in result.pop.detail
    assert PASSWORD not in repr(result)
    assert not any(PASSWORD.encode() in line for line in heard)


async def test_an_error_nobody_foresaw_ends_the_check_not_the_request(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # Whatever a protocol library raises next (as binascii.Error above was), the check page
    # must answer: its single-use link is spent by then.
    def broken(*_: object, **__: object) -> None:
        raise LookupError(f"a new way to fail, quoting {PASSWORD}")

    monkeypatch.setattr(imap_login, "_imap_authenticate", broken)
    with scripted_imap("IMAP4rev1 AUTH=PLAIN", b"+ abc") as (port, _):
        access = Access(login_methods=(LoginMethod.PASSWORD,))
        target = CheckTarget(
            *(HOST, 1, Security.NONE, HOST, port, Security.NONE, True),
            incoming_protocol=Protocol.IMAP,
            incoming_access=access,
        )
        result = await check_login(target, ADDRESS, PASSWORD, check_smtp=False, timeout=5)

    assert result.pop.outcome is Outcome.TEMPORARY_FAILURE
    assert result.pop.detail == "unexpected LookupError"
    assert "LookupError" in caplog.text
    assert PASSWORD not in caplog.text
