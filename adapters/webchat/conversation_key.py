"""The key a web chat conversation is known by: a one-way digest of its id, never the id.

The conversation id that `POST /api/webchat/conversations` returns is the subscriber's only
credential: whoever has it reads and writes the conversation through the page's API. So it
stays between the page and this adapter: the store, the desks (Slack's message and its
buttons, Chatwoot's contact, the desk webhook), the agent API and console, the summary's
link and the logs only ever see `webchat:<digest>`, from which the id cannot be worked back.
The id holds 128 random bits, so an unkeyed SHA-256 is enough (no secret to share between
replicas), and 128 bits of it (26 base32 letters, never shaped like an id) cannot collide.

Versions before this kept conversations under the id itself; they are moved to their
digest once at start-up (`move_old_conversations`), and one a replica of the old version
writes during a rolling upgrade is moved when its subscriber next calls (`moved_to_its_key`).
"""

from __future__ import annotations

import base64
import functools
import hashlib
import logging
import re
import weakref
from typing import Final

from adapters.webchat.api_models import CONVERSATION_ID_PATTERN
from bot.ops.repeated import Repeated
from bot.store.conversation_store import ConversationStore, StoreUnavailableError, record_key
from bot.store.desk_notices import move_pending_work

CHANNEL: Final = "webchat"
_ID_RE: Final = re.compile(CONVERSATION_ID_PATTERN)
_DIGEST_BYTES: Final = 16
# Conversations whose keys are remembered: the ones chatting now (see `conversation_key`).
KNOWN_CONVERSATIONS: Final = 4096
_LOGGER: Final = logging.getLogger(__name__)
# By store (one per app): whether the old replica's moves were said in the last minute.
_OLD_REPLICA_SEEN: Final[weakref.WeakKeyDictionary[ConversationStore, Repeated]] = (
    weakref.WeakKeyDictionary()
)


# Every request of a page names its conversation by id, so the same few thousand ids are
# digested again and again: the SHA-256 and the standard library's base32 (written in
# Python) were 2 % of a web chat turn's instructions. The ids remembered stay in this
# process's memory only, as the requests that carried them did; the oldest go first.
@functools.lru_cache(maxsize=KNOWN_CONVERSATIONS)
def conversation_key(conversation_id: str) -> str:
    """The conversation's key on the agents' side: base32 of 128 bits of the id's SHA-256."""
    digest = hashlib.sha256(conversation_id.encode()).digest()[:_DIGEST_BYTES]
    return base64.b32encode(digest).decode().rstrip("=").lower()


def key_of(conversation_id: str) -> str:
    """The store key of the conversation whose (subscriber's) id is `conversation_id`."""
    return record_key(CHANNEL, conversation_key(conversation_id))


async def move_old_conversations(store: ConversationStore) -> int:
    """Move every conversation stored under a subscriber's id to its digest; return how many."""
    renames = {
        key: key_of(conversation_id)
        for key in await store.conversation_keys(CHANNEL)
        if _ID_RE.match(conversation_id := key.partition(":")[2])
    }
    if not renames:
        return 0
    # The server answers nothing, /healthz included, until this is done: 19,920 took 14 s
    # on Redis. Said first, so whoever watches a silent replica knows why and for how many.
    _LOGGER.info(
        "Moving %d web chat conversations off their subscribers' ids before serving",
        len(renames),
    )
    moved = await store.rename(renames)
    await move_pending_work(store, renames)
    return moved


async def moved_to_its_key(store: ConversationStore, conversation_id: str) -> bool:
    """Whether the conversation is under its key now (moved here, or by another request).

    Moved off `conversation_id` by this call, or meanwhile by another request of the same
    page (it polls while it sends): the request that loses the move must not answer 404,
    or the page forgets the conversation and starts a new one. Called only when the
    conversation is not found under its key, so it costs nothing on the way of one that is.
    StoreUnavailableError (503) while it cannot be moved yet.
    """
    old, new = record_key(CHANNEL, conversation_id), key_of(conversation_id)
    if await store.load(old) is not None and await store.rename({old: new}) == 1:
        # A desk still to be told of a message left in it, and an agent's message still
        # pending, must find it where it now is.
        await move_pending_work(store, {old: new})
        # Stored under the id after this replica's start-up move: a replica of a version
        # before the digest still serves, and answers 404 to every conversation moved off
        # the id, so its subscribers' pages start afresh. The operator must stop it. Said
        # once a minute at most: each of the old replica's subscribers brings one here.
        if moved := _OLD_REPLICA_SEEN.setdefault(store, Repeated()).happened():
            _LOGGER.warning(
                "Moved %d web chat conversation(s) stored under the subscriber's id since"
                " start-up: a replica of an older version is still serving and loses the"
                " conversations this one moves; stop it",
                moved,
            )
        return True
    if await store.load(new) is not None:
        return True
    if await store.load(old) is not None:
        # Still under the id: a replica of the old version runs a turn of it (Redis leaves
        # a locked conversation where it is). Its lock lasts milliseconds, so "retry" (503),
        # which the page does by itself; a 404 would make it forget the conversation.
        raise StoreUnavailableError("the conversation is being moved to its key: retry")
    return False
