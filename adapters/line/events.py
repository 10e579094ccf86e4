"""LINE's webhook events as inbound messages: text, postbacks of our buttons, new friends.

Pure functions over line-bot-sdk's parsed events (read by attribute, so any version's).
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from dataclasses import dataclass
from typing import Any, Final

import orjson
from pydantic import Field

from bot.channels.shape import Shape, check_shape
from dialogs.vocabulary import MEDIA_CHOICE, Inbound

CHANNEL: Final = "line"
# Postback data is "<choice>~<question tag>": LINE does not say which message was tapped.
QUESTION_SEPARATOR: Final = "~"


@dataclass(frozen=True, slots=True)
class LineTurn:
    """One webhook event, parsed: the message, who to answer, and the reply token."""

    inbound: Inbound
    to: str
    reply_token: str | None
    user: str | None


# What line-bot-sdk's parser and `turn_from_event` read, typed as LINE documents it; the
# SDK's own models coerce (a numeric userId becomes a string), so they are no check.
class _Source(Shape):
    type: str
    user_id: str | None = Field(default=None, alias="userId")
    group_id: str | None = Field(default=None, alias="groupId")
    room_id: str | None = Field(default=None, alias="roomId")


class _Message(Shape):
    id: str
    type: str
    text: str | None = None


class _Postback(Shape):
    data: str


class _Delivery(Shape):
    is_redelivery: bool = Field(alias="isRedelivery")


class _Event(Shape):
    type: str
    mode: str
    timestamp: int
    webhook_event_id: str = Field(alias="webhookEventId")
    delivery_context: _Delivery = Field(alias="deliveryContext")
    source: _Source | None = None
    reply_token: str | None = Field(default=None, alias="replyToken")
    message: _Message | None = None
    postback: _Postback | None = None


class _Payload(Shape):
    destination: str
    events: list[_Event]


def shaped(body: bytes) -> str:
    """`body` as text for the SDK's parser; ValueError unless it has a webhook's shape."""
    check_shape(_Payload, orjson.loads(body))
    return body.decode("utf-8")


# Messages the bot cannot read; the dialog answers them with a request for the text.
_MEDIA_TYPES: Final = frozenset({"image", "sticker", "file", "video", "audio"})


def signature_of(body: bytes, secret: str) -> str:
    """The `X-Line-Signature` LINE sends with `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def left_from_event(event: Any) -> str | None:
    """The chat the subscriber left: `unfollow` (blocked the account) or `leave` (a group)."""
    if getattr(event, "type", None) not in ("unfollow", "leave"):
        return None
    source = getattr(event, "source", None)
    to = (
        getattr(source, "group_id", None)
        or getattr(source, "room_id", None)
        or getattr(source, "user_id", None)
    )
    return to if isinstance(to, str) else None


def turn_from_event(event: Any) -> LineTurn | None:
    """A text message, a postback or a new friend; None for every other event."""
    kind = getattr(event, "type", None)
    mode = getattr(event, "mode", None)
    # In standby another module owns the chat (and there is no reply token).
    if getattr(mode, "value", mode) != "active":
        return None
    source = getattr(event, "source", None)
    to = (
        getattr(source, "group_id", None)
        or getattr(source, "room_id", None)
        or getattr(source, "user_id", None)
    )
    event_id = getattr(event, "webhook_event_id", None)
    if not isinstance(to, str) or not isinstance(event_id, str):
        return None
    fields: dict[str, Any]
    dedupe_id = f"{CHANNEL}:{event_id}"
    message_type = getattr(getattr(event, "message", None), "type", None)
    if kind == "message" and message_type == "text":
        fields = {"text": event.message.text}
    elif kind == "message" and message_type in _MEDIA_TYPES:
        # Usually a screenshot of an error: the dialog asks for the error's text instead.
        fields = {"choice": MEDIA_CHOICE}
    elif kind == "postback":
        choice, _, question = str(event.postback.data).rpartition(QUESTION_SEPARATOR)
        if choice and question:
            fields = {"choice": choice}
            # One answer per question message: a second tap on its buttons is dropped.
            dedupe_id = f"{CHANNEL}:pressed:{to}:{question}"
        else:
            fields = {"choice": question}
    elif kind in ("follow", "join"):
        fields = {"start": True}
    else:
        return None
    user = getattr(source, "user_id", None)
    inbound = Inbound(
        channel=CHANNEL,
        conversation_key=to,
        event_id=dedupe_id,
        sender=user,
        **fields,
    )
    return LineTurn(inbound, to, getattr(event, "reply_token", None), user)
