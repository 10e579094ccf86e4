"""Slack's events and clicks as inbound messages, and where a conversation lives in Slack.

A direct message is a conversation of its own (`team:channel`); a mention in a channel is
answered in its thread, which is the conversation (`team:channel:thread_ts`). Pure
functions over Bolt's parsed bodies: no SDK is imported here.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any, Final
from urllib.parse import parse_qsl

from dialogs.vocabulary import Inbound, Locale, parse_locale

CHANNEL: Final = "slack"
_MENTION: Final = re.compile(r"<@[A-Z0-9]+(?:\|[^>]*)?>")


@dataclass(frozen=True, slots=True)
class Clicked:
    """The message whose button was pressed, so its buttons can be taken away."""

    channel: str
    ts: str
    label: str
    blocks: tuple[Mapping[str, Any], ...]


@dataclass(frozen=True, slots=True)
class SlackTurn:
    """One inbound Slack event, parsed: the message, where to answer, and who sent it."""

    inbound: Inbound
    channel: str
    thread_ts: str | None
    user: str | None
    clicked: Clicked | None = None


def is_direct(channel: str) -> bool:
    """Whether a Slack channel id is a direct-message channel (ids of DMs begin with D)."""
    return channel.startswith("D")


def conversation_key(team: str, channel: str, thread_ts: str | None) -> str:
    """The conversation a DM (no thread) or a channel thread is."""
    return f"{team}:{channel}" if thread_ts is None else f"{team}:{channel}:{thread_ts}"


def address_of(key: str) -> tuple[str, str | None]:
    """The channel and thread (None for a DM) a conversation key names."""
    parts = key.split(":")
    if len(parts) == 2:
        return parts[1], None
    if len(parts) == 3:
        return parts[1], parts[2]
    raise ValueError(f"{key!r} is not a Slack conversation key (team:channel[:thread_ts])")


def turn_from_event(body: Mapping[str, Any]) -> SlackTurn | None:
    """A direct `message`, or an `app_mention` in a channel (answered in its thread).

    None for anything else: channel messages without a mention, edits, bots' posts.
    """
    event = body.get("event")
    if not isinstance(event, Mapping) or event.get("subtype") or event.get("bot_id"):
        return None
    channel = event.get("channel")
    if event.get("type") == "message" and event.get("channel_type") == "im":
        return _text_turn(body, event, thread_ts=None)
    if event.get("type") == "app_mention" and isinstance(channel, str) and not is_direct(channel):
        thread_ts = event.get("thread_ts") or event.get("ts")
        return _text_turn(body, event, thread_ts=str(thread_ts) if thread_ts else None)
    return None


def _text_turn(
    body: Mapping[str, Any], event: Mapping[str, Any], *, thread_ts: str | None
) -> SlackTurn | None:
    channel, user, event_id = event.get("channel"), event.get("user"), body.get("event_id")
    team = body.get("team_id") or event.get("team")
    text = _MENTION.sub("", str(event.get("text") or "")).strip()
    if not (isinstance(channel, str) and isinstance(event_id, str) and team and text):
        return None
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=conversation_key(str(team), channel, thread_ts),
        event_id=f"{CHANNEL}:{event_id}",
        text=text,
        sender=user if isinstance(user, str) else None,
    )
    return SlackTurn(inbound, channel, thread_ts, inbound.sender)


def turn_from_action(body: Mapping[str, Any], action: Mapping[str, Any]) -> SlackTurn | None:
    """A pressed choice button (`block_actions`)."""
    container = body.get("container") or {}
    message = body.get("message") or {}
    channel = container.get("channel_id") or (body.get("channel") or {}).get("id")
    message_ts = container.get("message_ts") or message.get("ts")
    team = (body.get("team") or {}).get("id") or (body.get("user") or {}).get("team_id")
    user = (body.get("user") or {}).get("id")
    value = action.get("value")
    if not (isinstance(channel, str) and isinstance(message_ts, str) and team and value):
        return None
    thread_ts = (
        None
        if is_direct(channel)
        else str(message.get("thread_ts") or container.get("thread_ts") or message_ts)
    )
    label = str((action.get("text") or {}).get("text") or "")
    blocks = tuple(b for b in message.get("blocks") or () if isinstance(b, Mapping))
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=conversation_key(str(team), channel, thread_ts),
        # One answer per question message: a double click or a second button is dropped.
        event_id=f"{CHANNEL}:action:{channel}:{message_ts}",
        choice=str(value),
        sender=user if isinstance(user, str) else None,
    )
    clicked = Clicked(channel, message_ts, label, blocks)
    return SlackTurn(inbound, channel, thread_ts, inbound.sender, clicked)


def check_body(body: bytes, content_type: str) -> None:
    """Raise ValueError unless `body` is what Bolt can parse (JSON, or a form)."""
    text = body.decode("utf-8")  # UnicodeDecodeError is a ValueError
    if content_type.startswith("application/json") or text.startswith("{"):
        data = json.loads(text)
    else:
        form = dict(parse_qsl(text, keep_blank_values=True))
        if "payload" not in form:
            return
        data = json.loads(form["payload"])
    if not isinstance(data, dict):
        raise ValueError("the body is not a JSON object")


def user_locale(users_info: Mapping[str, Any]) -> Locale | None:
    """The language of a `users.info` answer (asked with `include_locale`)."""
    return parse_locale(str((users_info.get("user") or {}).get("locale") or ""))
