"""The channel-neutral replies as Chatwoot messages: choices as `input_select`, else text."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any, Final

from adapters.chatwoot.markdown_escape import escaped
from bot.channels.choice_codes import with_question
from dialogs.vocabulary import ChoicesReply, Reply, reply_as_plain_text

ChatwootMessage = dict[str, Any]
"""The body of one `POST .../conversations/{id}/messages` call."""

# Inboxes where Chatwoot shows a select's items as buttons whatever their number: the web
# widget, an API channel's own client, and Telegram (inline buttons whose data is the item's
# value). "" is an inbox the webhook did not name, shown as before.
_SELECTS: Final = frozenset({"", "Channel::WebWidget", "Channel::Api", "Channel::Telegram"})
WHATSAPP: Final = "Channel::Whatsapp"
# What Chatwoot makes of a select on WhatsApp (Whatsapp::Providers::BaseService): up to 3
# items as reply buttons, more as a list, each within Meta's limits for interactive
# messages; past them Meta refuses the message and the contact gets nothing at all.
_WHATSAPP_BUTTONS: Final = 3
_WHATSAPP_BUTTON_TITLE: Final = 20
_WHATSAPP_ROWS: Final = 10
_WHATSAPP_ROW_TITLE: Final = 24
_WHATSAPP_BODY: Final = 1024
# The longest text each inbox's channel takes in one message, where a turn's replies are
# joined into as few messages as fit: Chatwoot sends each message from a job of its own,
# and jobs run side by side, so a turn's greeting and question could reach the phone in
# either order (SMS keeps no order even when sent in order). Twilio's concatenated body:
# 1,600 characters; Messenger's text: 2,000; WhatsApp's: 4,096; LINE's: 5,000. An e-mail
# inbox sent each reply as a mail of its own (a greeting, then its question): one per turn.
# Inboxes not named (the web widget, which orders by time; Instagram, whose limit is not
# known here) are not joined.
_JOINED_LIMITS: Final = {
    "Channel::TwilioSms": 1600,
    "Channel::Sms": 1600,
    "Channel::FacebookPage": 2000,
    WHATSAPP: 4096,
    "Channel::Line": 5000,
    "Channel::Email": 100_000,
}


def reads_numbers(inbox: str) -> bool:
    """Whether choices may reach this inbox's contact as numbered lines (`render`)."""
    return inbox not in _SELECTS


def shows_select(inbox: str, reply: ChoicesReply) -> bool:
    """Whether Chatwoot shows `reply`'s choices as buttons in `inbox`.

    Facebook, Instagram, LINE, SMS (Twilio's, Bandwidth's), e-mail: the versions read
    send a select's words alone, or a template with few buttons of short titles (Facebook's
    button template: 3, 20 characters), so the contact never saw what to answer.
    """
    if inbox in _SELECTS:
        return True
    if inbox != WHATSAPP or len(reply.text) > _WHATSAPP_BODY or not reply.choices:
        return False
    longest = max(len(c.label) for c in reply.choices)
    if len(reply.choices) <= _WHATSAPP_BUTTONS:
        return longest <= _WHATSAPP_BUTTON_TITLE
    return len(reply.choices) <= _WHATSAPP_ROWS and longest <= _WHATSAPP_ROW_TITLE


def render(
    reply: Reply, *, question: str = "", inbox: str = "", how_to_answer: str = ""
) -> ChatwootMessage:
    """One reply as one Chatwoot message: choices as `input_select`, anything else as text.

    `question`: the `event_tag` of the turn that asks it, carried by its items' values (the
    web widget sends back the value of the item chosen, and shows only titles). `inbox`:
    the conversation's inbox kind; where Chatwoot would not show the choices as buttons
    (`shows_select`) they are numbered lines under the question, and `how_to_answer` (the
    catalog's words) after them: the contact types a number or the words.
    """
    if isinstance(reply, ChoicesReply) and not shows_select(inbox, reply):
        lines = [f"{n}. {choice.label}" for n, choice in enumerate(reply.choices, start=1)]
        words = "\n\n".join(part for part in (reply.text, "\n".join(lines), how_to_answer) if part)
        return {
            "content": words,
            "message_type": "outgoing",
            "private": False,
            "content_type": "text",
        }
    if isinstance(reply, ChoicesReply):
        return {
            "content": reply.text,
            "message_type": "outgoing",
            "private": False,
            "content_type": "input_select",
            "content_attributes": {
                "items": [
                    {"title": c.label, "value": with_question(c.id, question)}
                    for c in reply.choices
                ]
            },
        }
    # A settings card becomes "label: value" lines: readable in every inbox Chatwoot serves
    # (web widget, e-mail, SMS), where a card would not be.
    return {
        "content": reply_as_plain_text(reply),
        "message_type": "outgoing",
        "private": False,
        "content_type": "text",
    }


def private_note(text: str) -> ChatwootMessage:
    """An internal note: agents see it, the subscriber never does.

    The note is plain text (a handoff's summary, with the subscriber's name and words);
    Chatwoot shows notes as Markdown, so it is escaped to show as written.
    """
    return {
        "content": escaped(text),
        "message_type": "outgoing",
        "private": True,
        "content_type": "text",
    }


def render_all(
    replies: Sequence[Reply], *, question: str = "", inbox: str = "", how_to_answer: str = ""
) -> list[ChatwootMessage]:
    """A turn's replies as Chatwoot messages, in order, joined where the inbox needs it.

    Text joins the text before it while the two fit the inbox's limit (`_JOINED_LIMITS`);
    on WhatsApp a select takes the text before it as its body while that fits Meta's 1,024.
    """
    messages = [
        render(reply, question=question, inbox=inbox, how_to_answer=how_to_answer)
        for reply in replies
    ]
    limit = _JOINED_LIMITS.get(inbox)
    if limit is None:
        return messages
    joined: list[ChatwootMessage] = []
    for message in messages:
        before = joined[-1] if joined else None
        if before is not None and before["content_type"] == "text":
            room = limit if message["content_type"] == "text" else 0
            if message["content_type"] == "input_select" and inbox == WHATSAPP:
                room = _WHATSAPP_BODY
            words = f"{before['content']}\n\n{message['content']}"
            if len(words) <= room:
                joined[-1] = {**message, "content": words}
                continue
        joined.append(message)
    return joined
