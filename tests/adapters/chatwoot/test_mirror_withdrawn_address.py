"""The address a withdrawn message gave leaves the mirror's summary note, quoted or not.

The summary note written at the handoff shows the address held (「アドレス: …」) besides the
subscriber's latest three lines. The message that gave it, older than those lines, unsent on
LINE or deleted in Slack, took the address out of the dialog and the transcript, but the note
was written again only when it quoted the message itself: the address stayed in it for every
agent of the inbox.
"""

from __future__ import annotations

from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import WAIT, Subscriber, app, client, fake
from tests.fakes.chatwoot_api import USER_TOKEN, FakeChatwoot
from tests.fakes.platform_api import Call

__all__ = ["app", "client", "fake"]  # the fixtures this module's tests use

ADDRESS: Final = "abc12345@vp.117.ne.jp"
REDRAWN: Final = "お客様がメッセージを取り消したため、引き継ぎの内容を書き直しました"


@pytest.fixture
def desk_user() -> str:
    """A user's token (CHATWOOT_DESK_USER_TOKEN): no agent bot may delete a message."""
    return USER_TOKEN


def notes(fake: FakeChatwoot) -> list[Call]:
    return [c for c in fake.calls_to("chatwoot", "messages") if c.params.get("private") is True]


async def test_the_address_of_a_withdrawn_message_leaves_the_note(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    sent = await client.post(url, json={"text": ADDRESS, "event_id": "addr-1"})
    assert sent.status_code == 200
    # Three lines after it: the note quotes these, not the address's message.
    for words in ("Outlook を使っています", "まだ送れません", "やはり困っています"):
        await subscriber.say(words)
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    (note,) = notes(fake)
    assert ADDRESS in note.params["content"]

    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:addr-1"
    engine = app.state.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await fake.wait_for(lambda: bool(fake.calls_to("chatwoot", "delete")), seconds=WAIT)
    await app.state.runtime.tasks.idle()
    assert [c.params["message"] for c in fake.calls_to("chatwoot", "delete")] == [
        str(note.result["id"])
    ]
    again = notes(fake)[-1]
    assert REDRAWN in again.params["content"]
    assert "abc12345" not in again.params["content"]
    # Sent again, the withdrawal deletes and writes nothing more.
    assert not await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await app.state.runtime.tasks.idle()
    assert len(fake.calls_to("chatwoot", "delete")) == 1


async def test_another_old_message_withdrawn_leaves_the_note_alone(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    await subscriber.say(ADDRESS)
    sent = await client.post(url, json={"text": "よろしくお願いします", "event_id": "old-1"})
    assert sent.status_code == 200
    for words in ("Outlook を使っています", "まだ送れません", "やはり困っています"):
        await subscriber.say(words)
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    (note,) = notes(fake)
    conversation = subscriber.key.split(":", 1)[1]
    engine = app.state.runtime.engine
    said = f"webchat:{conversation}:old-1"
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:2", said)
    await app.state.runtime.tasks.idle()
    assert not fake.calls_to("chatwoot", "delete")
    assert notes(fake) == [note]
