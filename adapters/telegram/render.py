"""The channel-neutral replies as Telegram messages: text within 4096, an inline keyboard.

Pure functions (https://core.telegram.org/bots/api: 4096 characters a message, 1-64 bytes
of callback data); the channel turns each `TelegramMessage` into one `sendMessage` call.
"""

from __future__ import annotations

import dataclasses
import html
from dataclasses import dataclass
from typing import Final

from adapters.rendering import split_text, utf16_length
from bot.channels.choice_codes import QUESTION_SEPARATOR, choice_code, with_question
from dialogs.vocabulary import (
    ChoicesReply,
    FileReply,
    LinkReply,
    Reply,
    SettingsReply,
    TextReply,
    VerdictReply,
)

MAX_MESSAGE: Final = 4096
MAX_CALLBACK_DATA: Final = 64
# "~" and a question's 16-digit tag follow the choice's code in the callback data.
_QUESTION_BYTES: Final = 17
# Short labels sit two to a row; longer ones get a row each so they are not cut.
_PAIR_LABEL_WIDTH: Final = 12


@dataclass(frozen=True, slots=True)
class TelegramMessage:
    """One `sendMessage` call: text (HTML when `html`), and rows of (label, callback data)."""

    text: str
    html: bool = False
    keyboard: tuple[tuple[tuple[str, str], ...], ...] = ()
    link: tuple[str, str] | None = None
    """One button that opens a URL (label, url), in place of a keyboard."""


def _keyboard(reply: ChoicesReply, question: str) -> tuple[tuple[tuple[str, str], ...], ...]:
    room = MAX_CALLBACK_DATA - (_QUESTION_BYTES if question else 0)
    buttons = [
        (c.label, with_question(choice_code(c.id, room, reserved=QUESTION_SEPARATOR), question))
        for c in reply.choices
    ]
    per_row = 2 if all(len(label) <= _PAIR_LABEL_WIDTH for label, _ in buttons) else 1
    return tuple(tuple(buttons[i : i + per_row]) for i in range(0, len(buttons), per_row))


def _plain(text: str) -> list[TelegramMessage]:
    chunks = split_text(text, MAX_MESSAGE, measure=utf16_length)
    return [TelegramMessage(chunk) for chunk in chunks] or [TelegramMessage(text)]


def render(reply: Reply, *, question: str = "") -> list[TelegramMessage]:
    """One reply as `sendMessage` calls of at most 4096 characters each.

    `question`: the `event_tag` of the turn that asks it, carried by its buttons' data.
    """
    if isinstance(reply, ChoicesReply):
        *leading, last = _plain(reply.text)
        return [*leading, dataclasses.replace(last, keyboard=_keyboard(reply, question))]
    if isinstance(reply, SettingsReply):
        # HTML so each value is monospace: Telegram copies a <code> span with one tap.
        paragraphs = [f"<b>{html.escape(reply.title)}</b>"] + [
            f"{html.escape(i.label)}\n<code>{html.escape(i.value)}</code>" for i in reply.items
        ]
        text = "\n\n".join(paragraphs)
        # Cut between items only, so no tag is ever split.
        return [
            TelegramMessage(chunk, html=True)
            for chunk in split_text(text, MAX_MESSAGE, measure=utf16_length)
        ]
    if isinstance(reply, LinkReply | FileReply):
        # sendDocument by URL takes only PDF, ZIP and GIF, and an Apple profile installs only
        # when opened in Safari: a file goes as its link.
        return _plain(f"{reply.text}\n{reply.url}")
    if isinstance(reply, TextReply | VerdictReply):
        return _plain(reply.text)
    raise TypeError(f"cannot render {reply!r}")
