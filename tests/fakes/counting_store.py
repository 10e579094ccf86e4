"""A SQLite store that counts the transcript lines it reads out.

A read bounded by the conversation's length is told from one that is not by the lines it
returns, not by a clock: the count is the same on a loaded machine.
"""

from __future__ import annotations

from bot.store.conversation_store import Author, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore


class CountingStore(SQLiteStore):
    """The SQLite store, adding up in `lines_read` the lines its reads of lines returned."""

    lines_read = 0

    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        lines = await super().transcript(key, after=after, last=last)
        self.lines_read += len(lines)
        return lines

    async def latest_line(self, key: str, author: Author, prefix: str) -> TranscriptEntry | None:
        line = await super().latest_line(key, author, prefix)
        self.lines_read += line is not None
        return line
