"""Posting to Slack once, through a 5xx or a dropped connection too.

A 429 refused the message (the Web API client waits out its Retry-After and resends it),
and a connection never made carried nothing (the client tries it again too). After a 5xx
or a connection lost once the request went out, Slack may have posted it all the same,
and `chat.postMessage` has no idempotency key. So every message carries its own id in its
`metadata`; after such a failure the conversation is read back (`conversations.history`,
or `conversations.replies` in a thread, which need the `im:history`/`channels:history`
scopes the bot reads its conversations with) and the message is sent again only when it
is not there. When even that read fails, nobody can tell: it is not sent again, and the
caller hears that it may have arrived.
"""

from __future__ import annotations

import asyncio
import time
import uuid
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Final

import aiohttp
from tenacity import AsyncRetrying, retry_if_exception_type, stop_after_attempt, wait_exponential

from bot.channels.answer_first import MAX_RETRY_WAIT, RETRIES, RETRY_WAIT
from bot.delivery import UNREACHABLE, NotDeliveredError

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

METADATA_EVENT: Final = "mailmove_message"
ID_FIELD: Final = "mailmove_id"
# How far before the first attempt the read-back starts: Slack's clock is not ours.
LOOKBACK_SECONDS: Final = 300.0
LOOKBACK_LIMIT: Final = 200
# What aiohttp raises when the request may have gone out and no answer came back.
_NO_ANSWER: Final = (aiohttp.ClientError, TimeoutError)
# Refusals that say the conversation is gone (the subscriber's DM closed with their account,
# an archived channel): no later post reaches them either.
_GONE: Final = frozenset({"channel_not_found", "is_archived"})


class _NotThereError(Exception):
    """A failed attempt whose message Slack does not have: send it again."""


@dataclass(frozen=True, slots=True)
class Posted:
    """Where Slack put a posted message, as far as its answer said (None: not said)."""

    ts: str | None
    channel: str | None
    """The conversation's id: a member's DM with the app (`D…`) for a post to their id."""


async def post_once(
    client: AsyncWebClient,
    channel: str,
    thread_ts: str | None,
    message: Mapping[str, Any],
    *,
    retries: int = RETRIES,
    wait: float = RETRY_WAIT,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> str | None:
    """Post `message` (text and blocks) where `channel`/`thread_ts` say, one copy at most.

    `sleep(seconds)` waits between attempts (the runtime's, `Runtime.pause`); by default
    asyncio's.

    The post's ts when Slack answered it (None when found there on reading back).
    NotDeliveredError when Slack refused it or every attempt failed.
    """
    posted = await post_placed(
        client, channel, thread_ts, message, retries=retries, wait=wait, sleep=sleep
    )
    return posted.ts


async def post_placed(
    client: AsyncWebClient,
    channel: str,
    thread_ts: str | None,
    message: Mapping[str, Any],
    *,
    retries: int = RETRIES,
    wait: float = RETRY_WAIT,
    sleep: Callable[[float], Awaitable[None]] | None = None,
) -> Posted:
    """`post_once`, saying where the message went (both None when found on reading back)."""
    mark = uuid.uuid4().hex
    marked = {**message, "metadata": with_mark(message.get("metadata"), mark)}
    oldest = f"{time.time() - LOOKBACK_SECONDS:.6f}"
    ts: str | None = None
    where: str | None = None

    async def attempt() -> None:
        from slack_sdk.errors import SlackApiError

        nonlocal ts, where
        try:
            posted = await client.chat_postMessage(channel=channel, thread_ts=thread_ts, **marked)
            said, placed = posted.get("ts"), posted.get("channel")
            ts = said if isinstance(said, str) else None
            where = placed if isinstance(placed, str) else None
        except SlackApiError as err:
            status = status_of(err)
            if status < 500:
                reason = error_of(err) or f"status {status}"
                cause = UNREACHABLE if reason in _GONE else None
                raise NotDeliveredError(
                    f"Slack refused the message: {reason}", cause=cause
                ) from err
            failure = f"Slack answered {status}"
        except _NO_ANSWER as err:
            failure = f"no answer from Slack ({type(err).__name__})"
        else:
            return
        try:
            there = await _posted(client, channel, thread_ts, mark, oldest)
        except (SlackApiError, *_NO_ANSWER) as err:
            reason = f"{failure}, and reading the conversation back failed ({err})"
            raise NotDeliveredError(reason, may_have_arrived=True) from err
        if not there:
            raise _NotThereError(failure)

    retrying = AsyncRetrying(
        retry=retry_if_exception_type(_NotThereError),
        wait=wait_exponential(multiplier=wait, max=MAX_RETRY_WAIT),
        stop=stop_after_attempt(retries + 1),
        reraise=True,
        sleep=sleep or asyncio.sleep,
    )
    try:
        async for trial in retrying:
            with trial:
                await attempt()
    except _NotThereError as err:
        raise NotDeliveredError(f"{err}, {retries + 1} times") from err
    return Posted(ts, where)


async def _posted(
    client: AsyncWebClient, channel: str, thread_ts: str | None, mark: str, oldest: str
) -> bool:
    """Whether the conversation holds a message carrying `mark` in its metadata."""
    if thread_ts is None:
        response = await client.conversations_history(
            channel=channel, oldest=oldest, include_all_metadata=True, limit=LOOKBACK_LIMIT
        )
    else:
        response = await client.conversations_replies(
            channel=channel,
            ts=thread_ts,
            oldest=oldest,
            include_all_metadata=True,
            limit=LOOKBACK_LIMIT,
        )
    messages = response.get("messages") or []
    return any(_mark_of(m) == mark for m in messages if isinstance(m, dict))


def with_mark(metadata: object, mark: str) -> dict[str, Any]:
    """`metadata` with our id in its payload; our own event type when it had none.

    A verdict or a settings card already carries metadata (`adapters.slack.render`): it
    keeps its type and payload, and the id joins the payload.
    """
    if isinstance(metadata, Mapping) and isinstance(metadata.get("event_payload"), Mapping):
        return {**metadata, "event_payload": {**metadata["event_payload"], ID_FIELD: mark}}
    return {"event_type": METADATA_EVENT, "event_payload": {ID_FIELD: mark}}


def _mark_of(message: Mapping[str, Any]) -> object:
    metadata = message.get("metadata")
    payload = metadata.get("event_payload") if isinstance(metadata, dict) else None
    return payload.get(ID_FIELD) if isinstance(payload, dict) else None


def status_of(err: Exception) -> int:
    """The HTTP status of a SlackApiError (its response is aiohttp's for a body not JSON)."""
    response = getattr(err, "response", None)
    status = getattr(response, "status_code", None) or getattr(response, "status", None)
    return status if isinstance(status, int) else 0


def error_of(err: Exception) -> str | None:
    """Slack's `error` code in a SlackApiError's answer, if it has one."""
    data = getattr(getattr(err, "response", None), "data", None)
    error = data.get("error") if isinstance(data, dict) else None
    return error if isinstance(error, str) else None
