"""The channel-neutral replies as Chatwoot messages: choices as `input_select`, else text."""

from __future__ import annotations

from typing import Any

from adapters.chatwoot.markdown_escape import escaped
from dialogs.vocabulary import ChoicesReply, Reply, reply_as_plain_text

ChatwootMessage = dict[str, Any]
"""The body of one `POST .../conversations/{id}/messages` call."""


def render(reply: Reply) -> ChatwootMessage:
    """One reply as one Chatwoot message: choices as `input_select`, anything else as text."""
    if isinstance(reply, ChoicesReply):
        return {
            "content": reply.text,
            "message_type": "outgoing",
            "private": False,
            "content_type": "input_select",
            "content_attributes": {
                "items": [{"title": c.label, "value": c.id} for c in reply.choices]
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
