"""`conversation_key` is worked out once per conversation id while the conversation chats."""

from __future__ import annotations

import base64
import hashlib
import secrets

from adapters.webchat.conversation_key import KNOWN_CONVERSATIONS, conversation_key


def test_the_same_id_is_digested_once() -> None:
    conversation_id = secrets.token_hex(16)
    first = conversation_key(conversation_id)
    # The same object: the key was remembered, not worked out again.
    assert conversation_key(conversation_id) is first
    digest = hashlib.sha256(conversation_id.encode()).digest()[:16]
    assert first == base64.b32encode(digest).decode().rstrip("=").lower()


def test_the_keys_remembered_are_bounded() -> None:
    for _ in range(KNOWN_CONVERSATIONS + 100):
        conversation_key(secrets.token_hex(16))
    assert conversation_key.cache_info().currsize <= KNOWN_CONVERSATIONS
