"""The web chat's conversation id is the subscriber's credential, and never leaves them.

The page's requests carry the id; everything else (the store, the desks, the agent API and
console, the logs) knows the conversation only by a one-way digest of it
(`adapters/webchat/conversation_key.py`). The real app runs with the Slack agents' desk,
Chatwoot and the desk webhook against the fake platforms on loopback.
"""

from __future__ import annotations

import asyncio
import io
import json
import logging
import re
import secrets
from collections.abc import AsyncIterator, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from adapters.webchat.conversation_key import (
    conversation_key,
    move_old_conversations,
    moved_to_its_key,
)
from bot.channels.registry import available_factories
from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.logging_setup import configure_logging, stop_logging
from bot.ops.settings import Settings
from bot.runtime import Runtime
from bot.server import build_app
from bot.store.conversation_store import ConversationStore, Owner
from bot.store.redis_store import RedisStore
from bot.store.store_url import store_from_url
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Inbound
from testbed.clock import fixed_clock
from testbed.redis_server import RedisServer, running_redis
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, FakeChatwoot

AGENT_TOKEN: Final = "agent-token-0123456789abcdef"
OTHER_AGENT: Final = "鈴木:agent-token-fedcba9876543210"
HOOK_SECRET: Final = "desk-hook-secret-0123456789abcdef"
SUBSCRIBER_ID: Final = re.compile(r"^[0-9a-f]{32}$")


class Desks(FakeChatwoot):
    """Chatwoot and Slack (the fake serves both) and a help desk behind the desk webhook."""

    def __init__(self) -> None:
        super().__init__()
        self.hooked: list[bytes] = []
        self.app.router.routes.append(Route("/desk-hook", self._hook, methods=["POST"]))

    async def _hook(self, request: Request) -> Response:
        self.hooked.append(await request.body())
        return Response(status_code=204)

    def everything_sent(self) -> str:
        """Every request the bot made to the desks, as one text."""
        calls = [json.dumps(call.params, ensure_ascii=False) for call in self.calls]
        return "\n".join([*calls, *(body.decode() for body in self.hooked)])


@pytest.fixture
async def desks() -> AsyncIterator[Desks]:
    fake = Desks()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    stream = io.StringIO()
    configure_logging("json", level=logging.DEBUG, stream=stream, queued=False)
    yield stream
    stop_logging()


@dataclass(slots=True)
class Running:
    app: Starlette
    client: httpx.AsyncClient

    @property
    def runtime(self) -> Runtime:
        runtime: Runtime = self.app.state.runtime
        return runtime


@pytest.fixture
async def running(desks: Desks, tmp_path: Path) -> AsyncIterator[Running]:
    environ = {
        "SLACK_AGENTS_CHANNEL": "C0AGENTS",
        "SLACK_BOT_TOKEN": "xoxb-1111-2222-maildesk",
        "SLACK_SIGNING_SECRET": "3c1f0a9d7e5b4c2a8f6e0d1b9c7a5e3f",
        "SLACK_API_URL": f"{desks.url}/slack/api/",
        "CHATWOOT_URL": desks.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": "cw-webhook-0123456789abcdef",
        "CHATWOOT_DESK_INBOX_ID": "9",
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
    }
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/store/s.sqlite3",
        agent_tokens=(AGENT_TOKEN, OTHER_AGENT),
        desk_webhook_url=f"{desks.url}/desk-hook",
        desk_webhook_secret=HOOK_SECRET.encode(),
        environ=environ,
    )
    wanted = ("webchat", "slack_desk", "chatwoot", "agent_console")
    others = tuple(n for n in available_factories() if n not in wanted)
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Running(app, client)


def agent(token: str = AGENT_TOKEN) -> dict[str, str]:
    return {"authorization": f"Bearer {token}"}


async def whole_conversation(running: Running) -> tuple[str, str]:
    """A subscriber answers, asks for a person, an agent takes, writes and hands back."""
    client = running.client
    created = (await client.post("/api/webchat/conversations", json={})).json()
    conversation = created["conversation_id"]
    url = f"/api/webchat/conversations/{conversation}/messages"
    for body in ({"choice": "yes"}, {"text": "taro@vp.117.ne.jp"}, {"text": "人と話したいです"}):
        assert (await client.post(url, json=body)).status_code == 200
    await running.runtime.tasks.idle()
    listed = (await client.get("/api/agent/conversations", headers=agent())).json()
    (key,) = [c["key"] for c in listed["conversations"] if c["channel"] == "webchat"]
    taken = await client.post(
        f"/api/agent/conversations/{key}/take", json={"agent": "佐藤"}, headers=agent()
    )
    assert taken.status_code == 200, taken.text
    said = await client.post(
        f"/api/agent/conversations/{key}/messages", json={"text": "確認します"}, headers=agent()
    )
    assert said.status_code == 201, said.text
    assert (await client.post(url, json={"text": "お願いします"})).status_code == 200
    back = await client.post(f"/api/agent/conversations/{key}/handback", json={}, headers=agent())
    assert back.status_code == 200, back.text
    await running.runtime.tasks.idle()
    history = (await client.get(url)).json()
    assert any("確認します" in json.dumps(m, ensure_ascii=False) for m in history["messages"])
    return conversation, key


async def test_nothing_on_the_agents_side_holds_the_subscribers_id(
    running: Running, desks: Desks, log: io.StringIO, tmp_path: Path
) -> None:
    conversation, key = await whole_conversation(running)
    listing = (await running.client.get("/api/agent/conversations", headers=agent())).text
    read = (await running.client.get(f"/api/agent/conversations/{key}", headers=agent())).text
    await running.runtime.engine.store.close()  # folds the WAL into the file
    stored = b"".join(path.read_bytes() for path in (tmp_path / "store").iterdir())

    assert desks.calls_to("slack", "chat.postMessage")
    assert desks.calls_to("chatwoot", "contacts")
    assert desks.hooked
    sent = desks.everything_sent()
    assert key in sent
    where = {
        "the desks (Slack, Chatwoot, the webhook)": sent,
        "the agent API": listing + read,
        "the log": log.getvalue(),
        "the store's files": stored.decode("utf-8", "replace"),
    }
    assert [name for name, text in where.items() if conversation in text] == []
    assert key == f"webchat:{conversation_key(conversation)}"


async def test_the_agents_key_opens_nothing_of_the_subscribers_api(running: Running) -> None:
    conversation, key = await whole_conversation(running)
    digest = key.removeprefix("webchat:")
    base = "/api/webchat/conversations"
    for shown in (digest, key, digest.upper(), digest[:32].ljust(32, "0")):
        assert (await running.client.get(f"{base}/{shown}/messages")).status_code == 404
        sent = await running.client.post(f"{base}/{shown}/messages", json={"text": "x"})
        assert sent.status_code == 404
        left = await running.client.post(f"{base}/{shown}/close", json={})
        assert left.status_code == 404
    # The subscriber's own id still works, and nothing above reached the conversation.
    history = (await running.client.get(f"{base}/{conversation}/messages")).json()
    assert not any(m.get("text") == "x" for m in history["messages"])


def test_the_key_is_a_digest_of_the_id_and_not_shaped_like_one() -> None:
    conversation = "0123456789abcdef0123456789abcdef"
    key = conversation_key(conversation)
    assert key == conversation_key(conversation)
    assert key != conversation_key(conversation[::-1])
    assert re.fullmatch(r"[a-z2-7]{26}", key)  # 130 bits, base32
    assert not SUBSCRIBER_ID.match(key)


# -- conversations stored under the id before the upgrade --------------------------------------


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture(params=["sqlite", "redis"])
def store_url(request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer) -> str:
    if request.param == "sqlite":
        return f"sqlite:///{tmp_path}/store.sqlite3"
    return f"{redis_server.url}?prefix=t{secrets.token_hex(4)}:"


@pytest.fixture
async def store(store_url: str) -> AsyncIterator[ConversationStore]:
    chosen = store_from_url(store_url)
    await chosen.open()
    yield chosen
    await chosen.close()


OLD_ID: Final = "00112233445566778899aabbccddeeff"
OLD_KEY: Final = f"webchat:{OLD_ID}"
NEW_KEY: Final = f"webchat:{conversation_key(OLD_ID)}"


async def stored_before_the_upgrade(
    store: ConversationStore, profile: MigrationProfile, catalogs: Catalogs
) -> list[str]:
    """A conversation as versions before the digest kept it: under the subscriber's id."""
    engine = Engine(store, profile, catalogs, fixed_clock())
    await engine.handle(Inbound("webchat", OLD_ID, f"{OLD_KEY}:start", start=True))
    await engine.handle(Inbound("webchat", OLD_ID, f"{OLD_KEY}:e1", choice="yes"))
    return [line.text for line in await store.transcript(OLD_KEY)]


async def stored_by_an_old_replica(
    store_url: str, profile: MigrationProfile, catalogs: Catalogs
) -> list[str]:
    """`stored_before_the_upgrade` by another replica: its own connection, thread and loop.

    Written through the test's store on the server's event loop, the write transaction
    waited for its commit (call_soon) while the server's first expiry ran BEGIN IMMEDIATE
    on the same loop: SQLite's busy wait blocked the loop, so the commit it waited for
    could not run, and each such test sat out the 5 s busy_timeout (expiry skipped).
    A replica is another process; its commit does not need the server's loop.
    """

    async def write() -> list[str]:
        other = store_from_url(store_url)
        await other.open()
        try:
            return await stored_before_the_upgrade(other, profile, catalogs)
        finally:
            await other.close()

    return await asyncio.to_thread(lambda: asyncio.run(write()))


async def test_an_old_conversation_is_moved_at_start_up(
    store: ConversationStore, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    said = await stored_before_the_upgrade(store, profile, catalogs)
    assert said

    assert await move_old_conversations(store) == 1
    assert await move_old_conversations(store) == 0

    assert await store.load(OLD_KEY) is None
    assert await store.conversation_keys("webchat") == [NEW_KEY]
    assert [line.text for line in await store.transcript(NEW_KEY)] == said
    record = await store.load(NEW_KEY)
    assert record is not None
    assert record.owner is Owner.BOT


async def test_the_move_says_how_many_it_moves_before_it_starts(
    store: ConversationStore,
    profile: MigrationProfile,
    catalogs: Catalogs,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # A replica answers nothing while it moves (19,920 conversations took 14 s on Redis):
    # the operator watching its log learns why before, not only once it is over.
    await stored_before_the_upgrade(store, profile, catalogs)
    with caplog.at_level(logging.INFO, logger="adapters.webchat"):
        await move_old_conversations(store)
        await move_old_conversations(store)  # nothing left: nothing said
    assert [r.getMessage() for r in caplog.records] == [
        "Moving 1 web chat conversations off their subscribers' ids before serving"
    ]


async def test_an_old_conversation_is_found_by_the_subscribers_page_and_moved(
    store_url: str, store: ConversationStore, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    settings = Settings(store_url=store_url)
    others = tuple(n for n in available_factories() if n != "webchat")
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    base = f"/api/webchat/conversations/{OLD_ID}"
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        # Stored by a replica still running the old version after this one started.
        said = await stored_by_an_old_replica(store_url, profile, catalogs)
        history = await client.get(f"{base}/messages")
        assert history.status_code == 200, history.text
        assert len(history.json()["messages"]) == len(said)
        # The page sends again a press that had arrived before the upgrade: answered once.
        again = await client.post(f"{base}/messages", json={"choice": "yes", "event_id": "e1"})
        assert again.status_code == 200
        assert again.json().get("duplicate") is True
        sent = await client.post(f"{base}/messages", json={"text": "こんにちは"})
        assert sent.status_code == 200, sent.text
    assert await store.load(OLD_KEY) is None
    assert await store.conversation_keys("webchat") == [NEW_KEY]


async def test_a_request_that_another_one_beat_to_the_move_still_finds_it(
    store: ConversationStore, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # The page polls while it sends: both requests miss the conversation under its key, and
    # the first moves it. The second (this call, after that move) answered 404, and the
    # page forgot the conversation and started a new one.
    await stored_before_the_upgrade(store, profile, catalogs)
    assert await moved_to_its_key(store, OLD_ID)
    assert await moved_to_its_key(store, OLD_ID)
    assert not await moved_to_its_key(store, "ffeeddccbbaa99887766554433221100")


async def test_a_conversation_an_old_replica_is_answering_is_not_lost(
    redis_server: RedisServer, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # During a rolling upgrade an old replica runs a turn under the subscriber's id (it holds
    # that key's lock) while the page's poll reaches a new one: the move waits for the lock,
    # and the poll answered 404, after which the page forgot the conversation.
    store_url = f"{redis_server.url}?prefix=t{secrets.token_hex(4)}:"
    store = store_from_url(store_url)
    await store.open()
    try:
        await stored_before_the_upgrade(store, profile, catalogs)
        assert isinstance(store, RedisStore)
        await store.client.set(f"{store.prefix}lock:{OLD_KEY}", b"old-replica", px=60_000)
        others = tuple(n for n in available_factories() if n != "webchat")
        app = build_app(Settings(store_url=store_url), clock=fixed_clock(), exclude_channels=others)
        base = f"/api/webchat/conversations/{OLD_ID}/messages"
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            busy = await client.get(base)
            assert busy.status_code == 503, busy.text  # the page asks again, keeping it
            assert busy.headers.get("Retry-After")
            await store.client.delete(f"{store.prefix}lock:{OLD_KEY}")
            assert (await client.get(base)).status_code == 200
    finally:
        await store.close()


async def test_a_conversation_an_old_replica_stored_after_start_up_is_warned_of(
    store: ConversationStore,
    profile: MigrationProfile,
    catalogs: Catalogs,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # During a rolling upgrade an old replica answers 404 to every conversation a new one
    # moved (measured: started on the old one, moved by the new one's start, the next
    # message to the old one: 404, and the page starts afresh). Its writes under the id are
    # the sign that it still serves.
    await stored_before_the_upgrade(store, profile, catalogs)
    with caplog.at_level(logging.WARNING, logger="adapters.webchat"):
        assert await moved_to_its_key(store, OLD_ID)
        assert await moved_to_its_key(store, OLD_ID)  # already moved: nothing to say
    [warning] = [r.getMessage() for r in caplog.records]
    assert "older version is still serving" in warning
    assert OLD_ID not in warning


async def test_an_old_replica_is_warned_of_once_a_minute_not_per_conversation(
    store: ConversationStore,
    profile: MigrationProfile,
    catalogs: Catalogs,
    caplog: pytest.LogCaptureFixture,
) -> None:
    # While the old replica serves, each of its conversations is moved by a new one: a
    # warning each was a line per subscriber of the old replica for the whole upgrade.
    engine = Engine(store, profile, catalogs, fixed_clock())
    ids = [f"{n:032x}" for n in range(1, 4)]
    for old_id in ids:
        await engine.handle(Inbound("webchat", old_id, f"webchat:{old_id}:start", start=True))
    with caplog.at_level(logging.WARNING, logger="adapters.webchat"):
        for old_id in ids:
            assert await moved_to_its_key(store, old_id)
    [warning] = [r.getMessage() for r in caplog.records]
    assert warning.startswith("Moved 1 web chat conversation(s) stored under")
    assert "older version is still serving" in warning


async def test_an_old_conversation_the_subscriber_leaves_is_found_too(
    store_url: str, store: ConversationStore, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    settings = Settings(store_url=store_url)
    others = tuple(n for n in available_factories() if n != "webchat")
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        await stored_by_an_old_replica(store_url, profile, catalogs)
        left = await client.post(f"/api/webchat/conversations/{OLD_ID}/close", json={})
        assert left.status_code == 200, left.text
    assert await store.conversation_keys("webchat") == [NEW_KEY]


async def test_the_server_moves_old_conversations_as_it_starts(
    store_url: str, store: ConversationStore, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    said = await stored_before_the_upgrade(store, profile, catalogs)
    settings = Settings(store_url=store_url, agent_tokens=(AGENT_TOKEN,))
    others = tuple(n for n in available_factories() if n not in ("webchat", "agent_console"))
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        # Before the subscriber comes back, the agents see it under its key only.
        listed = (await client.get("/api/agent/conversations", headers=agent())).json()
        assert [c["key"] for c in listed["conversations"]] == [NEW_KEY]
        history = await client.get(f"/api/webchat/conversations/{OLD_ID}/messages")
        assert len(history.json()["messages"]) == len(said)


async def test_nothing_in_redis_holds_the_subscribers_id(redis_server: RedisServer) -> None:
    prefix = f"t{secrets.token_hex(4)}:"
    settings = Settings(
        store_url=f"{redis_server.url}?prefix={prefix}", agent_tokens=(AGENT_TOKEN,)
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "agent_console"))
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        conversation, _ = await whole_conversation(Running(app, client))
        redis = app.state.runtime.engine.store.client
        stored: list[bytes] = []
        async for name in redis.scan_iter(match=f"{prefix}*"):
            stored.append(name)
            kind = (await redis.type(name)).decode()
            if kind == "string":
                stored.append(await redis.get(name))
            elif kind == "list":
                stored += await redis.lrange(name, 0, -1)
            elif kind == "zset":
                stored += await redis.zrange(name, 0, -1)
            elif kind == "hash":
                stored += [b"%s=%s" % item for item in (await redis.hgetall(name)).items()]
    assert len(stored) > 10
    assert [item for item in stored if conversation.encode() in item] == []
