"""Chatwoot as the desk of every channel: another channel's handoff mirrored into an API inbox.

The handoff creates a contact (through the inbox's public Client API: no agent bot may call
`POST /contacts`) and an open conversation in `CHATWOOT_DESK_INBOX_ID` whose
custom attribute `mailmove_key` names our conversation, and writes the summary there as a
private note; the transcript notes the mirror's id. While a person has the conversation,
what the subscriber writes is posted there as `incoming`; an agent's reply there comes back
through the webhook (see `events.mirror_event`) and reaches the subscriber on their own
channel. Chatwoot's own conversations are handed off in place (`desk.ChatwootDesk`).
"""

from __future__ import annotations

import datetime as dt
import logging
import zoneinfo
from collections.abc import Sequence
from typing import Final, Protocol

from adapters.chatwoot.api import ChatwootApi, ChatwootApiError
from adapters.chatwoot.events import CHANNEL, MIRROR_KEY
from adapters.chatwoot.markdown_escape import escaped
from adapters.chatwoot.render import private_note
from bot.desk.handoff import DeskUnavailableError
from bot.desk.summary import MESSAGE_LEFT, HandoffSummary
from bot.engine import ADDRESS_WITHDRAWN_LINE, DESK_MESSAGE_LINE, HANDOFF_LINE
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import (
    WITHDRAWN_TEXT,
    ConversationRecord,
    ConversationStore,
    TranscriptEntry,
    is_bookkeeping,
    note_lines,
)
from dialogs.vocabulary import Locale

_LOGGER: Final = logging.getLogger(__name__)
DESK_LOCALE: Final[Locale] = "ja"
_MIRROR_NOTE: Final = "chatwoot mirror: "
# The transcript's note of a relayed message: the turn's tag, the mirror and the message id.
_RELAYED_NOTE: Final = "chatwoot relayed: "
# The transcript's note of the summary written in the mirror: the mirror and the note's id.
_SUMMARY_NOTE: Final = "chatwoot summary: "
# Said above a summary written again after words it quoted were withdrawn.
REDRAWN_KEY: Final = "summary.redrawn"
# The same when the note it replaces could not be deleted (no CHATWOOT_DESK_USER_TOKEN).
REDRAWN_KEPT_KEY: Final = "summary.redrawn_kept"
# Posted as a private note for a withdrawn message that could not be deleted.
WITHDRAWN_KEPT_KEY: Final = "summary.withdrawn_kept"
# A private note of what an agent elsewhere (the console, Slack) told the subscriber.
AGENT_REPLIED_KEY: Final = "summary.agent_replied"
AGENT_REPLIED_UNNAMED_KEY: Final = "summary.agent_replied_unnamed"


def mirror_of(transcript: Sequence[TranscriptEntry]) -> str | None:
    """The id of the latest Chatwoot conversation this one was mirrored to, or None."""
    for line in reversed(transcript):
        if line.author == "system" and line.text.startswith(_MIRROR_NOTE):
            return line.text.removeprefix(_MIRROR_NOTE)
    return None


async def mirror_noted(store: ConversationStore, key: str) -> str | None:
    """`mirror_of` the conversation, its latest note found from the transcript's end.

    In the store: relayed on every subscriber turn of a conversation that can run on for
    thousands of lines after the note.
    """
    noted = await store.latest_line(key, "system", _MIRROR_NOTE)
    return mirror_of([noted] if noted is not None else [])


class Summarize(Protocol):
    """A stored conversation's summary as `Handoffs.summary` draws it, up to a line."""

    async def __call__(
        self, record: ConversationRecord, reason: str, *, until_seq: int | None = None
    ) -> HandoffSummary:
        """The summary of `record` handed off for `reason`, of its lines up to `until_seq`."""


class ChatwootMirrorDesk:
    """Mirrors other channels' handoffs into one API inbox of Chatwoot."""

    name = f"{CHANNEL}_mirror"

    def __init__(
        self,
        api: ChatwootApi,
        inbox_id: str,
        catalogs: Catalogs,
        store: ConversationStore,
        summarize: Summarize | None = None,
        timezone: str = "Asia/Tokyo",
    ) -> None:
        self._api = api
        self._inbox_id = inbox_id
        self._catalogs = catalogs
        self._store = store
        # Draws a summary again, when words it quoted were withdrawn.
        self._summarize = summarize
        # The provider's: a withdrawn message that stays is named by when it was written.
        self._zone = zoneinfo.ZoneInfo(timezone)

    def accepts(self, channel: str) -> bool:
        """Every channel but Chatwoot's own, whose conversations are handed off in place."""
        return channel != CHANNEL

    async def hand_off(self, summary: HandoffSummary) -> None:
        """Open (or reopen) the mirror with the summary as a note for the agents."""
        try:
            mirror = await mirror_noted(self._store, summary.key)
            if mirror is None:
                name = summary.sender or summary.address or summary.key
                contact, source = await self._api.create_contact(name)
                mirror = await self._api.create_conversation(
                    self._inbox_id, contact, source, {MIRROR_KEY: summary.key}
                )
                await self._note(summary.key, mirror)
            else:
                await self._api.toggle_status(mirror, "open")
            note = summary.as_text(self._catalogs, DESK_LOCALE)
            posted = await self._api.post_message(mirror, private_note(note))
        except ChatwootApiError as err:
            raise DeskUnavailableError(str(err)) from err
        if posted is not None:
            await self._note_line(
                summary.key, f"{_SUMMARY_NOTE}{mirror} {posted}", bookkeeping=True
            )

    async def relay(self, key: str, text: str, said: str = "") -> None:
        """Post what the subscriber wrote into the mirror, as the subscriber's message.

        Chatwoot shows a message's content as Markdown, so the words are escaped to show
        as typed; only this copy is: the store and the other channels keep them as typed.
        The transcript notes the message's id under `said`, the turn's tag, so that a
        withdrawal of the words deletes it (`withdraw`).
        """
        mirror = await mirror_noted(self._store, key)
        if mirror is None:
            return
        try:
            posted = await self._api.post_message(
                mirror, {"content": escaped(text), "message_type": "incoming", "private": False}
            )
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot relay of %s failed: %s", key, err)
            return
        if posted is not None and said:
            await self._note_line(key, f"{_RELAYED_NOTE}{said} {mirror} {posted}", bookkeeping=True)

    async def withdraw(self, key: str, said: str) -> None:
        """The subscriber withdrew the words of turn `said`: their message is taken back.

        With a user's token it is deleted: Chatwoot keeps the message's place and shows it
        as deleted, as the transcript keeps the line and says it was withdrawn. A summary
        note that quotes them (the latest lines, a message left) is deleted too and written
        again below (`_redraw_summary`). With the agent bot's token alone nothing can be
        deleted (messages#destroy is no bot's): a private note says the message of that
        time was withdrawn, and the summary is written again below the one kept.
        """
        await self._delete_relayed(key, said)
        await self._redraw_summary(key, said)

    async def _delete_relayed(self, key: str, said: str) -> None:
        noted = await self._store.latest_line(key, "system", f"{_RELAYED_NOTE}{said} ")
        if noted is None:
            return  # never relayed to the mirror
        mirror, _, message = noted.text.removeprefix(f"{_RELAYED_NOTE}{said} ").partition(" ")
        try:
            if self._api.deletes:
                await self._api.delete_message(mirror, message)
            else:
                # No bot may delete a message: a note takes it back, naming when it was said.
                await self._api.post_message(mirror, private_note(self._kept_note(noted.at)))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot withdrawal in %s failed: %s", key, err)

    def _kept_note(self, said_at: dt.datetime) -> str:
        local = said_at.astimezone(self._zone)
        when = {"month": local.month, "day": local.day, "time": f"{local:%H:%M}"}
        return self._catalogs.fill(DESK_LOCALE, WITHDRAWN_KEPT_KEY, when)

    async def _redraw_summary(self, key: str, said: str) -> None:
        """Delete each summary note that quoted the words of turn `said`; write it anew.

        Chatwoot edits no message's content (MessagesController#update sets a status, and
        only in API inboxes), so a note cannot be corrected in place. Drawn again from
        the lines it summed up, the words now read 「（お客様が取り消したメッセージです）」.
        Every handoff's note, not the latest alone: one handed back and handed off again
        has an earlier note in the same mirror, which quotes the lines said before it. A
        message that gave the address held (`ADDRESS_WITHDRAWN_LINE`) was shown by every note
        since in its address row, quoted or not: each is written again without it.
        """
        record = await self._store.load(key)
        if record is None or self._summarize is None:
            return
        transcript = await self._store.transcript(key)
        # The words gave the address held: every note since showed it in its address row.
        address = f"{ADDRESS_WITHDRAWN_LINE}{said}"
        took_address = any(x.text == address and is_bookkeeping(x) for x in transcript)
        for mirror, message, until in _summary_notes(transcript):
            lines = [line for line in transcript if line.seq <= until]
            if not any(x.author == "subscriber" and x.event == said for x in lines):
                continue  # said after the note: relayed as a message of its own, if at all
            summary = await self._summarize(record, _reason_of(lines), until_seq=until)
            quoted = WITHDRAWN_TEXT in (*summary.said, *summary.message.split("\n"))
            if not quoted and not took_address:
                continue  # an older line the note did not quote
            await self._write_again(key, summary, (mirror, message, until))

    async def _write_again(
        self, key: str, summary: HandoffSummary, note: tuple[str, str, int]
    ) -> None:
        """Delete the summary `note` (mirror, message, last line summed up); write `summary`."""
        mirror, message, until = note
        deletes = self._api.deletes
        text = "\n".join(
            (
                self._catalogs.fill(DESK_LOCALE, REDRAWN_KEY if deletes else REDRAWN_KEPT_KEY, {}),
                summary.as_text(self._catalogs, DESK_LOCALE),
            )
        )
        try:
            if deletes:
                # The words first: a note not written again is better than words left shown.
                await self._api.delete_message(mirror, message)
            posted = await self._api.post_message(mirror, private_note(text))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot summary of %s not written again: %s", key, err)
            return
        if posted is not None:
            # The lines it sums up are still those of the note it replaces.
            line = f"{_SUMMARY_NOTE}{mirror} {posted} {until}"
            await self._note_line(key, line, bookkeeping=True)

    async def relay_agent(self, key: str, text: str, agent: str) -> None:
        """Post what an agent told the subscriber from elsewhere into the mirror, as a note.

        From the console, the agent API or Slack's thread: Chatwoot's agents saw the
        subscriber's words alone. A private note, named as the agent's: as an outgoing
        message it would read as a Chatwoot agent's reply, and come back through the webhook
        to be sent again. Never a reply written here (`AgentMessages.post`'s `origin`).
        """
        mirror = await mirror_noted(self._store, key)
        if mirror is None:
            return
        if agent:
            note = self._catalogs.fill(
                DESK_LOCALE, AGENT_REPLIED_KEY, {"agent": agent, "text": text}
            )
        else:
            note = self._catalogs.fill(DESK_LOCALE, AGENT_REPLIED_UNNAMED_KEY, {"text": text})
        try:
            await self._api.post_message(mirror, private_note(note))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot note of an agent's reply in %s failed: %s", key, err)

    async def relay_note(self, key: str, text: str) -> None:
        """Post the bot's `text` (a login check's result) into the mirror as a private note.

        Not as the subscriber's message: what they type could say the same words.
        """
        mirror = await mirror_noted(self._store, key)
        if mirror is None:
            return
        try:
            await self._api.post_message(mirror, private_note(text))
        except ChatwootApiError as err:
            _LOGGER.warning("Chatwoot note of %s failed: %s", key, err)

    async def _note(self, key: str, mirror: str) -> None:
        await self._note_line(key, f"{_MIRROR_NOTE}{mirror}")

    async def _note_line(self, key: str, line: str, *, bookkeeping: bool = False) -> None:
        await note_lines(self._store, key, [line], bookkeeping=bookkeeping)


def _summary_notes(transcript: Sequence[TranscriptEntry]) -> list[tuple[str, str, int]]:
    """The summary notes shown in mirrors: (mirror, message, the last line summed up).

    A note written again in place of another (`_write_again`) names the line its first
    summed up to; only the latest note of those lines is shown, the others deleted.
    """
    shown: dict[int, tuple[str, str]] = {}
    for line in transcript:
        if line.author != "system" or not line.text.startswith(_SUMMARY_NOTE):
            continue
        mirror, message, *until = line.text.removeprefix(_SUMMARY_NOTE).split(" ")
        shown[int(until[0]) if until else line.seq] = (mirror, message)
    return [(mirror, message, until) for until, (mirror, message) in shown.items()]


def _reason_of(lines: Sequence[TranscriptEntry]) -> str:
    """Why the latest handoff in `lines` was made (its HANDOFF_LINE), or MESSAGE_LEFT."""
    for line in reversed(lines):
        if line.author != "system":
            continue
        if line.text.startswith(HANDOFF_LINE):
            return line.text.removeprefix(HANDOFF_LINE)
        if line.text == DESK_MESSAGE_LINE:
            return MESSAGE_LEFT
    return ""
