"""A server that quotes the AUTH line back in its error never puts the password in a log.

The check cuts the password out of a server's reply before the reply becomes the detail of
a result and its log line. A server that echoes what it was sent quotes AUTH PLAIN's
base64 blob ("\\0login\\0password") or AUTH LOGIN's base64 password, and those carried the
password readable to anyone who decodes base64: only the password as typed was cut.
"""

from __future__ import annotations

import base64
import logging
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager

import pytest

from bot.mailcheck.credential_check import check_login
from bot.mailcheck.failures import clean
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import CheckTarget
from dialogs.profile import Security
from testbed.mailservers import CHECK_ACCOUNT, HOST

ADDRESS, PASSWORD = CHECK_ACCOUNT.address, CHECK_ACCOUNT.password


def _readable(text: str) -> bool:
    """Whether the password can be read from `text`, as typed or base64-decoded."""
    if PASSWORD in text:
        return True
    for token in text.split():
        padded = token + "=" * (-len(token) % 4)
        try:
            if PASSWORD.encode() in base64.b64decode(padded, validate=True):
                return True
        except ValueError:
            continue
    return False


@contextmanager
def echoing_smtp(mechanism: str) -> Iterator[int]:
    """Announces `mechanism` only, and answers the client's last AUTH line with a 535
    quoting that line."""

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(b"220 vsmtp.117.ne.jp ESMTP\r\n")
            for raw in lines:
                line = raw.decode().strip()
                if line.upper().startswith("EHLO"):
                    conn.sendall(f"250-vsmtp.117.ne.jp\r\n250 AUTH {mechanism}\r\n".encode())
                elif line.upper().startswith("AUTH LOGIN"):
                    conn.sendall(b"334 UGFzc3dvcmQ6\r\n")  # "Password:"
                elif line.upper().startswith("QUIT"):
                    conn.sendall(b"221 bye\r\n")
                    return
                else:
                    # The blob of AUTH PLAIN, or AUTH LOGIN's password line.
                    quoted = line.removeprefix("AUTH PLAIN ")
                    conn.sendall(f"535 5.7.8 Authentication failed: {quoted}\r\n".encode())

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        yield int(listener.getsockname()[1])
        thread.join(timeout=5)


@pytest.mark.parametrize("mechanism", ["PLAIN", "LOGIN"])
async def test_an_echoed_auth_line_is_cut_from_the_detail_and_the_log(
    mechanism: str, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    with echoing_smtp(mechanism) as port:
        # Over no TLS only with the operator's leave, as a test server on loopback allows.
        target = CheckTarget(HOST, port, Security.NONE, HOST, 1, Security.NONE, True)
        result = await check_login(target, ADDRESS, PASSWORD, check_pop=False)

    assert result.smtp.outcome is Outcome.AUTH_FAILED, result.smtp
    assert result.smtp.detail.startswith("server replied 535 5.7.8 Authentication failed:")
    assert not _readable(result.smtp.detail), result.smtp.detail
    assert not _readable(caplog.text)


@pytest.mark.parametrize(
    "secret",
    [
        base64.b64encode(f"\0{ADDRESS}\0{PASSWORD}".encode()).decode(),
        base64.b64encode(f"{ADDRESS}\0{ADDRESS}\0{PASSWORD}".encode()).decode(),
        base64.b64encode(PASSWORD.encode()).decode(),
        base64.b64encode(PASSWORD.encode()).decode().rstrip("="),
    ],
    ids=["plain", "plain-with-authzid", "login", "login-unpadded"],
)
def test_clean_cuts_the_password_in_base64(secret: str) -> None:
    cleaned = clean(f"535 5.7.8 bad: {secret} (try again)", PASSWORD)

    assert not _readable(cleaned)
    assert cleaned.startswith("535 5.7.8 bad: ")
    assert cleaned.endswith("(try again)")


def test_clean_keeps_base64_that_holds_no_password() -> None:
    said = "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6"  # Postfix's "Password:"
    assert clean(said, PASSWORD) == said
