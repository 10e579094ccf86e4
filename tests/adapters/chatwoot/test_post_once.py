"""A message for Chatwoot is posted once, through a 500 too.

Chatwoot has no idempotency key, and Rails answers 500 as often after `save!` as before it,
so a relay (the subscriber's words for the agents, the bot's reply) was dropped at the
first 500. Now the message carries its own `source_id`, the conversation is read back after
such an answer (an empty update answers with its latest message: an agent bot may not list
messages), and it is posted again only when Chatwoot does not have it.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator

import pytest

from adapters.chatwoot import api as chatwoot_api_module
from adapters.chatwoot.api import ChatwootApi, ChatwootApiError
from adapters.chatwoot.config import ChatwootConfig
from bot.ops.metrics import Metrics
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, PLATFORM, FakeChatwoot, running_chatwoot

CONVERSATION = "42"
WORDS = "メールが送れません Kq7xyz99"
RELAY = {"content": WORDS, "message_type": "incoming", "private": False}


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    async with running_chatwoot() as fake:
        yield fake


@pytest.fixture
async def api(fake: FakeChatwoot, monkeypatch: pytest.MonkeyPatch) -> AsyncIterator[ChatwootApi]:
    monkeypatch.setattr(chatwoot_api_module, "RETRY_WAIT", 0.0)
    monkeypatch.setattr(chatwoot_api_module, "POST_WAIT", 0.0)
    config = ChatwootConfig(fake.url, API_TOKEN, ACCOUNT, "w" * 24)
    api = ChatwootApi(config)
    yield api
    await api.close()


async def test_stored_then_answered_500_is_found_and_not_posted_twice(
    api: ChatwootApi, fake: FakeChatwoot
) -> None:
    fake.fail(PLATFORM, "messages", status=500, accepted=True)
    posted = await api.post_message(CONVERSATION, RELAY)
    stored = fake.stored_messages(CONVERSATION)
    assert [m["content"] for m in stored] == [WORDS]
    assert posted == str(stored[0]["id"])


async def test_not_stored_at_a_500_is_posted_again(api: ChatwootApi, fake: FakeChatwoot) -> None:
    fake.fail(PLATFORM, "messages", status=500)
    posted = await api.post_message(CONVERSATION, RELAY)
    stored = fake.stored_messages(CONVERSATION)
    assert [m["content"] for m in stored] == [WORDS]
    assert posted == str(stored[0]["id"])
    # Read back before posting again.
    assert fake.calls_to(PLATFORM, "update")


async def test_a_read_that_fails_posts_nothing_twice(api: ChatwootApi, fake: FakeChatwoot) -> None:
    fake.fail(PLATFORM, "messages", status=500, accepted=True)
    fake.fail(PLATFORM, "update", status=500, times=chatwoot_api_module.POST_ATTEMPTS)
    posted = await api.post_message(CONVERSATION, RELAY)
    assert [m["content"] for m in fake.stored_messages(CONVERSATION)] == [WORDS]
    assert posted == str(fake.stored_messages(CONVERSATION)[0]["id"])


async def test_every_try_failing_is_logged_and_counted_without_the_words(
    api: ChatwootApi, fake: FakeChatwoot, caplog: pytest.LogCaptureFixture
) -> None:
    counted = Metrics()
    counted.activate()
    fake.fail(PLATFORM, "messages", status=500, times=chatwoot_api_module.POST_ATTEMPTS)
    with caplog.at_level(logging.ERROR), pytest.raises(ChatwootApiError):
        await api.post_message(CONVERSATION, RELAY)
    assert fake.stored_messages(CONVERSATION) == []
    assert len(fake.calls_to(PLATFORM, "messages", status=500)) == chatwoot_api_module.POST_ATTEMPTS
    assert "not posted" in caplog.text
    assert "Kq7xyz99" not in caplog.text
    assert "メール" not in caplog.text
    labels = {"desk": "chatwoot", "kind": "message"}
    assert counted.registry.get_sample_value("mailmove_desk_not_told_total", labels) == 1


async def test_a_chatwoot_that_refuses_the_read_gets_no_second_copy(
    api: ChatwootApi, fake: FakeChatwoot
) -> None:
    # Before agent bots could update a conversation, the read is refused: whether the
    # message is there stays unknown, so it is not posted again, and the caller hears so.
    fake.fail(PLATFORM, "messages", status=500, accepted=True)
    fake.fail(PLATFORM, "update", status=401, times=chatwoot_api_module.POST_ATTEMPTS)
    with pytest.raises(ChatwootApiError) as raised:
        await api.post_message(CONVERSATION, RELAY)
    assert raised.value.may_have_arrived
    assert [m["content"] for m in fake.stored_messages(CONVERSATION)] == [WORDS]
