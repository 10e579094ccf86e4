"""A file or picture a Chatwoot agent attaches in a mirror: a private note says it was not sent.

Only an agent's words go from the mirror to the subscriber's channel (the web chat, LINE,
Telegram, Slack). A screenshot attached there was dropped without a word while Chatwoot
showed it sent, and one with a caption sent the caption alone.
"""

from __future__ import annotations

from typing import Any

import httpx
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import app, client, fake, from_agent, handed_off
from tests.adapters.chatwoot.test_mirror_desk import webhook as post_webhook
from tests.fakes.chatwoot_api import FakeChatwoot

__all__ = ["app", "client", "fake"]  # the fixtures this module's tests use

NOT_SENT = "ファイルや画像は、お客様には送られません"
SCREENSHOT: dict[str, Any] = {
    "id": 51,
    "message_id": 8001,
    "file_type": "image",
    "extension": "png",
    "data_url": "https://chatwoot.example.jp/rails/active_storage/blobs/settings.png",
    "file_size": 48213,
}


def notes(fake: FakeChatwoot) -> list[str]:
    return [str(m["content"]) for m in fake.messages(private=True)]


async def test_a_picture_alone_is_said_not_sent(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    reply = from_agent(subscriber.key, "", 1, attachments=[SCREENSHOT])
    assert (await post_webhook(client, reply)).status_code == 200
    await app.state.runtime.tasks.idle()
    assert any(NOT_SENT in note for note in notes(fake)), notes(fake)
    page = await subscriber.page()
    assert not [m for m in page["messages"] if m["author"] == "agent"]


async def test_the_words_beside_a_picture_are_sent_and_the_picture_said_not_sent(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    reply = from_agent(subscriber.key, "こちらの画面をご覧ください", 1, attachments=[SCREENSHOT])
    assert (await post_webhook(client, reply)).status_code == 200
    await app.state.runtime.tasks.idle()
    page = await subscriber.page()
    (line,) = [m for m in page["messages"] if m["author"] == "agent"]
    assert "こちらの画面をご覧ください" in str(line)
    assert any(NOT_SENT in note for note in notes(fake)), notes(fake)


async def test_a_picture_chatwoot_delivers_twice_is_said_not_sent_once(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Chatwoot has been seen sending one message_created twice: the words reached the
    # subscriber once, but the mirror got two notes that the picture was not sent.
    subscriber = await handed_off(app, client)
    reply = from_agent(subscriber.key, "こちらの画面をご覧ください", 1, attachments=[SCREENSHOT])
    for _ in range(2):
        assert (await post_webhook(client, reply)).status_code == 200
        await app.state.runtime.tasks.idle()
    assert len([note for note in notes(fake) if NOT_SENT in note]) == 1, notes(fake)
    page = await subscriber.page()
    assert len([m for m in page["messages"] if m["author"] == "agent"]) == 1


async def test_words_alone_say_nothing_of_files(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    assert (
        await post_webhook(client, from_agent(subscriber.key, "確認します", 1))
    ).status_code == 200
    await app.state.runtime.tasks.idle()
    assert not any(NOT_SENT in note for note in notes(fake))
