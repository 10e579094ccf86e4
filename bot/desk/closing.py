"""An agent closes a conversation, and the subscriber is asked 「解決しましたか？」 as it ends.

One store transaction writes the owner (closed), who closed it, and the question as the
bot's line; the record remembers the question's buttons (`offered`, so a platform's hashed
button code resolves) and the question itself (`question`, so the web chat's press counts
once). The subscriber's next message starts a fresh conversation, as after any close; a
press of one of these buttons is its answer (`dialogs.feedback`), counted, and 「解決しない」
offers a person again, carrying what the subscriber had told the bot before the close
(`dialogs.feedback.taken_up`), so the agent who takes it asks nothing twice.
"""

from __future__ import annotations

import dataclasses
import uuid
from typing import Final

from bot.delivery import Delivery
from bot.desk.handoff import OwnerChange, announce
from bot.desk.ownership import CLOSED_BY, CLOSED_LINE, TAKEN_BY, change_owner
from bot.engine import Engine
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    TranscriptEntry,
    event_tag,
)
from bot.store.transcript_tail import lines_back_to
from dialogs import feedback
from dialogs.vocabulary import ChoicesReply, TextReply, reply_as_plain_text, reply_to_dict

# The subscriber went away (the web chat's 「最初から」) while a person was involved.
SUBSCRIBER_LEFT: Final = f"{CLOSED_LINE}: subscriber left"


async def close(
    engine: Engine,
    delivery: Delivery,
    key: str,
    agent: str,
    *,
    event_id: str | None = None,
    only_as: ConversationRecord | None = None,
    only_lines: int | None = None,
) -> ConversationRecord | None:
    """Close `key` as `agent`, asking the subscriber whether it was solved; None if unknown.

    A conversation closed already is only noted again: it was asked when it was closed.
    None too when `event_id` was handled before, or with `only_as` when the record changed
    since it was read as that (another agent took it meanwhile): nothing is written. With
    `only_lines`, also while the transcript holds more lines than that: an agent's first
    words take a waiting conversation without changing the record (`hand_back`'s rule).
    """
    now = engine.now()
    event_id = event_id or f"close:{uuid.uuid4().hex}"
    before: list[Owner] = []
    # 「担当者とのやり取りは以上です」 only after an agent wrote: closed from the queue, or a
    # bot's conversation with a message left, it told of an exchange the subscriber never had.
    lead = (
        feedback.CLOSED_KEY if await _agent_wrote(engine, key) else feedback.CLOSED_UNANSWERED_KEY
    )

    def to_closed(
        stored: ConversationRecord | None,
    ) -> Change[tuple[ConversationRecord, ChoicesReply | None]] | None:
        if stored is None or (only_as is not None and stored != only_as):
            return None
        if only_lines is not None and stored.lines > only_lines:
            return None
        before.append(stored.owner)  # the last call is the one stored (a retried transaction)
        said = TranscriptEntry(now, "system", f"{CLOSED_BY}{agent}")
        if stored.owner is Owner.CLOSED:
            again = dataclasses.replace(stored, updated_at=now)
            return Change(again, [said], (again, None))
        locale = stored.dialog.locale
        asked = feedback.question(lambda words: engine.texts.fill(locale, words, {}), lead=lead)
        closed = dataclasses.replace(
            stored,
            owner=Owner.CLOSED,
            dialog=dataclasses.replace(stored.dialog, offered=feedback.CHOICES),
            updated_at=now,
            question=event_tag(event_id),
        )
        line = TranscriptEntry(now, "bot", reply_as_plain_text(asked), reply_to_dict(asked))
        return Change(closed, [said, line], (closed, asked))

    change = await engine.store.transact(key, event_id, to_closed)
    if change is None:
        return None
    record, asked = change.result
    # Desks whose messages show who has the conversation (Slack) follow it from here.
    announce(engine, OwnerChange(key, before[-1], Owner.CLOSED, event_id))
    if asked is not None:
        delivery.push_soon(record.channel, record.conversation_id, [asked], name=event_id)
    return record


async def _agent_wrote(engine: Engine, key: str) -> bool:
    """Whether an agent wrote to the subscriber since the conversation was last closed."""
    lines = await lines_back_to(engine.store, key, _closed_line)
    since = next((n for n in range(len(lines) - 1, -1, -1) if _closed_line(lines[n])), -1)
    return any(line.author == "agent" for line in lines[since + 1 :])


def _closed_line(line: TranscriptEntry) -> bool:
    return line.author == "system" and line.text.startswith(CLOSED_LINE)


async def reopen(
    engine: Engine,
    delivery: Delivery,
    key: str,
    agent: str,
    *,
    event_id: str,
    only_as: ConversationRecord,
) -> ConversationRecord | None:
    """`agent` takes the closed conversation `key` again to follow it up; the subscriber is told.

    Their last message from us was 「解決しましたか？」: taken silently, their answer went to
    the agent and nothing said a person had it (the web chat's header alone changed, and no
    other channel has one). One transaction writes the take-over line and the bot's line
    saying a person follows it up, which is then sent. Only onto the record as read (closed);
    None when it changed meanwhile or `event_id` was handled before: nothing is written.
    """
    now = engine.now()

    def to_agent(
        stored: ConversationRecord | None,
    ) -> Change[tuple[ConversationRecord, TextReply]] | None:
        if stored is None or stored != only_as or stored.owner is not Owner.CLOSED:
            return None
        told = TextReply(engine.texts.fill(stored.dialog.locale, feedback.REOPENED_KEY, {}))
        taken = dataclasses.replace(stored, owner=Owner.AGENT, updated_at=now)
        # The bot's words first: the holder is read from the lines after the bot last spoke
        # (`holder_of`), so the take-over line comes last.
        lines = [
            TranscriptEntry(now, "bot", reply_as_plain_text(told), reply_to_dict(told)),
            TranscriptEntry(now, "system", f"{TAKEN_BY}{agent}"),
        ]
        return Change(taken, lines, (taken, told))

    change = await engine.store.transact(key, event_id, to_agent)
    if change is None:
        return None
    record, told = change.result
    announce(engine, OwnerChange(key, Owner.CLOSED, Owner.AGENT, event_id))
    delivery.push_soon(record.channel, record.conversation_id, [told], name=event_id)
    return record


async def subscriber_left(engine: Engine, key: str) -> ConversationRecord | None:
    """The subscriber left `key` while the desk's queue or an agent had it: close it.

    Nobody is asked 「解決しましたか？」: nobody is there to answer. The desk follows the
    owner change as after any close (the queue drops it, Slack's message says it ended).
    A conversation the bot answers is left as it is (a message left for the desk still
    waits for a call back), and one closed already is not noted again. None: no change.
    """
    return await change_owner(engine, key, Owner.CLOSED, SUBSCRIBER_LEFT, only_from=Owner.AGENT)
