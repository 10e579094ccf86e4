"""The channel-neutral replies as LINE message objects: text, quick replies, Flex bubbles.

Pure functions within the Messaging API's limits
(https://developers.line.biz/en/reference/messaging-api/); the objects are LINE's JSON.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence
from typing import Any, Final
from urllib.parse import urlsplit, urlunsplit

from adapters.line.events import QUESTION_SEPARATOR
from adapters.rendering import split_text, truncate, utf16_length
from bot.channels.choice_codes import choice_code
from dialogs.vocabulary import (
    ChoicesReply,
    FileReply,
    LinkReply,
    Reply,
    SettingsReply,
    TextReply,
    VerdictReply,
    reply_as_plain_text,
)

MAX_TEXT: Final = 5000
# Message objects one reply (or push) carries.
MAX_MESSAGES: Final = 5
MAX_QUICK_REPLIES: Final = 13
MAX_LABEL: Final = 20
MAX_POSTBACK_DATA: Final = 300
MAX_DISPLAY_TEXT: Final = 300
MAX_ALT_TEXT: Final = 400
# A Flex bubble's JSON is limited in size: keep long question texts out of it.
MAX_FLEX_TEXT: Final = 2000
_TAG_CHARS: Final = 16

LineMessage = dict[str, Any]
"""One message object as LINE's JSON spells it (`{"type": "text", ...}`)."""


def _texts(text: str) -> list[LineMessage]:
    chunks = split_text(text, MAX_TEXT, measure=utf16_length) or [text]
    return [{"type": "text", "text": chunk} for chunk in chunks]


def question_tag(event_id: str) -> str:
    """Names the question messages a turn sent, after the event that caused them.

    The same digits as the store's `event_tag`, so a press names the question the engine
    holds open (`bot.channels.choice_codes.question_of`).
    """
    return hashlib.sha256(event_id.encode()).hexdigest()[:_TAG_CHARS]


def push_tag(push_id: str) -> str:
    """Names a push's question messages: as `question_tag`, but never read as a turn's.

    A push is not a turn of its own (the turn that made its replies is not known here), so
    a press on its buttons cannot be checked against the question open; a leading "p",
    which no hex tag has, says so.
    """
    return "p" + question_tag(push_id)[1:]


def _postback(label: str, choice_id: str, tag: str) -> dict[str, Any]:
    suffix = f"{QUESTION_SEPARATOR}{tag}" if tag else ""
    return {
        "type": "postback",
        "label": truncate(label, MAX_LABEL, measure=utf16_length),
        "data": choice_code(choice_id, MAX_POSTBACK_DATA - len(suffix), reserved=QUESTION_SEPARATOR)
        + suffix,
        # Shown in the chat as the subscriber's own words, so the transcript reads naturally.
        "displayText": truncate(label, MAX_DISPLAY_TEXT, measure=utf16_length),
    }


def _choices(reply: ChoicesReply, *, quick: bool, tag: str) -> list[LineMessage]:
    if quick and len(reply.choices) <= MAX_QUICK_REPLIES:
        *leading, last = _texts(reply.text)
        items = [{"type": "action", "action": _postback(c.label, c.id, tag)} for c in reply.choices]
        return [*leading, {**last, "quickReply": {"items": items}}]
    # Over 13 choices (or a question that is not the turn's last message, where LINE would
    # not show quick replies): buttons in a Flex bubble, which take any number of them.
    chunks = split_text(reply.text, MAX_FLEX_TEXT, measure=utf16_length) or [reply.text]
    leading = [{"type": "text", "text": chunk} for chunk in chunks[:-1]]
    buttons = [
        {"type": "button", "style": "link", "height": "sm", "action": _postback(c.label, c.id, tag)}
        for c in reply.choices
    ]
    bubble = {
        "type": "bubble",
        "body": {
            "type": "box",
            "layout": "vertical",
            "spacing": "sm",
            "contents": [{"type": "text", "text": chunks[-1], "wrap": True}, *buttons],
        },
    }
    alt = truncate(reply_as_plain_text(reply), MAX_ALT_TEXT, measure=utf16_length)
    return [*leading, {"type": "flex", "altText": alt, "contents": bubble}]


def _settings(reply: SettingsReply) -> LineMessage:
    rows = [
        {
            "type": "box",
            "layout": "vertical",
            "contents": [
                {"type": "text", "text": i.label, "size": "xs", "color": "#888888", "wrap": True},
                {"type": "text", "text": i.value, "weight": "bold", "wrap": True},
            ],
        }
        for i in reply.items
    ]
    bubble = {
        "type": "bubble",
        "header": {
            "type": "box",
            "layout": "vertical",
            "contents": [{"type": "text", "text": reply.title, "weight": "bold", "wrap": True}],
        },
        "body": {"type": "box", "layout": "vertical", "spacing": "md", "contents": rows},
    }
    alt = truncate(reply_as_plain_text(reply), MAX_ALT_TEXT, measure=utf16_length)
    return {"type": "flex", "altText": alt, "contents": bubble}


def render(reply: Reply, *, last: bool = True, tag: str = "") -> list[LineMessage]:
    """One reply as LINE message objects.

    `last` when it ends the turn (only then does LINE show quick replies); `tag` names the
    question in its buttons' postback data (see `question_tag`).
    """
    if isinstance(reply, ChoicesReply):
        return _choices(reply, quick=last, tag=tag)
    if isinstance(reply, SettingsReply):
        return [_settings(reply)]
    if isinstance(reply, FileReply):
        # LINE cannot send files: a file goes as its link, which LINE opens in the phone's
        # own browser, not its in-app one, where it carries `openExternalBrowser=1` (LINE URL
        # scheme, "Open URL in external browser"): an Apple profile installs from Safari.
        return _texts(f"{reply.text}\n{in_external_browser(reply.url)}")
    if isinstance(reply, LinkReply):
        return _texts(f"{reply.text}\n{reply.url}")
    if isinstance(reply, TextReply | VerdictReply):
        return _texts(reply.text)
    raise TypeError(f"cannot render {reply!r}")


def in_external_browser(url: str) -> str:
    """`url` as LINE opens it in the phone's default browser (`openExternalBrowser=1`)."""
    parts = urlsplit(url)
    query = f"{parts.query}&openExternalBrowser=1" if parts.query else "openExternalBrowser=1"
    return urlunsplit(parts._replace(query=query))


def render_turn(replies: Sequence[Reply], *, tag: str = "") -> list[LineMessage]:
    """A turn's replies as one list of message objects, in order, in one call where they fit."""
    return fitted(
        [
            message
            for n, reply in enumerate(replies)
            for message in render(reply, last=n == len(replies) - 1, tag=tag)
        ]
    )


def fitted(messages: list[LineMessage], per_call: int = MAX_MESSAGES) -> list[LineMessage]:
    """`messages` with neighbouring plain texts joined, as long as there are over `per_call`.

    A reply carries five messages; the rest were pushed, each push spending the channel's
    monthly allowance, and once it is spent the turn's tail (often its question and
    buttons) never arrived. Plain texts side by side (「…を承りました。」「Outlookをお使い
    なのですね。」) read as well in one balloon, a blank line between them. A question, a
    card or a bubble is never joined; what still does not fit is pushed, as before.
    """
    fitted = list(messages)
    n = 0
    while len(fitted) > per_call and n < len(fitted) - 1:
        first, second = fitted[n], fitted[n + 1]
        joined = f"{first.get('text')}\n\n{second.get('text')}"
        if _plain(first) and _plain(second) and utf16_length(joined) <= MAX_TEXT:
            fitted[n : n + 2] = [{"type": "text", "text": joined}]
        else:
            n += 1
    return fitted


def _plain(message: LineMessage) -> bool:
    """A text message with nothing but its words (no quick reply, no LINE emoji)."""
    return message.keys() == {"type", "text"} and message["type"] == "text"
