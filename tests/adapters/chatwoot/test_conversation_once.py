"""The mirror's conversation is created once, through a 500 too.

Its contact is (fef71c3); the conversation create after it was given up at Chatwoot's first
500, and the handoff reached no Chatwoot agent. Chatwoot's conversation create has no
idempotency key and Rails answers 500 as often after `save!` as before it, so after such an
answer the contact's conversations are read through the desk inbox's public Client API (the
contact is fresh for each mirror: any conversation it has is ours), and the create is made
again only when there is none.
"""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.chatwoot import api as chatwoot_api_module
from adapters.chatwoot.api import ChatwootApi, ChatwootApiError
from adapters.chatwoot.config import ChatwootConfig
from tests.adapters.chatwoot.test_post_once import fake
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, PLATFORM, FakeChatwoot

__all__ = ["fake"]

INBOX = "3"
ATTRIBUTES = {"mailmove_key": "webchat:abc"}


@pytest.fixture
async def api(fake: FakeChatwoot, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ChatwootApi]:
    monkeypatch.setattr(chatwoot_api_module, "RETRY_WAIT", 0.0)
    monkeypatch.setattr(chatwoot_api_module, "POST_WAIT", 0.0)
    config = ChatwootConfig(
        fake.url, API_TOKEN, ACCOUNT, "w" * 24, desk_inbox_identifier=DESK_IDENTIFIER
    )
    api = ChatwootApi(config)
    yield api
    await api.close()


@pytest.mark.parametrize("stored", [True, False])
async def test_a_conversation_create_met_by_a_500_makes_one_conversation(
    api: ChatwootApi, fake: FakeChatwoot, *, stored: bool
) -> None:
    contact, source = await api.create_contact("山田 太郎")
    fake.fail(PLATFORM, "conversations", status=500, accepted=stored)
    conversation = await api.create_conversation(INBOX, contact, source, ATTRIBUTES)
    assert list(fake.created) == [conversation]
    assert fake.created[conversation]["source_id"] == source
    assert fake.created[conversation]["custom_attributes"] == ATTRIBUTES
    # Made again only when Chatwoot had not stored the first.
    assert len(fake.calls_to(PLATFORM, "conversations", status=None)) == (1 if stored else 2)


async def test_a_create_failing_every_time_is_refused(api: ChatwootApi, fake: FakeChatwoot) -> None:
    contact, source = await api.create_contact("山田 太郎")
    fake.fail(PLATFORM, "conversations", status=500, times=chatwoot_api_module.POST_ATTEMPTS)
    with pytest.raises(ChatwootApiError):
        await api.create_conversation(INBOX, contact, source, ATTRIBUTES)
    assert fake.created == {}
