"""Handing a conversation to the support desk: the desks, and what happens if none hears.

A desk is anything that can be told about a handoff: a signed webhook (any help desk), a
Slack channel of agents, a Chatwoot inbox. If no desk hears about it, the subscriber must
not wait for nobody: the conversation goes back to the bot, which says how to reach people.

A desk may also watch owners (`Handoffs.watch_owner`): whatever changes who has a
conversation announces it here once it is stored (`announce`), and the watchers hear of it
in the background, so no request waits on a desk's platform.
"""

from __future__ import annotations

import asyncio
import dataclasses
import datetime as dt
import functools
import logging
import zoneinfo
from collections.abc import Awaitable, Callable, Coroutine, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol, runtime_checkable

from bot.delivery import Delivery, InOrder, Place
from bot.desk.questions import question_facts, question_labels
from bot.desk.summary import (
    CHECK_LINE,
    MESSAGE_LEFT,
    WORDLESS_KEYS,
    HandoffSummary,
    last_check,
    latest_left_message,
    latest_words,
    pressed_answers,
    question_in,
    standing_label,
    worded_check,
)
from bot.engine import (
    HANDOFF_LINE,
    MEDIA_MARK,
    PRESSED_QUESTION,
    Engine,
    TurnOutcome,
    started_by,
)
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.ops.metrics import background_error, desk_not_told
from bot.store.conversation_store import (
    COMPARE_AND_SET_READS,
    Change,
    ConversationRecord,
    ConversationStore,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    event_tag,
    record_key,
)
from bot.store.desk_notices import DeskNotice, DeskNotices, MemoryDeskNotices
from bot.store.transcript_tail import lines_back_to
from bot.web.check_path import hide_check_tokens
from dialogs.advice import sending_today
from dialogs.knowledge import timing
from dialogs.profile import MigrationProfile
from dialogs.understanding import Kind, understand_choice
from dialogs.vocabulary import (
    Choice,
    ChoicesReply,
    Sending,
    TextReply,
    reply_as_plain_text,
    reply_to_dict,
)

_LOGGER: Final = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class OwnerChange:
    """A stored change of who has conversation `key`, and the event that made it.

    `event_id` lets a desk skip what its own buttons did: it words those itself.
    """

    key: str
    before: Owner
    after: Owner
    event_id: str | None = None


OwnerWatcher = Callable[[OwnerChange], Coroutine[Any, Any, None]]
"""Told of every stored owner change, in the background."""

MessageWaiting = Callable[[ConversationRecord, Sequence[TranscriptEntry]], dt.datetime | None]
"""When the message left for the desk that still waits was left; None when none waits."""

InQueue = Callable[[ConversationRecord, Sequence[TranscriptEntry]], bool]
"""Whether a person's conversation still waits in the desk's queue (no agent took it)."""

PressedWhileWaiting = Callable[[ConversationRecord], Awaitable[None]]
"""What a button of the bot's notice does when pressed in a person's conversation."""

TypedWhileWaiting = Callable[[ConversationRecord], Awaitable[bool]]
"""What words typed in a person's conversation do (`Handoffs.when_typed`); False: nothing."""

HolderLine = Callable[[TranscriptEntry], bool]
"""Whether a line names a person's conversation's holder: `in_queue` reads back to it."""

# A login check's result, as the desks' agents read it where the subscriber's words go.
CHECK_RESULT_KEY: Final = "summary.check_result"
PRESSED_KEY: Final = "summary.pressed"
# The desks' agents read Japanese (the Slack desk's and Chatwoot's notes are in it).
DESK_LOCALE: Final = "ja"
# The reply data's mark of words the bot says into a person's conversation (the desk's closed
# notice): the bot's line, yet not the bot taking the conversation back (`is_notice`).
NOTICE: Final = "notice"
DESK_CLOSED_NOTICE: Final = "desk_closed"
# Told once per handoff to a subscriber who writes while waiting after the desk closed.
CLOSED_WHILE_WAITING_KEY: Final = "handoff.closed_while_waiting"
# Told once per change of hands to a subscriber who presses a button before an agent wrote.
PRESSED_WHILE_WAITING_KEY: Final = "desk.pressed_while_waiting"
# The web chat's language button pressed in the wait: what switched, not a choice passed on.
LANGUAGE_WHILE_WAITING_KEY: Final = "desk.language_while_waiting"
PRESSED_NOTICE: Final = "pressed_while_waiting"
# Telegram's /start while a person has the conversation: where it stands (`Handoffs.relay`).
STARTED_WHILE_WAITING_KEY: Final = "desk.started_while_waiting"
STARTED_WITH_AGENT_KEY: Final = "desk.started_with_agent"
STARTED_NOTICE: Final = "started_while_waiting"
# A password typed while a person has the conversation: masked, and the subscriber told so.
MASKED_WHILE_HELD_KEY: Final = "desk.password_masked"
MASKED_WHILE_HELD_NOTICE: Final = "password_masked"
# What the agents read of it where the subscriber's words are relayed (Slack, Chatwoot).
PRESSED_TOLD_KEY: Final = "summary.pressed_waiting_told"
# The desks' note that it was told (the agents read what the subscriber was promised).
DESK_CLOSED_TOLD_KEY: Final = "summary.desk_closed_told"

# A desk that could not be shown a message left for it (Slack answering 5xx, Chatwoot
# restarting) is tried again after these waits, in seconds: the subscriber was told the
# message is kept, and such outages are mostly over within minutes. Only while the message
# still waits: one an agent took or closed meanwhile (the console lists it all along) is
# not posted late. A handoff is not retried: its subscriber is told at once to call instead.
MESSAGE_RETRY_WAITS: Final = (30.0, 120.0, 600.0)
# Each retry still to make is kept in the store (`bot.store.desk_notices`): the process that
# kept it tries it when due, and one that stopped or died meanwhile leaves it to the sweep of
# any replica (at start-up, then every SWEEP_INTERVAL), once it is NOTICE_GRACE overdue. A
# claimed notice is that claimant's for NOTICE_LEASE (a try through a desk's client, with its
# own resends, takes well under a minute).
NOTICE_LEASE: Final = dt.timedelta(minutes=2)
# A way to call back typed alone is kept as the message at once (the console lists it), and
# the chat asks what the trouble is. The desks' notice waits this long for that line, so
# their agents get one 【伝言】 with the trouble and the number, not the number alone and
# then the trouble in a second post. No one answers a message left at once anyway (it is
# left because no one could take the chat), and the wait is kept in the store like a retry:
# a subscriber who writes no more is still posted, by whichever replica is up.
TROUBLE_WAIT: Final = 300.0
# The `attempt` of a notice held for the trouble: no showing behind it yet.
HELD_FOR_TROUBLE: Final = -1
NOTICE_GRACE: Final = dt.timedelta(minutes=1)
SWEEP_INTERVAL: Final = 60.0


class DeskUnavailableError(RuntimeError):
    """The desk could not be told; the caller gives the conversation back to the bot."""


class Desk(Protocol):
    """Somewhere agents hear about handoffs."""

    name: str

    def accepts(self, channel: str) -> bool:
        """Whether this desk takes conversations of `channel` (Chatwoot takes only its own)."""

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Tell the agents; raise DeskUnavailableError if they could not be told.

        A summary of kind `message_left` tells of a message left for the desk while the
        bot keeps the conversation: shown where the agents work, nothing handed over.
        """


@runtime_checkable
class RelayingDesk(Protocol):
    """A desk whose agents also read the subscriber's later words where the handoff is."""

    async def relay(self, key: str, text: str, said: str = "") -> None:
        """Show `text`, which the subscriber of conversation `key` just wrote, to its agents.

        `said`: the `event_tag` of the turn whose words they are ("" when unknown), by which
        a withdrawal of them names them; given only to a `WithdrawingDesk`.
        """

    async def relay_note(self, key: str, text: str) -> None:
        """Show `text`, the bot's (a login check's result), to the agents of `key`.

        Never as the subscriber's words: those could say the same thing.
        """


@runtime_checkable
class AgentRelayingDesk(Protocol):
    """A relaying desk whose agents also read what the subscriber is told by an agent.

    Their colleagues answer from the console, the agent API or another desk: without their
    words, the thread (the mirror) showed half the conversation.
    """

    name: str

    async def relay_agent(self, key: str, text: str, agent: str) -> None:
        """Show `text`, which agent `agent` ("" when unnamed) said to the subscriber of `key`.

        Marked as the agent's, never as the subscriber's or the bot's.
        """


@runtime_checkable
class WithdrawingDesk(Protocol):
    """A relaying desk that can take back the copy it showed of words later withdrawn."""

    async def withdraw(self, key: str, said: str) -> None:
        """The subscriber of `key` withdrew the words of turn `said` (an `event_tag`).

        The copy shown for them (`RelayingDesk.relay`), if any, is to say so instead.
        """


class Handoffs:
    """The engine's handoff hook: builds the summary and tells every configured desk."""

    def __init__(
        self,
        store: ConversationStore,
        delivery: Delivery,
        catalogs: Catalogs,
        desks: Sequence[Desk],
        base_url: str,
        profile: MigrationProfile,
        tasks: BackgroundTasks,
        *,
        message_waiting: MessageWaiting,
        in_queue: InQueue | None = None,
        holder_line: HolderLine = lambda _line: False,
        alone: Desk | None = None,
        notices: DeskNotices | None = None,
        now: Callable[[], dt.datetime] | None = None,
    ) -> None:
        self._profile = profile
        self._notices = notices or MemoryDeskNotices()
        # Notices the store failed to keep (conversation key, desk): this process alone
        # knows of them, so it tries them unclaimed (a claim would find none, once the store
        # is back, and take it for another replica's).
        self._kept_here: set[tuple[str, str]] = set()
        self._now = now or (lambda: dt.datetime.now(dt.UTC))
        # A desk used only while no other is configured (the console: agents with tokens
        # and nowhere else to hear of a handoff). With Slack, Chatwoot or the webhook, those
        # are where agents work, and a handoff none of them heard is given back as before.
        self._alone = alone
        self._message_waiting = message_waiting
        self._in_queue = in_queue
        # bot.desk.ownership's (it imports this module); by default the whole transcript.
        self._holder_line = holder_line
        # How a retry waits (False: the server is stopping); a test makes it an event.
        self.wait: Callable[[float], Awaitable[bool]] = tasks.pause
        self._tasks = tasks
        self._store = store
        self._delivery = delivery
        self._catalogs = catalogs
        # Drawn once: the profile and the catalogs are fixed while the server runs.
        self._facts = question_facts(profile, catalogs)
        self.desks = list(desks)
        self._base_url = base_url.rstrip("/")
        self._owner_watchers: list[OwnerWatcher] = []
        self._relayed_in_order = InOrder()
        self._pressed: dict[str, PressedWhileWaiting] = {}
        self._typed: list[tuple[Callable[[str], bool], TypedWhileWaiting]] = []

    @property
    def catalogs(self) -> Catalogs:
        """The words the desks are told things in."""
        return self._catalogs

    @property
    def every_desk(self) -> list[Desk]:
        """The desks told of handoffs: the configured ones, else the console if it is alone."""
        return self.desks or ([self._alone] if self._alone is not None else [])

    def available_for(self, channel: str) -> bool:
        """Whether some desk takes conversations of `channel`."""
        return bool(self._desks_of(channel))

    def add(self, desk: Desk) -> None:
        """A desk that became available (a channel registers its agents' side on start)."""
        self.desks.append(desk)

    def when_pressed(self, choice: str, act: PressedWhileWaiting) -> None:
        """Act on `choice` pressed in a person's conversation (a notice's button), not pass it.

        The press still reaches the agents as the words on its button; the subscriber is not
        told it was passed on (`desk.pressed_while_waiting`): `act` answers it.
        """
        self._pressed[choice] = act

    def when_typed(self, reads: Callable[[str], bool], act: TypedWhileWaiting) -> None:
        """Act on words `reads` accepts, typed in a person's conversation, as on a button.

        `reads` is given the words, or a pressed button's id. They still reach the agents;
        `act` answers them (「最初から」 in the queue), or returns False and they wait for
        the agent as any others do.
        """
        self._typed.append((reads, act))

    def watch_owner(self, watcher: OwnerWatcher) -> None:
        """Hear of every owner change from now on (a desk whose message shows the owner)."""
        self._owner_watchers.append(watcher)

    def owner_changed(self, change: OwnerChange) -> None:
        """`change` is stored: tell the watchers in the background, so no request waits."""
        for watcher in self._owner_watchers:
            self._tasks.spawn(watcher(change), name=f"owner {change.key}")

    async def summary(
        self, record: ConversationRecord, reason: str, *, until_seq: int | None = None
    ) -> HandoffSummary:
        """The summary of a stored conversation; with `until_seq`, its lines up to that one.

        A desk message drawn again keeps the message it was posted for: an earlier message
        left for the desk is summed up from the lines up to its own post.
        """
        dialog = record.dialog
        transcript = await self._store.transcript(record.key)
        if until_seq is not None:
            transcript = [line for line in transcript if line.seq <= until_seq]
        message, callback = latest_left_message(transcript) if reason == MESSAGE_LEFT else ("", "")
        # The verdict as the bot says it on the day the summary is drawn (a Slack message
        # drawn again, a Chatwoot note, the webhook), not as stored at the subscriber's last
        # turn: handed over on 06-20 with 「変更を推奨」 and read on 06-21, it said so still.
        # A "recommended" change rests on the old outgoing server answering: the summary
        # says until when, since a message or note is read on later days as it was drawn.
        today = self._now().astimezone(zoneinfo.ZoneInfo(self._profile.timezone)).date()
        sending = (
            sending_today(dialog.sending, timing(self._profile, today)) if dialog.sending else None
        )
        until = self._profile.schedule.old_smtp_until if sending is Sending.RECOMMENDED else None
        return HandoffSummary(
            key=record.key,
            channel=record.channel,
            conversation_id=record.conversation_id,
            sender=started_by(transcript) or "",
            locale=dialog.locale,
            reason=self._catalogs.fill("ja", f"handoff.reason.{reason or 'asked'}", {}),
            address=dialog.address or "",
            new_address=_moved(self._profile, dialog.address),
            program=dialog.program or "",
            answers=dict(dialog.answers),
            receiving=dialog.receiving.value if dialog.receiving else "",
            sending=sending.value if sending else "",
            sending_until=until.isoformat() if until else "",
            stage=dialog.stage.value,
            last_check=last_check(transcript),
            transcript_url=f"{self._base_url}/agent/#{record.key}",
            questions=question_labels(self._profile),
            facts=self._facts,
            said=latest_words(transcript),
            kind=MESSAGE_LEFT if reason == MESSAGE_LEFT else "handoff",
            message=message,
            callback=callback,
        )

    async def after_handoff(self, outcome: TurnOutcome) -> None:
        """Tell the desks in the background: the platform is answered without waiting on them."""
        record = outcome.record
        if record is not None:
            self._tasks.spawn(
                self._notify(record, outcome.handoff_reason), name=f"handoff {record.key}"
            )

    async def after_message_left(self, outcome: TurnOutcome) -> None:
        """Show every desk of the channel the message, in the background, as a handoff is."""
        record = outcome.record
        if record is not None:
            self._tasks.spawn(self._tell_of_message(record), name=f"message left {record.key}")

    async def _tell_of_message(self, record: ConversationRecord) -> None:
        """Each desk gets the summary with the message; the bot keeps the conversation.

        A desk that cannot be told is logged and tried again (MESSAGE_RETRY_WAITS) while
        the message still waits, by whichever replica is up when it is due (the notice is
        kept in the store); the console and the agent API list it all along.
        """
        since = await self._waiting_since(record.key)
        desks = self._desks_of(record.channel)
        if since is not None and record.dialog.leaving_message:
            # A way to call back alone, and the trouble asked for: told with it, or after
            # TROUBLE_WAIT without it.
            held = self._now() + dt.timedelta(seconds=TROUBLE_WAIT)
            notices = [
                DeskNotice(record.key, desk.name, since, HELD_FOR_TROUBLE, held) for desk in desks
            ]
            for notice in notices:
                await self._keep(notice)
            await asyncio.gather(*(self._follow(notice) for notice in notices))
            return
        for desk in desks:
            # A notice held for this line (the trouble after a number alone) is this one.
            await self._forget(record.key, desk.name)
        summary = await self.summary(record, MESSAGE_LEFT)
        if since is not None:
            summary = dataclasses.replace(summary, notice=notice_id(record.key, since))
        failed = await self._tell(desks, record, summary)
        if not failed:
            return
        if since is None:
            _LOGGER.info("Message left in %s dealt with before the desks heard", record.key)
            return
        due = self._now() + dt.timedelta(seconds=MESSAGE_RETRY_WAITS[0])
        notices = [DeskNotice(record.key, desk.name, since, 0, due) for desk in failed]
        for notice in notices:
            await self._keep(notice)
        await asyncio.gather(*(self._follow(notice) for notice in notices))

    async def _follow(self, notice: DeskNotice | None) -> None:
        """Wait for each retry of `notice` here, claim it, try it; until told or given up."""
        while notice is not None:
            if not await self.wait(_wait_before(notice)):
                # Stopping: the notice stays in the store for the next start or a replica.
                _LOGGER.info(
                    "Desk %s not told yet of the message left in %s: left to the next sweep",
                    notice.desk,
                    notice.key,
                )
                return
            claimed = await self._claim(notice)
            if claimed is None:
                return  # another replica's sweep took it (this one was held up)
            notice = await self._try(claimed)

    async def retry_overdue(self) -> int:
        """Try the notices no process tried when due (it stopped, or died); how many.

        Each claimed one is tried now, and its later retries followed in the background.
        """
        now = self._now()
        taken = 0
        for notice in await self._notices.overdue(now - NOTICE_GRACE):
            claimed = await self._claim(notice)
            if claimed is not None:
                taken += 1
                self._tasks.spawn(self._resume(claimed), name=f"desk notice {notice.key}")
        return taken

    async def sweep_forever(self) -> None:
        """`retry_overdue` at start-up and every SWEEP_INTERVAL; cancelled when stopping."""
        while True:
            try:
                await self.retry_overdue()
            except StoreUnavailableError as err:
                _LOGGER.warning("Pending desk notices not read: %s", err)
            except Exception as err:  # the sweep must outlive a bug's one round
                # Raised out of here, the task ended silently and no replica told a desk of a
                # message left after its first try failed, until the next restart.
                _LOGGER.exception(
                    "Pending desk notices not read (tried again at the next sweep): %s: %s",
                    type(err).__name__,
                    err,
                )
                background_error("desk_notices")
            # redis-py can swallow a cancellation that lands mid-command (the lifespan cancels
            # this task, then closes the store under it): as the expiry task in bot.server,
            # without this check the task slept on and the lifespan's owner waited a minute.
            task = asyncio.current_task()
            if task is not None and task.cancelling():
                return
            await asyncio.sleep(SWEEP_INTERVAL)

    async def _resume(self, notice: DeskNotice) -> None:
        await self._follow(await self._try(notice))

    async def _try(self, notice: DeskNotice) -> DeskNotice | None:
        """One retry of a claimed notice; the next one still to make (kept), or None."""
        record = await self._store.load(notice.key)
        waiting = None
        if record is not None:
            waiting = self._message_waiting(record, await self._store.transcript(notice.key))
        desks = [] if record is None else self._desks_of(record.channel)
        desk = next((d for d in desks if d.name == notice.desk), None)
        if record is None or waiting != notice.since or desk is None:
            # Taken or closed meanwhile (the console listed it all along): not posted late.
            _LOGGER.info("Message left in %s dealt with before the desks heard", notice.key)
            await self._drop(notice)
            return None
        summary = dataclasses.replace(
            await self.summary(record, MESSAGE_LEFT),
            notice=notice_id(notice.key, notice.since),
            retried=notice.attempt != HELD_FOR_TROUBLE,
        )
        if not await self._tell([desk], record, summary):
            await self._drop(notice)
            return None
        attempt = notice.attempt + 1
        if attempt >= len(MESSAGE_RETRY_WAITS):
            _LOGGER.error("Desk %s never heard of the message left in %s", desk.name, notice.key)
            await self._drop(notice)
            return None
        due = self._now() + dt.timedelta(seconds=MESSAGE_RETRY_WAITS[attempt])
        following = dataclasses.replace(notice, attempt=attempt, due=due)
        await self._keep(following)
        return following

    # The store being down must not lose the retry this process can still make itself.
    async def _keep(self, notice: DeskNotice) -> None:
        try:
            await self._notices.keep(notice)
        except StoreUnavailableError as err:
            _LOGGER.warning("Desk notice of %s kept in this process only: %s", notice.key, err)
            self._kept_here.add((notice.key, notice.desk))
        else:
            self._kept_here.discard((notice.key, notice.desk))

    async def _claim(self, notice: DeskNotice) -> DeskNotice | None:
        if (notice.key, notice.desk) in self._kept_here:
            return notice
        try:
            return await self._notices.claim(notice, self._now() + NOTICE_LEASE)
        except StoreUnavailableError as err:
            _LOGGER.warning("Desk notice of %s tried unclaimed: %s", notice.key, err)
            return notice

    async def _drop(self, notice: DeskNotice) -> None:
        await self._forget(notice.key, notice.desk)

    async def _forget(self, key: str, desk: str) -> None:
        self._kept_here.discard((key, desk))
        try:
            await self._notices.drop(key, desk)
        except StoreUnavailableError as err:
            _LOGGER.warning("Desk notice of %s not dropped: %s", key, err)

    async def _waiting_since(self, key: str) -> dt.datetime | None:
        record = await self._store.load(key)
        if record is None:
            return None
        return self._message_waiting(record, await self._store.transcript(key))

    async def relay(self, outcome: TurnOutcome) -> None:
        """The subscriber wrote while a person has it: pass it on, in the background."""
        record = outcome.record
        if record is None:
            return
        if outcome.password_masked:
            self._tasks.spawn(self._password_masked(record), name=f"password masked {record.key}")
        self._tasks.spawn(
            self._told_while_waiting(
                record, pressed=outcome.pressed, typed=outcome.for_agent, started=outcome.started
            ),
            name=f"desk closed {record.key}",
        )
        if outcome.started and not (outcome.for_agent or outcome.check_for_agent):
            return  # Telegram's /start: the subscriber is told, the desks have nothing to read
        note = outcome.check_for_agent
        words = (
            self._worded_check(note)
            if note
            # A check link pasted back: its token is the subscriber's alone (`hide_check_tokens`).
            else hide_check_tokens(await self._as_seen(record.key, outcome.for_agent))
        )
        said = "" if note else await self._said(record.key, outcome.for_agent)
        for desk in self.desks:
            if isinstance(desk, RelayingDesk) and desk.accepts(record.channel):
                # In the order the subscriber wrote (the place is taken before the task
                # starts): two messages in flight could swap in the thread.
                place = self._relayed_in_order.place(f"{id(desk)} {record.key}")
                show = desk.relay_note if note else desk.relay
                if not note and isinstance(desk, WithdrawingDesk):
                    # Only a desk that can take its copy back needs to know whose words.
                    show = functools.partial(desk.relay, said=said)
                self._tasks.spawn(
                    self._relay(show, record.key, words, place), name=f"relay {record.key}"
                )

    async def _said(self, key: str, for_agent: str) -> str:
        """The `event_tag` of the turn that stored `for_agent`, its latest subscriber line's."""
        line = await self._store.latest_line(key, "subscriber", "")
        if line is None or line.event is None or not for_agent.endswith(line.text):
            return ""  # a later turn stored meanwhile: its copy is not taken back
        return line.event

    async def withdrawn(self, key: str, said: str) -> None:
        """The subscriber withdrew the words of turn `said`: each desk takes back its copy.

        Behind the relays already under way (the same place in line): a copy still being
        posted is taken back once it is there.
        """
        channel = key.split(":", 1)[0]
        for desk in self.desks:
            if isinstance(desk, WithdrawingDesk) and desk.accepts(channel):
                place = self._relayed_in_order.place(f"{id(desk)} {key}")
                self._tasks.spawn(
                    self._relay(desk.withdraw, key, said, place), name=f"withdraw {key}"
                )

    async def _told_while_waiting(
        self, record: ConversationRecord, *, pressed: str, typed: str = "", started: bool = False
    ) -> None:
        """What a subscriber waiting for a person is told of the desk, if anything, once.

        The desk closed says most; else a button pressed before any agent wrote is
        answered (`_pressed_while_waiting`), and Telegram's /start (`_started_while_waiting`).
        """
        if started:
            if not await self._closed_while_waiting(record):
                await self._started_while_waiting(record)
            return
        act = self._pressed.get(pressed)
        if act is not None:
            # A notice's own button: its answer is the notice's, whether or not the desk is
            # open now (the late-reply notice's 「自動案内に戻る」 pressed after closing).
            await act(record)
            return
        said = pressed or typed
        for reads, answer in self._typed if said else ():
            # Words (or a button's id: Telegram's /restart) that act (`when_typed`), if the
            # act takes them; else they are passed on as any others.
            if reads(said) and await answer(record):
                return
        if not await self._closed_while_waiting(record) and pressed:
            language = understand_choice(pressed).kind is Kind.LANGUAGE
            await self._pressed_while_waiting(record, language=language)

    async def _password_masked(self, record: ConversationRecord) -> None:
        """Tell a subscriber whose password was masked while a person has the chat.

        With the bot, 「パスワードはこのチャットには書き込まないでください…」 answers it; with a
        person the bot is silent, and a subscriber saw their words turn to asterisks (or,
        on a platform that cannot change a sent message, nothing at all) with no word why,
        and typed it again. A notice, as the desk's others: the agent's turn is not taken,
        and the agent reads in the transcript that it was said. Once per message.
        """
        once = f"password-masked:{record.key}:{record.lines}:{record.updated_at.isoformat()}"
        await self.tell_waiting(record, once, MASKED_WHILE_HELD_KEY, MASKED_WHILE_HELD_NOTICE)

    async def _started_while_waiting(self, record: ConversationRecord) -> None:
        """Tell a subscriber who sent Telegram's /start where their chat with a person stands.

        Telegram shows START after the chat's history is cleared, and a subscriber who
        heard nothing for a while presses /start to wake the bot: in the queue, or with an
        agent, it answered nothing at all (the words went nowhere, the agent saw nothing),
        and the chat seemed dead. Said once until an agent writes again.
        """
        tail = await lines_back_to(self._store, record.key, _ends_a_wait)
        since = next((x for x in reversed(tail) if _ends_a_wait(x)), None)
        written = since is not None and since.author == "agent"
        once = f"started-waiting:{record.key}:{since.seq if since is not None else 0}"
        key = STARTED_WITH_AGENT_KEY if written else STARTED_WHILE_WAITING_KEY
        await self.tell_waiting(record, once, key, STARTED_NOTICE)

    async def _pressed_while_waiting(self, record: ConversationRecord, *, language: bool) -> None:
        """Tell a subscriber who pressed a button that it reached the desk, once a wait.

        Pressed on LINE, Telegram or Slack while no agent has written since the bot last
        spoke (in the queue, or taken and not written to yet), nothing came back: the chat
        seemed to have died. The press itself is relayed to the agents (the words on its
        button); this says so once until an agent writes: a take from the queue meanwhile,
        which the subscriber does not see, does not make them read it twice. Stored with the
        transcript, and noted where the agents read the subscriber's words.

        `language`: the web chat's language button, which passes nothing on to answer: told
        that the chat switched (「お選びいただいた内容は、担当者にお伝えしました」 read as if a
        choice waited on the agent), and no note (the agents read the language chosen).
        """
        tail = await lines_back_to(self._store, record.key, _ends_a_wait)
        since = next((x for x in reversed(tail) if _ends_a_wait(x)), None)
        if since is None or since.author == "agent" or _pressed_notice(since):
            return  # an agent has written (and answers the press), or it was said
        once = f"pressed-waiting:{record.key}:{since.seq}"
        key = LANGUAGE_WHILE_WAITING_KEY if language else PRESSED_WHILE_WAITING_KEY
        if await self.tell_waiting(record, once, key, PRESSED_NOTICE) and not language:
            note = self._catalogs.fill(DESK_LOCALE, PRESSED_TOLD_KEY, {})
            self.note_to_desks(record.channel, record.key, note)

    async def tell_waiting(
        self,
        record: ConversationRecord,
        once: str,
        key: str,
        notice: str,
        values: Mapping[str, object] | None = None,
        choices: Sequence[tuple[str, str]] = (),
    ) -> bool:
        """Say `key` to a subscriber a person's conversation waits on, once per `once`.

        Stored with the transcript, marked `notice` (the bot's words, not the bot taking the
        chat back: `is_notice`), then pushed. False when said before, or when the bot has the
        conversation again (or it closed) meanwhile. `values` fill the text's placeholders;
        `choices` are buttons under it (the choice's id, its label's catalog key).
        """
        locale = record.dialog.locale
        text = (
            self._catalogs.fill(locale, key, values) if values else self._catalogs.raw(locale, key)
        )
        reply: TextReply | ChoicesReply = TextReply(text)
        if choices:
            buttons = tuple(Choice(id, self._catalogs.raw(locale, label)) for id, label in choices)
            reply = ChoicesReply(text, buttons)
        data = {**reply_to_dict(reply), NOTICE: notice}
        line = TranscriptEntry(self._now(), "bot", reply_as_plain_text(reply), data)

        def tell(stored: ConversationRecord | None) -> Change[None] | None:
            if stored is None or stored.owner is not Owner.AGENT:
                return None  # taken back, or closed, meanwhile
            return Change(stored, [line], None)

        if await self._store.transact(record.key, once, tell) is None:
            return False
        await self._delivery.push(record.channel, record.conversation_id, [reply])
        return True

    async def _closed_while_waiting(self, record: ConversationRecord) -> bool:
        """Tell a subscriber who writes to a person's chat outside the hours that none answers.

        Handed over just before closing time, they heard nothing more (the bot is silent
        while a person is to answer) until an agent came in the next working day. Once per
        handoff (its line's event) while in the queue, once per closed hours while an agent
        who has not written since they ended has it; stored with the transcript so agents
        see it was said. True while the desk is closed (told now or before, or an agent still
        at work): a press then is not promised a reply 「少々」 away.
        """
        if self._in_queue is None:
            return False
        local = self._now().astimezone(zoneinfo.ZoneInfo(self._profile.timezone))
        closed = self._profile.support.desk_hours.closed_since(local)
        if closed is None:
            return False  # open, or no hours
        # The latest lines back to the one naming the holder, and the handoff through the
        # store's index: a long conversation an agent has was read whole at every message.
        tail = await lines_back_to(self._store, record.key, self._holder_line)
        if self._in_queue(record, tail):
            handoff = await self._store.latest_line(record.key, "system", HANDOFF_LINE)
            if handoff is None:
                return True
            once = f"desk-closed:{record.key}:{handoff.seq}"
        else:
            # An agent has it, and has written nothing since the hours ended: gone home
            # without handing it back, the subscriber heard nothing until the next working
            # day. Once per closed hours (an agent still at work after closing is left alone).
            held = next(
                (x for x in reversed(tail) if x.author != "bot" and self._holder_line(x)), None
            )
            if held is None or held.at >= closed:
                return True
            once = f"desk-closed:{record.key}:{held.seq}:{closed.isoformat()}"
        if await self.tell_waiting(record, once, CLOSED_WHILE_WAITING_KEY, DESK_CLOSED_NOTICE):
            # The agents who come in next see what the subscriber was promised, after the
            # words that brought it (the same place in line).
            note = self._catalogs.fill(DESK_LOCALE, DESK_CLOSED_TOLD_KEY, {})
            self.note_to_desks(record.channel, record.key, note)
        return True

    def note_to_desks(self, channel: str, key: str, note: str) -> None:
        """Show the bot's `note` to the agents of `key` where its words are relayed, in order.

        Started now, in the background: each desk's place in line is taken before returning.
        """
        for desk in self.desks:
            if isinstance(desk, RelayingDesk) and desk.accepts(channel):
                place = self._relayed_in_order.place(f"{id(desk)} {key}")
                self._tasks.spawn(
                    self._relay(desk.relay_note, key, note, place), name=f"relay {key}"
                )

    def agent_said(
        self, channel: str, key: str, agent: str, text: str, *, origin: str | None
    ) -> None:
        """Show an agent's words to the subscriber of `key` where their words are relayed.

        Every such desk but `origin` (the desk's `name` where they were written, which shows
        them already: Slack's thread, Chatwoot's mirror), in order with the subscriber's
        words. Started now, in the background.
        """
        for desk in self.desks:
            if (
                isinstance(desk, AgentRelayingDesk)
                and desk.name != origin
                and desk.accepts(channel)
            ):
                place = self._relayed_in_order.place(f"{id(desk)} {key}")
                show = functools.partial(desk.relay_agent, agent=agent)
                self._tasks.spawn(self._relay(show, key, text, place), name=f"relay {key}")

    async def _relay(
        self, show: Callable[[str, str], Awaitable[None]], key: str, words: str, place: Place
    ) -> None:
        async with place:
            await show(key, words)

    def _worded_check(self, line: str) -> str:
        """A login check's line in the desks' words, not its audit data.

        「ログイン確認の結果: 送信（ポート587）: 認証に失敗、…」
        """
        detail = worded_check(line.removeprefix(CHECK_LINE), self._catalogs, DESK_LOCALE)
        return self._catalogs.fill(DESK_LOCALE, CHECK_RESULT_KEY, {"detail": detail})

    async def _as_seen(self, key: str, said: str) -> str:
        """A pressed button (`[yes]`) as the words the subscriber saw on it (「はい」); a photo too.

        Typed words stay as typed, a check's audit form too: only the engine's
        `check_for_agent` is a check (a subscriber typed 「check_result: smtp=ok pop=ok」 and
        the thread showed a login that never ran as 「ログイン確認の結果: …成功」).
        """
        if said in WORDLESS_KEYS:
            # A photo or a sticker (`[media]`, `[sticker]`): said so, in the desk's words.
            return self._catalogs.fill(DESK_LOCALE, WORDLESS_KEYS[said], {})
        words, newline, last = said.rpartition("\n")
        if newline and last == MEDIA_MARK:
            # Words with a photo or file (`Inbound.attached`): the words, then the photo.
            media = self._catalogs.fill(DESK_LOCALE, WORDLESS_KEYS[last], {})
            return f"{await self._as_seen(key, words)}\n{media}"
        if not (said.startswith("[") and said.endswith("]") and "\n" not in said):
            return said
        # The press just stored, and the lines back to the question it names (or to the
        # latest question, for a press that names none): not the whole conversation.
        pressed = await self._store.latest_line(key, "subscriber", said)
        if pressed is None or pressed.text != said:
            return said
        tag = (pressed.reply or {}).get(PRESSED_QUESTION)

        def asked(line: TranscriptEntry) -> bool:
            offer = line.reply or {}
            return (
                line.author == "bot"
                and isinstance(offer.get("choices"), list)
                and (tag is None or line.event == tag)
            )

        lines = await lines_back_to(self._store, key, asked)
        answer = pressed_answers(lines).get(pressed.seq)
        if answer is None and lines and lines[0].seq > 1:
            # Offered further back (an older question's button): read it all, as before.
            answer = pressed_answers(await self._store.transcript(key)).get(pressed.seq)
        if answer is None:
            # A standing button (the web chat's 「担当者と話す」), which no question offered.
            record = await self._store.load(key)
            locale = record.dialog.locale if record is not None else DESK_LOCALE
            return standing_label(said, self._catalogs, locale) or said
        # With the question it answers: the agent's own questions are in the thread too, and
        # a bare 「いいえ」 could be the answer to any of them.
        label, offer = answer
        question = question_in(offer)
        if not question:
            return label
        return self._catalogs.fill(DESK_LOCALE, PRESSED_KEY, {"label": label, "question": question})

    async def _notify(self, record: ConversationRecord, reason: str) -> None:
        """Tell the desks; if none hears, hand the conversation back and say how to reach us."""
        if not await self._tell_desks(record, await self.summary(record, reason)):
            if not await self._give_back(record):
                # The console lists a handoff at once, however slow the desks are to fail: an
                # agent may have taken it there, or the subscriber gone back to the bot, or it
                # was closed (`_give_back` does not say which).
                _LOGGER.warning(
                    "No desk heard of the handoff of %s, which no longer waits in the queue"
                    " (taken, handed back or closed meanwhile): left as it is",
                    record.key,
                )
                return
            # The desks' lines say each was not told; this is what the subscriber got.
            _LOGGER.warning(
                "No desk heard of the handoff of %s: the bot has it back and told the"
                " subscriber how to reach the desk",
                record.key,
            )

    async def _tell_desks(self, record: ConversationRecord, summary: HandoffSummary) -> int:
        """Give `summary` to every desk of the record's channel; how many took it (logged)."""
        desks = self._desks_of(record.channel)
        return len(desks) - len(await self._tell(desks, record, summary))

    def _desks_of(self, channel: str) -> list[Desk]:
        if not self.desks and self._alone is not None:
            return [self._alone] if self._alone.accepts(channel) else []
        return [desk for desk in self.desks if desk.accepts(channel)]

    async def _tell(
        self, desks: Sequence[Desk], record: ConversationRecord, summary: HandoffSummary
    ) -> list[Desk]:
        """Give `summary` to each of `desks`; the ones that could not be told (logged)."""
        failed: list[Desk] = []
        for desk in desks:
            try:
                await desk.hand_off(summary)
            except DeskUnavailableError as err:
                _LOGGER.error(
                    "Desk %s was not told (%s) of %s: %s", desk.name, summary.kind, record.key, err
                )
                desk_not_told(desk.name, summary.kind)
                failed.append(desk)
            except Exception as err:  # a desk's bug must not cost the other desks their notice
                # Out of here, it ended the handoff's task: the desks after it never heard,
                # and the subscriber was not told to call instead.
                _LOGGER.exception(
                    "Desk %s failed unexpectedly (%s of %s), taken as not told: %s: %s",
                    desk.name,
                    summary.kind,
                    record.key,
                    type(err).__name__,
                    err,
                )
                background_error("desk")
                desk_not_told(desk.name, summary.kind)
                failed.append(desk)
        return failed

    async def _give_back(self, record: ConversationRecord) -> bool:
        """The handoff no desk heard of goes back to the bot, which says how to reach people.

        Only while it still waits in the queue: the desks may take many seconds to fail (a
        webhook's resends), and the console lists a handoff at once. Taken there meanwhile,
        or written to, it is that agent's: the subscriber read 佐藤's answer, then 「おつなぎ
        できませんでした」 and the bot. Decided on the record and lines as read, and read
        again when either changed (a subscriber's words while waiting). False: left as it is.
        """
        locale = record.dialog.locale
        support = self._profile.support
        contact = support.contact(locale)
        sorry = TextReply(self._catalogs.fill(locale, "handoff.failed", {"contact": contact}))
        key = record_key(record.channel, record.conversation_id)
        for _ in range(COMPARE_AND_SET_READS):
            seen = await self._store.load(key)
            if seen is None or seen.owner is not Owner.AGENT:
                return False
            tail = await lines_back_to(self._store, key, self._holder_line)
            if self._in_queue is not None and not self._in_queue(seen, tail):
                return False
            read = tail[-1].seq if tail else 0

            def to_bot(
                stored: ConversationRecord | None, seen: ConversationRecord = seen, read: int = read
            ) -> Change[None] | None:
                if stored is None or stored != seen or stored.lines > read:
                    return None
                back = dataclasses.replace(stored, owner=Owner.BOT)
                line = TranscriptEntry(record.updated_at, "bot", sorry.text, reply_to_dict(sorry))
                return Change(back, [line], None)

            if await self._store.transact(key, None, to_bot) is not None:
                self.owner_changed(OwnerChange(key, Owner.AGENT, Owner.BOT))
                await self._delivery.push(record.channel, record.conversation_id, [sorry])
                return True
        return False


def _pressed_notice(line: TranscriptEntry) -> bool:
    return line.author == "bot" and (line.reply or {}).get(NOTICE) == PRESSED_NOTICE


def _ends_a_wait(line: TranscriptEntry) -> bool:
    """Whether the subscriber's wait for an agent's words reaches back no further than `line`.

    An agent's words, the bot's own (a handoff's, a take's notice: the wait began after
    them), or the notice of a press told already. A take or another notice is passed over.
    """
    if line.author == "agent" or _pressed_notice(line):
        return True
    return line.author == "bot" and not is_notice(line)


def is_notice(line: TranscriptEntry) -> bool:
    """Whether `line` is the bot's notice in a person's conversation, not the bot answering."""
    return line.author == "bot" and (line.reply or {}).get(NOTICE) is not None


def _wait_before(notice: DeskNotice) -> float:
    """Seconds from keeping `notice` to trying it: held for the trouble, or a retry's wait."""
    if notice.attempt == HELD_FOR_TROUBLE:
        return TROUBLE_WAIT
    return MESSAGE_RETRY_WAITS[notice.attempt]


def notice_id(key: str, since: dt.datetime) -> str:
    """The id of the message left in `key` at `since`, the same at every showing."""
    return event_tag(f"message_left {key} {since.isoformat()}")


def announce(engine: Engine, change: OwnerChange) -> None:
    """Tell the owner watchers, if the engine's handoff hook keeps any, that `change` is stored.

    A take-over from one agent by another is a change too, though the owner stays "agent".
    """
    if isinstance(engine.handoff, Handoffs):
        engine.handoff.owner_changed(change)


def _moved(profile: MigrationProfile, address: str | None) -> str:
    """The address after a change of domain, where it differs from the one typed; else ""."""
    if not address:
        return ""
    moved = profile.new_address(address)
    return "" if moved == address else moved
