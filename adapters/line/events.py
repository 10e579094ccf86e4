"""LINE's webhook events as inbound messages: text, postbacks of our buttons, new friends.

Only one-to-one chats are conversations. In a group or a room the settings card and the
login-check link, with the subscriber's address, would be in front of everyone, so there
the bot only answers what is addressed to it (a mention, a tap on its button, being
added) with where it does talk. Pure functions over line-bot-sdk's parsed events (read by
attribute, so any version's).
"""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import hmac
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, Final

import orjson
from pydantic import Field

from adapters.stickers import sign_of_keywords
from bot.channels.choice_codes import question_of
from bot.channels.shape import Shape, check_shape
from bot.web.openapi import refuse_duplicate_keys
from dialogs.vocabulary import (
    EMOJI_CHOICE,
    LOCATION_CHOICE,
    MEDIA_CHOICE,
    STICKER_CHOICE,
    Inbound,
)

CHANNEL: Final = "line"
# `source.type` of a one-to-one chat, and of the chats several people share.
ONE_TO_ONE: Final = "user"
SHARED_CHATS: Final = frozenset({"group", "room"})
# Postback data is "<choice>~<question tag>": LINE does not say which message was tapped.
QUESTION_SEPARATOR: Final = "~"


@dataclass(frozen=True, slots=True)
class GroupRequest:
    """Someone in a group or a room addressed the bot: it answers where it does talk."""

    event_id: str
    reply_token: str
    user: str | None


@dataclass(frozen=True, slots=True)
class LineTurn:
    """One webhook event, parsed: the message, who to answer, and the reply token."""

    inbound: Inbound
    to: str
    reply_token: str | None
    user: str | None
    question: str | None = None
    """The question a tapped button belongs to, when its data names one."""
    former: str | None = None
    """A redelivered turn's name before turns were named otherwise (`adapters.redelivery`)."""
    quoted: str | None = None
    """The id of the message a text quotes (LINE's quote), when it quotes one."""


# What line-bot-sdk's parser and `turn_from_event` read, typed as LINE documents it; the
# SDK's own models coerce (a numeric userId becomes a string), so they are no check.
class _Source(Shape):
    type: str
    user_id: str | None = Field(default=None, alias="userId")
    group_id: str | None = Field(default=None, alias="groupId")
    room_id: str | None = Field(default=None, alias="roomId")


class _Mentionee(Shape):
    type: str
    is_self: bool | None = Field(default=None, alias="isSelf")


class _Mention(Shape):
    mentionees: list[_Mentionee]


class _Emoji(Shape):
    index: int
    length: int


class _ImageSet(Shape):
    id: str


class _Message(Shape):
    id: str
    type: str
    text: str | None = None
    quoted_message_id: str | None = Field(default=None, alias="quotedMessageId")
    mention: _Mention | None = None
    emojis: list[_Emoji] | None = None
    image_set: _ImageSet | None = Field(default=None, alias="imageSet")


class _Postback(Shape):
    data: str
    params: dict[str, str] | None = None


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
    refuse_duplicate_keys(body)
    return body.decode("utf-8")


def readable(events: Sequence[Any], body: bytes, *, unknown: type) -> list[Any]:
    """The SDK's events, each it could not model read with the shape above instead.

    line-bot-sdk's parser makes a whole event an `unknown` (its UnknownEvent) when any
    value in it is new to its models: a mentionee `type` LINE added, say, where its model
    knows only "user" and "all". LINE asks webhooks to tolerate what they do not know, and
    the text is the subscriber's message: so such an event is read with `_Event`, which
    declares only the fields the bot reads, under the SDK's attribute names. An event type
    nobody knows stays unanswered, as before.
    """
    raw = orjson.loads(body)["events"]
    return [
        _Event.model_validate(data) if isinstance(event, unknown) else event
        for event, data in zip(events, raw, strict=True)
    ]


# Messages the bot cannot read (every message type LINE sends but text); the dialog answers
# them with a request for the text rather than leaving the subscriber without an answer.
_MEDIA_TYPES: Final = frozenset({"image", "sticker", "file", "video", "audio", "location"})


def without_emoji(text: str, emojis: Sequence[Any] | None) -> str:
    """`text` without its LINE emoji, which LINE writes as their names: 「はい(love)」.

    Each emoji's `index` and `length` count UTF-16 units (as LINE's mention indexes do).
    A span that is no bracketed name is not cut, and so is nothing at all. A text of LINE
    emoji only is "": the emoji are all it says (`EMOJI_CHOICE`).
    """
    units = text.encode("utf-16-le")
    spans = sorted(
        (index, index + length)
        for emoji in emojis or ()
        if isinstance(index := getattr(emoji, "index", None), int)
        and isinstance(length := getattr(emoji, "length", None), int)
        and index >= 0
        and length > 0
    )
    if not spans:
        return text
    kept, end = [], 0
    for start, stop in spans:
        name = units[2 * start : 2 * stop].decode("utf-16-le", errors="replace")
        if start < end or not (name.startswith("(") and name.endswith(")")):
            return text  # not where LINE puts an emoji's name: read the text as it came
        kept.append(units[2 * end : 2 * start])
        end = stop
    kept.append(units[2 * end :])
    return b"".join(kept).decode("utf-16-le", errors="replace").strip()


def signature_of(body: bytes, secret: str) -> str:
    """The `X-Line-Signature` LINE sends with `body`."""
    digest = hmac.new(secret.encode(), body, hashlib.sha256).digest()
    return base64.b64encode(digest).decode()


def happened_at(event: Any) -> dt.datetime | None:
    """When the event happened (`timestamp`, in ms; a redelivery keeps it), if it can be read."""
    stamp = getattr(event, "timestamp", None)
    if not isinstance(stamp, int) or isinstance(stamp, bool):
        return None
    try:
        return dt.datetime.fromtimestamp(stamp / 1000, dt.UTC)
    except (OverflowError, OSError, ValueError):  # past what a date can hold
        return None


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


def _switched_rich_menu(event: Any) -> bool:
    params = getattr(getattr(event, "postback", None), "params", None)
    return isinstance(params, dict) and "newRichMenuAliasId" in params


def _active(event: Any) -> bool:
    # In standby another module owns the chat (and there is no reply token).
    mode = getattr(event, "mode", None)
    return getattr(mode, "value", mode) == "active"


def _mentions_the_bot(message: Any) -> bool:
    mentionees = getattr(getattr(message, "mention", None), "mentionees", None) or ()
    return any(getattr(m, "is_self", None) is True for m in mentionees)


def group_request(event: Any) -> GroupRequest | None:
    """The bot added to a group or a room, mentioned there, or its button tapped there.

    Only what is addressed to the bot: a group's own talk is none of its business, and
    is neither answered nor kept.
    """
    source = getattr(event, "source", None)
    if not _active(event) or getattr(source, "type", None) not in SHARED_CHATS:
        return None
    kind = getattr(event, "type", None)
    addressed = kind in ("join", "postback") or (
        kind == "message" and _mentions_the_bot(getattr(event, "message", None))
    )
    event_id = getattr(event, "webhook_event_id", None)
    token = getattr(event, "reply_token", None)
    if not addressed or not isinstance(event_id, str) or not isinstance(token, str):
        return None
    user = getattr(source, "user_id", None)
    return GroupRequest(event_id, token, user if isinstance(user, str) else None)


def said_id(message_id: object) -> str | None:
    """The event id of the turn that stored words of the message `message_id`.

    Named by the message (unique, and the same in a redelivery) rather than by the webhook
    event, so that its unsend, which names only the message, finds the words to withdraw.
    """
    return f"{CHANNEL}:message:{message_id}" if isinstance(message_id, str) and message_id else None


@dataclass(frozen=True, slots=True)
class Withdrawal:
    """A message the subscriber unsent in a one-to-one chat: its words are to be withdrawn."""

    to: str
    event_id: str
    said: str
    """The event id of the turn that stored its words (`said_id`)."""


def withdrawal_from_event(event: Any) -> Withdrawal | None:
    """LINE's `unsend` in a one-to-one chat; None for every other event."""
    if getattr(event, "type", None) != "unsend" or not _active(event):
        return None
    source = getattr(event, "source", None)
    to = getattr(source, "user_id", None)
    event_id = getattr(event, "webhook_event_id", None)
    said = said_id(getattr(getattr(event, "unsend", None), "message_id", None))
    if getattr(source, "type", None) != ONE_TO_ONE or not isinstance(to, str):
        return None  # a group's talk is not kept (`group_request`): nothing to withdraw
    if not isinstance(event_id, str) or said is None:
        return None
    return Withdrawal(to, f"{CHANNEL}:{event_id}", said)


def turn_from_event(event: Any) -> LineTurn | None:
    """A text message, a postback or a new friend in a one-to-one chat; else None."""
    kind = getattr(event, "type", None)
    if not _active(event):
        return None
    source = getattr(event, "source", None)
    if getattr(source, "type", None) != ONE_TO_ONE:
        # Groups and rooms: see `group_request`.
        return None
    to = getattr(source, "user_id", None)
    event_id = getattr(event, "webhook_event_id", None)
    if not isinstance(to, str) or not isinstance(event_id, str):
        return None
    fields: dict[str, Any]
    dedupe_id = f"{CHANNEL}:{event_id}"
    asked: str | None = None
    message = getattr(event, "message", None)
    message_type = getattr(message, "type", None)
    # An event the SDK could not model is read with `_Event`, where these may be missing.
    text = getattr(message, "text", None)
    data = getattr(getattr(event, "postback", None), "data", None)
    quoted: str | None = None
    if kind == "message" and message_type == "text" and isinstance(text, str):
        read = without_emoji(text, getattr(message, "emojis", None))
        # LINE emoji alone (「(moon grin)」) are a picture sent, as a sticker is: thanked for,
        # not read as words; the names stay for the transcript.
        fields = {"text": read} if read or read == text else {"choice": EMOJI_CHOICE, "text": text}
        dedupe_id = said_id(getattr(message, "id", None)) or dedupe_id
        quoted_id = getattr(message, "quoted_message_id", None)
        quoted = quoted_id if isinstance(quoted_id, str) and quoted_id else None
    elif kind == "message" and message_type == "sticker" and isinstance(text, str) and text.strip():
        # A message sticker carries the words its sender typed on it (「はい」, 「ありがとう」).
        fields = {"text": text.strip()}
        dedupe_id = said_id(getattr(message, "id", None)) or dedupe_id
    elif (
        kind == "message"
        and message_type == "sticker"
        and (sign := sign_of_keywords(getattr(message, "keywords", None)))
    ):
        # A thumbs-up sticker (by its keywords) is 👍 typed: a yes said back at a question.
        fields = {"text": sign}
        dedupe_id = said_id(getattr(message, "id", None)) or dedupe_id
    elif kind == "message" and message_type == "sticker":
        # Any other sticker is a greeting or thanks: acknowledged, not asked for an error.
        fields = {"choice": STICKER_CHOICE}
    elif kind == "message" and message_type == "location":
        # A place shared: thanked for, not taken for a screenshot (the dialog says so).
        fields = {"choice": LOCATION_CHOICE}
    elif kind == "message" and message_type in _MEDIA_TYPES:
        # Usually a screenshot of an error: the dialog asks for the error's text instead.
        fields = {"choice": MEDIA_CHOICE}
        # Pictures sent together come one event each, of one image set: asked once for all.
        image_set = getattr(getattr(message, "image_set", None), "id", None)
        if isinstance(image_set, str) and image_set:
            dedupe_id = f"{CHANNEL}:imageset:{to}:{image_set}"
    elif kind == "postback" and _switched_rich_menu(event):
        # A rich menu's tab changed (richmenuswitch): the member said nothing to the bot.
        return None
    elif kind == "postback" and data is not None:
        choice, _, question = str(data).rpartition(QUESTION_SEPARATOR)
        if choice and question:
            fields = {"choice": choice}
            # One answer per question message: a second tap on its buttons is dropped.
            dedupe_id = f"{CHANNEL}:pressed:{to}:{question}"
            asked = question_of(str(data))[1]
        else:
            fields = {"choice": question}
    elif kind == "follow":
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
    # Every version named a turn by its webhook event before naming some by what they are.
    redelivered = getattr(getattr(event, "delivery_context", None), "is_redelivery", False)
    former = f"{CHANNEL}:{event_id}" if redelivered is True else None
    if former == dedupe_id:
        former = None
    token = getattr(event, "reply_token", None)
    return LineTurn(inbound, to, token, user, asked, former, quoted)
