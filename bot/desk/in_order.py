"""One piece of work at a time per conversation, in the order it was started.

Words for a conversation are sent in background tasks; two of them in flight at once can
arrive in either order, and one waiting out a 429 is overtaken by the next. asyncio.Lock
wakes its waiters first come, first served, so tasks started in order run in order.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator
from contextlib import asynccontextmanager


class InOrder:
    """Per-key locks that exist only while some work for the key runs or waits."""

    def __init__(self) -> None:
        self._locks: dict[str, asyncio.Lock] = {}
        self._queued: dict[str, int] = {}

    @asynccontextmanager
    async def turn(self, key: str) -> AsyncIterator[None]:
        """Wait for the work started earlier for `key`, then run."""
        lock = self._locks.setdefault(key, asyncio.Lock())
        self._queued[key] = self._queued.get(key, 0) + 1
        try:
            async with lock:
                yield
        finally:
            self._queued[key] -= 1
            if not self._queued[key]:  # nobody waits: keep nothing for a quiet conversation
                del self._queued[key], self._locks[key]

    def __len__(self) -> int:
        return len(self._locks)
