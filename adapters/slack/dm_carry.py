"""A channel thread's conversation carried on into the subscriber's DM with its card.

In a channel's thread the settings card and the guide go to the subscriber's DM with the
app (`SlackChannel._post_privately`). Reading them there, the subscriber writes there:
「ありがとう」, 「送信できません」, a question about the card. The DM kept no conversation, so
those words were greeted as a new one (the questionnaire's first question under the card),
or read by an older DM conversation that knew nothing of the card. So the DM's conversation
is set to where the thread's stands whenever something of the thread is posted there: the
answers, the address, the program, the verdict. Pure: the channel does the store's write.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Final

from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry

# Not `bot.engine.PLACE_NOTE_LINE` ("slack dm: "), which names where in the DM they write.
CARRIED_LINE: Final = "slack: continued from the channel's thread "
"""The DM transcript's note, for an agent, of the thread its conversation came from."""


def carried_line(thread_key: str) -> str:
    """The note that the DM goes on from the thread `thread_key` (team:channel:thread_ts)."""
    return f"{CARRIED_LINE}{thread_key.partition(':')[2]}"


def carried_to_dm(
    thread: ConversationRecord, stored: ConversationRecord | None, key: str, now: dt.datetime
) -> Change[None] | None:
    """The DM conversation `key` set to where `thread` stands; None to leave it as it is.

    A DM a person has (an agent answering it) is theirs: left alone. One the bot keeps, or
    closed, takes the thread's dialog: the card the subscriber reads is the latest thing
    said to them. One that is already where the thread stands gets nothing new.
    """
    if thread.owner is not Owner.BOT:
        return None
    line = TranscriptEntry(now, "system", carried_line(thread.conversation_id))
    if stored is None:
        record = ConversationRecord(
            key, thread.channel, Owner.BOT, thread.dialog, now, now, question=thread.question
        )
        return Change(record, [line], None)
    if stored.owner is Owner.AGENT:
        return None
    if stored.owner is Owner.BOT and stored.dialog == thread.dialog:
        return None
    record = dataclasses.replace(
        stored, owner=Owner.BOT, dialog=thread.dialog, question=thread.question, updated_at=now
    )
    return Change(record, [line], None)
