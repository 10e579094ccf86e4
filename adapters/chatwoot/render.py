"""The channel-neutral replies as Chatwoot messages: choices as `input_select`, else text."""

from __future__ import annotations

from typing import Any

from adapters.chatwoot.markdown_escape import escaped
from bot.channels.choice_codes import with_question
from dialogs.vocabulary import ChoicesReply, Reply, reply_as_plain_text

ChatwootMessage = dict[str, Any]
"""The body of one `POST .../conversations/{id}/messages` call."""


def render(reply: Reply, *, question: str = "") -> ChatwootMessage:
    """One reply as one Chatwoot message: choices as `input_select`, anything else as text.

    `question`: the `event_tag` of the turn that asks it, carried by its items' values (the
    web widget sends back the value of the item chosen, and shows only titles).
    """
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
