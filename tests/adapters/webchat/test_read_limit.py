"""One client cannot pin the server by reading a conversation over and over.

The transcript read (`GET …/messages`) was counted by no limit: one client reading a
conversation of 150 long messages (874 KB an answer, 6.4 ms of the server's CPU each) from
8 connections got 85 answers a second, and another subscriber's replies went from a p99 of
30 ms to 480 ms (the shared 2-core machine). Reads now have their own per-client allowance
(`MAILMOVE_WEBCHAT_READ_LIMIT` a minute), well above what open pages poll.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import DEFAULT_WEBCHAT_READ_LIMIT, ConfigError, Settings
from bot.server import build_app
from testbed.clock import fixed_clock

CONVERSATIONS = "/api/webchat/conversations"
READ_LIMIT = 4


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = build_app(
        Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", webchat_read_limit=READ_LIMIT),
        clock=fixed_clock(),
    )
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette, address: str = "192.0.2.1") -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=(address, 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_reads_past_the_limit_get_429_and_others_still_read(app: Starlette) -> None:
    async with client(app) as one, client(app, "192.0.2.2") as other:
        conversation = (await one.post(CONVERSATIONS, json={})).json()["conversation_id"]
        url = f"{CONVERSATIONS}/{conversation}/messages"
        statuses = [(await one.get(url)).status_code for _ in range(READ_LIMIT + 1)]
        assert statuses == [200] * READ_LIMIT + [429]
        refused = await one.get(f"{url}?after=0")
        assert refused.status_code == 429
        assert 1 <= int(refused.headers["retry-after"]) <= 60
        # Reads and messages have their own allowances: the subscriber can still write.
        assert (await one.post(url, json={"text": "はい"})).status_code == 200
        # Another client reads as before.
        assert (await other.get(url)).status_code == 200


def test_the_default_is_well_above_what_open_pages_poll() -> None:
    # A page polls every 0.5 s at its fastest (an agent holds the chat): 120 reads a minute.
    assert DEFAULT_WEBCHAT_READ_LIMIT >= 5 * 120
    assert Settings().webchat_read_limit == DEFAULT_WEBCHAT_READ_LIMIT
    assert Settings.from_env({"MAILMOVE_WEBCHAT_READ_LIMIT": "900"}).webchat_read_limit == 900
    with pytest.raises(ConfigError, match="MAILMOVE_WEBCHAT_READ_LIMIT"):
        Settings.from_env({"MAILMOVE_WEBCHAT_READ_LIMIT": "0"})
