"""A subscriber a person's conversation keeps waiting is told, once, that the reply is late.

Handed to the desk (or taken by an agent) and then nothing for an hour: the bot stays silent
while a person has the chat, so the subscriber saw only 「担当者から、このチャットでご連絡
いたします」 and could not tell a busy desk from a dead chat. After `after` of waiting on an
agent's words within the desk's hours (`unanswered_since`, as the console counts a wait), the
bot says once per wait that the reply is late, that what they wrote has reached the staff and
whom to call if it is urgent (the profile's contact); the agents' desks are shown it was said.

No timer per conversation: any replica's sweep reads the person's conversations every
SWEEP_INTERVAL, and the line is written once per wait (its event id), so two replicas sweeping
at once say it once. Outside the hours the desk-closed notice speaks instead, and the wait is
counted in the desk's open minutes (`DeskHours.open_time`): a handoff at 17:50 has waited ten
of them at 9:00 the next morning, and a lunch break in between counts for nothing. Before,
the desk had only to be open now and `after` ago, so a wait longer than the desk's day was
never told, and one across lunch or a night was told early or late.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import zoneinfo
from collections.abc import Callable
from typing import Final

from bot.delivery import Delivery
from bot.desk.handback import HandbackFacts, hand_back
from bot.desk.handoff import DESK_LOCALE, NOTICE, Handoffs
from bot.desk.ownership import (
    changes_hands,
    decides_holder,
    is_assignment,
    is_back_in_queue,
    is_take_over,
    persons_request,
    unanswered_since,
)
from bot.engine import Engine, TurnOutcome
from bot.ops import metrics
from bot.store.conversation_store import (
    COMPARE_AND_SET_READS,
    ConversationRecord,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
)
from bot.store.transcript_tail import lines_back_to
from dialogs.texts import N_

_LOGGER: Final = logging.getLogger(__name__)

SILENCE_KEY: Final = N_("desk.agent_silent")
# What the agents read of it in Slack's thread and Chatwoot's mirror.
SILENCE_TOLD_KEY: Final = N_("summary.agent_silent_told")
# The notice's mark in the line's data (`bot.desk.handoff.is_notice`): the agent keeps it.
SILENCE_NOTICE: Final = "agent_silent"
# The notice's button: the subscriber stops waiting and carries on with the bot.
BACK_TO_BOT: Final = "back_to_bot"
BACK_TO_BOT_LABEL_KEY: Final = N_("desk.back_to_bot_button")
# Pressed once an agent has started (written, or taken it since the notice): stays theirs.
BACK_TO_BOT_TAKEN_KEY: Final = N_("desk.back_to_bot_taken")
BACK_TO_BOT_TAKEN_NOTICE: Final = "back_to_bot_taken"
# What the agents read where the subscriber's words are relayed, once the bot has it back.
BACK_TO_BOT_TOLD_KEY: Final = N_("summary.back_to_bot_told")
# The same when they typed 「最初から」: the bot asks from the first question, answers forgotten.
STARTED_OVER_TOLD_KEY: Final = N_("summary.started_over_told")
# Who handed it back, in the hand-back's audit line (`handback: agent=subscriber by=...`).
SUBSCRIBER: Final = "subscriber"
SWEEP_INTERVAL: Final = 60.0
# The person's conversations read per sweep, most recently changed first: a desk holding
# more than this many at once is told of the rest as the first ones end.
SWEEP_LIMIT: Final = 1000


class AgentSilence:
    """Tells subscribers waiting `after` on an agent's words that the reply is late."""

    def __init__(
        self,
        engine: Engine,
        handoffs: Handoffs,
        delivery: Delivery,
        *,
        after: dt.timedelta,
        now: Callable[[], dt.datetime],
    ) -> None:
        self._engine = engine
        self._store = engine.store
        self._handoffs = handoffs
        self._delivery = delivery
        self._profile = engine.profile
        self._after = after
        self._now = now
        handoffs.when_pressed(BACK_TO_BOT, self.back_to_bot)

    async def sweep(self) -> int:
        """Tell each subscriber who has waited long enough now; how many were told."""
        now = self._now()
        if not self._profile.support.desk_hours.is_open(self._local(now)):
            return 0  # the desk-closed notice speaks for a closed desk
        told = 0
        for record in await self._store.list_records(owner=Owner.AGENT, limit=SWEEP_LIMIT):
            if await self._tell_if_late(record, now):
                told += 1
        return told

    def _local(self, moment: dt.datetime) -> dt.datetime:
        return moment.astimezone(zoneinfo.ZoneInfo(self._profile.timezone))

    def _waited(self, since: dt.datetime, now: dt.datetime) -> dt.timedelta:
        """The desk's open time between `since` and `now` (all of it, with no hours)."""
        hours = self._profile.support.desk_hours
        return hours.open_time(self._local(since), self._local(now), enough=self._after)

    async def _tell_if_late(self, record: ConversationRecord, now: dt.datetime) -> bool:
        tail = await lines_back_to(self._store, record.key, decides_holder)
        # Taken from the bot (no handoff), since the take: told 「少々お待ちください」 then.
        since = unanswered_since(tail, await persons_request(self._store, record, tail))
        if since is None or self._waited(since, now) < self._after:
            return False
        locale = record.dialog.locale
        support = self._profile.support
        contact = support.contact(locale)
        once = f"agent-silent:{record.key}:{since.isoformat()}"
        if not await self._handoffs.tell_waiting(
            record,
            once,
            SILENCE_KEY,
            SILENCE_NOTICE,
            {"contact": contact},
            choices=[(BACK_TO_BOT, BACK_TO_BOT_LABEL_KEY)],
        ):
            return False
        minutes = int(self._after.total_seconds() // 60)
        note = self._handoffs.catalogs.fill(DESK_LOCALE, SILENCE_TOLD_KEY, {"minutes": minutes})
        self._handoffs.note_to_desks(record.channel, record.key, note)
        return True

    async def back_to_bot(self, record: ConversationRecord) -> None:
        """The subscriber pressed 「自動案内に戻る」 under the notice: the bot has it back.

        Only while the wait it was offered for still stands: no agent's words, take or
        change of hands since the notice (read again inside the hand-back's turn: `only_as`).
        An agent who has started since keeps it, and the subscriber is told so once; an
        agent typing when the press lands finds the bot has it (409, the reply kept in the
        console's box) and sees why in the transcript. The bot answers the question the
        subscriber had left for the agent, if it can, and carries on where the answers
        leave off; the desks are told, and Slack and Chatwoot follow the change of owner.
        """
        for _ in range(COMPARE_AND_SET_READS):
            lines = await lines_back_to(self._store, record.key, _is_silence_notice)
            at = next(
                (n for n in range(len(lines) - 1, -1, -1) if _is_silence_notice(lines[n])), None
            )
            if at is None or record.owner is not Owner.AGENT:
                return  # no notice offered it (a forged press), or the bot has it already
            notice = lines[at]
            since = lines[at + 1 :]
            # A take undone since (Chatwoot's assignee removed before she wrote): nobody has
            # started on it, and the wait the notice was offered for stands again.
            undone = max((n for n, line in enumerate(since) if is_back_in_queue(line)), default=-1)
            if any(_starts_on_it(line) for line in since[undone + 1 :]):
                once = f"back-to-bot-taken:{record.key}:{notice.seq}"
                await self._handoffs.tell_waiting(
                    record, once, BACK_TO_BOT_TAKEN_KEY, BACK_TO_BOT_TAKEN_NOTICE
                )
                return
            outcome = await subscriber_takes_the_bot_back(
                self._engine,
                self._handoffs,
                self._delivery,
                record,
                f"back-to-bot:{record.key}:{notice.seq}",
                # Nothing written since these lines were read: an agent's first words to a
                # conversation she took leave the record as it was.
                only_lines=lines[-1].seq,
            )
            if outcome.duplicate or outcome.record is not None:
                return  # done (pressed twice: done at the first)
            # Changed since it was read (an agent's words, a take): read it again.
            fresh = await self._store.load(record.key)
            if fresh is None:
                return
            record = fresh

    async def sweep_forever(self) -> None:
        """`sweep` every SWEEP_INTERVAL; cancelled when the server stops."""
        while True:
            await asyncio.sleep(SWEEP_INTERVAL)
            try:
                await self.sweep()
            except StoreUnavailableError as err:
                _LOGGER.warning("Waiting subscribers not read: %s", err)
            except Exception as err:  # the sweep must outlive a bug's one round
                _LOGGER.exception(
                    "Waiting subscribers not read (tried again at the next sweep): %s: %s",
                    type(err).__name__,
                    err,
                )
                metrics.background_error("desk_notices")


def _is_silence_notice(line: TranscriptEntry) -> bool:
    return line.author == "bot" and (line.reply or {}).get(NOTICE) == SILENCE_NOTICE


def _starts_on_it(line: TranscriptEntry) -> bool:
    """Whether an agent started on the conversation with `line` (words, a take, a change)."""
    # A help desk's assignment (Chatwoot's round robin) names an agent, but no one started.
    taken = is_take_over(line) and not is_assignment(line)
    return line.author == "agent" or taken or changes_hands(line)


async def subscriber_takes_the_bot_back(
    engine: Engine,
    handoffs: Handoffs,
    delivery: Delivery,
    record: ConversationRecord,
    event_id: str,
    *,
    only_lines: int,
    start_over: bool = False,
) -> TurnOutcome:
    """The bot has `record` back because its subscriber asked, if nothing changed since.

    `start_over`: they typed 「最初から」, so the questions begin again from the first.

    The hand-back's turn holds only while the record and its lines are as read (`only_as`,
    `only_lines`); when it lands, the desks are told (`summary.back_to_bot_told`, or
    `summary.started_over_told`) and the bot's words are sent. A duplicate or a record
    changed since is the caller's to read.
    """
    outcome = await hand_back(
        engine,
        record.channel,
        record.conversation_id,
        HandbackFacts(agent=SUBSCRIBER, by_subscriber=True, start_over=start_over),
        event_id,
        only_as=record,
        only_lines=only_lines,
    )
    if not outcome.duplicate and outcome.record is not None:
        told = STARTED_OVER_TOLD_KEY if start_over else BACK_TO_BOT_TOLD_KEY
        note = handoffs.catalogs.raw(DESK_LOCALE, told)
        handoffs.note_to_desks(record.channel, record.key, note)
        await delivery.push(record.channel, record.conversation_id, outcome.replies)
    return outcome
