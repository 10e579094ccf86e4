"""Where the address domain changes, the desk sees the address the subscriber will have too.

With `examples/domain-change.toml` the subscriber may type taro@minato-net (today's) or
taro@kaigan-hikari (after the move): the handoff summary (Slack's desk post, Chatwoot's
note, the webhook) and the agent API (the console) show the one typed and the new one,
so an agent does not tell someone with the old address to log in with it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import HEADERS, TOKEN, Chat, check, client_for

EXAMPLES: Final = Path(__file__).resolve().parents[3] / "examples"
OLD: Final = "taro@minato-net.example.jp"
NEW: Final = "taro@kaigan-hikari.example.jp"
IN_WINDOW: Final = dt.datetime(2027, 2, 10, 3, 0, tzinfo=dt.UTC)
CONVERSATION: Final = "/api/agent/conversations/{key}"


def app_for(tmp_path: Path, profile: str | None) -> Starlette:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(TOKEN,),
        profile_path=EXAMPLES / profile if profile else None,
    )
    return build_app(settings, clock=fixed_clock(IN_WINDOW))


@pytest.fixture
def moved_app(tmp_path: Path) -> Starlette:
    return app_for(tmp_path, "domain-change.toml")


@pytest.fixture
async def moved(moved_app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(moved_app):
        yield client


async def with_address(client: httpx.AsyncClient, address: str) -> Chat:
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    await chat.send(text=address)
    return chat


@pytest.mark.parametrize("typed", [OLD, NEW])
async def test_the_summary_shows_the_new_address(
    moved_app: Starlette, moved: httpx.AsyncClient, catalogs: Catalogs, typed: str
) -> None:
    chat = await with_address(moved, typed)
    record = await moved_app.state.runtime.engine.store.load(chat.key)
    summary = await moved_app.state.runtime.handoffs.summary(record, "asked")

    assert summary.address == typed
    ja, en = summary.as_text(catalogs), summary.as_text(catalogs, "en")
    if typed == OLD:
        assert summary.new_address == NEW
        assert summary.as_json()["new_address"] == NEW
        assert f"メールアドレス: {OLD}（移行後は{NEW}）" in ja
        assert f"{OLD} (after the move: {NEW})" in en
    else:
        # Typed as it is after the move: nothing to add.
        assert summary.new_address == ""
        assert f"メールアドレス: {NEW}\n" in ja


async def test_the_agent_api_gives_the_new_address(moved: httpx.AsyncClient) -> None:
    chat = await with_address(moved, OLD)
    path = CONVERSATION.format(key=chat.key)

    read = (await moved.get(path, headers=HEADERS)).json()
    check(CONVERSATION, "get", 200, read)
    assert read["address"] == OLD
    assert read["new_address"] == NEW
    listed = (await moved.get("/api/agent/conversations", headers=HEADERS)).json()
    check("/api/agent/conversations", "get", 200, listed)
    (item,) = (c for c in listed["conversations"] if c["key"] == chat.key)
    assert item["new_address"] == NEW


async def test_without_a_new_domain_the_desk_shows_the_address_alone(
    tmp_path: Path, catalogs: Catalogs
) -> None:
    app = build_app(
        Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,)),
        clock=fixed_clock(),
    )
    async for client in client_for(app):
        chat = await Chat.start(client)
        for answer in ("yes", "yes", "yes", "yes"):
            await chat.send(choice=answer)
        await chat.send(text="taro@vp.117.ne.jp")
        record = await app.state.runtime.engine.store.load(chat.key)
        summary = await app.state.runtime.handoffs.summary(record, "asked")
        assert summary.new_address == ""
        assert "メールアドレス: taro@vp.117.ne.jp\n" in summary.as_text(catalogs)
        read = (await client.get(CONVERSATION.format(key=chat.key), headers=HEADERS)).json()
        check(CONVERSATION, "get", 200, read)
        assert read["new_address"] is None
