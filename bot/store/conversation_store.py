"""What the engine needs from storage, whichever store holds the conversations.

A store keeps three things: conversation records, their transcripts, and the ids of events
already handled. `save` writes all three for one turn atomically, so a crash never leaves
a turn half-recorded, and a redelivered event is recognised after any restart.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import hashlib
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Final, Generic, Literal, Protocol, TypeVar

from dialogs.frozen import quick_init
from dialogs.state import DialogState


class Owner(enum.StrEnum):
    """Who answers the subscriber: the bot, or a human agent (then the bot stays silent)."""

    BOT = "bot"
    AGENT = "agent"
    CLOSED = "closed"  # ended by an agent; the next message starts afresh


Author = Literal["subscriber", "bot", "agent", "system"]

# What a subscriber line says once its words were withdrawn (`Change.withdrawn`): the line
# keeps its place and time, so the lines after it still read in order, and no word of it.
WITHDRAWN_TEXT: Final = "[withdrawn by the subscriber]"
# What a bot line says once the words it answered were withdrawn (`Change.replies_withdrawn`):
# it may have said them back.
WITHDRAWN_REPLY_TEXT: Final = "[reply withdrawn with the subscriber's message]"


@quick_init
@dataclass(frozen=True, slots=True)
class TranscriptEntry:
    """One line of a conversation, as an agent reads it. Never holds a secret.

    A bot or agent line also keeps the structured reply (`reply_to_dict` form), so a web
    chat page can redraw its buttons and cards after a reload, and replies produced outside
    a request (a check result, an agent's hand-back) reach a page that polls. `seq` is the
    line's position in the conversation, assigned by the store (0 before it is stored).
    `event` is the `event_tag` of the event whose turn wrote the line, stamped by the store
    (None for a turn without an event id): a repeated event is answered with the lines its
    first turn wrote.
    """

    at: dt.datetime
    author: Author
    text: str
    reply: Mapping[str, object] | None = None
    seq: int = 0
    event: str | None = None


# A channel's or a desk's note of an id it needs again (where a desk's copy of a message is,
# the id a platform gave a question it sent): bookkeeping, one line per message, nothing
# anyone said or did. Marked in the line's data, so what agents read can leave it out
# without knowing each adapter's wording.
BOOKKEEPING: Final = "bookkeeping"


def bookkeeping_line(at: dt.datetime, text: str) -> TranscriptEntry:
    """A system line that only the adapter which wrote it reads again."""
    return TranscriptEntry(at, "system", text, {"type": BOOKKEEPING})


def is_bookkeeping(line: TranscriptEntry) -> bool:
    """Whether `line` is an adapter's bookkeeping (`bookkeeping_line`)."""
    return line.author == "system" and (line.reply or {}).get("type") == BOOKKEEPING


@quick_init
@dataclass(frozen=True, slots=True)
class ConversationRecord:
    """Everything needed to resume a conversation on any replica."""

    key: str
    channel: str
    owner: Owner
    dialog: DialogState
    created_at: dt.datetime
    updated_at: dt.datetime
    # The `event_tag` of the turn that asked the open question (its buttons count), "" when
    # none is open, None when unknown (a record stored before questions were remembered).
    question: str | None = None
    # How many lines the conversation's transcript held when `transact` read this record for
    # its update (0 for a record made or loaded otherwise): read with the record, so a turn
    # tells a full transcript (`bot.engine.MAX_TRANSCRIPT_LINES`) without a read of its own.
    # Not stored, and not compared: it says when the record was read, not what it holds.
    lines: int = field(default=0, compare=False)

    @property
    def conversation_id(self) -> str:
        """The channel's own id for the conversation (the key without the channel prefix)."""
        return self.key.split(":", 1)[1]


def record_key(channel: str, conversation_id: str) -> str:
    """The store key of a channel's conversation."""
    return f"{channel}:{conversation_id}"


@functools.lru_cache(maxsize=1024)
def event_tag(event_id: str) -> str:
    """A short, opaque stand-in for an event id: 64 bits of its SHA-256, in hex.

    Transcript lines and questions carry it instead of the id itself, which is longer and
    may be a secret (a check link's nonce); within one conversation 64 bits never collide.
    Remembered for the last events: a turn asks for its own several times.
    """
    return hashlib.sha256(event_id.encode()).hexdigest()[:16]


T = TypeVar("T")


@quick_init
@dataclass(frozen=True, slots=True)
class AuditEvent:
    """A countable milestone (`started`, `verdict`, `settings_delivered`, `handoff`, `check`).

    `detail` refines it (`required/recommended`, an outcome); never personal data, so the
    counts can be kept longer than transcripts.
    """

    at: dt.datetime
    channel: str
    kind: str
    detail: str = ""


@quick_init
@dataclass(frozen=True, slots=True)
class LinkGrant:
    """What a one-time link opens: the conversation `key`, until `expires`.

    Stored under `digest`, the SHA-256 of the link's random token, so the store never holds
    a working link and the URL never holds the conversation id (the transcript's only key).
    """

    digest: str
    key: str
    expires: dt.datetime


@quick_init
@dataclass(frozen=True, slots=True)
class Change(Generic[T]):
    """What one turn writes: the new record, transcript lines, audit events, link grants."""

    record: ConversationRecord
    transcript: Sequence[TranscriptEntry]
    result: T
    audit: Sequence[AuditEvent] = ()
    grants: Sequence[LinkGrant] = ()
    # The `event_tag`s of turns whose subscriber lines were withdrawn (LINE's unsend): their
    # words become WITHDRAWN_TEXT where they are stored, in the same transaction.
    withdrawn: Sequence[str] = ()
    # The `event_tag`s of turns whose bot lines said the withdrawn words back (「abc12345@…」
    # said back before the subscriber wrote that it was their password, or unsent it on
    # LINE, deleted it on Slack): their words become WITHDRAWN_REPLY_TEXT, in the same
    # transaction.
    replies_withdrawn: Sequence[str] = ()
    # What later turns said back of the withdrawn words (the address in the settings card,
    # the guide, the Apple file's link), as (the words, what they become): replaced wherever
    # a bot line of the conversation holds them, its text and its structured reply, in the
    # same transaction. The line keeps its place, time and structure.
    masked: Sequence[tuple[str, str]] = ()


Update = Callable[[ConversationRecord | None], Change[T] | None]
"""Given the stored record (or None), what to write; None writes nothing (not even the event).

It runs inside the store's transaction and under the conversation's lock, so it must be
synchronous and quick: the dialog step, never a network call.
"""

# Compare and set: a write made only onto the conversation as read (its `Update` writes
# nothing when the record or transcript changed since) reads it again and tries once more,
# this many reads in all, before the caller gives up. The subscriber writing or another
# agent acting between a read and its write is rare; changed at every read, it keeps changing.
COMPARE_AND_SET_READS: Final = 5


class StoreUnavailableError(RuntimeError):
    """The store cannot be reached; the caller answers 503 so the platform retries."""


class ConversationStore(Protocol):
    """Storage for conversations; SQLite by default, Redis for several replicas."""

    async def open(self) -> None:
        """Connect and create what is missing."""

    async def close(self) -> None:
        """Flush and disconnect."""

    async def ping(self) -> None:
        """Raise StoreUnavailableError unless the store answers."""

    async def transact(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        """Run one turn of conversation `key` atomically, once per `event_id`.

        Under the conversation's lock: if `event_id` was already handled, return None without
        calling `update`. Otherwise call `update` with the stored record (its `lines` the
        number of transcript lines stored now) and write what it returns (record, appended
        transcript, and the event id) all or nothing; each appended line is stored with
        `event` = `event_tag(event_id)`.
        """

    async def load(self, key: str) -> ConversationRecord | None:
        """The record, or None if no such conversation exists (or it expired)."""

    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        """The transcript of `key` past line `after` (0: all of it), oldest first.

        With `last`, only the latest `last` of those lines (still numbered from the first).
        """

    async def latest_line(self, key: str, author: Author, prefix: str) -> TranscriptEntry | None:
        """The latest line of `key` by `author` whose text begins with `prefix`, or None.

        Searched from the end inside the store, so a note looked up on every turn (where a
        Slack DM is answered, the desk's thread) costs no line of the conversation's others.
        """

    async def find_grant(self, digest: str) -> LinkGrant | None:
        """The grant stored under a link token's `digest`, or None (unknown or expired)."""

    async def list_records(
        self, *, owner: Owner | None = None, limit: int = 100
    ) -> list[ConversationRecord]:
        """The most recently updated conversations, optionally only those `owner` holds."""

    async def conversation_keys(self, channel: str) -> list[str]:
        """The keys of every stored conversation of `channel`, in no particular order."""

    async def rename(self, renames: Mapping[str, str]) -> int:
        """Move each conversation from its old key to its new one; return how many moved.

        Everything of it moves: the record, the transcript, its place in `list_records`, the
        link grants that open it, and the handled event ids scoped under its key
        (`<old key>:...`, which become `<new key>:...`), so nothing stays under the old key.
        A conversation whose old key is unknown, whose new key is taken, or (Redis) whose
        turn is running now, is left where it is.
        """

    async def audit_counts(
        self, since: dt.datetime, until: dt.datetime
    ) -> dict[tuple[str, str], int]:
        """How many audit events of each (kind, detail) happened in [since, until)."""

    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        """Delete conversations (and transcripts) not updated since `before`; return how many.

        With `after`, only those last updated after it: a preview's clock and the real one
        each keep their own retention in one store (see `bot.server`).
        """


async def note_lines(
    store: ConversationStore, key: str, lines: Sequence[str], *, bookkeeping: bool = False
) -> None:
    """Add system `lines` (an adapter's notes) to conversation `key`, dated with its last turn.

    Nothing is written for a conversation that is gone. `bookkeeping`: lines only the adapter
    that wrote them reads again (`bookkeeping_line`).
    """

    def note(stored: ConversationRecord | None) -> Change[None] | None:
        if stored is None:
            return None
        at = stored.updated_at
        entries = [
            bookkeeping_line(at, line) if bookkeeping else TranscriptEntry(at, "system", line)
            for line in lines
        ]
        return Change(stored, entries, None)

    await store.transact(key, None, note)


async def note_once(store: ConversationStore, key: str, event_id: str, text: str) -> bool:
    """Add the bookkeeping line `text` under `event_id`; False when that event was taken.

    Once per event id (the store's claim): a redelivery, even while the first is still being
    read, writes nothing. A conversation that is gone keeps no note and counts as noted, so a
    caller that tells someone on a first note tells them each time.
    """
    gone: list[bool] = []

    def note(stored: ConversationRecord | None) -> Change[None] | None:
        if stored is None:
            gone.append(True)
            return None
        return Change(stored, [bookkeeping_line(stored.updated_at, text)], None)

    return await store.transact(key, event_id, note) is not None or bool(gone)
