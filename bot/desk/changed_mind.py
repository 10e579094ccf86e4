"""A subscriber waiting in the desk's queue who types that they would rather use the bot.

「最初から」, 「ボットに戻りたい」 or 「やっぱり自分でやってみます」 typed after 「担当者と話す」
and before any agent took the conversation were relayed and nothing more: the bot is silent
while a person is to answer, so the subscriber heard nothing until an agent wrote or the
late-reply notice came an hour later. They are now what the notice's 「自動案内に戻る」 is:
the conversation leaves the queue, the desks are told the subscriber went back to the bot,
and the bot carries on where the answers leave off; 「最初から」 (or a platform's restart)
starts over instead, from the first question with the answers forgotten. Once an agent has
taken it, the words are the agent's to answer, as every other message is; taken and not yet
written to, the subscriber is told once that an agent has started on it, as the button's
press is. A help desk's own assignment (Chatwoot's round robin) is no agent's take.
"""

from __future__ import annotations

import functools
from typing import Final

from bot.delivery import Delivery
from bot.desk.agent_silence import (
    BACK_TO_BOT_TAKEN_KEY,
    BACK_TO_BOT_TAKEN_NOTICE,
    subscriber_takes_the_bot_back,
)
from bot.desk.handoff import Handoffs
from bot.desk.ownership import decides_holder, in_queue, is_assignment, is_take_over
from bot.engine import Engine
from bot.store.conversation_store import (
    COMPARE_AND_SET_READS,
    ConversationRecord,
    Owner,
    TranscriptEntry,
)
from bot.store.transcript_tail import lines_back_to
from dialogs.back_to_bot import starts_over, wants_the_bot_back

# A platform's own 「最初から」 (Telegram's /restart): in the queue it was answered 「お選びいただ
# いた内容は、担当者にお伝えしました」, as if the agent had a choice to read.
RESTART_CHOICE: Final = "restart"


class ChangedMind:
    """Hands a queued conversation back to the bot when the subscriber asks for the bot."""

    def __init__(self, engine: Engine, handoffs: Handoffs, delivery: Delivery) -> None:
        self._engine = engine
        self._store = engine.store
        self._handoffs = handoffs
        self._delivery = delivery
        # 「最初から」 means start over, as it does outside the queue and as the web chat's
        # 「最初から」 starts afresh: it carried on where the subscriber was (the address
        # question after two answers), which one who typed it did not ask for.
        handoffs.when_typed(_starts_over, functools.partial(self.back_to_bot, start_over=True))
        handoffs.when_typed(_asks_for_the_bot, self.back_to_bot)

    async def back_to_bot(self, record: ConversationRecord, *, start_over: bool = False) -> bool:
        """The bot has it back if it still waits in the queue; False if an agent took it.

        The desks are told as for the notice's button (`summary.back_to_bot_told`, or
        `summary.started_over_told` with `start_over`), and Slack and Chatwoot follow the
        change of owner (`hand_back` announces it).
        """
        for _ in range(COMPARE_AND_SET_READS):
            tail = await lines_back_to(self._store, record.key, decides_holder)
            if not tail or record.owner is not Owner.AGENT:
                return False
            if not in_queue(record, tail) and not _only_assigned(tail):
                return await self._taken(record, tail)
            outcome = await subscriber_takes_the_bot_back(
                self._engine,
                self._handoffs,
                self._delivery,
                record,
                f"changed-mind:{record.key}:{tail[-1].seq}",
                only_lines=tail[-1].seq,
                start_over=start_over,
            )
            if outcome.duplicate or outcome.record is not None:
                return True
            # Changed since it was read (a take, another message): read it again.
            fresh = await self._store.load(record.key)
            if fresh is None:
                return False
            record = fresh
        return False

    async def _taken(self, record: ConversationRecord, tail: list[TranscriptEntry]) -> bool:
        """Taken from the queue and not written to: told so once a take; else the agent's."""
        holder = next((line for line in reversed(tail) if decides_holder(line)), None)
        if holder is None or not is_take_over(holder):
            return False  # an agent has written: hers to answer
        once = f"changed-mind-taken:{record.key}:{holder.seq}"
        await self._handoffs.tell_waiting(
            record, once, BACK_TO_BOT_TAKEN_KEY, BACK_TO_BOT_TAKEN_NOTICE
        )
        return True


def _only_assigned(tail: list[TranscriptEntry]) -> bool:
    """Whether the latest line naming the holder is a help desk's assignment (no one wrote).

    Chatwoot's round robin names an agent the moment the handoff opens the conversation:
    hers in Chatwoot's list, but nobody has started on it, so the wish still wins.
    """
    holder = next((line for line in reversed(tail) if decides_holder(line)), None)
    return holder is not None and is_assignment(holder)


def _starts_over(said: str) -> bool:
    """「最初から」 typed, or a platform's pressed (Telegram's /restart, a menu's)."""
    return said == RESTART_CHOICE or starts_over(said)


def _asks_for_the_bot(said: str) -> bool:
    """The other words asking for the bot back: the bot carries on where they were."""
    return wants_the_bot_back(said) and not _starts_over(said)
