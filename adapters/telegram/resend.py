"""Which failed Telegram sends may be made again without the subscriber getting two copies.

The Bot API has no idempotency key and no way for a bot to read a chat back, so a resend
is safe only when the message cannot have been sent:
- a 429 (`PausedRateLimiter`, python-telegram-bot's `AIORateLimiter`, waits out its
  `retry_after` and resends);
- 502, 503 and 504: the front end answering for a Bot API server it could not reach, or
  that refused the work, so nothing was processed;
- a connection that was never made (refused, connect timeout, no free connection in the
  pool): nothing went out.
A 500 is resent too, and that is a choice with a risk: the Bot API answers 500 when it
failed inside, almost always before the message was handed on, but it cannot say so. An
agent's answer lost is worse for a subscriber waiting on it than, rarely, shown twice.
Anything else that went out and got no answer (a read timeout, a dropped connection) is
not resent: the message may be on the subscriber's screen, and the agent is told instead.

python-telegram-bot keeps only the description of an error answer, not its status, so
`StatusRequest` raises `ServerError` with the status for a 5xx before the library reads
the body.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import warnings
from collections.abc import Callable, Coroutine
from typing import Any, Final

import httpx
from telegram.error import NetworkError, RetryAfter, TimedOut
from telegram.ext import AIORateLimiter
from telegram.request import HTTPXRequest
from telegram.warnings import PTBDeprecationWarning

from bot.runtime import Pause

# 500 is in on purpose: see the module's docstring for the risk taken.
RESENDABLE_STATUSES: Final = frozenset({500, 502, 503, 504})
# httpx's errors for a request that never left: no connection was made or none was free.
_NEVER_SENT: Final = (httpx.ConnectError, httpx.ConnectTimeout, httpx.PoolTimeout)
CONNECTION_POOL_SIZE: Final = 256  # python-telegram-bot's own default for the bot's requests


class ServerError(NetworkError):
    """The Bot API answered with a 5xx status (kept, unlike in python-telegram-bot)."""

    def __init__(self, status: int) -> None:
        super().__init__(f"the Bot API answered {status}")
        self.status = status


class StatusRequest(HTTPXRequest):
    """python-telegram-bot's HTTP client, raising `ServerError` for a 5xx answer."""

    async def do_request(self, *args: Any, **kwargs: Any) -> tuple[int, bytes]:
        """The status and body of the answer; ServerError for a 5xx."""
        code, payload = await super().do_request(*args, **kwargs)
        if code >= 500:
            raise ServerError(code)
        return code, payload


# What PTB's own wait adds to a 429's retry_after, kept: a request made sooner is refused again.
_AFTER_RETRY_AFTER: Final = 0.1


class PausedRateLimiter(AIORateLimiter):
    """python-telegram-bot's rate limiter, its wait after a 429 made through `pause`.

    `pause` is the runtime's (`Runtime.pause`, asyncio.sleep in the product): a test records
    the wait asked for instead of sleeping it. The loop is `AIORateLimiter.process_request`'s
    (python-telegram-bot 22, whose sleep cannot be handed in): every other request is held
    while one waits out its retry_after plus 0.1 s, and the last 429 is raised.
    """

    def __init__(self, pause: Pause, *, max_retries: int) -> None:
        super().__init__(max_retries=max_retries)
        self._pause = pause

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, bool | dict[str, Any] | list[dict[str, Any]]]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> bool | dict[str, Any] | list[dict[str, Any]]:
        """The request, sent again after each 429 until `max_retries` (or the call's own)."""
        retries = rate_limit_args or self._max_retries
        chat_id = data.get("chat_id")
        if isinstance(chat_id, str):
            with contextlib.suppress(ValueError):
                chat_id = int(chat_id)  # a chat's id given as a string
        # A group's or a channel's chat (a negative id, or an @name) has its own limit too.
        group: int | str | bool = (
            chat_id
            if isinstance(chat_id, str) or (isinstance(chat_id, int) and chat_id < 0)
            else False
        )
        for attempt in range(retries + 1):
            try:
                return await self._run_request(
                    chat=data.get("chat_id") is not None,
                    group=group,
                    allow_paid_broadcast=data.get("allow_paid_broadcast", False),
                    callback=callback,
                    args=args,
                    kwargs=kwargs,
                )
            except RetryAfter as err:
                if attempt == retries:
                    raise
                # Every other request is held back meanwhile, as PTB's own wait does.
                self._retry_after_event.clear()
                await self._pause(retry_seconds(err) + _AFTER_RETRY_AFTER)
            finally:
                self._retry_after_event.set()
        raise AssertionError("unreachable: the last attempt returns or raises")


def retry_seconds(err: RetryAfter) -> float:
    """A 429's retry_after in seconds, in either type PTB gives it (int now, timedelta later)."""
    with warnings.catch_warnings():
        # The int it gives today warns that a timedelta comes in a later version.
        warnings.simplefilter("ignore", PTBDeprecationWarning)
        said = err.retry_after
    return said.total_seconds() if isinstance(said, dt.timedelta) else float(said)


def never_sent(err: BaseException) -> bool:
    """The request cannot have reached Telegram (a 502-504 counts: nothing processed it)."""
    if isinstance(err, ServerError):
        return err.status in RESENDABLE_STATUSES - {500}
    return isinstance(err, NetworkError) and isinstance(err.__cause__, _NEVER_SENT)


def resendable(err: BaseException) -> bool:
    """Whether to send again after `err`: never sent, or a 500 (the risk taken above)."""
    if isinstance(err, ServerError):
        return err.status in RESENDABLE_STATUSES
    return never_sent(err)


def may_have_arrived(err: BaseException) -> bool:
    """After the last failed attempt: whether the subscriber may have the message all the same."""
    if isinstance(err, RetryAfter):
        return False
    if isinstance(err, ServerError):
        return err.status == 500 or err.status not in RESENDABLE_STATUSES
    # A refusal (BadRequest, Forbidden: NetworkError's subclasses too) came with an answer;
    # an error of httpx's underneath means none came, unless the request never left.
    if isinstance(err, TimedOut) or isinstance(err.__cause__, httpx.HTTPError):
        return not never_sent(err)
    return False
