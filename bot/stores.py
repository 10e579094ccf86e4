"""Choosing a conversation store from one setting (`MAILMOVE_STORE`)."""

from __future__ import annotations

from bot.conversation_store import ConversationStore
from bot.sqlite_store import SQLiteStore


def store_from_url(url: str) -> ConversationStore:
    """`sqlite:///path` (the default); raises ValueError naming what is supported."""
    if url.startswith("sqlite://"):
        return SQLiteStore.from_url(url)
    raise ValueError(f"MAILMOVE_STORE={url!r}: use sqlite:///path/to/file.sqlite3")
