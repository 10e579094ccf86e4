"""A button pressed while the chat waits for a person is answered once, in the page's words.

Handed to the desk (or taken by an agent) and pressed before any agent wrote, a button of
the question still on screen got no answer at all: the subscriber pressed, nothing came.
The press reaches the agent; the subscriber is told so, once, until an agent writes.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

CONVERSATIONS = "/api/webchat/conversations"
TOKEN = "agent-token-0123456789"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,))
    app = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


async def said_by_the_bot(chat: httpx.AsyncClient, conversation: str) -> list[str]:
    history = (await chat.get(f"{CONVERSATIONS}/{conversation}/messages")).json()
    return [str(x["reply"]["text"]) for x in history["messages"] if x["author"] == "bot"]


async def press(
    app: Starlette, chat: httpx.AsyncClient, conversation: str, body: dict[str, Any]
) -> None:
    sent = await chat.post(f"{CONVERSATIONS}/{conversation}/messages", json=body)
    assert sent.status_code == 200, sent.text
    assert sent.json()["replies"] == []
    await app.state.runtime.tasks.idle()


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_a_press_in_the_queue_is_answered_once_until_an_agent_writes(
    app: Starlette, locale: str
) -> None:
    waiting = app.state.runtime.catalogs(locale, "desk.pressed_while_waiting")
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as chat:
        created = (await chat.post(CONVERSATIONS, json={"locale": locale})).json()
        conversation, question = created["conversation_id"], created["question"]
        asked = await chat.post(
            f"{CONVERSATIONS}/{conversation}/messages",
            json={"text": "担当者と話したい" if locale == "ja" else "I want to talk to a person"},
        )
        assert asked.status_code == 200
        assert waiting not in await said_by_the_bot(chat, conversation)
        # The first question's 「はい」, still on screen: passed on, and said so once.
        await press(app, chat, conversation, {"choice": "yes", "question": question})
        assert (await said_by_the_bot(chat, conversation)).count(waiting) == 1
        await press(app, chat, conversation, {"choice": "no", "question": question})
        assert (await said_by_the_bot(chat, conversation)).count(waiting) == 1
        # Once an agent has written, the agent answers the presses.
        key = app.state.runtime.engine.store
        (record,) = await key.list_records()
        agent = await chat.post(
            f"/api/agent/conversations/{record.key}/messages",
            headers={"Authorization": f"Bearer {TOKEN}"},
            json={"text": "佐藤です", "agent": "佐藤"},
        )
        assert agent.status_code == 201, agent.text
        await press(app, chat, conversation, {"choice": "yes", "question": question})
        assert (await said_by_the_bot(chat, conversation)).count(waiting) == 1
        history = (await chat.get(f"{CONVERSATIONS}/{conversation}/messages")).json()
        # The page still shows a person has the chat: the notice is no bot answering.
        assert (history["owner"], history["agent"]) == ("agent", "佐藤")


@pytest.mark.parametrize(("locale", "other"), [("ja", "en"), ("en", "ja")])
async def test_the_language_button_in_the_queue_says_the_language_not_a_choice_passed_on(
    app: Starlette, locale: str, other: str
) -> None:
    # 「お選びいただいた内容は、担当者にお伝えしました」 after switching the language told the
    # subscriber a choice had gone to the agent: they chose only how the chat reads.
    catalogs = app.state.runtime.catalogs
    switched = catalogs(other, "desk.language_while_waiting")
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as chat:
        created = (await chat.post(CONVERSATIONS, json={"locale": locale})).json()
        conversation = created["conversation_id"]
        asked = await chat.post(
            f"{CONVERSATIONS}/{conversation}/messages",
            json={"text": "担当者と話したい" if locale == "ja" else "I want to talk to a person"},
        )
        assert asked.status_code == 200
        await press(app, chat, conversation, {"choice": f"lang:{other}"})
        said = await said_by_the_bot(chat, conversation)
        assert said.count(switched) == 1
        assert catalogs(other, "desk.pressed_while_waiting") not in said
        assert catalogs(locale, "desk.pressed_while_waiting") not in said
