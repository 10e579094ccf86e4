"""Posting to Slack once through a 5xx: the conversation is read back before posting again."""

from __future__ import annotations

from collections.abc import AsyncIterator

import pytest

from adapters.slack.channel import web_client
from adapters.slack.post_once import ID_FIELD, post_once
from bot.delivery import NotDeliveredError
from tests.fakes.platform_api import FakePlatformAPI, running_fake

DM = "D0SUBSCRIBER"
MESSAGE = {"text": "パスワードは変わりません。"}


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatformAPI]:
    async with running_fake() as fake:
        yield fake


def posted(fake: FakePlatformAPI) -> list[str]:
    return [
        c.params["text"]
        for c in fake.calls_to("slack", "chat.postMessage", status=None)
        if c.accepted
    ]


async def send(fake: FakePlatformAPI, thread_ts: str | None = None) -> None:
    client = web_client("xoxb-test", f"{fake.url}/slack/api/")
    await post_once(client, DM, thread_ts, MESSAGE, retries=2, wait=0.01)


async def test_a_5xx_before_posting_is_posted_again_once(fake: FakePlatformAPI) -> None:
    fake.fail("slack", "chat.postMessage", status=503)
    await send(fake)
    assert posted(fake) == [MESSAGE["text"]]
    # Read back first: nothing there, so posted again.
    assert len(fake.calls_to("slack", "conversations.history")) == 1


async def test_a_5xx_after_posting_is_found_and_not_posted_again(fake: FakePlatformAPI) -> None:
    fake.fail("slack", "chat.postMessage", status=500, accepted=True)
    await send(fake, thread_ts="1212345678.000100")
    assert posted(fake) == [MESSAGE["text"]]
    assert len(fake.calls_to("slack", "chat.postMessage", status=None)) == 1
    (read,) = fake.calls_to("slack", "conversations.replies")
    assert read.params["ts"] == "1212345678.000100"
    # What it looked for: the id the post carried.
    (post,) = fake.calls_to("slack", "chat.postMessage", status=None)
    assert post.params["metadata"]["event_payload"][ID_FIELD]


async def test_when_the_read_back_fails_too_it_may_have_arrived(fake: FakePlatformAPI) -> None:
    fake.fail("slack", "chat.postMessage", status=500, accepted=True)
    fake.fail("slack", "conversations.history", status=503)
    with pytest.raises(NotDeliveredError) as raised:
        await send(fake)
    assert raised.value.may_have_arrived
    assert len(fake.calls_to("slack", "chat.postMessage", status=None)) == 1


async def test_every_attempt_failing_is_not_delivered(fake: FakePlatformAPI) -> None:
    fake.fail("slack", "chat.postMessage", status=503, times=10)
    with pytest.raises(NotDeliveredError) as raised:
        await send(fake)
    assert not raised.value.may_have_arrived
    assert posted(fake) == []
    assert len(fake.calls_to("slack", "chat.postMessage", status=503)) == 3


async def test_a_refusal_is_final(fake: FakePlatformAPI) -> None:
    fake.fail("slack", "chat.postMessage", status=404)
    with pytest.raises(NotDeliveredError):
        await send(fake)
    assert len(fake.calls_to("slack", "chat.postMessage", status=None)) == 1
    assert fake.calls_to("slack", "conversations.history") == []
