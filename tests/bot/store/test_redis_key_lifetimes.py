"""Every key mailmove writes in Redis expires: none is left to grow Redis without bound.

The whole server on a real redis-server, real loopback mail servers (the fixtures of the
login-check tests) and the agents' API: a subscriber answers the questionnaire, gets the
settings, checks the login and asks for a person; an agent takes the conversation and
writes. Then every key under the store's prefix is read back, and none may lack a TTL.
"""

from __future__ import annotations

import secrets
from collections.abc import Iterator
from typing import Final
from urllib.parse import urlsplit

import httpx
import pytest
from starlette.applications import Starlette

from adapters.webchat.conversation_key import key_of
from bot.mailcheck.login_checks import CheckSettings
from bot.mailcheck.target import CheckTarget
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.profile import Security
from testbed import mailservers
from testbed.loopback import serving
from testbed.mailservers import Certificates, DovecotServer, SmtpServer
from testbed.redis_server import RedisServer, running_redis
from tests.bot.desk.test_agent_api import Desk
from tests.bot.mailcheck.check_flow import ADDRESS, PASSWORD, Clock
from tests.bot.mailcheck.conftest import (
    certificates,  # noqa: F401 -- the fixture, shared with the login-check tests
    dovecot,  # noqa: F401 -- the fixture, shared with the login-check tests
    smtp,  # noqa: F401 -- the fixture, shared with the login-check tests
)

AGENT_TOKEN: Final = secrets.token_hex(24)
# What a subscriber presses and types, from the first question to a person.
CHAT: Final = (
    {"choice": "yes"},  # Q1: a mail program
    {"choice": "yes"},  # Q2: another provider's network
    {"choice": "yes"},  # Q3: sends through the provider's server
    {"choice": "yes"},  # Q4: that network blocks port 25
    {"text": ADDRESS},
    {"choice": "program:thunderbird"},
    {"choice": "yes"},  # the current outgoing server is the old one
)


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture
def desk() -> Iterator[str]:
    """A help desk's webhook on loopback: with a desk, asking for a person is a handoff."""
    with serving(Desk().app()) as url:
        yield f"{url}/hook"


def app_on_redis(
    url: str, desk: str, sending: SmtpServer, receiving: DovecotServer, tls: Certificates
) -> Starlette:
    """The whole server on `url`, its login check pointed at the loopback mail servers."""
    target = CheckTarget(
        smtp_host=sending.host,
        smtp_port=sending.port,
        smtp_security=Security.STARTTLS,
        pop_host=mailservers.HOST,
        pop_port=receiving.pop3_port,
        pop_security=Security.STARTTLS,
        allow_plaintext_login=False,
    )
    check = CheckSettings(target=target, timeout=5.0, tls_context=tls.client_context())
    settings = Settings(
        store_url=url,
        agent_tokens=(f"ops:{AGENT_TOKEN}",),
        desk_webhook_url=desk,
        desk_webhook_secret=secrets.token_bytes(24),
    )
    return build_app(settings, clock=Clock(), check=check)


async def test_no_key_is_left_without_a_ttl_after_a_whole_conversation(
    redis_server: RedisServer,
    smtp: SmtpServer,  # noqa: F811 -- the imported fixture
    dovecot: DovecotServer,  # noqa: F811 -- the imported fixture
    certificates: Certificates,  # noqa: F811 -- the imported fixture
    desk: str,
) -> None:
    prefix = f"t{secrets.token_hex(4)}:"
    url = f"{redis_server.url}?prefix={prefix}"
    app = app_on_redis(url, desk, smtp, dovecot, certificates)
    runtime = app.state.runtime
    store = runtime.engine.store
    await store.open()
    agent = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            created = await client.post("/api/webchat/conversations", json={"locale": "ja"})
            conversation = created.json()["conversation_id"]
            url = f"/api/webchat/conversations/{conversation}/messages"
            for body in CHAT:
                assert (await client.post(url, json=body)).status_code == 200
            replies = (await client.post(url, json={"choice": "check"})).json()["replies"]
            [link] = [r["url"] for r in replies if r["type"] == "link"]
            checked = await client.post(urlsplit(link).path, data={"password": PASSWORD})
            assert "ログインを確認できました" in checked.text
            handoff = (await client.post(url, json={"choice": "human"})).json()["replies"]
            assert handoff
            key = key_of(conversation)
            waiting = await client.get("/api/agent/conversations?owner=agent", headers=agent)
            assert key in str(waiting.json())  # handed to the desk's queue
            taken = await client.post(f"/api/agent/conversations/{key}/take", headers=agent)
            assert taken.status_code == 200
            written = await client.post(
                f"/api/agent/conversations/{key}/messages",
                json={"text": "担当の佐藤です。", "event_id": "a1"},
                headers=agent,
            )
            assert written.status_code == 201
            await runtime.tasks.idle()  # the check's result and the agent's words, sent

        lifetimes = {
            name.decode(): await store.client.pttl(name)
            async for name in store.client.scan_iter(match=f"{prefix}*", count=1000)
        }
    finally:
        await store.close()

    kinds = {name.removeprefix(prefix).split(":", 1)[0] for name in lifetimes}
    # Every kind of key this conversation wrote was seen, so the check below covers them.
    assert {"conv", "transcript", "updated", "event", "audit", "link", "rate"} <= kinds, kinds
    # PTTL is -1 for a key without an expiry, -2 for one gone since the scan (a turn's lock
    # lives half a second: on a loaded machine one expired in between and failed the test).
    forever = sorted(name for name, ttl in lifetimes.items() if ttl == -1)
    assert not forever, f"keys that never expire: {forever}"
