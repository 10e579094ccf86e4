"""A redelivered event that a former version of the bot stored under another name.

A turn's event id names it for the store's once-only check. Where an adapter renames a
kind of turn (LINE's texts by their message since 3555029, Slack's messages by their
channel and ts since 47d0784), an event stored under its former name just before an
upgrade and sent again just after would be a new turn, answered twice. Its former name is
the platform's own delivery id (LINE's `webhookEventId`, Slack's `event_id`), which every
version of the bot could name it by: a redelivery is looked up under it too.

Only redeliveries (the platform says so) pay for the look-up, one store transaction that
writes nothing. Through the store's port only; no SDK is imported here.
"""

from __future__ import annotations

from bot.store.conversation_store import ConversationRecord, ConversationStore


async def handled_before(store: ConversationStore, key: str, event_id: str) -> bool:
    """Whether the store already handled `event_id` in conversation `key`.

    `transact` calls its update only for an event it has not handled; this update writes
    nothing (not even the event), so the look-up leaves the event unhandled for its turn.
    """
    unhandled = False

    def look(_: ConversationRecord | None) -> None:
        nonlocal unhandled
        unhandled = True

    await store.transact(key, event_id, look)
    return not unhandled
