"""The mirror desk with the only token Chatwoot lets a bot use everywhere: the agent bot's.

Chatwoot answers an agent bot's token with 401 'Access to this endpoint is not authorized
for bots' on every endpoint outside AccessTokenAuthHelper::BOT_ACCESSIBLE_ENDPOINTS
(messages#create; conversations#create, #update, #toggle_status, ...). The mirror created
its contact with `POST /contacts` and deleted withdrawn words with `DELETE …/messages/{id}`:
against a real Chatwoot no mirror ever opened, and words the subscriber took back (a
password among them) stayed. The fake now refuses as Chatwoot does; the contact is made
through the desk inbox's public Client API, and without CHATWOOT_DESK_USER_TOKEN a
withdrawal is a private note, the summary written again below the one kept.
"""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    MIRROR,
    WAIT,
    Subscriber,
    app,
    client,
    fake,
    handed_off,
    mirror_status,
    webhook,
)
from tests.fakes.chatwoot_api import API_TOKEN, FakeChatwoot

__all__ = ["app", "client", "fake"]  # the fixtures this module's tests use

WORDS = "自宅の電話は 03-1234-5678 です"


def refused(fake: FakeChatwoot) -> list[str]:
    """The calls Chatwoot refused the bot's token, but for the start-up's profile check.

    That one is refused on purpose: it tells an agent bot's token from a user's.
    """
    return [
        f"{c.method} {c.status}" for c in fake.calls if c.status == 401 and c.method != "profile"
    ]


async def test_the_mirror_opens_takes_words_and_is_resolved_with_the_bots_token(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    (created,) = fake.calls_to("chatwoot", "conversations")
    assert created.headers["api_access_token"] == API_TOKEN
    (contact,) = fake.calls_to("chatwoot", "contacts")
    assert created.params["source_id"] == contact.params["source_id"]
    assert created.params["contact_id"] == 900
    (summary,) = fake.messages(private=True)
    assert summary["conversation"] == MIRROR
    # Posted to: the subscriber's words reach the mirror as the contact's.
    await subscriber.say(WORDS)
    await fake.wait_for(lambda: bool(fake.messages()), seconds=WAIT)
    (relayed,) = fake.messages()
    assert (relayed["conversation"], relayed["message_type"]) == (MIRROR, "incoming")
    # Resolved in Chatwoot: the conversation is closed (the bot answers what comes next).
    assert (await webhook(client, mirror_status(subscriber.key, "resolved"))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert (await subscriber.page())["owner"] == "closed"
    assert refused(fake) == []


async def test_a_mirror_closed_elsewhere_is_resolved_with_the_bots_token(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    headers = {"Authorization": f"Bearer {AGENT.split(':', 1)[1]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=headers)).status_code == 200
    assert (await client.post(f"{url}/close", headers=headers, json={})).status_code == 200
    await fake.wait_for(lambda: (MIRROR, "resolved") in fake.toggles(), seconds=WAIT)
    assert refused(fake) == []


async def withdrawn(app: Starlette, client: httpx.AsyncClient, subscriber: Subscriber) -> None:
    """The subscriber sends WORDS as event said-1, then withdraws them."""
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    assert (await client.post(url, json={"text": WORDS, "event_id": "said-1"})).status_code == 200
    await app.state.runtime.tasks.idle()
    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-1"
    engine = app.state.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await app.state.runtime.tasks.idle()


async def test_withdrawn_words_relayed_to_the_mirror_are_taken_back_by_a_note(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    await withdrawn(app, client, subscriber)
    assert fake.calls_to("chatwoot", "delete", status=None) == []
    took_back = fake.messages(private=True)[-1]
    assert took_back["conversation"] == MIRROR
    # Named by when it was said (the fixed clock: 2008-06-01 10:00 in Tokyo), never quoted.
    assert took_back["content"].startswith("お客様が6月1日の")
    assert "取り消しました" in took_back["content"]
    assert "残っています" in took_back["content"]
    assert WORDS not in took_back["content"]
    assert refused(fake) == []


async def test_a_summary_that_quoted_withdrawn_words_is_written_again_below_it(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    subscriber = Subscriber(client, created["conversation_id"])
    await subscriber.say("taro@vp.117.ne.jp")
    await withdrawn_before_handoff(app, client, subscriber)
    first, again = fake.messages(private=True)
    assert WORDS in first["content"]  # kept: no bot may delete it
    assert fake.calls_to("chatwoot", "delete", status=None) == []
    assert again["content"].startswith("（お客様がメッセージを取り消したため")
    assert "上の引き継ぎメモには取り消された言葉が残っています" in again["content"]
    assert WORDS not in again["content"]
    assert refused(fake) == []


async def withdrawn_before_handoff(
    app: Starlette, client: httpx.AsyncClient, subscriber: Subscriber
) -> None:
    """WORDS said, a person asked for (the summary quotes them), then WORDS withdrawn."""
    url = f"/api/webchat/conversations/{subscriber.id}/messages"
    assert (await client.post(url, json={"text": WORDS, "event_id": "said-1"})).status_code == 200
    await subscriber.say("人と話したいです")
    await app.state.runtime.tasks.idle()
    conversation = subscriber.key.split(":", 1)[1]
    said = f"webchat:{conversation}:said-1"
    engine = app.state.runtime.engine
    assert await engine.withdraw("webchat", conversation, "webchat:withdrawal:1", said)
    await app.state.runtime.tasks.idle()
