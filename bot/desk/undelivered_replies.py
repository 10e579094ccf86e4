"""The bot's own replies a platform did not take, sent where no subscriber waits on an answer.

A hand-back's greeting, the question an agent's close asks, a login check's result, the desk
closed notice: each is stored as said before it is pushed in the background. When the
subscriber's platform finally refuses it (Telegram's 403 from a subscriber who blocked the
bot, LINE's 400 for one who unfollowed, Slack's channel_not_found or is_archived), the
transcript says so under it, as under an agent's message, the desks that show the
conversation's words (Slack's thread, Chatwoot's mirror) get a note, and a metric counts it.
Nothing is sent again: a refusal stays a refusal, and a resend loop is how a blocked bot
gets its token limited.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final

from bot.delivery import NotDeliveredError
from bot.desk.agent_messages import MARK_RETRY_WAITS, UNDELIVERED, UNDELIVERED_LINE
from bot.desk.handoff import DESK_LOCALE, Handoffs
from bot.ops import metrics
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    ConversationStore,
    StoreUnavailableError,
    TranscriptEntry,
    record_key,
)
from bot.store.transcript_tail import lines_back_to
from dialogs.texts import N_
from dialogs.vocabulary import Reply, reply_to_dict

_LOGGER: Final = logging.getLogger(__name__)

# Who wrote the line the note is under: the console words the bot's apart from an agent's.
BY_BOT: Final = "bot"
NOT_DELIVERED_KEY: Final = N_("summary.bot_reply_not_delivered")
MAY_HAVE_ARRIVED_KEY: Final = N_("summary.bot_reply_may_have_arrived")


class UndeliveredReplies:
    """`Delivery.when_undelivered`'s listener: marks, tells the desks, counts."""

    def __init__(
        self,
        store: ConversationStore,
        catalogs: Catalogs,
        handoffs: Handoffs,
        tasks: BackgroundTasks,
    ) -> None:
        self._store = store
        self._catalogs = catalogs
        self._handoffs = handoffs
        self._tasks = tasks

    async def __call__(
        self,
        channel: str,
        conversation_id: str,
        replies: Sequence[Reply],
        err: NotDeliveredError,
    ) -> None:
        """Mark `replies` of the conversation as not received, tell its desks, count them."""
        metrics.bot_reply_undelivered(channel)
        key = record_key(channel, conversation_id)
        marked = False
        # Tried again through a store blink (a Redis restart), as an agent's mark is.
        for wait in (*MARK_RETRY_WAITS, None):
            try:
                marked = await self._mark(key, replies, err)
                break
            except StoreUnavailableError:
                if wait is None or not await self._tasks.pause(wait):
                    _LOGGER.exception("Could not record that the bot's replies to %s failed", key)
                    break
        if not marked:
            return  # gone meanwhile: no desk shows it any more
        said = MAY_HAVE_ARRIVED_KEY if err.may_have_arrived else NOT_DELIVERED_KEY
        note = self._catalogs.fill(DESK_LOCALE, said, {"reason": err.reason})
        self._handoffs.note_to_desks(channel, key, note)

    async def _mark(self, key: str, replies: Sequence[Reply], err: NotDeliveredError) -> bool:
        """A system line under the first reply not taken; False when the conversation is gone."""
        seq = await self._line_of(key, replies[0]) if replies else None

        def append(stored: ConversationRecord | None) -> Change[bool] | None:
            if stored is None:
                return None
            note = TranscriptEntry(
                stored.updated_at,
                "system",
                f"{UNDELIVERED_LINE}{err.reason}",
                {
                    "type": UNDELIVERED,
                    "seq": seq,
                    "by": BY_BOT,
                    "may_have_arrived": err.may_have_arrived,
                    "reason": err.reason,
                    "cause": err.cause,
                },
            )
            return Change(stored, [note], True)

        return bool(await self._store.transact(key, None, append))

    async def _line_of(self, key: str, reply: Reply) -> int | None:
        """The seq of the latest bot line that stored `reply` (its structured form), or None.

        Found by what the reply is, as the engine stored it beside its words, not by the
        words' beginning: a later line that began with the same words (the sentence asked
        again as a question, its buttons after it) hid it, and the mark named no line.
        """
        stored = reply_to_dict(reply)

        def is_it(line: TranscriptEntry) -> bool:
            # A desk's notice keeps a mark of its own beside the reply's fields.
            kept = line.reply or {}
            return line.author == "bot" and all(kept.get(k) == v for k, v in stored.items())

        found = [line for line in await lines_back_to(self._store, key, is_it) if is_it(line)]
        return found[-1].seq if found else None
