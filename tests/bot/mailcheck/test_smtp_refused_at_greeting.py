"""A sending server that answers 554 instead of its greeting refuses this client for good.

RFC 5321 3.1: a server "MAY ... respond with a 554 reply code instead of the 220" when it
will not serve the client: an access rule or a block list of the provider's against the
network the check connects from. The check called it a temporary failure and told the
subscriber 「しばらくしてからもう一度お試しください」, which never helps; nor is it their
password. They are told plainly, with how to reach support. A 421 greeting ("service not
available, closing") is a try-again, and stays one.
"""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Final

import pytest

from bot.mailcheck.credential_check import check_login
from bot.mailcheck.outcomes import Outcome
from bot.mailcheck.target import CheckTarget
from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile, Security
from dialogs.vocabulary import Locale, ResultVerdict, SystemEvent, TextReply
from testbed.mailservers import CHECK_ACCOUNT, HOST
from tests.dialogs.driver import Driver


@contextmanager
def greeting(reply: bytes) -> Iterator[tuple[int, list[bytes]]]:
    """A server on loopback that says `reply` when connected to, then reads what comes."""
    heard: list[bytes] = []

    def serve(listener: socket.socket) -> None:
        conn, _ = listener.accept()
        with conn, conn.makefile("rb") as lines:
            conn.sendall(reply + b"\r\n")
            heard.extend(lines)

    with socket.socket() as listener:
        listener.bind((HOST, 0))
        listener.listen(1)
        thread = threading.Thread(target=serve, args=(listener,), daemon=True)
        thread.start()
        yield int(listener.getsockname()[1]), heard
        thread.join(timeout=5)


def _smtp_only(port: int) -> CheckTarget:
    return CheckTarget(HOST, port, Security.NONE, HOST, 1, Security.NONE, False)


REFUSED: Final = b"554 5.7.1 vsmtp.117.ne.jp: Client host rejected: Access denied"
CLOSING: Final = b"421 4.3.2 Service not available, closing transmission channel"


@pytest.mark.parametrize(
    ("reply", "expected"),
    [
        (REFUSED, Outcome.CLIENT_REFUSED),
        (b"554 No SMTP service here", Outcome.CLIENT_REFUSED),
        (
            b"421 4.3.2 Service not available, closing transmission channel",
            Outcome.TEMPORARY_FAILURE,
        ),
    ],
)
async def test_a_554_greeting_is_this_client_refused(reply: bytes, expected: Outcome) -> None:
    with greeting(reply) as (port, heard):
        result = await check_login(
            _smtp_only(port), CHECK_ACCOUNT.address, CHECK_ACCOUNT.password, check_pop=False
        )

    assert result.smtp.outcome is expected, result.smtp
    assert reply.decode() in result.smtp.detail
    assert not any(b"AUTH" in line for line in heard)  # nothing of the password was sent


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", ("送信（SMTP）", "554", "パスワード", "時間をおいても直りません")),
        ("en", ("Sending (SMTP)", "554", "password", "will not go away if you wait")),
    ],
)
def test_the_subscriber_is_told_plainly_and_whom_to_contact(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, words: tuple[str, ...]
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale=locale)
    driver._run(event=SystemEvent("check_result", (("smtp", "client_refused"), ("pop", "ok"))))
    text = "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply))
    report = next(r for r in driver.last.replies if isinstance(r, TextReply) and r.verdicts)

    for word in words:
        assert word in text
    assert profile.support.contact(locale) in text
    assert "しばらくしてから" not in text
    assert "try again in a while" not in text
    assert report.verdict is ResultVerdict.FAILED
    assert catalogs.raw(locale, "summary.outcome.client_refused")
