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
import hashlib
import re
from typing import Final

from adapters.webchat.api_models import CONVERSATION_ID_PATTERN
from bot.store.conversation_store import ConversationStore, record_key

CHANNEL: Final = "webchat"
_ID_RE: Final = re.compile(CONVERSATION_ID_PATTERN)
_DIGEST_BYTES: Final = 16


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
    return await store.rename(renames) if renames else 0


async def moved_to_its_key(store: ConversationStore, conversation_id: str) -> bool:
    """Whether a conversation stored under `conversation_id` itself was there, and now moved.

    Called only when the conversation is not found under its key, so it costs nothing on
    the way of a conversation that is.
    """
    old = record_key(CHANNEL, conversation_id)
    if await store.load(old) is None:
        return False
    return await store.rename({old: key_of(conversation_id)}) == 1
