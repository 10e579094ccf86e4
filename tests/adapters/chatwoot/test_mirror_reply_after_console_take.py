"""A Chatwoot agent who answered in the mirror after a console take hands back her own.

鈴木 took the web chat conversation in the console; 佐藤 then answered the subscriber from
the Chatwoot mirror, and so has the conversation as every desk reads it (the console refuses
鈴木's hand-back naming her). Her pending in the mirror was refused all the same, with a
private note naming her to herself: the mirror's agent lines carried her bare name, which
could not be told from a console agent's.
"""

from __future__ import annotations

import json

import httpx
from starlette.applications import Starlette

from bot.store.conversation_store import Owner
from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    app,
    client,
    fake,
    from_agent,
    handed_off,
    mirror_status,
    webhook,
)
from tests.fakes.chatwoot_api import FakeChatwoot

__all__ = ["app", "client", "fake"]


async def test_her_pending_after_her_reply_hands_it_back(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=bearer, json={})).status_code == 200
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    page = await subscriber.page()
    # The subscriber sees her name as her words gave it, without the desk's.
    assert page["agent"] == "佐藤"
    assert "(Chatwoot)" not in json.dumps(page, ensure_ascii=False)
    assert (await webhook(client, mirror_status(subscriber.key, "pending"))).status_code == 200
    await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.BOT
    notes = [m["content"] for m in fake.messages(private=True)]
    assert not any("さんが対応中" in note for note in notes), notes


async def test_the_console_agents_own_reply_after_hers_keeps_refusing_the_mirror(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    subscriber = await handed_off(app, client)
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=bearer, json={})).status_code == 200
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    # 鈴木 takes it back in the console and answers: the mirror's pending is his to refuse.
    taken = await client.post(f"{url}/take", headers=bearer, json={"take_over_from": "佐藤"})
    assert taken.status_code == 200, taken.text
    body = {"text": "鈴木です", "event_id": "2"}
    assert (await client.post(f"{url}/messages", headers=bearer, json=body)).status_code == 201
    await app.state.runtime.tasks.idle()
    assert (await webhook(client, mirror_status(subscriber.key, "pending"))).status_code == 200
    await app.state.runtime.tasks.idle()
    record = await app.state.runtime.engine.store.load(subscriber.key)
    assert record is not None
    assert record.owner is Owner.AGENT
