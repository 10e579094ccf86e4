"""Helpers the platform renderers share: cutting text to a platform's limits, in batches.

Pure, and no platform SDK is imported here, so importing it costs nothing. What a button
carries back is `bot.channels.choice_codes`: the life cycle reads it back from the store.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import Final, TypeVar

T = TypeVar("T")

ELLIPSIS: Final = "…"
PARAGRAPH: Final = "\n\n"


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
        if current and measure(part) > limit:
            # A part too long for any piece is cut anyway: its beginning fills this piece, so
            # a lead-in line is never sent alone (「サポート担当より：」 was a message of its own
            # before an agent's long reply on Telegram and LINE).
            head = _head_that_fits(part, limit - measure(current + separator), limit, measure)
            if head:
                current = f"{current}{separator}{head}"
                part = part[len(head) :].lstrip()
                if not part:
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


def _head_that_fits(part: str, room: int, limit: int, measure: Callable[[str], int]) -> str:
    """The beginning of `part` that fits in `room`, or "" when not worth cutting it for.

    A piece with less than a quarter of it left is sent as it is; and a cut whose first piece
    is not where `part` begins (blanks dropped) is left to the ordinary cutting.
    """
    if room < max(1, limit // 4):
        return ""
    head = split_text(part, room, measure=measure)[0]
    return head if part.startswith(head) else ""


def batched(items: Sequence[T], size: int) -> Iterator[Sequence[T]]:
    """`items` in consecutive groups of at most `size` (LINE takes 5 messages per call)."""
    if size < 1:
        raise ValueError(f"size must be at least 1, not {size}")
    for start in range(0, len(items), size):
        yield items[start : start + size]
