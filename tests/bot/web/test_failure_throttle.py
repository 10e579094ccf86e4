"""Guessing agent tokens: a client's repeated 401s earn it a 429; valid tokens never count."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from bot.web.failure_throttle import DEFAULT_LIMIT
from testbed.clock import fixed_clock

TOKEN: Final = "agent-token-0123456789"
LIST: Final = "/api/agent/conversations"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,))
    app = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def bearer(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


async def test_repeated_failures_get_429_until_the_window_passes(app: Starlette) -> None:
    async with client(app, "192.0.2.1") as guesser, client(app, "192.0.2.2") as agent:
        guesses = [
            (await guesser.get(LIST, headers=bearer(f"guess-{n:016d}"))).status_code
            for n in range(DEFAULT_LIMIT)
        ]
        assert guesses == [401] * DEFAULT_LIMIT
        refused = await guesser.get(LIST, headers=bearer(TOKEN))
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # Another client, and the API's public description, are not affected.
        assert (await agent.get(LIST, headers=bearer(TOKEN))).status_code == 200
        # The public description offers no token: it is no guess, and answered as ever.
        assert (await guesser.get("/api/agent/openapi.json")).status_code == 200
        assert (await guesser.get("/healthz")).status_code == 200


async def test_calls_that_offer_no_token_are_401_however_many_and_never_lock_out(
    app: Starlette,
) -> None:
    # "Without a token, or with a wrong one, the answer is 401": a tool (or a tester) going
    # through every route without a token, or with another scheme, got 429 from the 11th call
    # on, and then 429 for its valid token too: such a call guesses nothing.
    async with client(app, "192.0.2.6") as reader:
        paths = (await reader.get("/api/agent/openapi.json")).json()["paths"]
    routes = [
        (method, path)
        for path, item in paths.items()
        for method, operation in item.items()
        if operation.get("security") != []
    ]
    headers: list[dict[str, str]] = [
        {},
        {"Authorization": ""},
        {"Authorization": "Bearer"},
        {"Authorization": "Bearer "},
        {"Authorization": f"Basic {TOKEN}"},
        {"Authorization": f"Token {TOKEN}"},
        {"Authorization": TOKEN},
    ]
    async with client(app, "192.0.2.5") as tool:
        statuses = {
            (await tool.request(method, path.replace("{key}", "webchat:x"), headers=h)).status_code
            for method, path in routes
            for h in headers
            for _ in range(2)
        }
        assert statuses == {401}
        assert (await tool.get(LIST, headers=bearer(TOKEN))).status_code == 200
    assert len(routes) * len(headers) * 2 > DEFAULT_LIMIT


async def test_valid_tokens_never_count(app: Starlette) -> None:
    async with client(app, "192.0.2.3") as agent:
        answers = [
            (await agent.get(LIST, headers=bearer(TOKEN))).status_code
            for _ in range(DEFAULT_LIMIT * 3)
        ]
        assert answers == [200] * (DEFAULT_LIMIT * 3)
        assert (await agent.get(LIST, headers=bearer("wrong-token-000000"))).status_code == 401


async def test_guessing_is_counted_and_said_once(
    app: Starlette, caplog: pytest.LogCaptureFixture
) -> None:
    # Every 401 and 429 went unlogged, and only the 429s were counted: a guesser at work
    # showed nowhere an operator looks before it was refused.
    with caplog.at_level(logging.INFO, logger="bot.web"):
        async with client(app, "192.0.2.4") as guesser:
            for n in range(DEFAULT_LIMIT + 5):
                await guesser.get(LIST, headers=bearer(f"guess-{n:016d}"))
    registry = app.state.metrics.registry
    counted = {
        reason: registry.get_sample_value(
            "mailmove_rejected_requests_total", {"channel": "agent_api", "reason": reason}
        )
        for reason in ("unauthorized", "rate_limited")
    }
    assert counted == {"unauthorized": DEFAULT_LIMIT, "rate_limited": 5}
    assert [r.getMessage() for r in caplog.records] == [
        f"agent_api: a client got 429 after {DEFAULT_LIMIT} refused tokens within"
        " 60 s (1 refused request(s)): someone may be guessing agent tokens"
    ]
    assert "192.0.2.4" not in caplog.text
