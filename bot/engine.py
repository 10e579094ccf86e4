"""One turn: drop a repeated event, lock the conversation, load, step, save, return replies.

The engine knows nothing of platforms: an adapter hands it an `Inbound` and sends back the
replies it returns. Everything a later turn needs is in the saved record, so any replica
can take the next turn and a restart loses nothing that was acknowledged.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import logging
import re
import time
import urllib.parse
import zoneinfo
from collections.abc import Callable, Collection, Mapping, Sequence
from dataclasses import dataclass
from typing import Final, Protocol

from bot.japanese_analyser import japanese_analyser
from bot.store.conversation_store import (
    WITHDRAWN_TEXT,
    AuditEvent,
    Change,
    ConversationRecord,
    ConversationStore,
    LinkGrant,
    Owner,
    TranscriptEntry,
    bookkeeping_line,
    event_tag,
    record_key,
)
from bot.store.transcript_tail import lines_back_to
from dialogs import feedback, frozen
from dialogs.conversation import step
from dialogs.profile import MigrationProfile, ProgramName
from dialogs.reading.morphemes import Analyser
from dialogs.reading.stage_reading import login_domains, redact_typed
from dialogs.redaction import MASK, names_a_password, own_accounts, password_spoken
from dialogs.resume import (
    address_typed_while_held,
    language_asked_while_held,
    pressed_while_held,
)
from dialogs.settings_card import said_without_address
from dialogs.state import DialogState, Signal, StepContext
from dialogs.texts import N_, Texts
from dialogs.understanding import takes_the_password_back
from dialogs.vocabulary import (
    APPLE_PROFILE_PLACEHOLDER,
    CHECK_LINK_PLACEHOLDER,
    EDITED_CHOICE,
    EMOJI_CHOICE,
    FORWARDED_CHOICE,
    MEDIA_CHOICE,
    WORDLESS_CHOICES,
    ChoicesReply,
    FileReply,
    Inbound,
    LinkReply,
    Locale,
    Reply,
    TextReply,
    is_choice_id,
    reply_as_plain_text,
    reply_to_dict,
)

_LOGGER: Final = logging.getLogger(__name__)
# The system line after a message left for the desk (the console names it).
DESK_MESSAGE_LINE: Final = "desk_message: left"
# What marks an edited message's new words in the transcript (`_message_lines`).
EDITED_MARK: Final = f"[{EDITED_CHOICE}] "
# Words forwarded from someone else (`FORWARDED_CHOICE`), as an agent reads them: shown by
# the subscriber, not said; a hand-back answers none of them.
FORWARDED_MARK: Final = f"[{FORWARDED_CHOICE}] "
# A photo, file or voice message, alone or beside words (`Inbound.attached`): the line of a
# press of `MEDIA_CHOICE`, as the desks word it (bot.desk.summary.MEDIA_LINE).
MEDIA_MARK: Final = f"[{MEDIA_CHOICE}]"
# Put before a `[` that begins a line of typed words: the transcript's marks (`MEDIA_MARK`, a
# press's `[yes]`, `EDITED_MARK`, the withdrawn lines) are whole lines of text in `[ ]`, so a
# subscriber who typed 「[media]」 was shown to the agent as having sent a photo, and 「[yes]」
# as having pressed はい. A word joiner draws as nothing, and no mark holds one.
TYPED_BRACKET_GUARD: Final = "\u2060"
# How much of one message the transcript keeps, and the longest an agent may write
# (`bot.desk.agent_models.MAX_MESSAGE` is this). Slack lets 40,000 characters through and Chatwoot
# 150,000, and masking a password is linear in the length at several microseconds a
# character on a message built for it (「パスワード：abc 」 over and over): 150,000 held the
# event loop about a second, every other subscriber waiting. The dialog reads the first
# 2,000 (`dialogs.turn.READ_LENGTH`); the agent reads the whole on the subscriber's platform.
KEPT_LENGTH: Final = 4000
# How far past the cut the words are read for a password: one the cut splits, or one whose
# naming comes after it (「Kq7xyz99 がパスワードです」), is masked as in a whole message.
# Neither part is stored; with it, a LINE (5,000) or Telegram (4,096) message is read whole.
READ_PAST_CUT: Final = 1000
# The kind of a login check's result event (`bot.mailcheck.login_checks`).
CHECK_RESULT: Final = "check_result"
# The system line of a handoff, with its reason (asked, not_understood, ...) after it.
HANDOFF_LINE: Final = "handoff: "
# On a pressed button's line, the `event_tag` of the turn that asked its question.
PRESSED_QUESTION: Final = "question"
_TAG: Final = re.compile(r"[0-9a-f]{16}")
# The system line that opens a conversation: who started it, as the platform names them.
SENDER_LINE: Final = "sender: "
# The audit note of a message the subscriber withdrew (LINE's unsend), naming its turn's tag.
WITHDRAWN_LINE: Final = "withdrawn: "
# Bookkeeping beside it when the withdrawn message gave the address held, forgotten with it:
# a desk's summary that showed the address is written again though it quoted older lines.
ADDRESS_WITHDRAWN_LINE: Final = "address withdrawn: "
# A channel's note of where in a conversation the subscriber now writes (Slack's DMs:
# `thread <ts>` or `top` after it, adapters.slack.channel): where to post, not an event of
# the conversation, so what reads the conversation's story (the summary's message left)
# reads past it. Here and not in the adapter because bot.desk must know it and may import
# no adapter. Its text keeps the Slack channel's spelling: stored transcripts hold it, and
# the channel reads the latest one back to know where to post.
PLACE_NOTE_LINE: Final = "slack dm: "
# Bidi embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): shown to an agent,
# an unclosed one turns the rest of a transcript or summary line round. The web chat's API
# drops them; Telegram, LINE and Slack pass them on as typed, so every channel's words and
# sender names lose them here, before anything is read or stored.
_BIDI_CONTROLS: Final = dict.fromkeys(
    map(ord, "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069")
)
# Control characters but tab and line breaks (C0, DEL, C1), dropped with them: the web chat's
# API drops them too, and the agent API refuses them, but Telegram, LINE and Slack pass them
# on, as Chatwoot and Slack pass an agent's: an escape sequence reached a terminal and the
# desks, a NUL a Chatwoot mirror (PostgreSQL refuses it).
_INVISIBLE_CONTROLS: Final = {
    **_BIDI_CONTROLS,
    **dict.fromkeys(c for c in [*range(0x20), *range(0x7F, 0xA0)] if chr(c) not in "\t\n\r"),
}

# Lines one conversation's transcript may hold; past them nothing the subscriber sends is
# kept, and they are told where to call (`transcript.full`). A web chat client may send 300
# messages of 2,000 characters a minute into one conversation: 3,000 of them (ten minutes)
# weighed 22 MB in Redis, the agent API's read of the conversation answered 18 MB, and a
# withdrawal's commit (which reads the whole list inside Redis) held every replica's Redis
# for 0.78 s. A long conversation with an agent is a few hundred lines.
MAX_TRANSCRIPT_LINES: Final = 1000

Clock = Callable[[], dt.datetime]
"""Returns the current time, timezone-aware. Injected so tests can fix the date."""


def system_clock() -> dt.datetime:
    """The real time, in UTC."""
    return dt.datetime.now(dt.UTC)


class LinkMaker(Protocol):
    """Turns the dialog's placeholder links into real URLs (the login check's `CheckLinks`)."""

    def mint(self, key: str, now: dt.datetime) -> tuple[str, LinkGrant]:
        """A fresh one-time link to the login check of conversation `key`, and its grant."""
        ...

    def apple_profile_url(self, state: DialogState) -> str:
        """Where the Apple configuration profile for the state's address and verdict is served."""
        ...


class TurnObserver(Protocol):
    """Told about every finished turn (metrics); must not raise or block."""

    def turn_finished(self, channel: str, outcome: TurnOutcome, seconds: float) -> None:
        """One turn of `channel` took `seconds` and produced `outcome`."""


class HandoffHook(Protocol):
    """Told after a turn handed its conversation to the desk (it notifies the agents)."""

    def available_for(self, channel: str) -> bool:
        """Whether a desk takes `channel`'s conversations: the dialog hands off only then."""

    async def after_handoff(self, outcome: TurnOutcome) -> None:
        """Notify the desk; on failure, give the conversation back and tell the subscriber."""

    async def relay(self, outcome: TurnOutcome) -> None:
        """Pass what the subscriber said while a person has the conversation to the desks."""

    async def after_message_left(self, outcome: TurnOutcome) -> None:
        """Show the desks a message the subscriber left for them (no one could take the chat)."""

    async def withdrawn(self, key: str, said: str) -> None:
        """The subscriber withdrew the words of turn `said`: the desks' copies say so too."""


class _NoObserver:
    def turn_finished(self, channel: str, outcome: TurnOutcome, seconds: float) -> None:
        pass


@frozen.quick_init
@dataclass(frozen=True, slots=True)
class TurnOutcome:
    """What a turn produced; `duplicate` means the event was handled before.

    `replayed` holds a duplicate's first answer as stored (`reply_to_dict` form), when the
    caller asked for it; `stale` means a button of a question that is no longer open was
    pressed, and nothing changed (`record` is the conversation as it stands).
    """

    replies: tuple[Reply, ...] = ()
    signals: tuple[Signal, ...] = ()
    record: ConversationRecord | None = None
    duplicate: bool = False
    replayed: tuple[Mapping[str, object], ...] = ()
    stale: bool = False
    handed_off: bool = False
    handoff_reason: str = ""
    # What the subscriber said (masked) while a person had the conversation: for their desk.
    for_agent: str = ""
    # A login check's line run meanwhile (`check_result: smtp=…`): for their desk too, and
    # apart from the words, so that typing its form is no check (the desk words it).
    check_for_agent: str = ""
    # The subscriber's words as stored, where a password in them was masked: for their screen.
    said: str = ""
    # A password in their words was masked while a person had the chat: the bot says
    # nothing then, so the subscriber is told by a notice (`Handoffs.relay`).
    password_masked: bool = False
    # Recorded and not answered (`Engine.handle(quiet=True)`): the answer may follow later.
    quiet: bool = False
    # What the bot would have said, had a person not had the conversation: a login check's
    # result, which its page shows in these words (the chat hears nothing).
    unsaid: tuple[Reply, ...] = ()
    # The `event_tag` of the turn whose words this one withdrew (「さっきのはパスワードです」):
    # the desks take their copy back.
    withdrew: str = ""
    # The choice id of a button pressed while a person has the conversation ("" for words):
    # the desk answers that it was passed on while no agent has written yet
    # (`Handoffs.relay`), as nothing else would; the language button, that the chat switched.
    pressed: str = ""
    # Telegram's /start (a platform's start without words) while a person has the
    # conversation: nothing to pass on, but the subscriber is told where the chat stands.
    started: bool = False
    # A button of a conversation no longer kept started a new one (`earlier_ended`): the
    # press answered nothing, so its message is not marked with the answer (「✓ いいえ」).
    restarted: bool = False


class Engine:
    """Runs turns against a store; shared by every channel of the process."""

    def __init__(
        self,
        store: ConversationStore,
        profile: MigrationProfile,
        texts: Texts,
        clock: Clock = system_clock,
        observer: TurnObserver | None = None,
        links: LinkMaker | None = None,
        analyser: Analyser | None = None,
        profile_since: int | None = None,
    ) -> None:
        # Set by the runtime once the desks are known (they need the engine themselves).
        self.handoff: HandoffHook | None = None
        # The channels whose links open in their app's own browser on a phone (LINE,
        # Telegram, Slack: `links_open_in_app`), told by the runtime as it enables them.
        self.links_open_in_app: set[str] = set()
        self.store = store
        self.observer: TurnObserver = observer or _NoObserver()
        self._links = links
        self.profile = profile
        self.texts = texts
        self._clock = clock
        self._zone = zoneinfo.ZoneInfo(profile.timezone)
        # When this process took up its profile (ms since the epoch): in a rolling deploy the
        # later one is the profile a conversation follows (`StepContext.profile_since`). The
        # wall clock, not `clock`: a preview's day or a test's fixed moment orders no replicas.
        self._profile_since = (
            time.time_ns() // 1_000_000 if profile_since is None else profile_since
        )
        # Loaded once per process and shared: reading a message must not read a dictionary.
        self._analyser = analyser if analyser is not None else japanese_analyser()

    def now(self) -> dt.datetime:
        """The engine's current time (the injected clock's)."""
        return self._clock()

    def context(self, channel: str = "") -> StepContext:
        """What the dialog may consult this turn; "today" is the provider's calendar day."""
        local = self._clock().astimezone(self._zone)
        desk = self.handoff is not None and self.handoff.available_for(channel)
        # Outside the profile's desk hours a configured desk is not offered: no one would answer.
        hours = self.profile.support.desk_hours
        open_now = hours.is_open(local)
        closes = hours.closing(local)
        return StepContext(
            profile=self.profile,
            texts=self.texts,
            analyser=self._analyser,
            today=local.date(),
            desk_available=desk and open_now,
            desk_closed=desk and not open_now,
            desk_opens=hours.next_opening(local),
            desk_closes=closes,
            desk_reopens=hours.next_opening(closes) if closes is not None else None,
            profile_since=self._profile_since,
        )

    async def handle(
        self,
        inbound: Inbound,
        *,
        create: bool = True,
        prepare: Callable[[ConversationRecord], ConversationRecord | None] | None = None,
        replay: bool = False,
        question: str | None = None,
        quiet: bool = False,
        recorded: bool = False,
        handoffs_held: bool = False,
        sender_handoffs_held: bool = False,
    ) -> TurnOutcome:
        """Run one turn for `inbound`.

        A repeated event id gives a `duplicate` outcome and changes nothing; with `replay`
        it carries the replies the first turn gave (read from the transcript, so only a
        repeat pays for it). With `create=False` an unknown conversation is left alone
        (`record` stays None). `prepare` changes the stored record first, in the same
        transaction (an agent's hand-back: owner and facts change together with the bot's
        first words); when it returns None the turn writes nothing (the record is no longer
        the one the change was meant for). `question` names the question a pressed button
        belongs to (the `event_tag` of the turn that asked it): unless it is still the open
        one, the press is `stale` and changes nothing.

        `quiet` records what the subscriber sent and answers nothing yet (a conversation it
        would start is greeted, and nothing more); `recorded` answers what such a quiet turn
        recorded, without recording it again. Telegram's album: its photos are recorded as
        they come, and asked about only when no caption came with them.

        `handoffs_held`: the sender has handed as many conversations to the desk as a client
        may lately (the web chat's per-client limit): asking for a person is answered in
        words and hands nothing over (`Signal.HANDOFF_HELD`). `sender_handoffs_held`: the
        same, past the limit of one platform sender (Telegram, LINE, Slack), told so.
        """
        inbound = _without_controls(_bounded(inbound))
        key = record_key(inbound.channel, inbound.conversation_key)
        now = self._clock()
        context = self.context(inbound.channel)
        if inbound.hidden:
            context = frozen.replace(context, hidden=inbound.hidden)
        if handoffs_held or sender_handoffs_held:
            context = frozen.replace(
                context, handoffs_held=True, handoffs_held_sender=sender_handoffs_held
            )
        called = False
        stale: ConversationRecord | None = None
        # The open question's tag, when a press names an older question that may be the same
        # one asked again (`_asked_again`); None once that was read.
        again: list[str] = []
        reread = False
        # 「さっきのはパスワードです」 needs the subscriber's latest line where the record does not
        # say (stored before `last_words` was kept, or naming a press as it once did): read
        # here, for the turn's update may not wait, and only for these words (they are rare).
        latest = (
            await self._latest_words(key)
            if inbound.choice is None and takes_the_password_back(inbound.text or "")
            else None
        )

        def update(record: ConversationRecord | None) -> Change[TurnOutcome] | None:
            nonlocal called, stale
            called = True
            if record is None and not create:
                return None
            if (
                record is not None
                and record.lines >= MAX_TRANSCRIPT_LINES
                and inbound.event is None
            ):
                # Kept as it is; the event is noted, so a redelivery is a duplicate. The
                # store read the transcript's length with the record, in this transaction.
                return Change(
                    record, [], TurnOutcome(record=record, replies=(_full(record, context),))
                )
            # A closed conversation starts afresh: a press of its old buttons answers nothing
            # open. Read here, in the turn's own transaction, not by a load before it.
            asked = None if record is not None and record.owner is Owner.CLOSED else question
            if (
                asked is not None
                and record is not None
                and record.owner is not Owner.AGENT
                and _asked_before(record, asked)
            ):
                if not reread and record.question and _is_press(inbound):
                    # Perhaps the open question asked again since (after an aside answered, or
                    # by a hand-back): read outside, then the turn runs again.
                    again[:] = [record.question]
                    return None
                # A second tap, or another tab: the question it answers was answered already.
                # While a person has the conversation every press is the subscriber's words
                # for them, an older question's too: nothing is asked meanwhile.
                stale = record
                if inbound.text is None or inbound.choice is not None:
                    # Changes nothing, but it is the latest thing the subscriber did: a
                    # 「さっきのはパスワードです」 after it withdraws nothing typed before it.
                    dialog = _remembered(record.dialog, inbound, [])
                    if dialog == record.dialog:
                        return None
                    pressed = dataclasses.replace(record, dialog=dialog)
                    return Change(pressed, [], TurnOutcome(record=pressed, stale=True))
                # Words typed as a reply quoting that question (Telegram's "Reply") answer
                # nothing either, and are kept: they are the subscriber's, for an agent to read.
                lines = _inbound_lines(
                    inbound,
                    now,
                    record.dialog,
                    asked,
                    domains=login_domains(self.profile),
                    analyser=self._analyser,
                    texts=self.texts,
                )
                kept = dataclasses.replace(
                    record, dialog=_remembered(record.dialog, inbound, lines), updated_at=now
                )
                said = _said(inbound, lines)
                return Change(kept, lines, TurnOutcome(record=kept, stale=True, said=said))
            if record is not None and prepare is not None:
                record = prepare(record)
                if record is None:
                    return None
            if record is not None:
                record = dataclasses.replace(
                    record, dialog=_last_words_known(record.dialog, latest)
                )
            return self._turn(
                record,
                key,
                inbound,
                now,
                context,
                quiet=quiet,
                recorded=recorded,
                question=asked,
                answers_open=asked is not None and record is not None and record.question == asked,
            )

        started = time.perf_counter()
        change = await self.store.transact(key, inbound.event_id, update)
        if change is None and again and question is not None:
            # The older copy of the question still open answers it: 「この質問には、すでに
            # お答えいただいています」 was said of a question asked again, never answered.
            reread, called = True, False
            if await self._asked_again(key, question, again[0]):
                question = again[0]
            change = await self.store.transact(key, inbound.event_id, update)
        if change is not None:
            outcome = change.result
        elif not called:
            _LOGGER.info("Dropping repeated event %s", inbound.event_id)
            replayed = await self._first_answer(key, inbound.event_id) if replay else ()
            outcome = TurnOutcome(duplicate=True, replayed=replayed)
        elif stale is not None:
            _LOGGER.info("Dropping a press for an answered question, event %s", inbound.event_id)
            outcome = TurnOutcome(record=stale, stale=True)
        else:
            outcome = TurnOutcome()
        self.observer.turn_finished(inbound.channel, outcome, time.perf_counter() - started)
        if outcome.handed_off and self.handoff is not None:
            await self.handoff.after_handoff(outcome)
        if (
            outcome.for_agent or outcome.check_for_agent or outcome.started
        ) and self.handoff is not None:
            await self.handoff.relay(outcome)
        if Signal.DESK_MESSAGE_LEFT in outcome.signals and self.handoff is not None:
            # Once: a repeated event has no signals.
            await self.handoff.after_message_left(outcome)
        if outcome.withdrew and self.handoff is not None:
            # Relayed to a desk while a person had the chat, the password is there too.
            await self.handoff.withdrawn(key, outcome.withdrew)
        return outcome

    async def withdraw(self, channel: str, conversation_key: str, event_id: str, said: str) -> bool:
        """Withdraw what the subscriber said in the turn of event `said`.

        False if the bot never kept it or it is withdrawn already. LINE asks that a message
        its sender unsent be treated as withdrawn: its words leave the transcript every desk
        reads (the line stays, saying WITHDRAWN_TEXT), the bot's lines of that turn too
        (WITHDRAWN_REPLY_TEXT: they may have said the words back, as
        「abc12345@vp.117.ne.jp」), and a system line notes it. Nothing is answered and the
        dialog does not move, except that the address the words gave (`address_from`) is
        forgotten and masked in the later lines that said it back (`_address_masks`), a
        sentence piece holding them goes, and 「さっきのはパスワードです」 after it hears that
        it is gone already. `event_id` is the withdrawal's own, so a redelivery does it once.
        """
        key = record_key(channel, conversation_key)
        tag = event_tag(said)
        # Read first (a deletion is rare): one of a message the bot never kept, as another
        # member's in a Slack thread or a LINE sticker, notes nothing.
        lines = await self.store.transcript(key)
        words = [x.text for x in lines if x.author == "subscriber" and x.event == tag]
        if all(said == WITHDRAWN_TEXT for said in words):
            # Never kept, or withdrawn already by another event (a deletion after Slack's
            # tombstone edit): a second note, and the desks told twice, would say it again.
            return False
        now = self._clock()

        def update(record: ConversationRecord | None) -> Change[bool] | None:
            if record is None:
                return None
            note = TranscriptEntry(now, "system", f"{WITHDRAWN_LINE}{tag}")
            before = record.dialog
            dialog = _piece_withdrawn(_address_withdrawn(before, tag), tag, words)
            if before.last_words == tag:
                # Gone already: 「さっきのはパスワードです」 next hears so, and withdraws nothing
                # more (the message before it is not the one they mean).
                dialog = frozen.replace(dialog, last_words="", taken_back_last=True)
            if dialog is not before:
                record = frozen.replace(record, dialog=dialog, updated_at=now)
            masked = self._address_masks(before, dialog)
            return Change(
                record,
                [note, *_address_note(now, tag, masked)],
                True,
                withdrawn=(tag,),
                replies_withdrawn=(tag,),
                masked=masked,
            )

        change = await self.store.transact(key, event_id, update)
        if change is not None and self.handoff is not None:
            # Relayed to a desk while a person had the chat, the words are there too.
            await self.handoff.withdrawn(key, tag)
        return change is not None

    async def _latest_words(self, key: str) -> TranscriptEntry | None:
        """The subscriber's latest line that is not a photo's or sticker's mark, or None.

        A mark holds no words of theirs: 「さっきのはパスワードです」 after a photo means the
        message typed before it, in a conversation stored before `last_words` too.
        """
        latest = await self.store.latest_line(key, "subscriber", "")
        if latest is None or not _is_wordless_line(latest):
            return latest
        lines = await lines_back_to(
            self.store, key, lambda x: x.author == "subscriber" and not _is_wordless_line(x)
        )
        said = [x for x in lines if x.author == "subscriber" and not _is_wordless_line(x)]
        return said[-1] if said else None

    async def _asked_again(self, key: str, old: str, open_question: str) -> bool:
        """Whether question `old` is the one open (`open_question`) asked again, as it stands.

        The same buttons and words (a question asked again after an aside begins
        「それでは、続けましょう。」): its older copy is still on the subscriber's screen.
        """
        lines = await lines_back_to(self.store, key, lambda line: line.event == old)
        asked: dict[str | None, Mapping[str, object]] = {
            line.event: line.reply
            for line in lines
            if line.author == "bot"
            and line.reply is not None
            and line.reply.get("type") == "choices"
            and line.event in (old, open_question)
        }
        before, now = asked.get(old), asked.get(open_question)
        if before is None or now is None or before.get("choices") != now.get("choices"):
            return False
        return str(now.get("text", "")).endswith(str(before.get("text", "")))

    async def _first_answer(self, key: str, event_id: str) -> tuple[Mapping[str, object], ...]:
        tag = event_tag(event_id)
        # A platform repeats the latest events: their lines are the latest. One turn's lines
        # are written together, so once the lines read begin before the event's, all of
        # its lines are among them.
        lines = await lines_back_to(self.store, key, lambda line: line.event == tag)
        if lines and lines[0].event == tag and lines[0].seq > 1:
            lines = await self.store.transcript(key)
        return tuple(
            line.reply
            for line in lines
            if line.event == tag and line.author == "bot" and line.reply is not None
        )

    def _turn(
        self,
        record: ConversationRecord | None,
        key: str,
        inbound: Inbound,
        now: dt.datetime,
        context: StepContext,
        *,
        quiet: bool = False,
        recorded: bool = False,
        question: str | None = None,
        answers_open: bool = False,
    ) -> Change[TurnOutcome]:
        # What the closed conversation knew, while its close's 「解決しましたか？」 is open: a
        # 「解決しない」 keeps it. Not after a close that asked nothing (the subscriber left).
        closed = (
            record.dialog
            if record is not None
            and record.owner is Owner.CLOSED
            and feedback.is_asked(record.dialog.offered)
            else None
        )
        if record is None and question is not None:
            # A button of a conversation no longer kept (past the retention): greeted without
            # a word of why, the subscriber's answer seemed ignored (channels2).
            context = frozen.replace(context, earlier_ended=True)
        if record is None or record.owner is Owner.CLOSED:
            created = record.created_at if record else now
            # The 「解決しましたか？」 an agent's close asked stays open to the next message,
            # in the language it was asked in: typed (「はい」, 「まだです」) it is answered as
            # a press of its buttons is.
            closing = (
                DialogState(offered=feedback.CHOICES, locale=record.dialog.locale)
                if record is not None and feedback.is_asked(record.dialog.offered)
                else DialogState()
            )
            record = ConversationRecord(
                key=key,
                channel=inbound.channel,
                owner=Owner.BOT,
                dialog=closing,
                created_at=created,
                updated_at=now,
            )
            # A platform's first message starts the conversation: it is greeted, and what it
            # asks (a person, a problem, a question) is answered too (dialogs.conversation).
            inbound = frozen.replace(inbound, start=True)
        before = record.dialog
        # An agent asked for the password (`password_asked`): while they have the
        # conversation, a token sent alone is read as after 「パスワードは」.
        reading = (
            frozen.replace(before, password_named=True)
            if record.owner is Owner.AGENT and before.password_asked
            else before
        )

        def inbound_lines(read: tuple[str, str] | None = None) -> list[TranscriptEntry]:
            # `read`: the words as the step read them for a password (`StepResult.said`).
            if recorded:
                return []
            domains = login_domains(self.profile)
            return _inbound_lines(
                inbound,
                now,
                reading,
                question,
                read,
                domains=domains,
                analyser=self._analyser,
                texts=self.texts,
            )

        audit = [AuditEvent(now, inbound.channel, "started")] if inbound.start else []
        if record.owner is Owner.AGENT:
            transcript = inbound_lines()
            said = _said(inbound, transcript)
            # An agent is answering: record what the subscriber said, say nothing. A button of
            # the question still open is its answer all the same (the hand-back goes on from it).
            dialog = language_asked_while_held(_named(record.dialog, inbound), inbound)
            if answers_open:
                dialog = pressed_while_held(
                    dialog, inbound.choice, questionnaire=self.profile.questionnaire
                )
            if inbound.choice in (None, EDITED_CHOICE):
                # Typed words (an edit's too): an address typed under the address question.
                dialog = address_typed_while_held(dialog, inbound.text, profile=self.profile)
            dialog = _remembered(
                _address_source(record.dialog, dialog, inbound), inbound, transcript
            )
            # 「さっきのはパスワードです」 to a person: the bot says nothing, but the message
            # before leaves the record and the desk's copy is taken back (once: the next
            # saying has no message of theirs before it to withdraw).
            held_back = (
                record.dialog.last_words or ""
                if inbound.choice is None and takes_the_password_back(inbound.text or "")
                else ""
            )
            if held_back:
                # The address that message gave goes with it, as an unsend's does.
                dialog = _address_withdrawn(dataclasses.replace(dialog, last_words=""), held_back)
                transcript.append(TranscriptEntry(now, "system", f"{WITHDRAWN_LINE}{held_back}"))
            silent = dataclasses.replace(record, dialog=dialog, updated_at=now)
            for_agent = "\n".join(e.text for e in transcript if e.author == "subscriber")
            unsaid: tuple[Reply, ...] = ()
            checked = ""
            if inbound.event is not None and inbound.event.kind == CHECK_RESULT:
                # The subscriber ran the check on its page, which words the result as the
                # chat would have; the step's state is not kept (the agent has the chat).
                # The agents' desks are shown its line, worded there.
                unsaid = step(record.dialog, inbound, context).replies
                checked = "\n".join(e.text for e in transcript if e.author == "system")
            outcome = TurnOutcome(
                record=silent,
                for_agent=for_agent,
                check_for_agent=checked,
                said=said,
                unsaid=unsaid,
                withdrew=held_back,
                password_masked=said.count(MASK) > (inbound.text or "").count(MASK),
                pressed=(inbound.choice or "") if _is_press(inbound) else "",
                started=inbound.start and inbound.text is None and inbound.choice is None,
            )
            withdrawn = (held_back,) if held_back else ()
            masked = self._address_masks(record.dialog, dialog) if held_back else ()
            transcript += _address_note(now, held_back, masked)
            return Change(
                silent,
                transcript,
                outcome,
                withdrawn=withdrawn,
                replies_withdrawn=withdrawn,
                masked=masked,
            )
        if quiet and not inbound.start:
            # Kept now, answered later if at all (the caller runs the `recorded` turn).
            transcript = inbound_lines()
            said = _said(inbound, transcript)
            held = dataclasses.replace(
                record,
                dialog=_remembered(_named(record.dialog, inbound), inbound, transcript),
                updated_at=now,
            )
            return Change(held, transcript, TurnOutcome(record=held, said=said, quiet=True))
        event = inbound.event.kind if inbound.event is not None else None
        result = step(_advice_dated(record, self._zone, event), inbound, context)
        # Stored as the step read them: the patterns that find a password run once a turn.
        transcript = inbound_lines(result.said)
        said = _said(inbound, transcript)
        if quiet:
            # A quiet turn that starts the conversation is greeted now, and nothing else yet:
            # the rest is the answer to what it belongs to (Telegram's album: its caption's,
            # or the request for the text, the caller's `recorded` turn). Stored in full, the
            # transcript showed a question the subscriber never got once a caption came.
            result = dataclasses.replace(result, replies=result.replies[:1])
        if inbound.start and _FEEDBACK.intersection(result.signals):
            # The answer to 「解決しましたか？」 asked as an agent closed it reopens the record,
            # but no subscriber started anything: `mailmove stats` must not count one.
            audit = []
        grants: list[LinkGrant] = []
        if any(isinstance(r, LinkReply | FileReply) for r in result.replies):
            replies = tuple(
                self._with_url(r, record, result.state, now, grants) for r in result.replies
            )
            result = dataclasses.replace(result, replies=replies)
        if Signal.DESK_MESSAGE_LEFT in result.signals:
            # The console shows it as a message for the desk: the lines above are the message.
            transcript.append(TranscriptEntry(now, "system", DESK_MESSAGE_LINE))
        transcript += [
            TranscriptEntry(now, "bot", reply_as_plain_text(reply), reply_to_dict(reply))
            for reply in result.replies
        ]
        # 「さっきのはパスワードです」: the subscriber's message before this one leaves the
        # record in this transaction (its line says WITHDRAWN_TEXT, the bot's lines that said
        # it back lose it), and only that one, once: the dialog asks no more of it again.
        withdrew = (before.last_words or "") if Signal.PREVIOUS_WITHDRAWN in result.signals else ""
        if withdrew:
            transcript.insert(
                len(transcript) - len(result.replies),
                TranscriptEntry(now, "system", f"{WITHDRAWN_LINE}{withdrew}"),
            )
        handed_off = Signal.HANDOFF_REQUESTED in result.signals and context.desk_available
        owner = Owner.AGENT if handed_off else record.owner
        named = _named(result.state, inbound, check_link=Signal.CHECK_REQUESTED in result.signals)
        if named.password_asked:
            # The bot answers now (a hand-back, the late-reply button): no agent's request
            # for the password stands any more.
            named = frozen.replace(named, password_asked=False)
        if withdrew:
            # Nothing of theirs is left to withdraw: the saying itself never is the message.
            # The address that message gave goes too, however many presses came since (the
            # dialog knows it only from the latest message, `address_typed_at`).
            named = _address_withdrawn(frozen.replace(named, last_words=""), withdrew)
            if before.address and named.address is None:
                named = _card_unaddressed(named, before.address)
        updated = frozen.replace(
            record,
            dialog=_remembered(_address_source(before, named, inbound), inbound, transcript),
            owner=owner,
            updated_at=now,
            question=_open_question(
                result.replies, inbound.event_id, record.question, handed_off=handed_off
            ),
        )
        if closed is not None and (handed_off or Signal.FEEDBACK_UNSOLVED in result.signals):
            # Not solved after all, or a person asked for at once: the same conversation goes
            # on, to the agent it is handed to (whose desk showed 「メールアドレス未確認」 and no
            # answers) or with the bot. Nothing else said next has asked anything of its stage.
            updated = frozen.replace(updated, dialog=feedback.taken_up(closed, updated.dialog))
        audit += [_audit(signal, result.state, inbound, now) for signal in result.signals]
        masked = self._address_masks(before, updated.dialog) if withdrew else ()
        transcript += _address_note(now, withdrew, masked)
        if handed_off:
            audit.append(AuditEvent(now, inbound.channel, "handoff", result.handoff_reason))
            # The desk's queue shows why and since when the subscriber has been waiting.
            transcript.append(
                TranscriptEntry(now, "system", f"{HANDOFF_LINE}{result.handoff_reason}")
            )
        return Change(
            updated,
            transcript,
            TurnOutcome(
                replies=result.replies,
                signals=result.signals,
                record=updated,
                handed_off=handed_off,
                handoff_reason=result.handoff_reason,
                said=said,
                quiet=quiet,
                withdrew=withdrew,
                restarted=context.earlier_ended,
            ),
            audit,
            grants,
            withdrawn=(withdrew,) if withdrew else (),
            replies_withdrawn=(withdrew,) if withdrew else (),
            masked=masked,
        )

    def _address_masks(
        self, before: DialogState, after: DialogState
    ) -> tuple[tuple[str, str], ...]:
        """`_address_masks`, the address said in words of the conversation's language.

        The pieces of text that said it beside other words come first, said as the dialog
        words them without an address (`said_without_address`): a domain change's
        「メールアドレスが…から…に変わります」 takes the short words, not 「お使いのメール
        アドレス」 twice more.
        """
        words = {
            domain: self.texts.fill(
                before.locale, N_("settings.address_placeholder"), {"domain": domain}
            )
            for domain in login_domains(self.profile)
        }
        masks = _address_masks(before, after, words)
        if not masks or before.address is None:
            return masks
        pieces = said_without_address(self.profile, before.address, self.texts, before.locale)
        return (*pieces, *masks)

    def _with_url(
        self,
        reply: Reply,
        record: ConversationRecord,
        state: DialogState,
        now: dt.datetime,
        grants: list[LinkGrant],
    ) -> Reply:
        if not isinstance(reply, LinkReply | FileReply) or not reply.url.startswith("mailmove:"):
            return reply
        if self._links is None:
            raise RuntimeError("the dialog offered a link but no link maker is set")
        if reply.url == CHECK_LINK_PLACEHOLDER:
            # The grant is stored with this turn: the link works once the reply is out.
            url, grant = self._links.mint(record.key, now)
            grants.append(grant)
        elif reply.url == APPLE_PROFILE_PLACEHOLDER and state.address:
            url = self._links.apple_profile_url(state)
            if (
                isinstance(reply, FileReply)
                and state.program == ProgramName.IOS_MAIL
                and record.channel in self.links_open_in_app
            ):
                reply = self._opened_in_safari(reply, record.channel, state.locale)
        else:
            raise RuntimeError(f"the dialog sent an unknown link {reply.url!r}")
        return dataclasses.replace(reply, url=url)

    def _opened_in_safari(self, reply: FileReply, channel: str, locale: Locale) -> FileReply:
        """The Apple file's offer, saying to open its link in Safari (after its first lines).

        iOS installs a configuration profile that Safari downloads; opened in an app's own
        browser (LINE's, Telegram's, Slack's) it may only be shown or saved, and nothing
        installs. The web chat's page is in the phone's browser already: nothing is added.
        """
        app = self.texts.fill(locale, f"summary.channel.{channel}", {})
        note = self.texts.fill(locale, N_("config.apple.open_in_safari"), {"app": app})
        first, *rest = reply.text.split("\n\n")
        return dataclasses.replace(reply, text="\n\n".join([first, note, *rest]))


_FEEDBACK: Final = frozenset({Signal.FEEDBACK_SOLVED, Signal.FEEDBACK_UNSOLVED})


def _open_question(
    replies: tuple[Reply, ...], event_id: str, before: str | None, *, handed_off: bool = False
) -> str | None:
    """The question open after a turn: its own if it asked one, none if it said anything else.

    A handoff's words leave the question before them open: it is still on the subscriber's
    screen, and a button of it pressed while a person has the conversation is its answer.
    """
    if any(isinstance(reply, ChoicesReply) for reply in replies):
        return event_tag(event_id)
    if handed_off:
        return before
    return "" if replies else before


def _asked_before(record: ConversationRecord, question: str) -> bool:
    # An unknown open question (a record from before they were remembered) stops nothing.
    return record.question is not None and record.question != question


def _audit(signal: Signal, state: DialogState, inbound: Inbound, now: dt.datetime) -> AuditEvent:
    detail = ""
    if signal is Signal.VERDICT_REACHED and state.receiving and state.sending:
        detail = f"{state.receiving.value}/{state.sending.value}"
    elif signal is Signal.CHECK_FAILED and inbound.event is not None:
        detail = f"smtp={inbound.event.get('smtp')} pop={inbound.event.get('pop')}"
    return AuditEvent(now, inbound.channel, signal.value, detail)


def without_bidi_controls(text: str) -> str:
    """`text` without bidi embeddings, overrides and isolates (see `_BIDI_CONTROLS`)."""
    return text.translate(_BIDI_CONTROLS)


def without_controls(text: str) -> str:
    """`text` without control characters but tab and line breaks, nor bidi controls."""
    return text.translate(_INVISIBLE_CONTROLS)


def _bounded(inbound: Inbound) -> Inbound:
    """`inbound` with no more words than are read: `KEPT_LENGTH` and `READ_PAST_CUT` after it.

    Cut before anything reads them, so no pass over the words (controls, the password
    search, the reading, the address) holds the event loop longer than that length takes.
    """
    text = inbound.text
    if text is None or len(text) <= KEPT_LENGTH:
        return inbound
    read = text[: KEPT_LENGTH + READ_PAST_CUT]
    return dataclasses.replace(inbound, text=read, cut_from=len(text))


def _kept(masked: str, cut_from: int, locale: Locale, texts: Texts) -> str:
    """`masked` (the words read, any password masked) cut to `KEPT_LENGTH`, saying so.

    A mask the cut would split is kept whole: its asterisks are no password, and a part of
    them read like typed ones.
    """
    end = KEPT_LENGTH
    while end < len(masked) and masked[end - 1] == "*" and masked[end] == "*":
        end += 1
    note = texts.fill(
        locale, N_("transcript.message_cut"), {"kept": f"{end:,}", "length": f"{cut_from:,}"}
    )
    return f"{masked[:end]}\n{note}"


def _without_controls(inbound: Inbound) -> Inbound:
    text, sender = inbound.text, inbound.sender
    clean_text = without_controls(text) if text else text
    clean_sender = without_controls(sender) if sender else sender
    if clean_text == text and clean_sender == sender:
        return inbound
    return dataclasses.replace(inbound, text=clean_text, sender=clean_sender)


def _full(record: ConversationRecord, context: StepContext) -> TextReply:
    """What a subscriber whose conversation's transcript is full is told: where to call."""
    locale = record.dialog.locale
    support = context.profile.support
    contact = support.contact(locale)
    return TextReply(context.texts.fill(locale, N_("transcript.full"), {"contact": contact}))


def _inbound_lines(
    inbound: Inbound,
    now: dt.datetime,
    before: DialogState,
    question: str | None = None,
    read: tuple[str, str] | None = None,
    *,
    domains: Collection[str] = (),
    analyser: Analyser | None = None,
    texts: Texts,
) -> list[TranscriptEntry]:
    lines = []
    if inbound.start and inbound.sender:
        # Who this is, as the platform names them: the first thing an agent wants to know.
        lines.append(TranscriptEntry(now, "system", f"{SENDER_LINE}{inbound.sender}"))
    return lines + _message_lines(
        inbound, now, before, question, read, domains=domains, analyser=analyser, texts=texts
    )


def _advice_dated(
    record: ConversationRecord, zone: dt.tzinfo, inbound_event: str | None = None
) -> DialogState:
    """The record's dialog, with the day its advice was heard where the record predates it.

    Records stored before `DialogState.advised_on` existed have a verdict and no such day, so
    a subscriber advised on 06-19 under the old code and back on 06-27 under the new was
    never told the schedule had moved on. A verdict's day is refreshed on every turn after
    it, so the record's last turn is that day.
    """
    dialog = record.dialog
    if dialog.advised_on is not None or not dialog.has_verdict:
        return dialog
    if inbound_event == "handback":
        # The desk's hand-back gives the dialog its verdict from the agent's answers: the
        # subscriber has not heard it unless a day was kept, and the turn says it then.
        return dialog
    return dataclasses.replace(dialog, advised_on=record.updated_at.astimezone(zone).date())


def _named(state: DialogState, inbound: Inbound, *, check_link: bool = False) -> DialogState:
    """`state`, knowing whether the next message alone may be the password.

    Set on every turn, the bot's or an agent's: this message ended naming a password with
    none after it (「パスワードは」), or the bot has just sent the login check's link, after
    which a password typed into the chat instead of the link's page comes alone.
    A photo, sticker or file (a Telegram album's too) says nothing: it leaves the mark as
    the words before it set it, or the password sent after a screenshot would be kept. So
    does a sign alone (「👍」, a sticker read as the sign it shows, 「(^^)」, 「!!」): no letter
    or digit of any script.
    """
    text = inbound.text or ""
    # A platform's own emoji (EMOJI_CHOICE) carry only their names (「(sweat)」): a picture.
    wordless = (
        (not text and inbound.choice in WORDLESS_CHOICES)
        or inbound.choice == EMOJI_CHOICE
        or (bool(text) and not any(character.isalnum() for character in text))
    )
    accounts = own_accounts(state.address)
    if wordless:
        named = check_link or state.password_named
        announced = state.password_announced
    else:
        # 「taro /」 sent, then 「Kq7xyz99」: the login's name began the pair. 「たしか」 between
        # 「パスワードは」 and the password keeps the mark.
        read = names_a_password(text, accounts=accounts, named_before=state.password_named)
        named = check_link or read
        # Announced in the subscriber's own words, not by the check's link: the next message
        # is the password whatever it is ('dragon' after 'my password is'; 'success' after
        # the link is not). With both marks alike (most turns: neither set, and every press
        # reads "") it is the same reading of the same words: read once (4-5 µs a reading).
        announced = (
            read
            if state.password_announced == state.password_named
            else names_a_password(text, accounts=accounts, named_before=state.password_announced)
        )
    # A button pressed (no words) clears the mark: nothing was said to correct. A picture or
    # a sign alone keeps it, as it keeps the two marks above.
    spoken = state.password_spoken if wordless else password_spoken(text)
    if (
        state.password_named is named
        and state.password_announced is announced
        and state.password_spoken is spoken
    ):
        return state
    return frozen.replace(
        state, password_named=named, password_announced=announced, password_spoken=spoken
    )


def _remembered(
    state: DialogState, inbound: Inbound, transcript: Sequence[TranscriptEntry]
) -> DialogState:
    """`state`, naming this turn as the subscriber's latest message if it stored one.

    What 「さっきのはパスワードです」 withdraws (`Signal.PREVIOUS_WITHDRAWN`): the message right
    before it, whoever had the conversation then. A turn that stored no words of theirs (a
    login check's result, an answer to what a quiet turn recorded) leaves it as it was, and
    so does the saying itself: said again, it is not the message it withdraws. A button
    press (an old question's too, which stores no line) holds no words either: the message
    typed before it stays the one (「abc12345」, then 入力せずに進む, then 「さっきのは
    パスワードです」 withdraws 「abc12345」); `DialogState.last_pressed` notes the press.
    """
    if _is_press(inbound):
        return state if state.last_pressed else frozen.replace(state, last_pressed=True)
    if (inbound.text is None and inbound.choice in WORDLESS_CHOICES) or (
        inbound.choice == EMOJI_CHOICE
    ):
        # A photo or sticker holds no words of theirs (its line is a mark), nor do a
        # platform's emoji (their names): 「さっきのはパスワードです」 after it means the
        # message typed before it, which stays the one.
        return state
    if not any(line.author == "subscriber" for line in transcript):
        return state
    if takes_the_password_back(inbound.text or ""):
        # Typed, it is the latest thing done: said again next, it hears that the message
        # is already gone, not that a button was pressed last.
        return frozen.replace(state, last_pressed=False) if state.last_pressed else state
    return frozen.replace(state, last_words=event_tag(inbound.event_id), last_pressed=False)


def _address_source(before: DialogState, after: DialogState, inbound: Inbound) -> DialogState:
    """`after`, naming the turn whose typed words gave its address (`address_from`).

    Words typed (an edit's too) that changed the address name this turn; an address that
    came otherwise (a press, the check's result) names none; one unchanged keeps its source.
    """
    if after.address is None:
        source: str | None = ""
    elif after.address != before.address:
        source = event_tag(inbound.event_id) if inbound.text is not None else ""
    else:
        source = before.address_from
    return after if after.address_from == source else frozen.replace(after, address_from=source)


def _address_withdrawn(state: DialogState, tag: str) -> DialogState:
    """`state` without the address the withdrawn message of turn `tag` gave, if it gave it.

    Unsent on LINE or deleted on Slack, the words are gone, and so is what they told: no
    summary, agent view or check page shows the address again. Nothing is asked now (the
    subscriber is not in that message; LINE gives no reply token): the address is asked for
    again when it is needed (the check, a hand-back at the address question). In a state
    stored before `address_from` was kept, the latest message is known to have given it
    (`address_typed_at`, `last_words`).
    """
    if state.address is None:
        return state
    source = state.address_from
    if source is None:
        source = state.last_words if state.address_typed_at else ""
    if source != tag:
        return state
    return _card_unaddressed(
        frozen.replace(state, address=None, address_from="", address_typed_at=""), state.address
    )


def _card_unaddressed(state: DialogState, address: str) -> DialogState:
    """`state`, its note of what the card was shown for no longer holding `address`.

    Kept as MASK (the card stored no longer says the address), not "": an address typed
    again differs from it, so the card is sent again for it.
    """
    shown = tuple(MASK if fact == address else fact for fact in state.card_shown_for)
    return state if shown == state.card_shown_for else frozen.replace(state, card_shown_for=shown)


def _address_masks(
    before: DialogState, after: DialogState, in_words: Mapping[str, str]
) -> tuple[tuple[str, str], ...]:
    """What the store replaces in later lines when a withdrawal took `before`'s address.

    The settings card, the guide's steps, a check's result, the Apple file's link and its
    name said the address back in turns after the withdrawn one. On a domain of the
    profile's (`in_words`: each one's words) the address is said as the card says one it
    does not know (「@vp.117.ne.jpで終わるお使いのメールアドレス」): a reloaded web
    chat showed the notice's 「********@vp.117.ne.jp」, which an elderly reader takes for a
    hidden password. Elsewhere its local part goes wherever it is followed by `@` (`%40` in
    a link, where no one reads it), and the Apple file is named without it. The provider's
    domain stays: it is no one's own. A part that JSON or a link would write otherwise than
    typed (never an address the dialog takes) is left to the withdrawn turn's own lines.
    """
    address = before.address
    if not address or after.address is not None:
        return ()
    local = address.rpartition("@")[0]
    if not local or not local.isascii() or not local.isprintable() or '"' in local or "\\" in local:
        return ()
    quoted = urllib.parse.quote(local, safe="")
    # The longest domain first: one that ends another's (117.ne.jp, vp.117.ne.jp) is not
    # taken out of it.
    domains = sorted(in_words, key=len, reverse=True)
    return (
        *((f"{local}@{domain}", in_words[domain]) for domain in domains),
        (f"{local}@", f"{MASK}@"),
        (f"{quoted}%40", f"{MASK}%40"),
        # The Apple file's name, as the dialog gives it (`Turn`'s FileReply), without its
        # owner: 「mail.mobileconfig」.
        (f"{local}{_APPLE_FILE_SUFFIX}", _APPLE_FILE_SUFFIX.removeprefix("-")),
    )


# What follows the local part in the name the dialog gives the Apple file.
_APPLE_FILE_SUFFIX: Final = "-mail.mobileconfig"


def _address_note(
    now: dt.datetime, tag: str, masked: Sequence[tuple[str, str]]
) -> list[TranscriptEntry]:
    """The bookkeeping line that the withdrawn message of turn `tag` took the address."""
    return [bookkeeping_line(now, f"{ADDRESS_WITHDRAWN_LINE}{tag}")] if masked else []


def _piece_withdrawn(state: DialogState, tag: str, said: Sequence[str]) -> DialogState:
    """`state` without the piece of a sentence kept (`fragment`) if the withdrawn words are in it.

    The piece is the latest message (or the latest few, joined, as the transcript keeps each
    masked): unsent, its words must not stay in the store nor be read with the next message.
    """
    fragment = state.fragment
    if not fragment:
        return state
    if state.last_words != tag and not any(words and words in fragment for words in said):
        return state
    return frozen.replace(state, fragment="")


def _is_press(inbound: Inbound) -> bool:
    """Whether `inbound` is a button pressed (not words, a photo or a sticker sent)."""
    return (
        inbound.text is None
        and inbound.event is None
        and inbound.choice is not None
        and inbound.choice not in WORDLESS_CHOICES
    )


def _is_press_line(line: TranscriptEntry) -> bool:
    """Whether the subscriber's `line` is a button pressed (`_message_lines`'s `[<id>]`)."""
    if (line.reply or {}).get(PRESSED_QUESTION):
        return True
    pressed = line.text.removeprefix("[").removesuffix("]")
    return (
        line.text == f"[{pressed}]"
        and (pressed == "?" or is_choice_id(pressed))
        and pressed not in WORDLESS_CHOICES
    )


def _is_wordless_line(line: TranscriptEntry) -> bool:
    """Whether the subscriber's `line` is a photo's or sticker's mark (no words of theirs)."""
    return line.text in {f"[{choice}]" for choice in WORDLESS_CHOICES}


def _last_words_known(state: DialogState, latest: TranscriptEntry | None) -> DialogState:
    """`state`, with what 「さっきのはパスワードです」 withdraws known from `latest`.

    `latest`, the subscriber's latest line (read for those words only, else None), speaks
    for a state stored before `last_words` was kept (None), and for one that named a press's
    turn, as the previous version did: a press withdraws nothing typed.
    """
    if latest is None:
        return state
    press = _is_press_line(latest)
    if state.last_words is None:
        if press:
            return dataclasses.replace(state, last_words="", last_pressed=True)
        usable = latest.event is not None and latest.text != WITHDRAWN_TEXT
        return dataclasses.replace(state, last_words=latest.event if usable else "")
    if press and state.last_words and state.last_words == latest.event:
        return dataclasses.replace(state, last_words="", last_pressed=True)
    return state


_LINE_OPENING_BRACKET: Final = re.compile(r"^\[", re.MULTILINE)


def as_typed(words: str) -> str:
    """`words` typed by a subscriber as the transcript keeps them: no line of them a mark.

    Only a line's opening `[` is guarded (`TYPED_BRACKET_GUARD`): the desks read a mark as a
    whole line, or a line's start (`EDITED_MARK`), never inside one.
    """
    return _LINE_OPENING_BRACKET.sub(TYPED_BRACKET_GUARD + "[", words)


def _said(inbound: Inbound, transcript: Sequence[TranscriptEntry]) -> str:
    """The subscriber's words as stored, where they differ from those typed (a password)."""
    if not inbound.text:
        return ""
    stored = next((e.text for e in transcript if e.author == "subscriber"), inbound.text)
    return stored if stored != inbound.text else ""


def started_by(transcript: Sequence[TranscriptEntry]) -> str | None:
    """Who started the conversation's latest run (its last `sender` line); None if unnamed."""
    for entry in reversed(transcript):
        if entry.author == "system" and entry.text.startswith(SENDER_LINE):
            return entry.text.removeprefix(SENDER_LINE).strip() or None
    return None


def _message_lines(
    inbound: Inbound,
    now: dt.datetime,
    before: DialogState,
    question: str | None = None,
    read: tuple[str, str] | None = None,
    *,
    domains: Collection[str] = (),
    analyser: Analyser | None = None,
    texts: Texts,
) -> list[TranscriptEntry]:
    """The subscriber's line (and a photo's beside words); `domains` as `redact_typed` takes them.

    `domains`: `login_domains`. `texts`: what a long message's line says of its cut.
    """
    if inbound.event:
        # The audit line of a login check: what an agent needs, never the password.
        summary = " ".join(f"{k}={v}" for k, v in inbound.event.data)
        return [TranscriptEntry(now, "system", f"{inbound.event.kind}: {summary}")]
    if inbound.text:
        # A password typed into the chat by mistake is stored masked, never as typed (a
        # lone one where the address was asked for too, right after 「パスワードは」, or
        # beside the subscriber's own account name). As the step read it, if it did.
        if read is not None and read[0] == inbound.text:
            masked = read[1]
        else:
            masked, _ = redact_typed(inbound.text, before, domains, analyser, inbound.hidden)
        if inbound.cut_from:
            masked = _kept(masked, inbound.cut_from, inbound.locale or before.locale, texts)
        masked = as_typed(masked)
        if inbound.choice == EDITED_CHOICE:
            # An edit's new words, marked as one: the dialog asks for them anew, but an agent
            # who has the conversation (the bot silent) reads them only here.
            masked = EDITED_MARK + masked
        elif inbound.choice == FORWARDED_CHOICE:
            masked = FORWARDED_MARK + masked
        said = [TranscriptEntry(now, "subscriber", masked)]
        if inbound.attached:
            # A photo or file came with the words: an agent who has the conversation read
            # 「エラー画面です」 alone and never learnt of the screenshot (which goes nowhere).
            # Noted as a photo alone is, so that every desk says it in its words.
            said.append(TranscriptEntry(now, "subscriber", MEDIA_MARK))
        return said
    if inbound.choice:
        # A forged button (any string a client sent as one) is never kept as typed.
        pressed = inbound.choice if is_choice_id(inbound.choice) else "?"
        # Which question's button it was (the tag of the turn that asked it): a 「はい」 of the
        # first question pressed once the second is asked answers the first, and the desks
        # name it beside the press. A client's string that is no tag is not kept.
        asked = {PRESSED_QUESTION: question} if question and _TAG.fullmatch(question) else None
        return [TranscriptEntry(now, "subscriber", f"[{pressed}]", asked)]
    return []
