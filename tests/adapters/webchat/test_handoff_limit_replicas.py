"""Behind replicas on one Redis, a client's handoffs are counted once, not once per replica.

Two apps (two replicas, each with its own Redis store) on one real redis-server; the client
asks for a person in new conversations, alternating between them.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.metrics import Metrics
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.redis_server import RedisServer, free_port, running_redis

CONVERSATIONS: Final = "/api/webchat/conversations"
TOKEN: Final = "agent-token-0123456789abcdef"
LIMIT: Final = 3


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
async def replicas(redis_server: RedisServer) -> AsyncIterator[tuple[Starlette, Starlette]]:
    url = f"{redis_server.url}?prefix=handoffs:{free_port()}:"
    settings = Settings(store_url=url, agent_tokens=(TOKEN,), webchat_handoff_limit=LIMIT)
    apps = (build_app(settings, clock=fixed_clock()), build_app(settings, clock=fixed_clock()))
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(app.router.lifespan_context(app))
        yield apps


async def test_handoffs_are_limited_once_across_two_replicas(
    replicas: tuple[Starlette, Starlette],
) -> None:
    started = replicas[0].state.runtime.catalogs.raw("ja", "handoff.started")
    async with AsyncExitStack() as stack:
        one = [
            await stack.enter_async_context(
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app, client=("192.0.2.1", 40000)),
                    base_url="http://test",
                )
            )
            for app in replicas
        ]
        said = []
        for n in range(LIMIT + 2):
            chat = one[n % 2]
            created = await chat.post(CONVERSATIONS, json={})
            path = f"{CONVERSATIONS}/{created.json()['conversation_id']}/messages"
            answer = await chat.post(path, json={"choice": "human"})
            said.append(started in answer.text)
    assert said == [True] * LIMIT + [False, False]
    refused = 0.0
    for app in replicas:
        metrics: Metrics = app.state.metrics
        refused += (
            metrics.registry.get_sample_value(
                "mailmove_rejected_requests_total",
                {"channel": "webchat", "reason": "handoff_limited"},
            )
            or 0.0
        )
    assert refused == 2
