"""Which failed Telegram sends are made again: those that cannot make a second copy, and 500."""

from __future__ import annotations

import httpx
import pytest
from telegram.error import BadRequest, Forbidden, NetworkError, RetryAfter, TimedOut

from adapters.telegram.resend import ServerError, may_have_arrived, never_sent, resendable


def caused(error: Exception, cause: BaseException) -> Exception:
    error.__cause__ = cause
    return error


REQUEST = httpx.Request("POST", "http://127.0.0.1/bot/sendMessage")


@pytest.mark.parametrize(
    ("error", "resend", "arrived"),
    [
        # Nothing processed it: sent again, and it cannot be on the subscriber's screen.
        (ServerError(502), True, False),
        (ServerError(503), True, False),
        (ServerError(504), True, False),
        (
            caused(NetworkError("refused"), httpx.ConnectError("refused", request=REQUEST)),
            True,
            False,
        ),
        (caused(TimedOut(), httpx.ConnectTimeout("slow", request=REQUEST)), True, False),
        (caused(TimedOut(), httpx.PoolTimeout("full", request=REQUEST)), True, False),
        # The risk taken: a 500 is sent again, and after the last one it may have arrived.
        (ServerError(500), True, True),
        # Went out, no answer: never sent again, and the agent hears it may have arrived.
        (caused(TimedOut(), httpx.ReadTimeout("no answer", request=REQUEST)), False, True),
        (
            caused(NetworkError("gone"), httpx.RemoteProtocolError("gone", request=REQUEST)),
            False,
            True,
        ),
        (ServerError(501), False, True),
        # Refused with an answer: final, and not delivered.
        (BadRequest("chat not found"), False, False),
        (Forbidden("bot was blocked by the user"), False, False),
        (RetryAfter(3), False, False),
    ],
)
def test_each_failure_is_resent_or_reported_as_the_module_says(
    error: Exception, resend: bool, arrived: bool
) -> None:
    assert resendable(error) is resend
    assert may_have_arrived(error) is arrived


def test_a_5xx_keeps_its_status() -> None:
    error = ServerError(503)
    assert isinstance(error, NetworkError)
    assert error.status == 503
    assert never_sent(error)
    assert not never_sent(ServerError(500))
