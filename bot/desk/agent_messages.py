"""An agent's words to a subscriber: stored once, then delivered once on the subscriber's channel.

The line is written to the transcript in one store transaction (under the conversation's
lock, once per event id), so a retried request never stores a second copy. Delivery runs
in the background: the agent's request is answered when the line is stored, not when a
throttled platform has taken it; the channels' own senders wait out a 429, resend after a
5xx only when that cannot make a second copy, and never send a refused message twice.
A message the platform finally did not take gets a system line under it (`undelivered`),
which the console shows with a button to send it again.

Between the stored line and the platform's answer the message is pending in an outbox kept
beside the conversations (`bot.store.desk_notices`, under its own name): dropped when the
platform took it or the line is marked. A process killed in between (SIGKILL, out of memory)
left the line looking sent to every desk; the next start (or, with replicas, any replica once
the pending send is OUTBOX_LEASE old) marks it as possibly not arrived, with the console's
button to send it again and a note where its agent wrote (Slack's thread, Chatwoot's mirror).
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import logging
import unicodedata
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Final, get_args

from bot.delivery import Cause, Delivery, NotDeliveredError, Place, stopped
from bot.desk.agent_models import MAX_MESSAGE
from bot.desk.handoff import DESK_LOCALE, Handoffs, OwnerChange, announce
from bot.desk.ownership import (
    TAKEN_BY,
    another_agent,
    decides_holder,
    held_by_another,
    holder_shown,
    queue_state,
    state_event,
    take_over,
)
from bot.engine import Engine, without_controls
from bot.japanese_analyser import japanese_analyser
from bot.ops import metrics
from bot.ops.agent_tokens import UNNAMED_AGENT
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import (
    COMPARE_AND_SET_READS,
    Change,
    ConversationRecord,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    event_tag,
    note_once,
)
from bot.store.desk_notices import (
    AGENT_OUTBOX,
    DeskNotice,
    DeskNotices,
    RedisDeskNotices,
    desk_notices_for,
)
from dialogs.reading.stage_reading import login_domains
from dialogs.redaction import asks_for_a_password, gives_a_password, mask_given, own_accounts
from dialogs.texts import N_
from dialogs.vocabulary import TextReply

_LOGGER: Final = logging.getLogger(__name__)

# The system line written under an agent's message the platform did not take, and the
# type of the reply it keeps (which line, and whether it may have arrived all the same).
UNDELIVERED_LINE: Final = "not delivered: "
UNDELIVERED: Final = "undelivered"
# Waits before writing that line again while the store is unreachable (seconds).
MARK_RETRY_WAITS: Final = (1.0, 10.0, 60.0)
# The reply kept with the line: the web chat draws it as an agent's bubble with the name.
AGENT_REPLY: Final = "text"
SAYS_KEY: Final = N_("agent.says")
# Where an agent line's writer acted, when their name alone does not say (a reply in the
# Chatwoot mirror: 「佐藤 (Chatwoot)」 beside the 「佐藤」 the subscriber reads). Desks only.
ACTING: Final = "acting"
# A bare token's holder has no name worth showing a subscriber ("agent"): say "support".
SAYS_UNNAMED_KEY: Final = N_("agent.says_unnamed")
# Where agents' messages wait between their stored line and the platform's answer.
OUTBOX: Final = AGENT_OUTBOX
# A pending send older than this has no process behind it any more: a send waits out at most
# a few 429s (about two minutes) after the conversation's earlier sends, so this is far past
# any live one. Only another replica's sweep needs it: a starting process's own are all dead.
OUTBOX_LEASE: Final = dt.timedelta(minutes=15)
OUTBOX_SWEEP_INTERVAL: Final = 60.0
# The note shown where the agent wrote when a killed process left their words unsent.
CUT_OFF_KEY: Final = N_("summary.reply_cut_off")
# A desk's bookkeeping of a reply refused where it was written (Slack's thread, Chatwoot's
# mirror), by the `event_tag` of its event id: the platform delivering it again (Slack's
# retry, Chatwoot's second `message_created`) is answered once.
REFUSED_NOTE: Final = "agent reply refused: "
# Likewise of a reply whose files were not sent (only words go to the subscriber): the
# notice that says so is given once per event.
FILES_NOTE: Final = "agent files not sent: "


# Why an agent's message holding a password is refused (the agent API's 422, the log).
NEVER_IN_THE_CHAT: Final = (
    '"text" must not hold a password: the chat never carries one (its transcript keeps every '
    "word); give it another way, such as by phone or by post"
)


Undelivered = Callable[[NotDeliveredError], Awaitable[None]]
"""Told that an agent's message was finally not taken by the subscriber's platform."""


class MessageRefusedError(ValueError):
    """The conversation cannot take an agent's message now (status and why, for the tool).

    `agent`: another agent who has the conversation, when that is why. `reason`: a 409's
    cause when no agent is (`bot`, `closed`, `kept_changing`), for the desk's words: the
    console said only 「終了したか、ボットに戻されています」, which left the agent guessing
    whether 「対応を引き継ぐ」 or a second try would send it.
    """

    def __init__(
        self, status: int, message: str, *, agent: str | None = None, reason: str | None = None
    ) -> None:
        super().__init__(message)
        self.status = status
        self.agent = agent
        self.reason = reason


class PasswordRefusedError(MessageRefusedError):
    """An agent's message that holds a password: never stored, never sent (422).

    Its own kind, so that each desk says it in its agents' words rather than reading a
    status code (422 also refuses an event id reused for other words).
    """

    def __init__(self) -> None:
        super().__init__(422, NEVER_IN_THE_CHAT, reason="password")


class TooLongRefusedError(MessageRefusedError):
    """An agent's message longer than the agent API takes (`MAX_MESSAGE`): never stored (422).

    Every desk is held to the one limit: a reply written in Slack's thread or in Chatwoot
    (whose own limits are ten times it and more) was stored whole and sent as a run of
    messages (39,000 characters: 8 on LINE), which the console and the API refuse.
    `length`: its characters, for the desk's words. (The agent API's model refuses such a text
    first, with the 422 its OpenAPI describes.)
    """

    def __init__(self, length: int) -> None:
        super().__init__(
            422,
            f'"text" has {length} characters, more than the {MAX_MESSAGE} a message may '
            "hold: send it in parts",
        )
        self.length = length

    @property
    def values(self) -> dict[str, str]:
        """What a desk's words about it are filled with, as the console writes numbers."""
        return {"length": f"{self.length:,}", "max": f"{MAX_MESSAGE:,}"}


@dataclass(frozen=True, slots=True)
class Recorded:
    """An agent's words their platform delivered itself, kept (`AgentMessages.record`).

    `masked`: they gave a password, masked in the transcript and the other desks' copies,
    though the subscriber read it and it stays on the platform where it was written.
    """

    masked: bool


@dataclass(frozen=True, slots=True)
class Posted:
    """The stored line; `duplicate` when the same event id had already stored it."""

    line: TranscriptEntry
    agent: str
    duplicate: bool = False


def shown_name(agent: str) -> str:
    """The name a subscriber or a desk may see: none for a bare token's holder, who has none.

    Never the marks that tell agents apart in the lines (`holder_shown`): a reply in one of
    Chatwoot's own conversations, kept as 「佐藤 花子 (Chatwoot)」, is 「佐藤 花子」's.
    """
    return "" if agent == UNNAMED_AGENT else holder_shown(agent)


def agent_of(line: TranscriptEntry) -> str:
    """The display name an agent line was written under ("" for any other line)."""
    if line.author != "agent" or line.reply is None:
        return ""
    name = line.reply.get("agent")
    return name if isinstance(name, str) else ""


def undelivered(transcript: Sequence[TranscriptEntry]) -> dict[int, bool]:
    """The agent lines the platform did not take, by seq: True when they may have arrived.

    A line sent again since is a new line, delivered or marked on its own.
    """
    marked: dict[int, bool] = {}
    for line in transcript:
        reply = line.reply or {}
        if line.author == "system" and reply.get("type") == UNDELIVERED:
            seq = reply.get("seq")
            if isinstance(seq, int):
                marked[seq] = bool(reply.get("may_have_arrived"))
    return marked


def undelivered_note(line: TranscriptEntry) -> dict[str, object] | None:
    """What the system line under an agent's undelivered message says, as data; else None.

    The console words it from these fields, never from the line's English text. Lines
    written before the reason was kept as data have it only in their text.
    """
    reply = line.reply
    if line.author != "system" or reply is None or reply.get("type") != UNDELIVERED:
        return None
    seq, reason, cause = reply.get("seq"), reply.get("reason"), reply.get("cause")
    return {
        "type": UNDELIVERED,
        "seq": seq if isinstance(seq, int) else None,
        # Under the bot's own words (`bot.desk.undelivered_replies`), else an agent's.
        "by": "bot" if reply.get("by") == "bot" else "agent",
        "may_have_arrived": bool(reply.get("may_have_arrived")),
        "reason": reason if isinstance(reason, str) else line.text.removeprefix(UNDELIVERED_LINE),
        "cause": cause if cause in get_args(Cause) else None,
    }


class AgentMessages:
    """Stores an agent's message and hands it to the subscriber's channel in the background."""

    def __init__(
        self, engine: Engine, delivery: Delivery, catalogs: Catalogs, tasks: BackgroundTasks
    ) -> None:
        self._engine = engine
        self._delivery = delivery
        self._catalogs = catalogs
        self._tasks = tasks
        self._outbox: DeskNotices = desk_notices_for(engine.store, OUTBOX)

    @property
    def catalogs(self) -> Catalogs:
        """The words the desk says things in (the agent API words its lines with them too)."""
        return self._catalogs

    async def post(
        self,
        key: str,
        agent: str,
        text: str,
        *,
        event_id: str | None,
        owner_only: bool = False,
        if_undelivered: Undelivered | None = None,
        taker: str | None = None,
        acting: str | None = None,
        is_self: Callable[[str], bool] | None = None,
        origin: str | None = None,
    ) -> Posted:
        """Store `text` as `agent`'s line and start delivering it; MessageRefusedError if not.

        With `owner_only` (the console and the agent API), a conversation another agent
        has is refused (409 naming them): writing to it would be a take-over, which must be
        asked for as one. A retried request whose first stored the line is answered as before.
        `if_undelivered`: told when the platform finally did not take it, after the console's
        note is written (a desk whose agents do not watch the console says so where they wrote).
        `taker`: how the take line names the agent when these words take the conversation from
        the queue, if not as `agent` (a Slack member: her name and member id, which tell her
        from another member of the same name, as her 「対応する」 does).
        `acting`: kept in the line's data (`ACTING`) as the desks name the agent, where the
        name the subscriber reads does not tell which desk wrote (the Chatwoot mirror's).
        `is_self` (a desk whose agents the console cannot name, such as Slack's members):
        which holders are the one writing; a conversation another agent has is refused
        (409 naming them, `held_by_another`), checked against the record as written to.
        `origin`: the desk they were written in (its `Desk.name`), which shows them already;
        once the platform took them, the other desks relaying the conversation show them.
        """
        # Bidi embeddings, overrides and isolates leave it, as they leave a subscriber's
        # words: 「https://www.117.ne.jp/\u202efdp.exe」 read 'exe.pdf' to the subscriber.
        # Control characters too (but tab and line breaks), which the agent API refuses and a
        # reply written in Chatwoot or Slack carried: an escape sequence to a terminal.
        text = without_controls(text)
        if not text.strip():
            raise MessageRefusedError(422, '"text" must show at least one character')
        if len(text) > MAX_MESSAGE:
            # Before anything reads it: the analyser's search for a password is not spent
            # on words that are refused anyway.
            raise TooLongRefusedError(len(text))
        profile = self._engine.profile
        names = (profile.provider_name, *profile.provider_aliases)
        # 「taro@vp.117.ne.jp の taro / Kq7xyz99」: an address of the profile's names an account.
        domains = login_domains(profile)
        # With the analyser, which alone finds a password of kana
        # (「パスワードはさくらもちですね」).
        analyser = japanese_analyser()
        if gives_a_password(text, names=names, domains=domains, analyser=analyser):
            # The chat never carries a password, an agent's words no more than a
            # subscriber's: the transcript would keep it as written.
            raise PasswordRefusedError
        now = self._engine.now()
        refused: list[MessageRefusedError] = []
        data: dict[str, object] = {"type": AGENT_REPLY, "text": text, "agent": agent}
        if acting:
            data[ACTING] = acting
        line = TranscriptEntry(now, "agent", text, data)
        # The first words to a subscriber waiting in the queue take the conversation, as
        # 「対応を引き継ぐ」 would: the transcript names who, and the desks' messages stop
        # offering it to the others (read before the transaction, like Slack's take).
        queued, seen = await queue_state(self._engine, key)
        if owner_only and queued is not None:
            # Taken first, as 「対応を引き継ぐ」 takes it (one take per state of the
            # conversation): two agents writing first at once both read it as waiting, and
            # each took it in its own transaction. One gets it; the other is told who has it.
            await self._take_from_queue(key, agent)
            queued = None
        # Who has it is read before the transaction (after any take above), which then
        # writes only onto the record as read: a take-over landing in between is seen on
        # the next read and refuses the words, instead of their following it. A subscriber's
        # turn meanwhile only means reading again.
        checked: list[ConversationRecord | None] = [None]
        changed: list[bool] = []
        took: list[bool] = []

        def append(stored: ConversationRecord | None) -> Change[ConversationRecord] | None:
            if stored is None:
                refused.append(MessageRefusedError(404, "no such conversation"))
                return None
            if stored.owner is Owner.BOT and queued is not Owner.BOT:
                refused.append(
                    MessageRefusedError(
                        409,
                        "the bot has this conversation: take it over first (POST .../take), "
                        "then send it again",
                        reason="bot",
                    )
                )
                return None
            if stored.owner is Owner.CLOSED:
                refused.append(
                    MessageRefusedError(
                        409,
                        "the conversation is closed: to follow it up, take it over "
                        "(POST .../take; the subscriber is told a person follows it up), "
                        "then send it again",
                        reason="closed",
                    )
                )
                return None
            if _beside_the_account(text, stored) and gives_a_password(
                text,
                names=names,
                accounts=own_accounts(stored.dialog.address),
                domains=domains,
                analyser=analyser,
            ):
                # 「taro:Kq7xyz99」: a password beside the subscriber's own account name,
                # which only the conversation's record knows.
                refused.append(PasswordRefusedError())
                return None
            if checked[0] is not None and stored != checked[0]:
                changed.append(True)
                return None
            took[:] = [queued is stored.owner]
            if not took[0]:
                kept = _asked_for_a_password(stored, text)
                return Change(kept, [line], kept)
            # From the queue: a handoff's (a person's already) or a message left while the
            # bot answered, which the agent's words take from the bot.
            held = dataclasses.replace(
                _asked_for_a_password(stored, text), owner=Owner.AGENT, updated_at=now
            )
            taken = TranscriptEntry(now, "system", f"{TAKEN_BY}{taker or agent}")
            return Change(held, [taken, line], held)

        scoped = None if event_id is None else f"agent-message:{key}:{event_id}"
        for _ in range(COMPARE_AND_SET_READS):
            changed.clear()
            if owner_only:
                checked[0] = await self._refuse_if_another_has(key, agent, event_id)
            elif is_self is not None:
                # Taken by another desk's agent (or member) before or while this was read:
                # refused, as the console refuses, rather than joining that agent's words.
                checked[0] = await self._refuse_if_held(key, seen, is_self, event_id)
            else:
                # No desk's rule to hold to (every desk now gives `owner_only` or `is_self`):
                # the queue's conversation is taken only as read, else the words are added.
                checked[0] = seen if queued is not None else None
            change = await self._engine.store.transact(key, scoped, append)
            if not changed:
                break
            if not owner_only:
                queued, seen = await queue_state(self._engine, key)
        else:
            raise MessageRefusedError(
                409, "the conversation kept changing: send it again", reason="kept_changing"
            )
        if refused:
            raise refused[0]
        if change is None:
            # The same event id stored it before: answer with that line, deliver nothing.
            # Other words under it are another message whose tool reused the id: refused,
            # not answered as stored (it would never reach the subscriber).
            first = await self._first_of(key, scoped)
            if first is not None and first.text != text:
                raise MessageRefusedError(
                    422,
                    "event_id was used for another message in this conversation: "
                    "give each message an id of its own",
                )
            if first is not None:
                return Posted(first, agent_of(first) or agent, True)
            return Posted(await self._stored(key, agent, text, fallback=line), agent, True)
        if took and took[-1]:
            # Under the agent-message id, not the platform's: a reply in Slack's thread must
            # still update the handoff message there, which skips its own buttons' changes.
            announce(self._engine, OwnerChange(key, queued or Owner.AGENT, Owner.AGENT, scoped))
        stored = await self._stored(key, agent, text, fallback=line)
        record = change.result
        says = SAYS_KEY if shown_name(agent) else SAYS_UNNAMED_KEY
        words = self._catalogs.fill(record.dialog.locale, says, {"agent": agent, "text": text})
        # The place among the conversation's sends is taken now, as the line is stored: a
        # message held up by a 429 is overtaken neither by the next nor by a hand-back.
        place = self._delivery.place(record.channel, record.conversation_id)
        await self._pending(key, stored)
        # Shown to the other desks only once delivered: refused or undelivered, the
        # subscriber never read them (a copy sent again is a line of its own).
        relayed = functools.partial(self._relay, record.channel, key, agent, text, origin)
        self._tasks.spawn(
            self._deliver(record, stored.seq, TextReply(words), place, if_undelivered, relayed),
            name=f"agent message {key}",
        )
        return Posted(stored, agent)

    async def _take_from_queue(self, key: str, agent: str) -> None:
        for _ in range(COMPARE_AND_SET_READS):
            queued, seen = await queue_state(self._engine, key)
            if queued is None:
                break  # taken meanwhile (or closed): said below, or refused in the transaction
            transcript = await self._engine.store.transcript(key)
            # The state's event id, as the agent API's take has: pressing 「対応を引き継ぐ」
            # and writing first at the same moment are one take. And only onto the record
            # as read: another agent's words that took it between this read and the write
            # (whose take-over line changed the state) leave it theirs.
            state = state_event(key, transcript)
            if await take_over(self._engine, key, agent, event_id=state, only_as=seen):
                return
        record = await self._engine.store.load(key)
        if record is None:
            return  # refused with 404 in the transaction
        other = another_agent(record, await self._engine.store.transcript(key), agent)
        if other is not None:
            raise MessageRefusedError(
                409, f"{other} has this conversation: take it over first", agent=other
            )

    async def _refuse_if_another_has(
        self, key: str, agent: str, event_id: str | None
    ) -> ConversationRecord | None:
        """The record as read when no other agent has it (MessageRefusedError if one does).

        Read before the transaction: the store's transaction sees the record, not who in
        the transcript has it. None: nothing to hold the transaction to (no such
        conversation, or this message stored before and answered as the duplicate it is).
        """
        record = await self._engine.store.load(key)
        if record is None:
            return None
        transcript = await self._engine.store.transcript(key)
        if event_id is not None and any(
            line.event == event_tag(f"agent-message:{key}:{event_id}") for line in transcript
        ):
            return None
        other = another_agent(record, transcript, agent)
        if other is not None:
            raise MessageRefusedError(
                409, f"{other} has this conversation: take it over first", agent=other
            )
        return record

    async def _refuse_if_held(
        self,
        key: str,
        seen: ConversationRecord | None,
        is_self: Callable[[str], bool],
        event_id: str | None,
    ) -> ConversationRecord | None:
        """`seen` when no agent but the writer (`is_self`) has it; MessageRefusedError if one does.

        None: nothing to hold the transaction to (no such conversation, or this message
        stored before and answered as the duplicate it is).
        """
        if seen is None:
            return None
        transcript = await self._engine.store.transcript(key)
        if event_id is not None and any(
            line.event == event_tag(f"agent-message:{key}:{event_id}") for line in transcript
        ):
            return None
        # An agent line that says where its writer acted (the mirror's 「佐藤」, acting as
        # 「佐藤 (Chatwoot)」) is hers by that name: the bare name is also a console agent's.
        acting = holder_acting(transcript)
        other = held_by_another(seen, transcript, lambda who: is_self(acting or who))
        if other is not None:
            raise MessageRefusedError(
                409, f"{other} has this conversation: take it over first", agent=other
            )
        return seen

    async def refused_before(self, key: str, event_id: str) -> bool:
        """Whether a desk's reply `event_id` was refused and its agent told so (`first_refusal`).

        Asked before the reply is read again: delivered again, it is not posted after all
        (the holder handed it back meanwhile) once its agent was told it was not sent.
        """
        note = await self._engine.store.latest_line(key, "system", _refused_note(event_id))
        return note is not None

    async def first_refusal(self, key: str, event_id: str) -> bool:
        """Note that a desk's reply `event_id` was refused; whether its agent is to be told.

        Once per event id (the store's): a redelivery refused again, even while the first
        is still being read, is not said twice. A conversation that is gone keeps no note,
        and its refusal is said each time.
        """
        return await note_once(
            self._engine.store,
            key,
            f"agent-reply-refused:{key}:{event_id}",
            _refused_note(event_id),
        )

    async def first_files_notice(self, key: str, event_id: str) -> bool:
        """Note that a desk's reply `event_id` came with files; whether to say they were not sent.

        Once per event id, as `first_refusal`: Slack's retry of a reply with a screenshot
        (or Chatwoot's second `message_created`) said 「ファイルや画像は、お客様には送られません」
        twice in the thread (the mirror), while its words were sent once.
        """
        note = f"{FILES_NOTE}{event_tag(event_id)}"
        return await note_once(
            self._engine.store, key, f"agent-files-not-sent:{key}:{event_id}", note
        )

    async def record(
        self, key: str, agent: str, text: str, *, event_id: str, origin: str | None = None
    ) -> Recorded | None:
        """Keep an agent's words that their platform delivered itself (a reply in Chatwoot).

        Stored once per `event_id`, while a person has the conversation, and sent nowhere:
        the transcript and the console then show the exchange in order. False if not kept.
        A password in them (delivered already, which `post` would refuse) is kept masked, as
        `post` reads one: what it would send is kept as written (masked by a subscriber's
        rules, 'The password is case-sensitive.' and 「パスワードは mail.google.com では使え
        ません」 reached the other desks as 「…is ********.」). Shown to the desks relaying the
        conversation but `origin` (where they were written), as kept. None if not kept, else
        whether a password was masked (`Recorded`).
        """
        now = self._engine.now()
        profile = self._engine.profile
        names = (profile.provider_name, *profile.provider_aliases)

        def append(stored: ConversationRecord | None) -> Change[Recorded] | None:
            if stored is None or stored.owner is not Owner.AGENT:
                return None
            # Beside the subscriber's own account name (「taro:Kq7xyz99」) too.
            accounts = own_accounts(stored.dialog.address)
            # With the analyser, as a subscriber's line: a password of kana alone
            # (「パスワードはさくらもちです」) was kept as written.
            written = without_controls(text)
            masked = mask_given(
                written,
                names=names,
                accounts=accounts,
                domains=login_domains(profile),
                analyser=japanese_analyser(),
            )
            line = TranscriptEntry(
                now, "agent", masked, {"type": AGENT_REPLY, "text": masked, "agent": agent}
            )
            kept = Recorded(masked=masked != written)
            return Change(_asked_for_a_password(stored, text), [line], kept)

        scoped = f"agent-message:{key}:{event_id}"
        change = await self._engine.store.transact(key, scoped, append)
        if change is None:
            return None
        self._relay(change.record.channel, key, agent, change.transcript[-1].text, origin)
        return change.result

    async def _deliver(
        self,
        record: ConversationRecord,
        seq: int,
        reply: TextReply,
        place: Place,
        if_undelivered: Undelivered | None = None,
        if_delivered: Callable[[], None] | None = None,
    ) -> None:
        """Deliver the line, after the ones before it; if the platform did not take it, say so."""
        try:
            await self._delivery.deliver(
                record.channel, record.conversation_id, [reply], place=place
            )
        except NotDeliveredError as err:
            _LOGGER.error("Agent message %s of %s not delivered: %s", seq, record.key, err)
            metrics.agent_message_undelivered(record.channel)
            await self._mark_undelivered(record.key, seq, err)
            await self._sent(record.key, seq)
            if if_undelivered is not None:
                await if_undelivered(err)
        except asyncio.CancelledError:
            # The server stopped while a 429 held it (its grace is 30 s, Retry-After may be
            # longer): stored as said and sent by nobody after the restart. The console marks
            # it with the button to send it again; the desk that wrote it may be closing.
            _LOGGER.error("Agent message %s of %s cut off at shutdown", seq, record.key)
            metrics.agent_message_undelivered(record.channel)
            await self._mark_undelivered(record.key, seq, stopped())
            await self._sent(record.key, seq)
            raise
        else:
            if if_delivered is not None:
                # Its place among the desks' relays taken now, before the next line's.
                if_delivered()
            await self._sent(record.key, seq)

    def _relay(self, channel: str, key: str, agent: str, text: str, origin: str | None) -> None:
        """Show the agent's words the subscriber was given to the desks relaying `key`."""
        handoffs = self._engine.handoff
        if isinstance(handoffs, Handoffs):
            handoffs.agent_said(channel, key, shown_name(agent), text, origin=origin)

    async def _pending(self, key: str, line: TranscriptEntry) -> None:
        """Keep `line` in the outbox until the platform answers (before any platform call)."""
        due = self._engine.now() + OUTBOX_LEASE
        try:
            await self._outbox.keep(DeskNotice(key, _outbox_name(line.seq), line.at, 0, due))
        except StoreUnavailableError as err:
            # The line is stored and the send goes on: only a crash meanwhile goes unmarked.
            _LOGGER.warning("Agent message %s of %s not kept pending: %s", line.seq, key, err)

    async def _sent(self, key: str, seq: int) -> None:
        """The platform answered (taken, or refused and marked): nothing pending any more."""
        try:
            await self._outbox.drop(key, _outbox_name(seq))
        except StoreUnavailableError as err:
            # Left, it is found by the sweep, which finds the line taken or marked then.
            _LOGGER.warning("Agent message %s of %s still pending: %s", seq, key, err)

    async def recover(self, *, starting: bool = False) -> int:
        """Mark the agents' messages a dead process left unsent; how many were marked.

        `starting`: this process has sent nothing yet. On a store of one process (SQLite)
        everything pending is then a dead process's; on Redis only sends OUTBOX_LEASE old are,
        as other replicas may still be sending theirs.
        """
        now = self._engine.now()
        shared = isinstance(self._outbox, RedisDeskNotices)
        before = now + OUTBOX_LEASE if starting and not shared else now
        marked = 0
        for pending in await self._outbox.overdue(before + dt.timedelta(microseconds=1)):
            claimed = await self._outbox.claim(pending, now + OUTBOX_LEASE)
            if claimed is None:
                continue  # another replica's sweep has it
            if await self._cut_off(claimed):
                marked += 1
            await self._outbox.drop(claimed.key, claimed.desk)
        return marked

    async def _cut_off(self, pending: DeskNotice) -> bool:
        """Mark the line of `pending` as possibly not arrived, unless it was already marked."""
        seq = _outbox_seq(pending.desk)
        record = await self._engine.store.load(pending.key)
        if seq is None or record is None:
            return False
        transcript = await self._engine.store.transcript(pending.key)
        line = next((x for x in transcript if x.seq == seq and x.author == "agent"), None)
        if line is None or seq in undelivered(transcript):
            return False
        # Whether the platform took it before the process died is not known: whoever wrote
        # it looks (the console's 「届いたか確認できませんでした」 and its 'send again'), rather
        # than a second copy sent blindly (Telegram has no idempotency key).
        _LOGGER.error("Agent message %s of %s cut off by a process that died", seq, pending.key)
        metrics.agent_message_undelivered(record.channel)
        await self._mark_undelivered(pending.key, seq, stopped())
        handoffs = self._engine.handoff
        if isinstance(handoffs, Handoffs):
            # Slack's thread and Chatwoot's mirror: their agents do not watch the console.
            note = self._catalogs.fill(DESK_LOCALE, CUT_OFF_KEY, {"text": line.text})
            handoffs.note_to_desks(record.channel, pending.key, note)
        return True

    async def recover_at_start(self) -> None:
        """`recover` before the server takes requests: what is pending then, it did not send."""
        try:
            marked = await self.recover(starting=True)
        except StoreUnavailableError as err:
            _LOGGER.warning("Pending agent messages not read at start (the sweep will): %s", err)
            return
        if marked:
            _LOGGER.warning("%d agent messages left unsent by a stopped process: marked", marked)

    async def sweep_forever(self) -> None:
        """`recover` every OUTBOX_SWEEP_INTERVAL (a replica that died); cancelled when stopping."""
        while True:
            await asyncio.sleep(OUTBOX_SWEEP_INTERVAL)
            try:
                await self.recover()
            except StoreUnavailableError as err:
                _LOGGER.warning("Pending agent messages not read: %s", err)
            except Exception as err:  # the sweep must outlive a bug's one round
                _LOGGER.exception(
                    "Pending agent messages not read (tried again at the next sweep): %s: %s",
                    type(err).__name__,
                    err,
                )
                # Counted with the desk notices' sweep: the same kind of pending work.
                metrics.background_error("desk_notices")

    async def _mark_undelivered(self, key: str, seq: int, err: NotDeliveredError) -> None:
        # A system line, not a change to the agent's line: lines are never rewritten, and
        # the console shows it under the message with a button to send it again.
        now = self._engine.now()
        note = TranscriptEntry(
            now,
            "system",
            f"{UNDELIVERED_LINE}{err.reason}",
            {
                "type": UNDELIVERED,
                "seq": seq,
                "may_have_arrived": err.may_have_arrived,
                "reason": err.reason,
                "cause": err.cause,
            },
        )

        def append(stored: ConversationRecord | None) -> Change[ConversationRecord] | None:
            if stored is None:  # expired or removed meanwhile: nobody to tell
                return None
            return Change(stored, [note], stored)

        # A store blink (a Redis restart, SQLite locked) just then left the message shown as
        # sent, with no button to send it again: tried again, as a desk notice is.
        for wait in (*MARK_RETRY_WAITS, None):
            try:
                await self._engine.store.transact(key, None, append)
                return
            except StoreUnavailableError:
                if wait is None or not await self._tasks.pause(wait):
                    _LOGGER.exception(
                        "Could not record that agent message %s of %s failed", seq, key
                    )
                    return
                _LOGGER.warning(
                    "Could not yet record that agent message %s of %s failed: again in %g s",
                    seq,
                    key,
                    wait,
                )

    async def _first_of(self, key: str, scoped: str | None) -> TranscriptEntry | None:
        """The agent's line that the event `scoped` stored, if it is still there."""
        if scoped is None:
            return None
        tag = event_tag(scoped)
        for entry in await self._engine.store.transcript(key):
            if entry.event == tag and entry.author == "agent":
                return entry
        return None

    async def _stored(
        self, key: str, agent: str, text: str, *, fallback: TranscriptEntry
    ) -> TranscriptEntry:
        # The store numbers lines as it appends them; read the number back.
        for entry in reversed(await self._engine.store.transcript(key)):
            if entry.author == "agent" and entry.text == text and agent_of(entry) == agent:
                return entry
        return fallback


def _asked_for_a_password(record: ConversationRecord, text: str) -> ConversationRecord:
    """`record`, knowing whether the agent's words `text` ask the subscriber for a password.

    An agent's 「パスワードを教えていただけますか？」 was answered with the password alone
    (「Zk2mWq9p」), which no password word named: it was kept as typed in the transcript and
    shown on every desk. Until the agent writes again, the subscriber's messages are read as
    after 「パスワードは」 (`DialogState.password_asked`): an answer may come after 「はい」.
    """
    asked = asks_for_a_password(text)
    if record.dialog.password_asked is asked:
        return record
    dialog = dataclasses.replace(record.dialog, password_asked=asked)
    return dataclasses.replace(record, dialog=dialog)


def _refused_note(event_id: str) -> str:
    return f"{REFUSED_NOTE}{event_tag(event_id)}"


def holder_acting(transcript: Sequence[TranscriptEntry]) -> str:
    """Where the agent who has the conversation by her words acted (`ACTING`), or "".

    Read from the line `holder_of` names the holder by: "" for a take line, the bot's, or
    an agent line kept without it (the console's, and Slack's before her member id was kept).
    """
    line = next((x for x in reversed(transcript) if decides_holder(x)), None)
    if line is None or line.author != "agent":
        return ""
    acting = (line.reply or {}).get(ACTING)
    return acting if isinstance(acting, str) else ""


def _outbox_name(seq: int) -> str:
    # The "desk" of an outbox entry: the agent line's number (a plain word: no space).
    return f"agent-line-{seq}"


def _outbox_seq(name: str) -> int | None:
    number = name.removeprefix("agent-line-")
    return int(number) if number.isdigit() else None


def _beside_the_account(text: str, record: ConversationRecord) -> bool:
    """Whether `text` names the subscriber's own account, read again for a password beside it.

    Read folded as the masking reads it: 「ｔａｒｏ：Ｋｑ７ｘｙｚ９９」 in full-width letters too.
    """
    folded = unicodedata.normalize("NFKC", text).casefold()
    return any(name.casefold() in folded for name in own_accounts(record.dialog.address))
