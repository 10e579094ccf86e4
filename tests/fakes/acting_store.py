"""A store that lets a test act between another act's read and its write.

Races between desks (a button and the console, two agents) are decided by what a request
read before it wrote; on SQLite nothing yields between the two, so a test makes the other
act land there on purpose instead of hoping an `asyncio.gather` interleaves.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable

from bot.store.conversation_store import Author, ConversationRecord, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore


class ActingBetween(SQLiteStore):
    """The SQLite store, running `between` once right after the next read.

    Of a record (`load`), with `after_transcript` of a transcript, or with
    `after_latest_line` of a line looked up (`latest_line`).
    """

    between: Callable[[], Awaitable[object]] | None = None
    after_transcript = False
    after_latest_line = False

    async def load(self, key: str) -> ConversationRecord | None:
        record = await super().load(key)
        if not self.after_transcript and not self.after_latest_line:
            await self._act()
        return record

    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        lines = await super().transcript(key, after=after, last=last)
        if self.after_transcript:
            await self._act()
        return lines

    async def latest_line(self, key: str, author: Author, prefix: str) -> TranscriptEntry | None:
        line = await super().latest_line(key, author, prefix)
        if self.after_latest_line:
            await self._act()
        return line

    async def _act(self) -> None:
        between, self.between = self.between, None
        if between is not None:
            await between()
