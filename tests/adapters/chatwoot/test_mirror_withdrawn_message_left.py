"""A message left for the desk that the subscriber withdrew leaves the mirror's summary note.

The note of a message left quotes it whole, call-back number too (summary.message_left); the
subscriber who unsent it on LINE (or deleted it in Slack) took it out of the transcript, but
the note kept it for every agent of the inbox, who would call the number back.
"""

from __future__ import annotations

import json

import httpx
import pytest
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_closed_notice import app, client, clock, fake
from tests.adapters.chatwoot.test_mirror_desk import WAIT, Subscriber
from tests.bot.desk.test_closed_while_waiting import AFTER_CLOSING, Clock
from tests.fakes.chatwoot_api import USER_TOKEN, FakeChatwoot

__all__ = ["app", "client", "clock", "fake"]  # the fixtures this module's tests use


@pytest.fixture
def desk_user() -> str:
    """A user's token (CHATWOOT_DESK_USER_TOKEN): no agent bot may delete a message."""
    return USER_TOKEN


WITHDRAWN = "伝言（折り返し先: 不明）: （お客様が取り消したメッセージです）"


async def test_a_withdrawn_message_left_leaves_the_mirrors_summary_note(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot, clock: Clock
) -> None:
    # The note of a message left quotes it whole, call-back number too (summary.message_left).
    clock.now = AFTER_CLOSING
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    assert "受付時間外" in json.dumps(await subscriber.say("担当者と話したい"), ensure_ascii=False)
    await subscriber.say("伝言を残す")
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    left = "送信できません。03-1234-5678 にお電話ください"
    assert (await client.post(url, json={"text": left, "event_id": "e-left"})).status_code == 200
    await app.state.runtime.tasks.idle()
    (note,) = fake.calls_to("chatwoot", "messages")
    assert "03-1234-5678" in note.params["content"]
    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:e-left"
    engine = app.state.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await fake.wait_for(lambda: len(fake.calls_to("chatwoot", "messages")) >= 2, seconds=WAIT)
    await app.state.runtime.tasks.idle()
    (deleted,) = fake.calls_to("chatwoot", "delete")
    assert deleted.params["message"] == str(note.result["id"])
    (_, again) = fake.calls_to("chatwoot", "messages")
    assert again.params["private"] is True
    assert "03-1234-5678" not in again.params["content"]
    assert (
        "伝言（折り返し先: 不明）: （お客様が取り消したメッセージです）" in again.params["content"]
    )
