"""Who answers a conversation: the bot, an agent, or nobody (closed), and changing that.

Every change of owner is one store transaction with a system transcript line saying who
did it, so the transcript tells an agent how the conversation came to them.
"""

from __future__ import annotations

import dataclasses
import enum
from collections.abc import Sequence
from typing import Final

from bot.engine import Engine
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry

TAKEN_BY: Final = "taken over by "


class Holder(enum.StrEnum):
    """Who has the conversation as a subscriber's client shows it."""

    BOT = "bot"
    QUEUE = "queue"  # handed to the desk, no agent has taken it yet
    AGENT = "agent"
    CLOSED = "closed"


def holder_of(
    record: ConversationRecord, transcript: Sequence[TranscriptEntry]
) -> tuple[Holder, str]:
    """Bot, queue, agent (with the display name) or closed, read from the record and its lines.

    The record says only "a person"; whether one has taken it, and who, is in the transcript:
    the latest take-over line or agent line after the bot last spoke. Read from the lines
    rather than stored twice, so it cannot disagree with what the console shows.
    """
    if record.owner is Owner.BOT:
        return Holder.BOT, ""
    if record.owner is Owner.CLOSED:
        return Holder.CLOSED, ""
    for line in reversed(transcript):
        if line.author == "system" and line.text.startswith(TAKEN_BY):
            return Holder.AGENT, line.text.removeprefix(TAKEN_BY)
        if line.author == "agent":
            name = line.reply.get("agent") if line.reply else None
            return Holder.AGENT, name if isinstance(name, str) else ""
        if line.author == "bot":
            break
    return Holder.QUEUE, ""


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
    return await change_owner(engine, key, Owner.AGENT, f"{TAKEN_BY}{agent}", event_id=event_id)
