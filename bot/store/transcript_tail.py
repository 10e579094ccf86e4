"""Reading a transcript back from its end only as far as a question needs.

Most questions asked of a transcript on every turn or poll are answered by its latest
line of some kind (who has it, where the subscriber last wrote, who started it): a scan
from the end that stops there. A conversation with an agent can run to thousands of
lines, so reading all of them for each such question made every turn cost its length.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Final

from bot.store.conversation_store import ConversationStore, TranscriptEntry

# The first read: enough for the line sought in nearly every conversation (an agent's
# latest words, the latest place noted), small enough to cost little at any length.
TAIL_LINES: Final = 200


async def lines_back_to(
    store: ConversationStore,
    key: str,
    found: Callable[[TranscriptEntry], bool],
    *,
    tail: int = TAIL_LINES,
) -> list[TranscriptEntry]:
    """The latest lines of `key`, reaching back at least to the latest line `found` picks.

    The latest `tail` lines when one of them is such a line (or they are all there are),
    else the whole transcript: a scan from the end that stops at that line answers the
    same from either. Seq numbers are those of the whole transcript.
    """
    lines = await store.transcript(key, last=tail)
    if len(lines) < tail or any(found(line) for line in lines):
        return lines
    return await store.transcript(key)
