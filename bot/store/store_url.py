"""Choosing a conversation store from one setting (`MAILMOVE_STORE`), and what goes with it."""

from __future__ import annotations

import datetime as dt
from typing import Protocol, runtime_checkable

from bot.store.conversation_store import ConversationStore
from bot.store.rate_limit import RateLimiter, SlidingWindowLimiter
from bot.store.sqlite_store import SQLiteStore


def store_from_url(url: str, *, retention: dt.timedelta | None = None) -> ConversationStore:
    """`sqlite:///path` (the default) or `redis://host:port/db`; raises ValueError otherwise.

    `retention`: how long Redis keeps a conversation after its last turn (key TTLs).
    """
    if url.startswith("sqlite://"):
        return SQLiteStore.from_url(url)
    if url.startswith(("redis://", "rediss://")):
        # Imported here: a single SQLite process never loads the Redis client.
        from bot.store.redis_store import RedisStore

        if retention is None:
            return RedisStore.from_url(url)
        return RedisStore.from_url(url, retention=retention)
    # Only the scheme is named: the start-up error is logged, and a URL may carry a password.
    scheme = url.partition(":")[0] if ":" in url else url[:20]
    raise ValueError(
        f"MAILMOVE_STORE starts with {scheme!r}: use sqlite:///path/to/file.sqlite3"
        " or redis://host:6379/0"
    )


@runtime_checkable
class MayRefuse(Protocol):
    """A store whose server can refuse its URL for good, not only be down (Redis)."""

    async def refusal(self, *, stats: bool = False) -> str | None:
        """What the server, answering, says against the URL's login, database or rights.

        None when it takes them; with `stats`, only the rights `mailmove stats` needs.
        """
        ...


@runtime_checkable
class MayEvict(Protocol):
    """A store whose server may drop keys when its memory is full (Redis' maxmemory-policy)."""

    async def eviction_policy(self) -> str | None:
        """The server's policy when it evicts keys, None when it does not (or cannot say)."""
        ...


@runtime_checkable
class SharedRateLimits(Protocol):
    """A store that can also keep rate limits every replica shares (Redis)."""

    def rate_limiter(self, limit: int, window: float) -> RateLimiter:
        """A limiter counting in the store."""
        ...


@runtime_checkable
class RemembersEvents(Protocol):
    """A store that forgets a handled event id after a set time of its own (Redis)."""

    @property
    def events_kept(self) -> dt.timedelta:
        """How long a handled event id is remembered after its turn."""
        ...


def events_remembered(store: object, retention: dt.timedelta) -> dt.timedelta:
    """How far back the store tells a delivery seen before from a new one.

    A store without a lifetime of its own for event ids keeps them as long as the
    conversations (SQLite: the hourly expiry drops both after `retention`).
    """
    if isinstance(store, RemembersEvents):
        return min(store.events_kept, retention)
    return retention


def rate_limiter_for(store: object, limit: int, window: float) -> RateLimiter:
    """The store's shared limiter when it has one, else an in-memory one (one process)."""
    if isinstance(store, SharedRateLimits):
        return store.rate_limiter(limit, window)
    return SlidingWindowLimiter(limit, window)
