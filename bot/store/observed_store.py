"""A store that counts its failures, so `/metrics` and `/readyz` see the store's health.

Wrapping the store counts failures wherever they happen: in a request, in a background
turn after a platform was answered, in `/readyz`. The counter is a plain callable, so the
store room needs nothing from the metrics that receive it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterator, Mapping
from typing import TypeVar

from bot.store.conversation_store import (
    Author,
    Change,
    ConversationRecord,
    ConversationStore,
    LinkGrant,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    Update,
)

T = TypeVar("T")


class ObservedStore:
    """A store that reports each failed operation (`StoreUnavailableError`) by name.

    It also remembers whether the last operation failed (`available`), so the server can
    refuse webhooks while the store is down. Anything else is passed through.
    """

    def __init__(self, inner: ConversationStore, on_error: Callable[[str], None]) -> None:
        self.inner = inner
        self._on_error = on_error
        self.available = True

    @contextlib.contextmanager
    def _counting(self, operation: str) -> Iterator[None]:
        try:
            yield
        except StoreUnavailableError:
            self._failed(operation)
            raise
        self.available = True

    def _failed(self, operation: str) -> None:
        self._on_error(operation)
        self.available = False

    async def reachable(self) -> bool:
        """Whether the store answers: free while it does, a ping once it has failed."""
        if self.available:
            return True
        try:
            await self.ping()
        except StoreUnavailableError:
            return False
        return True

    async def open(self) -> None:
        """Open the inner store."""
        with self._counting("open"):
            await self.inner.open()

    async def close(self) -> None:
        """Close the inner store."""
        with self._counting("close"):
            await self.inner.close()

    async def ping(self) -> None:
        """Ping the inner store."""
        with self._counting("ping"):
            await self.inner.ping()

    async def transact(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        """Run a turn on the inner store."""
        # Every turn comes here: counted inline, without `_counting`'s generator.
        try:
            change = await self.inner.transact(key, event_id, update)
        except StoreUnavailableError:
            self._failed("transact")
            raise
        self.available = True
        return change

    async def load(self, key: str) -> ConversationRecord | None:
        """Load from the inner store."""
        with self._counting("load"):
            return await self.inner.load(key)

    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        """Read a transcript from the inner store."""
        with self._counting("transcript"):
            return await self.inner.transcript(key, after=after, last=last)

    async def latest_line(self, key: str, author: Author, prefix: str) -> TranscriptEntry | None:
        """Search the inner store's transcript from its end."""
        with self._counting("latest_line"):
            return await self.inner.latest_line(key, author, prefix)

    async def find_grant(self, digest: str) -> LinkGrant | None:
        """Find a link's grant in the inner store."""
        with self._counting("find_grant"):
            return await self.inner.find_grant(digest)

    async def list_records(
        self, *, owner: Owner | None = None, limit: int = 100
    ) -> list[ConversationRecord]:
        """List records of the inner store."""
        with self._counting("list_records"):
            return await self.inner.list_records(owner=owner, limit=limit)

    async def conversation_keys(self, channel: str) -> list[str]:
        """List a channel's keys in the inner store."""
        with self._counting("conversation_keys"):
            return await self.inner.conversation_keys(channel)

    async def rename(self, renames: Mapping[str, str]) -> int:
        """Rename conversations in the inner store."""
        with self._counting("rename"):
            return await self.inner.rename(renames)

    async def audit_counts(
        self, since: dt.datetime, until: dt.datetime
    ) -> dict[tuple[str, str], int]:
        """Audit counts of the inner store."""
        with self._counting("audit_counts"):
            return await self.inner.audit_counts(since, until)

    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        """Expire in the inner store."""
        with self._counting("expire"):
            return await self.inner.expire(before, after=after)

    def __getattr__(self, name: str) -> object:
        # Extras of a particular store (the Redis client, its shared rate limiter).
        return getattr(self.inner, name)
