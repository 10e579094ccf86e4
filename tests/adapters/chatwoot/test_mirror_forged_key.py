"""A mirrored conversation's `mailmove_key` is only a pointer: Chatwoot agents can edit
custom attributes, so a reply or a resolve counts only for the conversation that was
mirrored to that very Chatwoot conversation (the transcript notes which).

The same app, fake and webhook bodies as test_mirror_desk.
"""

from __future__ import annotations

import httpx
from starlette.applications import Starlette

from tests.adapters.chatwoot.test_mirror_desk import (
    MIRROR,
    Subscriber,
    app,
    client,
    fake,
    from_agent,
    handed_off,
    mirror_status,
    webhook,
)
from tests.fakes.chatwoot_api import FakeChatwoot

__all__ = ["app", "client", "fake"]  # the fixtures this module uses

AGENT_TOKEN = "agent-token-0123456789abcdef"


async def taken_in_the_console(app: Starlette, client: httpx.AsyncClient) -> Subscriber:
    """A second subscriber, mirrored too, and taken by an agent in the console."""
    other = await handed_off(app, client)
    took = await client.post(
        f"/api/agent/conversations/{other.key}/take",
        json={},
        headers={"authorization": f"Bearer {AGENT_TOKEN}"},
    )
    assert took.status_code == 200, took.text
    return other


async def test_a_reply_under_another_conversations_key_reaches_nobody(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    first = await handed_off(app, client)
    other = await taken_in_the_console(app, client)
    before = await other.page()

    # Written in the first subscriber's mirror, whose attribute was edited to name the other.
    forged = from_agent(other.key, "別のお客さまへの返信", 1)
    assert forged["conversation"]["id"] == int(MIRROR)
    assert (await webhook(client, forged)).status_code == 200
    await app.state.runtime.tasks.idle()

    assert await other.page() == before
    assert [m for m in (await first.page())["messages"] if m["author"] == "agent"] == []


async def test_a_resolve_under_another_conversations_key_hands_nothing_back(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    await handed_off(app, client)
    other = await taken_in_the_console(app, client)

    assert (await webhook(client, mirror_status(other.key, "resolved"))).status_code == 200
    await app.state.runtime.tasks.idle()

    assert (await other.page())["owner"] == "agent"
