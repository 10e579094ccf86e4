"""An agent closes a conversation, and the subscriber is asked 「解決しましたか？」 as it ends.

One store transaction writes the owner (closed), who closed it, and the question as the
bot's line; the record remembers the question's buttons (`offered`, so a platform's hashed
button code resolves) and the question itself (`question`, so the web chat's press counts
once). The subscriber's next message starts a fresh conversation, as after any close; a
press of one of these buttons is its answer (`dialogs.feedback`), counted, and 「解決しない」
offers a person again.
"""

from __future__ import annotations

import dataclasses
import uuid

from bot.delivery import Delivery
from bot.desk.handoff import OwnerChange, announce
from bot.engine import Engine
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    TranscriptEntry,
    event_tag,
)
from dialogs import feedback
from dialogs.vocabulary import ChoicesReply, reply_as_plain_text, reply_to_dict

CLOSED_BY = "closed by "


async def close(
    engine: Engine, delivery: Delivery, key: str, agent: str
) -> ConversationRecord | None:
    """Close `key` as `agent`, asking the subscriber whether it was solved; None if unknown.

    A conversation closed already is only noted again: it was asked when it was closed.
    """
    now = engine.now()
    event_id = f"close:{uuid.uuid4().hex}"
    before: list[Owner] = []

    def to_closed(
        stored: ConversationRecord | None,
    ) -> Change[tuple[ConversationRecord, ChoicesReply | None]] | None:
        if stored is None:
            return None
        before.append(stored.owner)  # the last call is the one stored (a retried transaction)
        said = TranscriptEntry(now, "system", f"{CLOSED_BY}{agent}")
        if stored.owner is Owner.CLOSED:
            again = dataclasses.replace(stored, updated_at=now)
            return Change(again, [said], (again, None))
        locale = stored.dialog.locale
        asked = feedback.question(
            lambda words: engine.texts.fill(locale, words, {}), lead=feedback.CLOSED_KEY
        )
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
        await delivery.push(record.channel, record.conversation_id, [asked])
    return record
