"""Who answers a conversation: the bot, an agent, or nobody (closed), and changing that.

Every change of owner is one store transaction with a system transcript line saying who
did it, so the transcript tells an agent how the conversation came to them.
"""

from __future__ import annotations

import dataclasses

from bot.engine import Engine
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry


async def change_owner(
    engine: Engine,
    key: str,
    owner: Owner,
    line: str,
    *,
    event_id: str | None = None,
    only_if_different: bool = False,
) -> ConversationRecord | None:
    """Give the conversation to `owner`, with a system transcript line saying why.

    None when there is no such conversation, when `event_id` was handled before (a repeated
    click), or, with `only_if_different`, when `owner` already has it (nothing is written).
    """
    now = engine.now()

    def to_owner(stored: ConversationRecord | None) -> Change[ConversationRecord] | None:
        if stored is None or (only_if_different and stored.owner is owner):
            return None
        changed = dataclasses.replace(stored, owner=owner, updated_at=now)
        return Change(changed, [TranscriptEntry(now, "system", line)], changed)

    change = await engine.store.transact(key, event_id, to_owner)
    return None if change is None else change.result


async def take_over(
    engine: Engine, key: str, agent: str, *, event_id: str | None = None
) -> ConversationRecord | None:
    """Owner → agent, with a transcript line naming who took it; the bot falls silent.

    Recorded once however often it is asked for with the same `event_id`.
    """
    return await change_owner(engine, key, Owner.AGENT, f"taken over by {agent}", event_id=event_id)
