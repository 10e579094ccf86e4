"""Pending work follows its web chat conversation to its key: desk notices, agents' messages.

Conversations older versions kept under the subscriber's id move to their digest at
start-up or when the subscriber next calls (`adapters/webchat/conversation_key.py`). A desk
notice (`bot/store/desk_notices.py`) pending for one stayed under the id: its retry found no
conversation there, and dropped it as dealt with, so the desk never heard of the message.
An agent's message pending in the outbox (`OUTBOX`) stayed there too: the next start's
recovery found no conversation under the id and dropped it unmarked, so the agent was
never shown that it may not have arrived.
"""

from __future__ import annotations

import datetime as dt
from typing import Final

from adapters.webchat.conversation_key import move_old_conversations, moved_to_its_key
from bot.desk.agent_messages import OUTBOX
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import ConversationStore
from bot.store.desk_notices import DeskNotice, desk_notices_for
from dialogs.profile import MigrationProfile
from tests.adapters.webchat.test_conversation_key import (  # noqa: F401 (fixtures)
    NEW_KEY,
    OLD_ID,
    OLD_KEY,
    redis_server,
    store,
    store_url,
    stored_before_the_upgrade,
)

SINCE: Final = dt.datetime(2008, 6, 1, 10, 0, tzinfo=dt.UTC)
DUE: Final = SINCE + dt.timedelta(minutes=1)
EVERYTHING: Final = SINCE + dt.timedelta(days=1)


async def pending(conversations: ConversationStore) -> None:
    notices = desk_notices_for(conversations)
    await notices.keep(DeskNotice(OLD_KEY, "webhook", SINCE, 0, DUE))
    await notices.keep(DeskNotice(OLD_KEY, "slack_desk", SINCE, 1, DUE))
    await notices.keep(DeskNotice("webchat:someoneelse", "webhook", SINCE, 0, DUE))
    # An agent's message (line 7) a stopped process left between its line and the platform:
    # the next start's recovery reads it by the conversation's key to mark it undelivered.
    await desk_notices_for(conversations, OUTBOX).keep(DeskNotice(OLD_KEY, "7", SINCE, 0, DUE))


async def kept(conversations: ConversationStore) -> list[tuple[str, str, int]]:
    found = await desk_notices_for(conversations).overdue(EVERYTHING)
    found += await desk_notices_for(conversations, OUTBOX).overdue(EVERYTHING)
    return sorted((n.key, n.desk, n.attempt) for n in found)


MOVED: Final = [
    (NEW_KEY, "7", 0),
    (NEW_KEY, "slack_desk", 1),
    (NEW_KEY, "webhook", 0),
    ("webchat:someoneelse", "webhook", 0),
]


async def test_notices_move_with_the_conversations_at_start_up(
    store: ConversationStore,  # noqa: F811
    profile: MigrationProfile,
    catalogs: Catalogs,
) -> None:
    await stored_before_the_upgrade(store, profile, catalogs)
    await pending(store)
    assert await move_old_conversations(store) == 1
    assert await kept(store) == MOVED
    # Claimed under the new key, as the sweep claims them: the body holds the new key too.
    notice = next(n for n in await desk_notices_for(store).overdue(EVERYTHING) if n.key == NEW_KEY)
    assert await desk_notices_for(store).claim(notice, EVERYTHING) is not None


async def test_notices_move_with_a_conversation_moved_when_its_subscriber_calls(
    store: ConversationStore,  # noqa: F811
    profile: MigrationProfile,
    catalogs: Catalogs,
) -> None:
    await stored_before_the_upgrade(store, profile, catalogs)
    await pending(store)
    assert await moved_to_its_key(store, OLD_ID)
    assert await kept(store) == MOVED
    assert await moved_to_its_key(store, OLD_ID)  # already moved: nothing moves again
    assert await kept(store) == MOVED
