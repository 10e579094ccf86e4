"""What a button carries back: a choice id, or a short code for one too long for the platform.

Telegram's callback data holds 64 bytes, LINE's postback data 300 characters: a longer id
travels as a fixed-size hash, which `resolve_choice` maps back using the ids the dialog
offered last (the conversation's record keeps them). Pure: no store, no platform.
"""

from __future__ import annotations

import base64
import hashlib
import re
from collections.abc import Iterable
from typing import Final

from dialogs.flowchart import ANSWERS

# A choice id too long for a platform's button payload travels as this prefix plus a hash.
HASHED_PREFIX: Final = "#"
_HASH_CHARS: Final = 22  # 132 bits of SHA-256 in URL-safe base64: no collision in practice


def choice_code(choice_id: str, max_bytes: int, *, reserved: str = "") -> str:
    """What a button carries back for `choice_id`, within a payload limit of `max_bytes`.

    Short ids travel as they are; a longer one (or one holding a `reserved` character the
    adapter uses as a separator) becomes a fixed-size hash, which `resolve_choice` maps back
    using the ids the dialog last offered.
    """
    fits = len(choice_id.encode()) <= max_bytes and not is_hashed(choice_id)
    if fits and not any(char in choice_id for char in reserved):
        return choice_id
    code = _hashed(choice_id)
    if len(code.encode()) > max_bytes:
        raise ValueError(f"a payload limit of {max_bytes} bytes cannot carry a hashed choice")
    return code


def is_hashed(code: str) -> bool:
    """Whether `code` stands for a choice id only the offered choices can tell."""
    return code.startswith(HASHED_PREFIX)


def resolve_choice(code: str, offered: Iterable[str]) -> str | None:
    """The choice id behind a button's `code`; None for a hash matching nothing offered."""
    if not is_hashed(code):
        return code
    for choice_id in offered:
        if _hashed(choice_id) == code:
            return choice_id
    return None


def _hashed(choice_id: str) -> str:
    digest = hashlib.sha256(choice_id.encode()).digest()
    return HASHED_PREFIX + base64.urlsafe_b64encode(digest).decode()[:_HASH_CHARS]


# A button's payload may name the question it answers after this separator: the
# `event_tag` of the turn that asked it (16 hex digits), so a press on an old message's
# button can be told from an answer to the question open now.
QUESTION_SEPARATOR: Final = "~"
_QUESTION_TAG: Final = re.compile(r"[0-9a-f]{16}")


def with_question(code: str, question: str) -> str:
    """`code` naming the question its button belongs to (unchanged without one)."""
    return f"{code}{QUESTION_SEPARATOR}{question}" if question else code


def question_of(data: str) -> tuple[str, str | None]:
    """The code a button's payload carries, and the question it names (None: none named)."""
    code, separator, tag = data.rpartition(QUESTION_SEPARATOR)
    if separator and code and _QUESTION_TAG.fullmatch(tag):
        return code, tag
    return data, None


def asked_question(payloads: Iterable[str]) -> str | None:
    """The question a message's buttons ask, named when they are its answers (yes, no, unsure).

    A typed reply quoting that message answers it, as its buttons would (Telegram's
    `reply_to_message`); a message whose buttons are a menu or a program list asks none.
    """
    for data in payloads:
        code, question = question_of(data)
        if question is not None and code in ANSWERS:
            return question
    return None
