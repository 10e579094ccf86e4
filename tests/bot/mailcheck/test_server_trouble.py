"""A mail server the login check cannot use is one warning per episode, and its end is said."""

from __future__ import annotations

import logging

import pytest

from bot.mailcheck.outcomes import Outcome, ProtocolResult
from bot.mailcheck.server_trouble import ServerTrouble
from bot.mailcheck.target import ServerTarget
from dialogs.profile import Protocol, Security

SMTP = ServerTarget(Protocol.SMTP, "smtp.example.jp", 587, Security.STARTTLS)


def test_a_dead_server_is_warned_once_and_its_return_said(caplog: pytest.LogCaptureFixture) -> None:
    caplog.set_level(logging.INFO, logger="bot.mailcheck.server_trouble")
    trouble = ServerTrouble()
    for _ in range(50):
        trouble.note(SMTP, ProtocolResult(Outcome.UNREACHABLE, 0.0, "connection refused"))
    # A subscriber's wrong password is the server answering: it is back.
    trouble.note(SMTP, ProtocolResult(Outcome.AUTH_FAILED, 0.1, "535"))
    trouble.note(SMTP, ProtocolResult(Outcome.OK, 0.1))
    said = [(r.levelname, r.getMessage()) for r in caplog.records]
    assert said == [
        (
            "WARNING",
            "Login checks cannot use the smtp smtp.example.jp:587 server: unreachable"
            " (connection refused; 1 check(s)): subscribers are told the server could not be"
            " reached (not counted as their failure); check that server, and the profile's"
            " host, port, TLS mode and connect_host",
        ),
        ("INFO", "Login checks use the smtp smtp.example.jp:587 server again"),
    ]


def test_what_the_subscriber_mends_is_no_servers_trouble(
    caplog: pytest.LogCaptureFixture,
) -> None:
    caplog.set_level(logging.INFO, logger="bot.mailcheck.server_trouble")
    trouble = ServerTrouble()
    for outcome in (Outcome.AUTH_FAILED, Outcome.MAILBOX_IN_USE, Outcome.NOT_CHECKED, Outcome.OK):
        trouble.note(SMTP, ProtocolResult(outcome, 0.1))
    assert caplog.records == []


def test_a_server_that_answers_wrongly_is_told_as_a_failure(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A bad certificate is the server's too, but the chat says the check failed (f5539b6 makes
    # only a server not reached "not reached"): the warning says what subscribers read.
    caplog.set_level(logging.INFO, logger="bot.mailcheck.server_trouble")
    ServerTrouble().note(SMTP, ProtocolResult(Outcome.TLS_ERROR, 0.1, "wrong version number"))
    assert [r.getMessage() for r in caplog.records] == [
        "Login checks cannot use the smtp smtp.example.jp:587 server: tls_error"
        " (wrong version number; 1 check(s)): subscribers are told it failed; check that"
        " server, and the profile's host, port, TLS mode and connect_host"
    ]
