"""A Chatwoot agent who answered in the mirror after a console take hands back her own.

鈴木 took the web chat conversation in the console; 佐藤 then answered the subscriber from
the Chatwoot mirror, and so has the conversation as every desk reads it (the console refuses
鈴木's hand-back naming her). Her pending in the mirror was refused all the same, with a
private note naming her to herself: the mirror's agent lines carried her bare name, which
could not be told from a console agent's.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Owner
from testbed.clock import fixed_clock
from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    INBOX,
    WEBHOOK_TOKEN,
    app,
    client,
    fake,
    from_agent,
    handed_off,
    mirror_status,
    webhook,
)
from tests.adapters.slack.test_desk import environ as slack_environ
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, FakeChatwoot

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


@pytest.fixture
async def both_desks(
    fake: FakeChatwoot, tmp_path: Path
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    """The web chat with two desks: the Chatwoot mirror and Slack's agents' channel."""
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
        **slack_environ(fake.url),
    }
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ=environ, agent_tokens=(AGENT,)
    )
    wanted = ("webchat", "chatwoot", "slack_desk")
    others = tuple(n for n in available_factories() if n not in wanted)
    both = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        both.router.lifespan_context(both),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=both), base_url="http://mailmove.test"
        ) as client,
    ):
        yield both, client


async def test_her_reply_in_a_console_agents_conversation_is_shown_in_slack_as_hers(
    both_desks: tuple[Starlette, httpx.AsyncClient], fake: FakeChatwoot
) -> None:
    # 鈴木 took the conversation in the console (Slack's message: 「鈴木さんが対応しています」);
    # 佐藤 answered from the mirror, and every desk reading the transcript named her, but
    # Slack's message went on naming 鈴木: no change of hands was announced (desk25).
    both, client = both_desks
    runtime = both.state.runtime
    subscriber = await handed_off(both, client)
    bearer = {"Authorization": f"Bearer {AGENT.partition(':')[2]}"}
    url = f"/api/agent/conversations/{subscriber.key}"
    assert (await client.post(f"{url}/take", headers=bearer, json={})).status_code == 200

    def shown() -> str:
        updates = fake.calls_to("slack", "chat.update")
        blocks = updates[-1].params["blocks"] if updates else ""
        return blocks if isinstance(blocks, str) else json.dumps(blocks, ensure_ascii=False)

    await fake.wait_for(lambda: "鈴木さんが対応しています" in shown())
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await runtime.tasks.idle()
    read = (await client.get(url, headers=bearer)).json()
    assert (read["holder"], read["agent"]) == ("agent", "佐藤")
    await fake.wait_for(lambda: "佐藤さんが対応しています" in shown())
    # Delivered again (Chatwoot's retry): nothing more to redraw.
    updates = len(fake.calls_to("slack", "chat.update"))
    assert (await webhook(client, from_agent(subscriber.key, "佐藤です", 1))).status_code == 200
    await runtime.tasks.idle()
    assert len(fake.calls_to("slack", "chat.update")) == updates
