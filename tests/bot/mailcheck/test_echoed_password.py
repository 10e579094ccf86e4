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
from bot.mailcheck.failures import WITHHELD, clean, said
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
    # The reply's code stays; its words, which quote the password, go whole.
    assert result.smtp.detail == f"server replied 535 {WITHHELD}"
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
def test_clean_leaves_out_a_reply_that_holds_the_password_in_base64(secret: str) -> None:
    cleaned = clean(f"server replied 535 {said(f'5.7.8 bad: {secret} (try again)')}", PASSWORD)

    assert not _readable(cleaned)
    assert cleaned == f"server replied 535 {WITHHELD}"


def test_clean_keeps_base64_that_holds_no_password() -> None:
    reply = "535 5.7.8 Error: authentication failed: UGFzc3dvcmQ6"  # Postfix's "Password:"
    assert clean(f"server replied {said(reply)}", PASSWORD) == f"server replied {reply}"


@pytest.mark.parametrize(
    ("detail", "password"),
    [
        pytest.param("host name not found (DNS)", "a", id="a letter of the bot's words"),
        pytest.param("connection refused", "refused", id="a word of the bot's words"),
        pytest.param(
            "no answer in time (login; port filtered, or wrong TLS mode)", "filtered", id="another"
        ),
    ],
)
def test_the_bots_own_words_are_never_starred(detail: str, password: str) -> None:
    # They were: "host n***me not found (DNS)" told whoever read the log that the password
    # was "a", "connection ***" that it was "refused".
    assert clean(detail, password) == detail


@pytest.mark.parametrize(
    "reply", ["-ERR [AUTH] Authentication failed.", "535 5.7.8 Error: authentication failed"]
)
def test_a_reply_that_holds_the_password_by_chance_shows_nowhere_where(reply: str) -> None:
    # Dovecot's and Postfix's words are known: "Authentication ***." read "failed". Left out
    # whole, the reply no longer says which of its words the password is.
    assert clean(f"server replied {said(reply)}", "failed") == f"server replied {WITHHELD}"
    assert clean(f"server replied {said(reply)}", "hunter2") == f"server replied {reply}"


async def test_a_password_that_is_in_the_bots_words_is_not_starred_in_the_log(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A check against a port nothing listens on: "connection refused", in the bot's words.
    caplog.set_level(logging.INFO)
    with socket.socket() as unused:
        unused.bind((HOST, 0))
        port = int(unused.getsockname()[1])
    target = CheckTarget(HOST, port, Security.NONE, HOST, 1, Security.NONE, True)
    result = await check_login(target, ADDRESS, "refused", check_pop=False)

    assert result.smtp.outcome is Outcome.UNREACHABLE, result.smtp
    assert result.smtp.detail == "connection refused"
    assert "***" not in caplog.text
