"""Who answers a conversation: the bot, an agent, or nobody (closed), and changing that.

Every change of owner is one store transaction with a system transcript line saying who
did it, so the transcript tells an agent how the conversation came to them.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import enum
import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass
from typing import Final

from bot.delivery import Delivery
from bot.desk.agent_models import DEFAULT_AGENT
from bot.desk.handoff import NOTICE, OwnerChange, announce, is_notice
from bot.desk.summary import MESSAGE_LEFT, message_ending_at
from bot.engine import DESK_MESSAGE_LINE, HANDOFF_LINE, Engine
from bot.ops.agent_tokens import UNNAMED_AGENT
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    ConversationStore,
    Owner,
    TranscriptEntry,
)
from dialogs.texts import N_
from dialogs.vocabulary import Locale, TextReply, reply_as_plain_text, reply_to_dict

TAKEN_BY: Final = "taken over by "
# What a subscriber the bot was answering is told when an agent takes the chat over.
TAKEN_FROM_BOT_KEY: Final = N_("desk.taken_from_bot")
TAKEN_FROM_BOT_UNNAMED_KEY: Final = N_("desk.taken_from_bot_unnamed")
# What the subscriber is told when their agent hands the conversation to a named colleague.
TRANSFERRED_KEY: Final = N_("desk.transferred")
TRANSFERRED_UNNAMED_KEY: Final = N_("desk.transferred_unnamed")
# The mark of that notice in its line's data (`bot.desk.handoff.NOTICE`).
TRANSFERRED_NOTICE: Final = "transferred"
# The data of a take-over from another agent (`taken over by 鈴木 from 佐藤`): the line's
# text alone cannot be split where one name ends, so who took it from whom is kept as data.
TAKE_OVER: Final = "take_over"
# The data of a take that is a help desk's assignment (Chatwoot's round robin gives a
# conversation set open to one of the inbox's online agents at once): listed as hers, but
# no person has started on it until she writes. The subscriber who asks for the bot back
# meanwhile gets it, as from the queue (`changed_mind._only_assigned`).
ASSIGNED: Final = "assigned"
# Names that say nobody in particular: a bare token's holder, and the agent API's default
# for a request that names no one. Nobody can be told apart from them, so they never
# count as "another agent".
ANONYMOUS: Final = frozenset({UNNAMED_AGENT, DEFAULT_AGENT})
# The engine's line of a hand-back (the `handback` event's audit line: `handback: agent=…`).
HANDBACK_LINE: Final = "handback: "
# How every close's line begins (`bot.desk.closing`: by an agent, or the subscriber left).
CLOSED_LINE: Final = "closed"
# A message left for the desk dealt with where it was shown (a Chatwoot mirror resolved
# after the call back) while the bot, which had the chat all along, carries on: no hand-back.
MESSAGE_DEALT_WITH: Final = "message dealt with by "
# A take undone before its agent wrote a word (Chatwoot's assignee removed again): the
# conversation waits in the queue once more, as after the handoff.
BACK_IN_QUEUE: Final = "back in the queue from "
# System lines after which a person has dealt with the conversation (or it began afresh):
# a message left before one of them no longer waits.
_DEALT_WITH: Final = (
    HANDOFF_LINE,
    TAKEN_BY,
    CLOSED_LINE,
    HANDBACK_LINE,
    MESSAGE_DEALT_WITH,
    BACK_IN_QUEUE,
)
# How each desk names its agents in the lines, and shows them (`register_desk_names`):
# registered by the desks' adapters as they load, so bot/ knows no platform's marks.
ShownName = Callable[[str], str | None]
_DESK_NAMES: dict[str, ShownName] = {}


def register_desk_names(desk: str, shown: ShownName) -> None:
    """How `desk` names its agents where they must be told apart, and how they are shown.

    A desk whose agents are named in the lines with a mark (a Slack member's id, 「(Chatwoot)」)
    registers, when its adapter loads, `shown`: her name as every desk shows it when `who`
    is named as one of its agents, else None. Registered again under the same `desk`, the
    later one counts (a module loaded twice registers the same function).
    """
    _DESK_NAMES[desk] = shown


def holder_shown(who: str) -> str:
    """An agent as every desk shows her name (Slack's thread, the mirror's notes, the console).

    Her name alone, without the mark that tells her apart in the lines (as the desk she
    acts in registered it: `register_desk_names`). The desk she works in is not shown: the
    subscriber reads her name alone (「サポート担当の佐藤」), a copy on a desk is already placed
    where it was written (a thread's line, the mirror's note), and the mark inside a name
    read 「担当者（佐藤 花子 (Chatwoot)）」 where a mirror reply read 「担当者（佐藤）」. A
    name no desk marks (a console agent's, 「佐藤 花子 (Sato)」 too) is shown as it is.
    """
    for shown in _DESK_NAMES.values():
        name = shown(who)
        if name is not None:
            return name
    return who


# The hand-back's audit line (`handback.hand_back`'s event data, in its order): the agent's
# name may hold spaces, so it ends where the next key the line can carry begins.
_HANDBACK_AGENT: Final = re.compile(
    r"handback: agent=(?P<agent>.*?)(?P<by> by=\w+)?(?P<over> start=over)?(?: step=check)?"
    r"(?: unanswered=.*?)?(?: typed_address=\S*)?",
    re.DOTALL,
)
# A close by an agent (`bot.desk.closing`'s line).
CLOSED_BY: Final = f"{CLOSED_LINE} by "


def agents_named(line: TranscriptEntry) -> tuple[str, ...]:
    """The agents a system line names, as the lines keep them (marks and all); else ().

    Who took it (and from whom, who handed it on: a take-over's data), whose take was
    undone, who dealt with a left message, closed it or handed it back. A reader shows each
    through `holder_shown`, as it shows a holder.
    """
    if line.author != "system":
        return ()
    if (note := take_over_note(line)) is not None:
        named = (note.get("agent"), note.get("taken_from"), note.get("by"))
        return tuple(dict.fromkeys(who for who in named if isinstance(who, str) and who))
    for prefix in (TAKEN_BY, BACK_IN_QUEUE, MESSAGE_DEALT_WITH, CLOSED_BY):
        if line.text.startswith(prefix):
            return (line.text.removeprefix(prefix),)
    handback = _HANDBACK_AGENT.fullmatch(line.text)
    return (handback["agent"],) if handback is not None else ()


@dataclass(frozen=True, slots=True)
class GivenBack:
    """Who gave the bot its conversation back, and how: the latest hand-back's line read.

    `by_subscriber`: they stopped waiting (their wish, the late-reply notice's button);
    `started_over` too when that wish was 「最初から」 (the answers forgotten).
    """

    agent: str
    by_subscriber: bool = False
    started_over: bool = False


def given_back(transcript: Sequence[TranscriptEntry]) -> GivenBack | None:
    """The hand-back that gave the bot the conversation, if the latest change of hands is one."""
    for line in reversed(transcript):
        if not changes_hands(line):
            continue
        handback = _HANDBACK_AGENT.fullmatch(line.text) if line.author == "system" else None
        if handback is None:
            return None
        return GivenBack(handback["agent"], bool(handback["by"]), bool(handback["over"]))
    return None


class Holder(enum.StrEnum):
    """Who has the conversation as a subscriber's client shows it."""

    BOT = "bot"
    QUEUE = "queue"  # handed to the desk, no agent has taken it yet
    AGENT = "agent"
    CLOSED = "closed"


@dataclass(frozen=True, slots=True)
class DeskRequest:
    """Why the desk was asked for and since when: a handoff, or a message left for it.

    A left message also carries the subscriber's words for the desk and how to reach them.
    """

    reason: str
    since: dt.datetime
    message: str = ""
    callback: str | None = None


def holder_of(
    record: ConversationRecord,
    transcript: Sequence[TranscriptEntry],
    *,
    left_messages: bool = False,
) -> tuple[Holder, str]:
    """Bot, queue, agent (with the display name) or closed, read from the record and its lines.

    The record says only "a person"; whether one has taken it, and who, is in the transcript:
    the latest take-over line or agent line after the bot last spoke (and after the latest
    take was undone, `back_to_queue`: the queue again). Read from the lines
    rather than stored twice, so it cannot disagree with what the console shows.

    With `left_messages` (the desk's view), a conversation the bot still answers but whose
    subscriber left a message for the desk waits in the queue until a person takes it or
    closes it. A subscriber's client is not told so: the bot is who answers them.
    """
    if record.owner is Owner.BOT:
        if left_messages and desk_request(record, transcript) is not None:
            return Holder.QUEUE, ""
        return Holder.BOT, ""
    if record.owner is Owner.CLOSED:
        return Holder.CLOSED, ""
    for line in reversed(transcript):
        if is_take_over(line):
            taker = (line.reply or {}).get("agent")
            return Holder.AGENT, taker if isinstance(taker, str) else line.text[len(TAKEN_BY) :]
        if line.author == "agent":
            name = line.reply.get("agent") if line.reply else None
            return Holder.AGENT, name if isinstance(name, str) else ""
        if (line.author == "bot" and not is_notice(line)) or is_back_in_queue(line):
            break
    return Holder.QUEUE, ""


def in_queue(record: ConversationRecord, transcript: Sequence[TranscriptEntry]) -> bool:
    """Whether a person's conversation still waits in the desk's queue (no agent took it)."""
    return record.owner is Owner.AGENT and holder_of(record, transcript)[0] is Holder.QUEUE


def is_take_over(line: TranscriptEntry) -> bool:
    """Whether `line` is the note of a take-over (from the bot, the queue or a colleague)."""
    return line.author == "system" and line.text.startswith(TAKEN_BY)


def is_assignment(line: TranscriptEntry) -> bool:
    """Whether `line` is a take that a help desk's assignment made (`ASSIGNED`), no person's."""
    return is_take_over(line) and (line.reply or {}).get("type") == ASSIGNED


def is_back_in_queue(line: TranscriptEntry) -> bool:
    """Whether `line` puts the conversation back in the queue (`back_to_queue`)."""
    return line.author == "system" and line.text.startswith(BACK_IN_QUEUE)


def decides_holder(line: TranscriptEntry) -> bool:
    """Whether `holder_of` stops at `line` (a take-over, an agent's or the bot's words...).

    Lines back to the latest of them (`lines_back_to`) name a person's conversation's holder
    as the whole transcript does.
    """
    return (
        line.author == "agent"
        or (line.author == "bot" and not is_notice(line))
        or is_take_over(line)
        or is_back_in_queue(line)
    )


def taken_from_queue_unanswered(transcript: Sequence[TranscriptEntry]) -> bool:
    """Whether the latest takes took the conversation from the queue, and nobody wrote since.

    A take (or takes: handed on to a colleague) after the handoff, with no agent's words
    after it: undoing it leaves the subscriber where the handoff left them, waiting for a
    person. Taken from the bot (no handoff before the take), it is the bot's to have back.
    """
    took = False
    for line in reversed(transcript):
        if line.author == "agent":
            return False
        if is_take_over(line):
            took = True
        elif changes_hands(line):
            return took and line.text.startswith((HANDOFF_LINE, BACK_IN_QUEUE))
    return False


def take_over_note(line: TranscriptEntry) -> dict[str, object] | None:
    """A take-over from another agent as data (who has it now, who had it); else None.

    `by` names who handed it when the one who had it gave it to a colleague (a transfer).
    """
    data = line.reply
    if line.author != "system" or data is None or data.get("type") != TAKE_OVER:
        return None
    note = {"type": TAKE_OVER, "agent": data.get("agent"), "taken_from": data.get("taken_from")}
    if isinstance(data.get("by"), str):
        note["by"] = data["by"]
    return note


def another_agent(
    record: ConversationRecord, transcript: Sequence[TranscriptEntry], agent: str
) -> str | None:
    """Who has the conversation when that is an agent other than `agent`; else None.

    At a desk, writing to, handing back or closing a conversation another agent has is a
    take-over, which must be asked for as one (the console's 「引き継ぐ」). The same agent
    in two tabs is one agent, and nobody is told apart from an anonymous name.
    """
    if agent in ANONYMOUS:
        return None
    return held_by_another(record, transcript, lambda who: who == agent)


def held_by_another(
    record: ConversationRecord,
    transcript: Sequence[TranscriptEntry],
    is_self: Callable[[str], bool],
) -> str | None:
    """Who has the conversation when that is a named agent `is_self` does not own to; else None.

    The one rule of every desk that refuses to act on another agent's conversation (the
    console and agent API, Slack's 「ボットに戻す」, Chatwoot's pending or resolved): the
    holder as `holder_of` reads it (the latest take, or agent's words since the bot last
    spoke). The queue's conversation (nobody took it yet) and an unnamed agent's (a bare
    token's, told apart from nobody) are no other agent's. `is_self` says which holders are
    the one acting: the same console name, the same Slack member, any agent in Chatwoot.
    """
    holder, who = holder_of(record, transcript)
    if holder is not Holder.AGENT or not who or who in ANONYMOUS or is_self(who):
        return None
    return who


async def waits_in_queue(engine: Engine, key: str) -> Owner | None:
    """Who has `key` while it waits for a person no agent has taken or written to yet, or None.

    A person (a handoff in the queue), or the bot: a message left for the desk waits in the
    queue while the bot goes on answering, and an agent's first words take it as well.
    """
    return (await queue_state(engine, key))[0]


async def queue_state(engine: Engine, key: str) -> tuple[Owner | None, ConversationRecord | None]:
    """`waits_in_queue`, with the record it was read from (None when there is none).

    A take from the queue is written only onto that record: one that changed since (a
    take-over elsewhere) is read again rather than taken from whoever has it now.
    """
    record = await engine.store.load(key)
    if record is None or record.owner is Owner.CLOSED:
        return None, record
    transcript = await engine.store.transcript(key)
    queued = holder_of(record, transcript, left_messages=True)[0] is Holder.QUEUE
    return (record.owner if queued else None), record


def owner_changes(transcript: Sequence[TranscriptEntry]) -> int:
    """How often the conversation has changed hands (handoffs, take-overs, hand-backs, closes).

    A desk button pressed twice in one such state acts once; pressed again after the
    conversation changed hands (a button shown again), it acts again.
    """
    return sum(1 for line in transcript if changes_hands(line))


def state_event(key: str, transcript: Sequence[TranscriptEntry]) -> str:
    """The event id of a change of hands made from the conversation as `transcript` shows it.

    Every desk action of the agent API and the console (take, hand back, close, the first
    words to a waiting subscriber) is stored under it, and the store acts once per event
    id: of two agents acting on the same state (鈴木 taking over as 佐藤 hands back), the
    first is recorded and the second finds its id used, reads again and is told who has
    the conversation now, instead of writing over a change it never saw.
    """
    return f"desk-state:{key}:{owner_changes(transcript)}"


def changes_hands(line: TranscriptEntry) -> bool:
    """Whether `line` tells of a change of hands (a handoff, take-over, hand-back, close...)."""
    return line.author == "system" and line.text.startswith(_DEALT_WITH)


def desk_request(
    record: ConversationRecord, transcript: Sequence[TranscriptEntry]
) -> DeskRequest | None:
    """Why and since when the desk was asked for, read from the lines like `holder_of`.

    A person's conversation: its latest handoff or left message. One the bot answers: a
    message left for the desk with nothing after it that a person did (take over, hand
    back, close) and no handoff since. A closed one, or one never asked for: None.
    """
    if record.owner is Owner.CLOSED:
        return None
    for back, line in enumerate(reversed(transcript)):
        if line.author != "system":
            continue
        if line.text == DESK_MESSAGE_LINE:
            words, callback = message_ending_at(transcript[: len(transcript) - back - 1])
            return DeskRequest(MESSAGE_LEFT, line.at, words, callback)
        if line.text.startswith(HANDOFF_LINE) and record.owner is Owner.AGENT:
            return DeskRequest(line.text.removeprefix(HANDOFF_LINE), line.at)
        if record.owner is Owner.BOT and line.text.startswith(_DEALT_WITH):
            return None
    return None


def unanswered_since(
    tail: Sequence[TranscriptEntry], request: DeskRequest | None
) -> dt.datetime | None:
    """Since when a person's conversation's subscriber waits on an agent; None if nothing waits.

    `tail`: the lines back to the one that names the holder (`decides_holder`). After an
    agent's words, the subscriber waits from the first line they wrote since (None when the
    agent wrote last); taken but not written to yet, or in the queue, since the handoff. An
    agent back from lunch sees who waits on her: the handoff's time said so of every one.
    Taken from the bot (no handoff), since the take: the subscriber was told 「少々お待ち
    ください」 then (the console showed no wait, while the late-reply notice counted one).
    Handed on to a colleague (or taken over by one) after an agent's words, since then: told
    「…鈴木が引き継いでご案内します。…少々お待ちください。」, they wait on her, and the
    words before were another agent's (her list showed no wait).
    """
    answered = max((n for n, line in enumerate(tail) if line.author == "agent"), default=None)
    if answered is None:
        if request is not None:
            return request.since
        return next((line.at for line in reversed(tail) if is_take_over(line)), None)
    return next(
        (x.at for x in tail[answered + 1 :] if x.author == "subscriber" or is_take_over(x)),
        None,
    )


def _asks_desk(line: TranscriptEntry) -> bool:
    return line.author == "system" and (
        line.text == DESK_MESSAGE_LINE or line.text.startswith(HANDOFF_LINE)
    )


async def persons_request(
    store: ConversationStore, record: ConversationRecord, tail: Sequence[TranscriptEntry]
) -> DeskRequest | None:
    """`desk_request` of a conversation a person has, given its latest lines `tail`.

    The handoff that brought it to the desk may lie thousands of lines back: the store's
    index finds it (`latest_line`) instead of a read of every line between, which the
    console's list made for each such conversation every 2 s. A message left for the desk is
    quoted from the lines before it, so for one the whole transcript is read, as before.
    """
    if record.owner is not Owner.AGENT:
        raise ValueError(f"{record.key} is not a person's conversation: {record.owner.value}")
    found = next((line for line in reversed(tail) if _asks_desk(line)), None)
    if found is None and tail and tail[0].seq > 1:
        candidates = [
            await store.latest_line(record.key, "system", HANDOFF_LINE),
            await store.latest_line(record.key, "system", DESK_MESSAGE_LINE),
        ]
        found = max(filter(None, candidates), key=lambda line: line.seq, default=None)
    if found is None:
        return None
    if found.text.startswith(HANDOFF_LINE):
        return DeskRequest(found.text.removeprefix(HANDOFF_LINE), found.at)
    return desk_request(record, await store.transcript(record.key))


def message_waiting_since(
    record: ConversationRecord, transcript: Sequence[TranscriptEntry]
) -> dt.datetime | None:
    """When the message left for the desk that still waits was left; None when none waits.

    Waiting: in the desk's queue, nobody has taken it (nor closed the conversation).
    """
    if holder_of(record, transcript, left_messages=True)[0] is not Holder.QUEUE:
        return None
    request = desk_request(record, transcript)
    if request is None or request.reason != MESSAGE_LEFT:
        return None
    return request.since


async def change_owner(
    engine: Engine,
    key: str,
    owner: Owner,
    line: str,
    *,
    event_id: str | None = None,
    only_if_different: bool = False,
    only_from: Owner | None = None,
    only_as: ConversationRecord | None = None,
    data: Mapping[str, object] | None = None,
) -> ConversationRecord | None:
    """Give the conversation to `owner`, with a system transcript line saying why.

    None when there is no such conversation, when `event_id` was handled before (a repeated
    click), with `only_if_different` when `owner` already has it, with `only_from` when
    another than that owner has it, or with `only_as` when the record changed since it was
    read as that (nothing is written; decided inside the transaction). `data` is kept with
    the line (as a take-over from another agent keeps both names).
    """
    now = engine.now()
    before: list[Owner] = []

    def to_owner(stored: ConversationRecord | None) -> Change[ConversationRecord] | None:
        if stored is None or (only_if_different and stored.owner is owner):
            return None
        if only_from is not None and stored.owner is not only_from:
            return None
        if only_as is not None and stored != only_as:
            return None
        before.append(stored.owner)  # the last call is the one stored (a retried transaction)
        changed = dataclasses.replace(stored, owner=owner, updated_at=now)
        return Change(changed, [TranscriptEntry(now, "system", line, data)], changed)

    change = await engine.store.transact(key, event_id, to_owner)
    if change is None:
        return None
    # Desks whose messages show who has the conversation (Slack) follow it from here.
    announce(engine, OwnerChange(key, before[-1], owner, event_id))
    return change.result


async def back_to_queue(
    engine: Engine,
    key: str,
    agent: str,
    *,
    event_id: str | None = None,
    only_as: ConversationRecord | None = None,
) -> ConversationRecord | None:
    """`agent`'s take undone before she wrote: the conversation waits in the queue again.

    Chatwoot's auto-assignment gives a handed-off conversation to an agent, which is her
    take; undone (unassigned) before anyone replied, Chatwoot shows it open and unassigned,
    waiting for an agent. The bot handing it back there greeted a subscriber who had asked
    for a person. Nothing is said to the subscriber (still waiting, as told at the handoff);
    the desks offer it as waiting again. None when the record changed since `only_as`, or
    `event_id` was handled before.
    """
    return await change_owner(
        engine,
        key,
        Owner.AGENT,
        f"{BACK_IN_QUEUE}{agent}",
        event_id=event_id,
        only_from=Owner.AGENT,
        only_as=only_as,
    )


async def message_dealt_with(
    engine: Engine, key: str, agent: str, *, event_id: str | None = None
) -> ConversationRecord | None:
    """Record that `agent` dealt with the message the subscriber left (called them back).

    The bot keeps the conversation; the queue stops listing it, and a later request for a
    person is offered a new message rather than told the old one is still with the desk.
    None if the bot does not have it, or `event_id` was handled before.
    """
    now = engine.now()

    def dealt(stored: ConversationRecord | None) -> Change[ConversationRecord] | None:
        if stored is None or stored.owner is not Owner.BOT:
            return None
        dialog = dataclasses.replace(stored.dialog, message_left=False)
        changed = dataclasses.replace(stored, dialog=dialog, updated_at=now)
        line = TranscriptEntry(now, "system", f"{MESSAGE_DEALT_WITH}{agent}")
        return Change(changed, [line], changed)

    change = await engine.store.transact(key, event_id, dealt)
    if change is None:
        return None
    # Desks whose messages show the message waiting (Slack) follow it from here.
    announce(engine, OwnerChange(key, Owner.BOT, Owner.BOT, event_id))
    return change.result


async def take_over(
    engine: Engine,
    key: str,
    agent: str,
    *,
    event_id: str | None = None,
    taken_from: str | None = None,
    only_as: ConversationRecord | None = None,
    delivery: Delivery | None = None,
    shown: str | None = None,
) -> ConversationRecord | None:
    """Owner → agent, with a transcript line naming who took it; the bot falls silent.

    Recorded once however often it is asked for with the same `event_id`. `taken_from`:
    the agent who had it, named in the line and kept as its data (`TAKE_OVER`). With
    `only_as`, only onto the record as it was read (None if it changed meanwhile). With
    `delivery`, a subscriber the bot was answering is told a person has them now (once,
    written in the same transaction), and one taken over from a colleague (`taken_from`)
    that another person has them now, as after a `transfer`: a handoff they were told of is
    not (a take from the queue).
    `shown`: the agent as the subscriber reads them, if not as `agent` (a Chatwoot agent's
    name without the 「(Chatwoot)」 the desks read).
    """
    if taken_from is None:
        line, data = f"{TAKEN_BY}{agent}", None
    else:
        line = f"{TAKEN_BY}{agent} from {taken_from}"
        data = {"type": TAKE_OVER, "agent": agent, "taken_from": taken_from}
    if delivery is None:
        return await change_owner(
            engine, key, Owner.AGENT, line, event_id=event_id, data=data, only_as=only_as
        )
    now = engine.now()
    before: list[Owner] = []

    def to_agent(
        stored: ConversationRecord | None,
    ) -> Change[tuple[ConversationRecord, TextReply | None]] | None:
        if stored is None or (only_as is not None and stored != only_as):
            return None
        before.append(stored.owner)  # the last call is the one stored (a retried transaction)
        taken = dataclasses.replace(stored, owner=Owner.AGENT, updated_at=now)
        took = TranscriptEntry(now, "system", line, data)
        if stored.owner is not Owner.BOT and (taken_from is None or stored.owner is Owner.CLOSED):
            # From the queue: the subscriber was told a person is coming when handed off. A
            # closed one: the agent API takes it again with `closing.reopen`, which tells them.
            return Change(taken, [took], (taken, None))
        if stored.owner is Owner.AGENT:
            # From a colleague (the console's 「引き継ぐ」): told, as a transfer tells them;
            # silent, the subscriber read a new name under the next message with no word of
            # why (and nothing at all on a channel that shows no names).
            told = transferred_notice(engine, stored.dialog.locale, shown or agent)
            said = transferred_line(now, told)
        else:
            told = taken_notice(engine, stored.dialog.locale, shown or agent)
            # The bot's words first: the holder is read from the lines after the bot last
            # spoke (`holder_of`), so the take-over line comes last (as `closing.reopen`).
            said = TranscriptEntry(now, "bot", reply_as_plain_text(told), reply_to_dict(told))
        return Change(taken, [said, took], (taken, told))

    change = await engine.store.transact(key, event_id, to_agent)
    if change is None:
        return None  # changed meanwhile, or this take was recorded before: nothing is sent
    record, told = change.result
    announce(engine, OwnerChange(key, before[-1], Owner.AGENT, event_id))
    if told is not None:
        delivery.push_soon(
            record.channel, record.conversation_id, [told], name=event_id or f"take {key}"
        )
    return record


async def transfer(
    engine: Engine,
    delivery: Delivery,
    key: str,
    agent: str,
    colleague: str,
    *,
    event_id: str | None = None,
    only_as: ConversationRecord | None = None,
    shown: str | None = None,
) -> ConversationRecord | None:
    """`agent` hands the conversation to `colleague`, who has it now; the subscriber is told.

    Written as a take-over by the colleague from the agent (`taken over by 鈴木 from 佐藤`, its
    data naming who handed it: `by`), so every desk reads the new holder as after a take-over,
    and refuses the old one's words from then on. The subscriber, who would otherwise read a
    new name under the next message with no word of why, is told in the same transaction that
    a colleague takes over (named as agents' messages name them). None when the record
    changed since it was read as `only_as`, or this transfer was recorded before. `shown`:
    the colleague as the subscriber reads them, if not as `colleague` (a Slack member's name
    without the member id the transcript keeps).
    """
    now = engine.now()
    line = f"{TAKEN_BY}{colleague} from {agent}"
    data = {"type": TAKE_OVER, "agent": colleague, "taken_from": agent, "by": agent}

    def to_colleague(
        stored: ConversationRecord | None,
    ) -> Change[tuple[ConversationRecord, TextReply]] | None:
        if stored is None or stored.owner is not Owner.AGENT:
            return None
        if only_as is not None and stored != only_as:
            return None
        held = dataclasses.replace(stored, updated_at=now)
        told = transferred_notice(engine, stored.dialog.locale, shown or colleague)
        said = transferred_line(now, told)
        return Change(held, [said, TranscriptEntry(now, "system", line, data)], (held, told))

    change = await engine.store.transact(key, event_id, to_colleague)
    if change is None:
        return None
    record, told = change.result
    announce(engine, OwnerChange(key, Owner.AGENT, Owner.AGENT, event_id))
    delivery.push_soon(
        record.channel, record.conversation_id, [told], name=event_id or f"transfer {key}"
    )
    return record


def transferred_line(now: dt.datetime, told: TextReply) -> TranscriptEntry:
    """The transcript's line of `told`, a colleague taking over: the bot's notice.

    Marked a notice (`is_notice`), as the desk's other words in a person's conversation are,
    before the take line (the holder is read from the lines after the bot last answered,
    `holder_of`). Unmarked, it was the bot's last words: a question the subscriber asked
    before it went unanswered at the hand-back (`handback.unanswered` stops at the bot).
    """
    data = {**reply_to_dict(told), NOTICE: TRANSFERRED_NOTICE}
    return TranscriptEntry(now, "bot", reply_as_plain_text(told), data)


def transferred_notice(engine: Engine, locale: Locale, colleague: str) -> TextReply:
    """「ここからは、サポート担当の鈴木が引き継いでご案内します。…」: handed to a colleague."""
    if colleague in ANONYMOUS:
        return TextReply(engine.texts.fill(locale, TRANSFERRED_UNNAMED_KEY, {}))
    return TextReply(engine.texts.fill(locale, TRANSFERRED_KEY, {"agent": colleague}))


def taken_notice(engine: Engine, locale: Locale, agent: str) -> TextReply:
    """「ここからはサポート担当の佐藤がご案内します。…」: a person took the chat from the bot.

    Taken silently, a LINE, Telegram or Slack subscriber's next press or message got no
    answer until the agent wrote: the bot seemed to have died. The agent is named as their
    messages name them (`agent.says`); a bare token's holder has no name to show.
    """
    if agent in ANONYMOUS:
        return TextReply(engine.texts.fill(locale, TAKEN_FROM_BOT_UNNAMED_KEY, {}))
    return TextReply(engine.texts.fill(locale, TAKEN_FROM_BOT_KEY, {"agent": agent}))
