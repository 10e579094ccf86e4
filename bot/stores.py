"""Choosing a conversation store from one setting (`MAILMOVE_STORE`)."""

from __future__ import annotations

from bot.conversation_store import ConversationStore
from bot.sqlite_store import SQLiteStore


def store_from_url(url: str) -> ConversationStore:
    """`sqlite:///path` (the default) or `redis://host:port/db`; raises ValueError otherwise."""
    if url.startswith("sqlite://"):
        return SQLiteStore.from_url(url)
    if url.startswith(("redis://", "rediss://")):
        # Imported here: a single SQLite process never loads the Redis client.
        from bot.redis_store import RedisStore

        return RedisStore.from_url(url)
    raise ValueError(
        f"MAILMOVE_STORE={url!r}: use sqlite:///path/to/file.sqlite3 or redis://host:6379/0"
    )
