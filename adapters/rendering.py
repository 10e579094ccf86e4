"""Helpers the platform adapters share: cutting text to a platform's limits, button codes.

No platform SDK is imported here, so importing it costs nothing.
"""

from __future__ import annotations

import base64
import hashlib
from collections.abc import Callable, Iterable, Iterator, Sequence
from typing import Final, TypeVar

from bot.store.conversation_store import ConversationStore, record_key
from dialogs.vocabulary import Inbound, Locale

T = TypeVar("T")

ELLIPSIS: Final = "…"
PARAGRAPH: Final = "\n\n"
# A choice id too long for a platform's button payload travels as this prefix plus a hash.
HASHED_PREFIX: Final = "#"
_HASH_CHARS: Final = 22  # 132 bits of SHA-256 in URL-safe base64: no collision in practice


def utf16_length(text: str) -> int:
    """Length as Telegram and LINE count it: UTF-16 code units (an emoji counts two)."""
    return len(text.encode("utf-16-le")) // 2


def truncate(text: str, limit: int, *, measure: Callable[[str], int] = len) -> str:
    """`text` cut to `limit` (as `measure` counts), ending in an ellipsis when cut."""
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if measure(text) <= limit:
        return text
    # Every measure we use counts a character as at least one, so start from `limit` of them.
    cut = text[:limit]
    while cut and measure(cut + ELLIPSIS) > limit:
        cut = cut[:-1]
    return cut.rstrip() + ELLIPSIS if cut else text[:limit]


def split_text(text: str, limit: int, *, measure: Callable[[str], int] = len) -> list[str]:
    """`text` in pieces of at most `limit`, cut between paragraphs, else lines, else words.

    Paragraphs stay whole whenever they fit, so a step-by-step guide is never cut in the
    middle of a step unless one step alone is over the limit.
    """
    if limit < 1:
        raise ValueError(f"limit must be at least 1, not {limit}")
    if measure(text) <= limit:
        return [text]
    for separator in (PARAGRAPH, "\n", " "):
        parts = text.split(separator)
        if len(parts) > 1:
            return _pack(parts, separator, limit, measure)
    # One unbroken run of characters (Japanese has no spaces): cut between characters.
    pieces: list[str] = []
    current = ""
    for char in text:
        if current and measure(current + char) > limit:
            pieces.append(current)
            current = ""
        current += char
    pieces.append(current)
    return pieces


def _pack(parts: list[str], separator: str, limit: int, measure: Callable[[str], int]) -> list[str]:
    pieces: list[str] = []
    current = ""
    for part in parts:
        candidate = f"{current}{separator}{part}" if current else part
        if measure(candidate) <= limit:
            current = candidate
            continue
        if current:
            pieces.append(current)
        if measure(part) <= limit:
            current = part
        else:
            *whole, current = split_text(part, limit, measure=measure)
            pieces.extend(whole)
    if current:
        pieces.append(current)
    return [piece for piece in pieces if piece.strip()]


def batched(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`items` in consecutive groups of at most `size` (LINE takes 5 messages per call)."""
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]


def choice_code(choice_id: str, max_bytes: int, *, reserved: str = "") -> str:
    """What a button carries back for `choice_id`, within a payload limit of `max_bytes`.

    Short ids travel as they are; a longer one (or one holding a `reserved` character the
    adapter uses as a separator) becomes a fixed-size hash, which `resolve_choice` maps back
    using the ids the dialog last offered.
    """
    fits = len(choice_id.encode()) <= max_bytes and not choice_id.startswith(HASHED_PREFIX)
    if fits and not any(char in choice_id for char in reserved):
        return choice_id
    code = _hashed(choice_id)
    if len(code.encode()) > max_bytes:
        raise ValueError(f"a payload limit of {max_bytes} bytes cannot carry a hashed choice")
    return code


def resolve_choice(code: str, offered: Iterable[str]) -> str | None:
    """The choice id behind a button's `code`; None for a hash matching nothing offered."""
    if not code.startswith(HASHED_PREFIX):
        return code
    for choice_id in offered:
        if _hashed(choice_id) == code:
            return choice_id
    return None


async def pressed_choice(store: ConversationStore, inbound: Inbound) -> str | None:
    """The choice id behind a pressed button's code in `inbound.choice`, or None.

    Only a hashed code costs a read: it is matched against the choices the dialog offered
    last, which the conversation's record keeps.
    """
    code = inbound.choice or ""
    if not code.startswith(HASHED_PREFIX):
        return code
    record = await store.load(record_key(inbound.channel, inbound.conversation_key))
    return resolve_choice(code, record.dialog.offered if record else ())


def _hashed(choice_id: str) -> str:
    digest = hashlib.sha256(choice_id.encode()).digest()
    return HASHED_PREFIX + base64.urlsafe_b64encode(digest).decode()[:_HASH_CHARS]


class LocaleCache:
    """The locales of the last `size` users a platform told us about.

    Asking the platform for a user's language costs an API call (Slack `users.info`, LINE
    profile) that counts against its rate limit, and the answer rarely changes.
    """

    def __init__(self, size: int = 1024) -> None:
        self._size = size
        self._locales: dict[str, Locale | None] = {}

    def get(self, user: str) -> tuple[bool, Locale | None]:
        """(known, locale) for `user`; a known user may have a locale we do not speak."""
        if user in self._locales:
            return True, self._locales[user]
        return False, None

    def put(self, user: str, locale: Locale | None) -> None:
        """Remember `locale` for `user`, forgetting the oldest entry when full."""
        if len(self._locales) >= self._size:
            del self._locales[next(iter(self._locales))]
        self._locales[user] = locale
