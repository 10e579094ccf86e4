"""The mirror's contact is created once, through a 500 or a 502 too.

The desk inbox's public Client API has no idempotency key, and a contact create that met a
500 was given up: the handoff reached no Chatwoot agent. Now each create carries a
`source_id` of ours, made once per contact: ContactInboxWithContactBuilder finds the
contact_inbox of a source id it has before making one, so a create sent again after a 500
(stored or not) or a broken connection answers the contact it made, never a second one.
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


@pytest.fixture
async def api(fake: FakeChatwoot, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ChatwootApi]:
    monkeypatch.setattr(chatwoot_api_module, "RETRY_WAIT", 0.0)
    config = ChatwootConfig(
        fake.url, API_TOKEN, ACCOUNT, "w" * 24, desk_inbox_identifier=DESK_IDENTIFIER
    )
    api = ChatwootApi(config)
    yield api
    await api.close()


@pytest.mark.parametrize(("status", "stored"), [(500, True), (500, False), (502, False)])
async def test_a_contact_create_is_sent_again_and_makes_one_contact(
    api: ChatwootApi, fake: FakeChatwoot, status: int, *, stored: bool
) -> None:
    fake.fail(PLATFORM, "contacts", status=status, accepted=stored)
    contact, source = await api.create_contact("山田 太郎")
    assert list(fake.contact_inboxes) == [source]
    assert fake.contact_inboxes[source]["id"] == int(contact)
    assert fake.contact_inboxes[source]["name"] == "山田 太郎"
    # Both tries named the same place in the inbox: the second found the first's contact.
    tries = fake.calls_to(PLATFORM, "contacts", status=None)
    assert len(tries) == 2
    assert {call.params["source_id"] for call in tries} == {source}


async def test_two_contacts_are_two(api: ChatwootApi, fake: FakeChatwoot) -> None:
    # One source id per contact, not per process: two handoffs are two contacts.
    first = await api.create_contact("山田 太郎")
    second = await api.create_contact("山田 花子")
    assert first != second
    assert len(fake.contact_inboxes) == 2


async def test_a_create_failing_every_time_is_refused(api: ChatwootApi, fake: FakeChatwoot) -> None:
    fake.fail(PLATFORM, "contacts", status=500, times=chatwoot_api_module.RATE_LIMIT_RETRIES + 1)
    with pytest.raises(ChatwootApiError):
        await api.create_contact("山田 太郎")
    assert fake.contact_inboxes == {}
