"""A password typed while a person has the web chat is masked, and the subscriber told so.

With the bot, 「パスワードはこのチャットには書き込まないでください…」 answers it. With an
agent the bot is silent: the page showed the words turned to asterisks and nothing more, and
an elderly subscriber who did not know why typed it again. A notice now says it, in the
page's language, without taking the chat from the agent; the agent reads that it was said.
"""

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
TOKEN = "agent-token-0123456789"
AGENT = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,))
    app = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


@pytest.mark.parametrize(
    ("locale", "asks", "typed"),
    [
        ("ja", "担当者と話したい", "パスワードは Kq7xyz99 です"),
        ("en", "I want to talk to a person", "my password is Kq7xyz99"),
    ],
)
async def test_a_password_typed_to_an_agent_is_masked_and_the_subscriber_told(
    app: Starlette, locale: str, asks: str, typed: str
) -> None:
    told = app.state.runtime.catalogs(locale, "desk.password_masked")
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as chat:
        created = (await chat.post(CONVERSATIONS, json={"locale": locale})).json()
        messages = f"{CONVERSATIONS}/{created['conversation_id']}/messages"
        assert (await chat.post(messages, json={"text": asks})).status_code == 200
        (record,) = await app.state.runtime.engine.store.list_records()
        agent = f"/api/agent/conversations/{record.key}"
        assert (await chat.post(f"{agent}/take", headers=AGENT, json={})).status_code == 200
        written = {"text": "佐藤です", "agent": "佐藤"}
        assert (
            await chat.post(f"{agent}/messages", headers=AGENT, json=written)
        ).status_code == 201

        sent = await chat.post(messages, json={"text": typed})
        assert sent.status_code == 200, sent.text
        assert sent.json()["replies"] == []  # the bot does not answer in the agent's place
        assert "Kq7xyz99" not in sent.json()["said"]
        await app.state.runtime.tasks.idle()
        history = (await chat.get(messages)).json()
        bot = [str(x["reply"]["text"]) for x in history["messages"] if x["author"] == "bot"]
        assert bot.count(told) == 1
        # Still the agent's: the page shows a person has the chat.
        read = (await chat.get(agent, headers=AGENT)).json()
        assert read["owner"] == "agent"
        lines = [line["text"] for line in read["transcript"]]
        assert told in lines
        assert not any("Kq7xyz99" in line for line in lines)

        # Words with no password are passed on without it.
        assert (await chat.post(messages, json={"text": "まだ届きません"})).status_code == 200
        await app.state.runtime.tasks.idle()
        history = (await chat.get(messages)).json()
        bot = [str(x["reply"]["text"]) for x in history["messages"] if x["author"] == "bot"]
        assert bot.count(told) == 1
