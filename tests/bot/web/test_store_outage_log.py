"""A Redis outage is a few log lines, not one per probe, request and scrape.

While Redis was down every `/readyz` (Kubernetes probes each replica every 5 s) logged
"Store not ready", every request the store failed "Answering 503", and every Prometheus
scrape "Store memory not read": the same line again and again, exactly when an operator
reads the log to see what happened, and nothing said when it was over. Now each is said
when it starts and then at most once a minute with how many it stands for, and `/readyz`
says when the store answers again.
"""

from __future__ import annotations

import asyncio
import logging

import httpx
import pytest
import redis.asyncio

from bot.cli import _store_opens
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.redis_server import running_redis


def _said_by_the_web(caplog: pytest.LogCaptureFixture) -> list[str]:
    # Only the web layer's lines: the expiry sweep's first round (a task the lifespan starts)
    # can land after the server stopped on a slow machine and say "Expiry skipped" too.
    return [r.getMessage() for r in caplog.records if r.name.startswith("bot.web")]


async def test_an_outage_is_said_when_it_starts_and_when_it_ends(
    caplog: pytest.LogCaptureFixture,
) -> None:
    with running_redis() as server:
        app = build_app(Settings(store_url=f"{server.url}?prefix=o:"), clock=fixed_clock())
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            created = await client.post("/api/webchat/conversations", json={})
            history = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
            server.stop()
            with caplog.at_level(logging.INFO, logger="bot.web"):
                for _ in range(4):
                    assert (await client.get("/readyz")).status_code == 503
                    assert (await client.get(history)).status_code == 503
                    assert (await client.get("/metrics")).status_code == 200
                said_during = _said_by_the_web(caplog)
                caplog.clear()
                server.start()
                for _ in range(3):
                    assert (await client.get("/readyz")).status_code == 200
                said_after = _said_by_the_web(caplog)

    # The transcript read's per-client limit (MAILMOVE_WEBCHAT_READ_LIMIT) cannot count in
    # Redis either, and says so once too.
    assert len(said_during) == 4, said_during
    not_ready, unchecked, answered, memory = said_during
    assert not_ready.startswith("Not ready: the store is unavailable (1 probe(s)")
    assert "writes get 503 until it works again" in not_ready
    assert unchecked.startswith("Per-client limit webchat_reads not checked for 1 request(s)")
    assert answered.startswith("Answered 503 to 1 request(s): the store is unavailable")
    assert memory.startswith("Store memory not read (1 scrape(s))")
    assert said_after == [
        "Ready again: the store answers (4 request(s) were answered 503 while it did not)"
    ]


async def test_messages_refused_at_the_door_in_an_outage_are_said_too(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Once the store is known to be down (here by a `/readyz` probe, as Kubernetes sends
    # every 5 s), a message is refused by the request gate before any route runs. Those 503s
    # were counted in `mailmove_rejected_requests_total` but never in "Answered 503 to N
    # request(s)": the log said a probe had failed, never that subscribers got 503.
    with running_redis() as server:
        app = build_app(Settings(store_url=f"{server.url}?prefix=o:"), clock=fixed_clock())
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            created = await client.post("/api/webchat/conversations", json={})
            history = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
            server.stop()
            with caplog.at_level(logging.INFO, logger="bot.web"):
                assert (await client.get("/readyz")).status_code == 503
                for _ in range(3):
                    sent = await client.post(history, json={"text": "hello"})
                    assert sent.status_code == 503
                server.start()
                assert (await client.get("/readyz")).status_code == 200
                said = _said_by_the_web(caplog)

    # Said when the first is refused, then once a minute at most, as for reads; how many
    # in all when the store is back (the log said 1 for an outage that turned away 99).
    assert len(said) == 3, said
    not_ready, answered, back = said
    assert not_ready.startswith("Not ready: the store is unavailable (1 probe(s)")
    assert answered.startswith("Answered 503 to 1 request(s): the store is unavailable: ")
    assert answered.endswith("; platforms and the web chat page try again")
    assert back == (
        "Ready again: the store answers (3 request(s) were answered 503 while it did not)"
    )


async def test_a_redis_full_to_its_maxmemory_is_not_ready_until_it_takes_writes(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # Over its maxmemory with noeviction (as the manifests run it), Redis refuses every
    # write and answers PING and reads: `/readyz` said ready while every message got 503.
    with running_redis() as server:
        app = build_app(Settings(store_url=f"{server.url}?prefix=full:"), clock=fixed_clock())
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
            redis.asyncio.Redis.from_url(server.url) as admin,
        ):
            created = await client.post("/api/webchat/conversations", json={})
            messages = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
            used = (await admin.info("memory"))["used_memory"]
            await admin.config_set("maxmemory", str(used // 2))
            with caplog.at_level(logging.INFO, logger="bot.web"):
                refused = await client.post(messages, json={"text": "はい"})
                not_ready = await client.get("/readyz")
                history = await client.get(messages)
                await admin.config_set("maxmemory", "0")
                ready = await client.get("/readyz")
                taken = await client.post(messages, json={"text": "はい"})
                said = _said_by_the_web(caplog)

    assert (refused.status_code, history.status_code) == (503, 200)
    assert (not_ready.status_code, not_ready.json()) == (503, {"status": "store unavailable"})
    assert (ready.status_code, taken.status_code) == (200, 200)
    not_ready_line = next(line for line in said if line.startswith("Not ready"))
    assert "Redis refuses writes: command not allowed when used memory > 'maxmemory'" in (
        not_ready_line
    )
    assert "(free memory in Redis, or raise its maxmemory" in not_ready_line
    assert said[-1] == (
        "Ready again: the store answers (1 request(s) were answered 503 while it did not)"
    )


async def test_a_redis_a_failover_made_a_replica_is_not_ready_and_is_connected_to_afresh(
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A failover turns the old primary into a replica: it answers PING and reads and refuses
    # every write ("READONLY You can't write against a read only replica"). Every message got
    # 503 while `/readyz` said ready, and the replica kept its connections to that server
    # (redis-py reconnects, and looks the host name up again, only once one is closed).
    with running_redis() as server:
        app = build_app(Settings(store_url=f"{server.url}?prefix=ro:"), clock=fixed_clock())
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
            redis.asyncio.Redis.from_url(server.url) as admin,
        ):
            created = await client.post("/api/webchat/conversations", json={})
            messages = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
            own = await admin.client_id()
            # A primary nobody answers for: the data stays, writes are refused.
            await admin.replicaof("127.0.0.1", "1")
            with caplog.at_level(logging.INFO, logger="bot.web"):
                refused = await client.post(messages, json={"text": "はい"})
                before = {c["id"] for c in await admin.client_list()} - {str(own)}
                not_ready = await client.get("/readyz")
                after = {c["id"] for c in await admin.client_list()} - {str(own)}
                history = await client.get(messages)
                await admin.replicaof("NO", "ONE")
                ready = await client.get("/readyz")
                taken = await client.post(messages, json={"text": "はい"})
                said = _said_by_the_web(caplog)

    assert (refused.status_code, history.status_code) == (503, 200)
    assert (not_ready.status_code, ready.status_code, taken.status_code) == (503, 200, 200)
    assert before
    assert not before & after  # the probe connected afresh
    not_ready_line = next(line for line in said if line.startswith("Not ready"))
    assert "Redis refuses writes: You can't write against a read only replica." in not_ready_line
    assert "MAILMOVE_STORE must name the primary" in not_ready_line
    assert said[-1].startswith("Ready again: the store answers")


async def test_a_replica_at_start_up_is_said_and_not_ready_before_any_message() -> None:
    # MAILMOVE_STORE naming a replica (or the old primary, before a failover's DNS moved):
    # the replica started without a word and said ready until a subscriber's message got
    # 503. Now the start-up summary notes it and the first /readyz tries a write.
    with running_redis() as server:
        async with redis.asyncio.Redis.from_url(server.url) as admin:
            await admin.replicaof("127.0.0.1", "1")
            notes = await asyncio.to_thread(_store_opens, f"{server.url}?prefix=ro0:")
            app = build_app(Settings(store_url=f"{server.url}?prefix=ro0:"), clock=fixed_clock())
            async with (
                app.router.lifespan_context(app),
                httpx.AsyncClient(
                    transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
                ) as client,
            ):
                first = await client.get("/readyz")
                await admin.replicaof("NO", "ONE")
                then = await client.get("/readyz")

    assert notes == (
        "MAILMOVE_STORE: Redis refuses writes: You can't write against a read only replica."
        " (a read-only replica: MAILMOVE_STORE must name the primary, which after a failover"
        " may be another server); every message gets 503 until a write works",
    )
    assert (first.status_code, then.status_code) == (503, 200)


async def test_the_turns_kept_connections_are_dropped_too_when_redis_turns_replica() -> None:
    # A turn keeps its connection for the next (`_give_back`): the pool counts it in use,
    # so closing the pool's idle connections left these on the old primary, and turns went
    # on meeting "READONLY" after the failover had moved the name.
    with running_redis() as server:
        app = build_app(Settings(store_url=f"{server.url}?prefix=ro2:"), clock=fixed_clock())
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
            redis.asyncio.Redis.from_url(server.url) as admin,
        ):
            started = await asyncio.gather(
                *(client.post("/api/webchat/conversations", json={}) for _ in range(4))
            )
            own = str(await admin.client_id())
            before = {c["id"] for c in await admin.client_list()} - {own}
            await admin.replicaof("127.0.0.1", "1")
            not_ready = await client.get("/readyz")
            after = {c["id"] for c in await admin.client_list()} - {own}
            await admin.replicaof("NO", "ONE")

    assert [r.status_code for r in started] == [201] * 4
    assert not_ready.status_code == 503
    assert before
    assert not before & after
