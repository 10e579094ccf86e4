"""What operators see: /metrics, /readyz, 503s on store outages and shutdown, and the JSON logs.

Each test builds its own app; metrics are read back from `/metrics` in Prometheus' text
format, as a scraper would read them.
"""

from __future__ import annotations

import io
import json
import logging
from collections.abc import AsyncIterator, Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest
import structlog
from prometheus_client.parser import text_string_to_metric_families
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse, Response

from bot.engine import TurnOutcome
from bot.ops import metrics
from bot.ops.logging_setup import TurnLog, configure_json_logging, hash_id, redact_text
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import ConversationRecord, Owner
from bot.store.redis_store import RedisStore
from dialogs.state import DialogState, Signal
from testbed.clock import IN_WINDOW, fixed_clock
from testbed.redis_server import free_port, running_redis

CONVERSATIONS = "/api/webchat/conversations"
# Q1..Q4 all "yes", the address, a mail program, "yes" to the old SMTP server: a verdict
# and a settings card.
WALK: list[dict[str, str]] = [
    {"choice": "yes"},
    {"choice": "yes"},
    {"choice": "yes"},
    {"choice": "yes"},
    {"text": "taro@vp.117.ne.jp"},
    {"choice": "program:thunderbird"},
    {"choice": "yes"},
]


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/m.sqlite3"), clock=fixed_clock())
    store = app.state.runtime.engine.store
    await store.open()
    yield app
    await store.close()


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        yield client


async def scrape(client: httpx.AsyncClient) -> dict[tuple[str, tuple[tuple[str, str], ...]], float]:
    """Every sample of /metrics, keyed (name, sorted labels)."""
    response = await client.get("/metrics")
    assert response.status_code == 200
    assert response.headers["content-type"].startswith("text/plain")
    return {
        (sample.name, tuple(sorted(sample.labels.items()))): sample.value
        for family in text_string_to_metric_families(response.text)
        for sample in family.samples
    }


async def walk(client: httpx.AsyncClient) -> str:
    created = await client.post(CONVERSATIONS, json={})
    assert created.status_code == 201
    conversation: str = created.json()["conversation_id"]
    for body in WALK:
        answered = await client.post(f"{CONVERSATIONS}/{conversation}/messages", json=body)
        assert answered.status_code == 200, answered.text
    return conversation


async def test_turns_verdicts_and_settings_are_counted(client: httpx.AsyncClient) -> None:
    conversation = await walk(client)
    repeated = await client.post(
        f"{CONVERSATIONS}/{conversation}/messages", json={"choice": "yes", "event_id": "x"}
    )
    again = await client.post(
        f"{CONVERSATIONS}/{conversation}/messages", json={"choice": "yes", "event_id": "x"}
    )
    assert repeated.status_code == again.status_code == 200

    samples = await scrape(client)

    webchat = (("channel", "webchat"),)
    assert samples[("mailmove_turns_total", (*webchat, ("result", "replied")))] == 9
    assert samples[("mailmove_turns_total", (*webchat, ("result", "duplicate")))] == 1
    assert samples[("mailmove_turn_seconds_count", webchat)] == 10
    verdict = (("receiving", "required"), ("sending", "required"))
    assert samples[("mailmove_verdicts_total", verdict)] == 1
    assert samples[("mailmove_settings_delivered_total", webchat)] == 1
    assert ("mailmove_handoffs_total", webchat) not in samples


def test_a_handoff_is_counted() -> None:
    counted = metrics.Metrics()
    record = ConversationRecord("line:U1", "line", Owner.AGENT, DialogState(), IN_WINDOW, IN_WINDOW)
    outcome = TurnOutcome(signals=(Signal.HANDOFF_REQUESTED,), record=record)

    counted.turn_finished("line", outcome, 0.01)
    counted.turn_finished("line", TurnOutcome(duplicate=True), 0.001)

    assert counted.registry.get_sample_value("mailmove_handoffs_total", {"channel": "line"}) == 1
    assert (
        counted.registry.get_sample_value(
            "mailmove_turns_total", {"channel": "line", "result": "silent"}
        )
        == 1
    )


async def test_adapters_and_checks_count_in_the_app_serving_the_request(
    app: Starlette, client: httpx.AsyncClient, tmp_path: Path
) -> None:
    async def probe(_: Request) -> Response:
        # What an adapter does on a bad signature, and the login check when it finishes.
        metrics.rejected("slack", "bad_signature")
        metrics.check_finished("auth_failed")
        return PlainTextResponse("refused", status_code=401)

    other = build_app(Settings(store_url=f"sqlite:///{tmp_path}/o.sqlite3"), clock=fixed_clock())
    for each in (app, other):
        each.add_route("/probe", probe, methods=["POST"])

    assert (await client.post("/probe")).status_code == 401
    samples = await scrape(client)

    labels = (("channel", "slack"), ("reason", "bad_signature"))
    assert samples[("mailmove_rejected_requests_total", labels)] == 1
    assert samples[("mailmove_login_checks_total", (("outcome", "auth_failed"),))] == 1
    # The other app, in the same process, counted nothing.
    transport = httpx.ASGITransport(app=other)
    async with httpx.AsyncClient(transport=transport, base_url="http://o.test") as other_client:
        assert ("mailmove_rejected_requests_total", labels) not in await scrape(other_client)


def test_counting_outside_any_app_is_harmless() -> None:
    metrics.rejected("line", "bad_signature")
    metrics.check_finished("ok")


@pytest.fixture
async def unreachable() -> AsyncIterator[httpx.AsyncClient]:
    # Nothing listens on this port: every store call fails at once, as with Redis down.
    store = RedisStore.from_url(f"redis://127.0.0.1:{free_port()}/0")
    app = build_app(Settings(), clock=fixed_clock(), store=store)
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        yield client
    await app.state.runtime.engine.store.close()


async def test_a_store_outage_answers_503_and_is_counted(
    unreachable: httpx.AsyncClient,
) -> None:
    created = await unreachable.post(CONVERSATIONS, json={})
    message = await unreachable.post(f"{CONVERSATIONS}/{'0' * 32}/messages", json={"text": "hi"})
    ready = await unreachable.get("/readyz")
    alive = await unreachable.get("/healthz")

    assert created.status_code == message.status_code == 503
    assert created.headers["retry-after"]
    assert "store" in created.json()["error"]
    assert ready.status_code == 503
    assert alive.status_code == 200
    samples = await scrape(unreachable)
    # The first turn found the store down (in its transaction, which reads whether the
    # conversation is full with the record: no read of the transcript comes before it); the
    # next write was refused after a ping.
    assert samples[("mailmove_store_errors_total", (("operation", "transact"),))] == 1
    assert samples.get(("mailmove_store_errors_total", (("operation", "transcript"),)), 0) == 0
    assert samples[("mailmove_store_errors_total", (("operation", "ping"),))] == 2
    refused = (("channel", "http"), ("reason", "store_unavailable"))
    assert samples[("mailmove_rejected_requests_total", refused)] == 2


async def test_a_webhook_that_answers_first_is_refused_while_the_store_is_down() -> None:
    acknowledged: list[str] = []

    async def webhook(_: Request) -> Response:
        # A route that answers at once and would do its work afterwards.
        acknowledged.append("event")
        return PlainTextResponse("ok")

    with running_redis(persistent=True) as server:
        app = build_app(Settings(store_url=server.url), clock=fixed_clock())
        app.add_route("/hook", webhook, methods=["POST"])
        store = app.state.runtime.engine.store
        await store.open()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
            assert (await client.post("/hook")).status_code == 200
            server.stop()
            # The first turn after the outage is where the server learns of it...
            assert (await client.post(CONVERSATIONS, json={})).status_code == 503
            # ...and from then on no event is acknowledged that could not be stored.
            refused = await client.post("/hook")
            assert refused.status_code == 503
            assert refused.headers["retry-after"]
            server.start()
            assert (await client.post("/hook")).status_code == 200
            assert (await client.post(CONVERSATIONS, json={})).status_code == 201
        await store.close()
    assert acknowledged == ["event", "event"]


async def test_a_draining_replica_refuses_new_turns_but_stays_alive(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    conversation = await walk(client)
    assert (await client.get("/readyz")).status_code == 200

    app.state.draining.begin()

    refused = await client.post(f"{CONVERSATIONS}/{conversation}/messages", json={"text": "hi"})
    assert refused.status_code == 503
    assert refused.headers["retry-after"] == "1"
    assert (await client.post(CONVERSATIONS, json={})).status_code == 503
    assert (await client.get("/readyz")).json() == {"status": "draining"}
    assert (await client.get("/healthz")).status_code == 200
    # Reads still work: a page reloading during shutdown still gets its history.
    history = await client.get(f"{CONVERSATIONS}/{conversation}/messages")
    assert history.status_code == 200
    samples = await scrape(client)
    assert (
        samples[("mailmove_rejected_requests_total", (("channel", "http"), ("reason", "draining")))]
        == 2
    )


# -- logs ------------------------------------------------------------------------------------


@pytest.fixture
def json_log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_json_logging(stream=stream)
    yield stream
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    structlog.reset_defaults()


def test_library_chatter_stays_out_of_the_log_and_its_warnings_do_not(
    json_log: io.StringIO,
) -> None:
    chatty = logging.getLogger("transitions.core")
    chatty.info("Executed callback 'on_enter_q2'")
    chatty.warning("Can't trigger event 'yes' from state 'done'")
    assert [line["event"] for line in lines(json_log)] == [
        "Can't trigger event 'yes' from state 'done'"
    ]


def lines(stream: io.StringIO) -> list[dict[str, Any]]:
    text = stream.getvalue()
    return [json.loads(line) for line in text.splitlines()]


def test_every_record_is_one_json_line_without_addresses_or_passwords(
    json_log: io.StringIO,
) -> None:
    log = logging.getLogger("adapters.somewhere")
    conversation = "0123456789abcdef0123456789abcdef"
    log.info("Login for %s with password=hunter2 failed", "taro@vp.117.ne.jp")
    log.warning("Dropping repeated event webchat:%s:e1", conversation)
    try:
        raise ValueError("bad input from hanako@vp.117.ne.jp\nsecond line")
    except ValueError:
        log.exception("Turn failed", extra={"conversation": conversation, "password": "s3cret"})
    structlog.get_logger("bot.direct").info("hello", user="U1234", note='{"pass": "x1"}')

    records = lines(json_log)

    assert len(records) == 4  # a traceback stays inside its one line
    text = json_log.getvalue()
    for secret in ("taro@", "hanako@", "hunter2", "s3cret", conversation, "U1234", "x1"):
        assert secret not in text
    assert records[0]["event"] == "Login for [address] with password=[redacted] failed"
    assert records[0]["level"] == "info"
    assert records[0]["logger"] == "adapters.somewhere"
    assert records[0]["timestamp"].endswith("Z")
    assert hash_id(conversation) in records[1]["event"]
    assert records[2]["conversation"] == hash_id(conversation)
    assert records[2]["password"] == "[redacted]"
    assert "ValueError" in records[2]["exception"]
    assert records[3]["user"] == hash_id("U1234")


def test_a_turn_is_one_line_with_a_hashed_conversation(json_log: io.StringIO) -> None:
    from bot.engine import TurnOutcome
    from bot.store.conversation_store import ConversationRecord, Owner
    from dialogs.state import DialogState, Signal
    from testbed.clock import IN_WINDOW

    record = ConversationRecord(
        "webchat:abc", "webchat", Owner.BOT, DialogState(), IN_WINDOW, IN_WINDOW
    )
    outcome = TurnOutcome(signals=(Signal.VERDICT_REACHED,), record=record)

    TurnLog().turn_finished("webchat", outcome, 0.0042)

    [line] = lines(json_log)
    assert line["event"] == "turn"
    assert line["conversation"] == hash_id("webchat:abc")
    assert line["ms"] == 4.2
    assert line["signals"] == ["verdict_reached"]
    assert line["stage"] == "start"  # a record before its first turn


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("to: taro.yamada+x@vp.117.ne.jp.", "to: [address]."),
        ('{"password": "a b"}', '{"password": [redacted]}'),
        ("user=taro&pass=abc&x=1", "user=taro&pass=[redacted]&x=1"),
        ("port 587, no secret here", "port 587, no secret here"),
    ],
)
def test_redaction(text: str, expected: str) -> None:
    assert redact_text(text) == expected


async def test_redis_memory_is_in_the_metrics_for_an_alert() -> None:
    with running_redis() as server:
        app = build_app(Settings(store_url=f"{server.url}?prefix=m:"), clock=fixed_clock())
        store = app.state.runtime.engine.store
        await store.open()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
            assert (await client.post(CONVERSATIONS, json={})).status_code == 201
            exposition = (await client.get("/metrics")).text
            server.stop()
            while_down = (await client.get("/metrics")).text
        await store.close()
    used = next(
        line for line in exposition.splitlines() if line.startswith("mailmove_store_memory_bytes")
    )
    assert 'kind="used"' in used
    assert float(used.rsplit(" ", 1)[1]) > 0
    assert 'mailmove_store_memory_bytes{kind="max"}' in exposition
    # Redis down: no figure rather than the last one read. A Redis that was 90 % full kept
    # MailmoveRedisMemoryHigh firing through its outage (raise maxmemory?) on a stale value.
    assert "mailmove_store_memory_bytes{" not in while_down


async def test_no_created_series_doubles_the_exposition(client: httpx.AsyncClient) -> None:
    await walk(client)
    exposition = (await client.get("/metrics")).text
    assert "mailmove_turns_total{" in exposition
    assert "_created" not in exposition
