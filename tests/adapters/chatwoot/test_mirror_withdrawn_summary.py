"""Words the subscriber withdrew leave the summary note of the Chatwoot mirror that quotes them.

e07ea96 deleted the mirror's copy of words relayed while a person had the chat, but the
summary note written at the handoff quotes the subscriber's latest lines (and a message left
for the desk in full): a line said just before asking for a person, then unsent on LINE or
deleted in Slack, stayed in the note for every agent of the inbox. Chatwoot edits no
message's content (MessagesController#update takes a status alone, for API inboxes), so the
note is deleted (its place kept, 'This message was deleted') and the summary written again
below, from the transcript where the words are gone, saying why it is there.
"""

from __future__ import annotations

import json
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import (
    MIRROR,
    WAIT,
    Subscriber,
    app,
    client,
    fake,
    mirror_status,
    webhook,
)
from tests.fakes.chatwoot_api import USER_TOKEN, FakeChatwoot
from tests.fakes.platform_api import Call

__all__ = ["app", "client", "fake"]  # the fixtures this module's tests use


@pytest.fixture
def desk_user() -> str:
    """A user's token (CHATWOOT_DESK_USER_TOKEN): no agent bot may delete a message."""
    return USER_TOKEN


WORDS: Final = "自宅の電話は 03-1234-5678 です"
WITHDRAWN: Final = "「（お客様が取り消したメッセージです）」"
REDRAWN: Final = "お客様がメッセージを取り消したため、引き継ぎの内容を書き直しました"


def notes(fake: FakeChatwoot) -> list[Call]:
    return [c for c in fake.calls_to("chatwoot", "messages") if c.params.get("private") is True]


async def test_withdrawn_words_leave_the_mirrors_summary_note(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    await subscriber.say("taro@vp.117.ne.jp")
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    sent = await client.post(url, json={"text": WORDS, "event_id": "said-1"})
    assert sent.status_code == 200
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    (note,) = fake.calls_to("chatwoot", "messages")
    assert note.params["private"] is True
    assert WORDS in note.params["content"]

    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-1"
    engine = app.state.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await fake.wait_for(lambda: len(fake.calls_to("chatwoot", "messages")) >= 2, seconds=WAIT)
    await app.state.runtime.tasks.idle()
    # The note that quoted the words is deleted: Chatwoot keeps its place, not its words.
    (deleted,) = fake.calls_to("chatwoot", "delete")
    assert (deleted.params["conversation"], deleted.params["message"]) == (
        MIRROR,
        str(note.result["id"]),
    )
    assert WORDS not in json.dumps(deleted.result, ensure_ascii=False)
    # The summary is written again below it, without the words, saying why.
    (_, again) = fake.calls_to("chatwoot", "messages")
    assert (again.params["conversation"], again.params["private"]) == (MIRROR, True)
    content = again.params["content"]
    assert "03-1234-5678" not in content
    assert REDRAWN in content
    assert f"{WITHDRAWN}「人と話したいです」" in content
    assert "taro@vp.117.ne.jp" in content
    # Sent again, the withdrawal deletes and writes nothing more.
    assert not await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await app.state.runtime.tasks.idle()
    assert len(fake.calls_to("chatwoot", "delete")) == 1
    assert len(fake.calls_to("chatwoot", "messages")) == 2


async def test_words_said_after_the_summary_leave_the_note_alone(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Relayed as a message of their own, they are that message's to take back (e07ea96).
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    await subscriber.say("taro@vp.117.ne.jp")
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    (note,) = fake.calls_to("chatwoot", "messages")
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    assert (await client.post(url, json={"text": WORDS, "event_id": "said-2"})).status_code == 200
    await fake.wait_for(lambda: len(fake.calls_to("chatwoot", "messages")) >= 2, seconds=WAIT)
    await app.state.runtime.tasks.idle()
    relayed = fake.calls_to("chatwoot", "messages")[1]
    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-2"
    engine = app.state.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:2", said)
    await fake.wait_for(lambda: bool(fake.calls_to("chatwoot", "delete")), seconds=WAIT)
    await app.state.runtime.tasks.idle()
    assert [c.params["message"] for c in fake.calls_to("chatwoot", "delete")] == [
        str(relayed.result["id"])
    ]
    assert len(fake.calls_to("chatwoot", "messages")) == 2
    assert note.result["content"] != "This message was deleted"


async def test_withdrawn_words_leave_an_earlier_handoffs_summary_note(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    # Only the newest summary note was read: handed back and handed off again, the
    # subscriber withdrew words that the first note quoted and the second did not, and the
    # first kept them for every agent of the inbox.
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    await subscriber.say("taro@vp.117.ne.jp")
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    sent = await client.post(url, json={"text": WORDS, "event_id": "said-1"})
    assert sent.status_code == 200
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    (first,) = notes(fake)
    assert WORDS in first.params["content"]
    await webhook(client, mirror_status(subscriber.key, "pending"))
    for words in ("Outlook を使っています", "まだ送れません", "やはり困っています"):
        await subscriber.say(words)
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    (_, second) = notes(fake)
    assert WORDS not in second.params["content"]

    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-1"
    engine = app.state.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await fake.wait_for(lambda: bool(fake.calls_to("chatwoot", "delete")), seconds=WAIT)
    await app.state.runtime.tasks.idle()
    assert [c.params["message"] for c in fake.calls_to("chatwoot", "delete")] == [
        str(first.result["id"])
    ]
    again = notes(fake)[-1]
    assert REDRAWN in again.params["content"]
    assert "03-1234-5678" not in again.params["content"]
    assert f"{WITHDRAWN}「人と話したいです」" in again.params["content"]
    # Sent again, the withdrawal deletes and writes nothing more.
    assert not await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await app.state.runtime.tasks.idle()
    assert len(fake.calls_to("chatwoot", "delete")) == 1
