"""Behind replicas on one Redis, a client gets each per-client limit once, not once per replica.

Two apps (two replicas, each with its own Redis store) on one real redis-server; the client
alternates between them. And when the limiter's Redis cannot answer, the limits let requests
through (counted and logged), never a 500.
"""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator, Iterator
from contextlib import AsyncExitStack
from typing import Final

import httpx
import pytest
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request

from bot.ops.metrics import Metrics
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.redis_store import RedisStore
from bot.web.client_limit import WARN_EVERY, ClientThrottle
from bot.web.failure_throttle import DEFAULT_LIMIT
from testbed.clock import fixed_clock
from testbed.redis_server import RedisServer, free_port, running_redis

CONVERSATIONS: Final = "/api/webchat/conversations"
AGENTS: Final = "/api/agent/conversations"
TOKEN: Final = "agent-token-0123456789abcdef"
PREFIX: Final = "limits:"
CONVERSATION_LIMIT: Final = 3
MESSAGE_LIMIT: Final = 5


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


def settings(store_url: str) -> Settings:
    return Settings(
        store_url=store_url,
        webchat_conversation_limit=CONVERSATION_LIMIT,
        webchat_message_limit=MESSAGE_LIMIT,
        agent_tokens=(TOKEN,),
    )


@pytest.fixture
async def replicas(redis_server: RedisServer) -> AsyncIterator[tuple[Starlette, Starlette]]:
    # A prefix per test: each starts with no counts.
    url = f"{redis_server.url}?prefix={PREFIX}{free_port()}:"
    apps = (
        build_app(settings(url), clock=fixed_clock()),
        build_app(settings(url), clock=fixed_clock()),
    )
    async with AsyncExitStack() as stack:
        for app in apps:
            await stack.enter_async_context(app.router.lifespan_context(app))
        yield apps


def client(app: Starlette, address: str) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


def metric(app: Starlette, name: str, **labels: str) -> float:
    metrics: Metrics = app.state.metrics
    value = metrics.registry.get_sample_value(name, labels)
    return value or 0.0


async def test_conversations_are_limited_once_across_two_replicas(
    replicas: tuple[Starlette, Starlette],
) -> None:
    async with AsyncExitStack() as stack:
        one = [await stack.enter_async_context(client(app, "192.0.2.1")) for app in replicas]
        other = await stack.enter_async_context(client(replicas[1], "192.0.2.2"))
        statuses = [
            (await one[n % 2].post(CONVERSATIONS, json={})).status_code
            for n in range(CONVERSATION_LIMIT + 1)
        ]
        assert statuses == [201] * CONVERSATION_LIMIT + [429]
        # Refused on both replicas, with a wait within the 10-minute window.
        for replica in one:
            refused = await replica.post(CONVERSATIONS, json={})
            assert refused.status_code == 429
            assert 1 <= int(refused.headers["retry-after"]) <= 600
        # Another client has its own allowance.
        assert (await other.post(CONVERSATIONS, json={})).status_code == 201


async def test_messages_are_limited_once_across_two_replicas(
    replicas: tuple[Starlette, Starlette],
) -> None:
    async with (
        client(replicas[0], "192.0.2.1") as first,
        client(replicas[1], "192.0.2.1") as second,
    ):
        created = await first.post(CONVERSATIONS, json={})
        url = f"{CONVERSATIONS}/{created.json()['conversation_id']}/messages"
        statuses = [
            (await (first, second)[n % 2].post(url, json={"text": "はい"})).status_code
            for n in range(MESSAGE_LIMIT + 1)
        ]
        refused = await first.post(url, json={"text": "はい"})
    # Creating the conversation is not a message: five messages in all, then 429.
    assert statuses == [200] * MESSAGE_LIMIT + [429]
    assert refused.status_code == 429
    assert 1 <= int(refused.headers["retry-after"]) <= 60


async def test_token_guesses_are_limited_once_across_two_replicas(
    replicas: tuple[Starlette, Starlette],
) -> None:
    async with AsyncExitStack() as stack:
        guesser = [await stack.enter_async_context(client(app, "192.0.2.7")) for app in replicas]
        agent = await stack.enter_async_context(client(replicas[0], "192.0.2.8"))
        guesses = [
            (
                await guesser[n % 2].get(
                    AGENTS, headers={"Authorization": f"Bearer guess-{n:020d}"}
                )
            ).status_code
            for n in range(DEFAULT_LIMIT)
        ]
        assert guesses == [401] * DEFAULT_LIMIT
        for replica in guesser:
            refused = await replica.get(AGENTS, headers={"Authorization": f"Bearer {TOKEN}"})
            assert refused.status_code == 429
            assert 1 <= int(refused.headers["retry-after"]) <= 60
        ok = await agent.get(AGENTS, headers={"Authorization": f"Bearer {TOKEN}"})
        assert ok.status_code == 200


async def test_the_counts_live_under_the_store_prefix_and_expire_with_their_window(
    redis_server: RedisServer, replicas: tuple[Starlette, Starlette]
) -> None:
    async with client(replicas[0], "192.0.2.9") as one:
        assert (await one.post(CONVERSATIONS, json={})).status_code == 201
    store = replicas[0].state.runtime.engine.store
    keys = [key.decode() async for key in store.client.scan_iter(match=f"{store.prefix}rate:*")]
    assert len(keys) == 1
    assert keys[0].startswith(f"{store.prefix}rate:client:webchat_conversations:")
    assert "192.0.2.9" not in keys[0]
    assert 590_000 < await store.client.pttl(keys[0]) <= 600_000


async def test_without_redis_the_limits_let_requests_through_never_a_500(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Nothing listens there: the store and its limiter both fail at once.
    app = build_app(settings(f"redis://127.0.0.1:{free_port()}/0"), clock=fixed_clock())
    caplog.set_level(logging.WARNING, logger="bot.web.client_limit")
    async with app.router.lifespan_context(app), client(app, "192.0.2.1") as one:
        guesses = [
            (await one.get(AGENTS, headers={"Authorization": f"Bearer guess-{n:020d}"})).status_code
            for n in range(DEFAULT_LIMIT + 2)
        ]
        created = await one.post(CONVERSATIONS, json={})
    # Past the limit and still 401: unchecked, not refused, and not a 500.
    assert guesses == [401] * (DEFAULT_LIMIT + 2)
    # The conversation needs the store: 503, as for any outage (the gate refuses writes).
    assert created.status_code == 503
    # Each guess asked the limiter twice (refused? then count the 401).
    unchecked = metric(app, "mailmove_client_limit_unchecked_total", limit="agent_api_failures")
    assert unchecked == 2 * (DEFAULT_LIMIT + 2)
    warnings = [r for r in caplog.records if r.name == "bot.web.client_limit"]
    # Once a minute per limit, not once per request.
    assert [r.getMessage().split(":")[0] for r in warnings] == [
        "Per-client limit agent_api_failures not checked for 1 request(s)"
    ]


class Clock:
    def __init__(self) -> None:
        self.now = 0.0

    def __call__(self) -> float:
        return self.now


async def test_an_unchecked_limit_warns_at_most_once_a_minute_with_the_count(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # The Redis store's own client (its timeouts and retries), with nothing listening.
    dead = RedisStore(f"redis://127.0.0.1:{free_port()}/0")
    clock = Clock()
    throttle = ClientThrottle(
        "webchat", 1, 60.0, scope="webchat_messages", limiters=dead.rate_limiter, clock=clock
    )
    request = Request({"type": "http", "headers": [], "client": ("192.0.2.1", 1)})
    caplog.set_level(logging.WARNING, logger="bot.web.client_limit")
    try:
        for _ in range(3):
            assert await throttle.admit(request) is None
        clock.now += WARN_EVERY - 1
        assert await throttle.admit(request) is None
        clock.now += 1
        assert await throttle.admit(request) is None
    finally:
        await dead.close()
    counts = [r.getMessage().split(" for ")[1].split(" ")[0] for r in caplog.records]
    # The first failure, then a minute later the five that failed since the first warning.
    assert counts == ["1", "4"]


async def test_metrics_render_the_unchecked_count_for_a_scraper(
    redis_server: RedisServer, replicas: tuple[Starlette, Starlette]
) -> None:
    # Present before any failure, so an alert on its rate has a series to read.
    async with client(replicas[0], "192.0.2.1") as one:
        text = (await one.get("/metrics")).text
    names = {family.name for family in text_string_to_metric_families(text)}
    assert "mailmove_client_limit_unchecked" in names
