"""What every answer tells a browser and the caches between: no sniffing, no stored copies.

A transcript (`GET /api/webchat/conversations/{id}/messages`) and the agent API's
conversations hold a subscriber's address and answers. Without `Cache-Control: no-store` a
shared cache or the browser's disk may keep them after the conversation is gone; without
`X-Content-Type-Options: nosniff` an old browser may read JSON that carries a subscriber's
words as HTML. Pages and files that say how they are cached (the texts, `embed.js`, static
files with their validators) keep what they say.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

TOKEN: Final = "agent-token-0123456789"
CONVERSATIONS: Final = "/api/webchat/conversations"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,))
    app: Starlette = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client


async def test_personal_answers_are_not_stored_by_any_cache(client: httpx.AsyncClient) -> None:
    created = await client.post(CONVERSATIONS, json={})
    conversation = created.json()["conversation_id"]
    messages = f"{CONVERSATIONS}/{conversation}/messages"
    said = await client.post(messages, json={"text": "taro@vp.117.ne.jp"})
    agent = {"Authorization": f"Bearer {TOKEN}"}
    answers = [
        created,
        said,
        await client.get(messages),
        await client.get("/api/agent/conversations", headers=agent),
        await client.get(f"/api/agent/conversations/{key_of(conversation)}", headers=agent),
        await client.get(f"{CONVERSATIONS}/{'0' * 32}/messages"),  # 404
        await client.get("/api/agent/conversations"),  # 401
        await client.post("/autodiscover/autodiscover.xml", content=b"<x/>"),
    ]
    for answer in answers:
        assert answer.headers.get("cache-control") == "no-store", answer.url
        assert answer.headers.get("x-content-type-options") == "nosniff", answer.url


async def test_what_says_how_it_is_cached_keeps_it(client: httpx.AsyncClient) -> None:
    texts = await client.get("/api/webchat/texts/ja")
    assert texts.headers["cache-control"] == "max-age=300"
    embed = await client.get("/embed.js")
    assert embed.headers["cache-control"] == "public, max-age=300"
    page = await client.get("/")
    assert "cache-control" not in page.headers  # revalidated by its ETag
    assert page.headers["etag"]
    for answer in (texts, embed, page):
        assert answer.headers["x-content-type-options"] == "nosniff"


async def test_served_over_https_every_answer_asks_for_https_from_then_on(tmp_path: Path) -> None:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", public_url="https://bot.example.jp"
    )
    app: Starlette = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="https://test") as client:
            answers = [
                await client.get("/"),
                await client.post(CONVERSATIONS, json={}),
                await client.get("/check/no-such-link"),
                await client.get("/webchat/static/no-such-file"),
            ]
    for answer in answers:
        # Not includeSubDomains: the provider's other hosts are not ours to decide for.
        assert answer.headers["strict-transport-security"] == "max-age=31536000", answer.url


async def test_without_an_https_address_no_strict_transport(client: httpx.AsyncClient) -> None:
    # Over plain HTTP (loopback, a test machine) it would mean nothing, and a host name
    # once served so is not to be pinned to HTTPS by a test run.
    assert "strict-transport-security" not in (await client.get("/")).headers
