"""One client cannot fill the store: conversations and messages are limited per client."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

CONVERSATIONS = "/api/webchat/conversations"


def make_app(tmp_path: Path, **settings: object) -> Starlette:
    return build_app(
        Settings(
            store_url=f"sqlite:///{tmp_path}/s.sqlite3",
            webchat_conversation_limit=3,
            webchat_message_limit=5,
            **settings,  # type: ignore[arg-type]
        ),
        clock=fixed_clock(),
    )


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = make_app(tmp_path)
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette, address: str = "192.0.2.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_conversations_past_the_limit_get_429_with_retry_after(app: Starlette) -> None:
    async with client(app) as one, client(app, "192.0.2.2") as other:
        created = [(await one.post(CONVERSATIONS, json={})).status_code for _ in range(4)]
        assert created == [201, 201, 201, 429]
        refused = await one.post(CONVERSATIONS, json={})
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 600
        assert refused.json() == {"error": "too many requests (webchat); retry later"}
        # Another client has its own allowance.
        assert (await other.post(CONVERSATIONS, json={})).status_code == 201
    assert len(await app.state.runtime.engine.store.list_records()) == 4


async def test_messages_past_the_limit_get_429(app: Starlette) -> None:
    async with client(app) as one:
        conversation = (await one.post(CONVERSATIONS, json={})).json()["conversation_id"]
        url = f"{CONVERSATIONS}/{conversation}/messages"
        answered = [(await one.post(url, json={"text": "はい"})).status_code for _ in range(6)]
    assert answered == [200] * 5 + [429]


async def test_behind_a_trusted_proxy_the_client_is_its_headers_last_address(
    tmp_path: Path,
) -> None:
    app = make_app(tmp_path, client_ip_header="X-Forwarded-For")
    async with app.router.lifespan_context(app), client(app, "10.0.0.5") as proxy:
        for n in range(3):
            # The first entries are the client's to forge; the last is the proxy's own.
            forged = {"x-forwarded-for": f"203.0.113.{n}, 198.51.100.7"}
            assert (await proxy.post(CONVERSATIONS, json={}, headers=forged)).status_code == 201
        forged = {"x-forwarded-for": "203.0.113.99, 198.51.100.7"}
        assert (await proxy.post(CONVERSATIONS, json={}, headers=forged)).status_code == 429
        other = {"x-forwarded-for": "198.51.100.8"}
        assert (await proxy.post(CONVERSATIONS, json={}, headers=other)).status_code == 201


async def test_without_the_setting_a_forwarded_header_changes_nothing(app: Starlette) -> None:
    async with client(app) as one:
        statuses = [
            (
                await one.post(
                    CONVERSATIONS, json={}, headers={"x-forwarded-for": f"203.0.113.{n}"}
                )
            ).status_code
            for n in range(4)
        ]
    assert statuses == [201, 201, 201, 429]
