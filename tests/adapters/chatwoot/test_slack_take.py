"""Both desks agree: Slack's 「対応する」 on a Chatwoot conversation opens it in Chatwoot, and
Slack's 「ボットに戻す」 sets it pending again (issue 15, finding 19).

The handoff reached the Slack desk only (Chatwoot refused to open the conversation), so
Chatwoot still shows it pending: the bot's, as far as Chatwoot's agents can tell. One fake
serves both APIs: Chatwoot's REST routes and Slack's Web API.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from adapters.slack import desk as slack_desk
from adapters.slack.desk_actions import GIVE_BACK, TAKE
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.runtime import Runtime
from bot.server import build_app
from bot.store.conversation_store import Owner
from testbed.clock import fixed_clock
from tests.adapters.chatwoot.test_channel import (
    CONVERSATION,
    KEY,
    WEBHOOK_TOKEN,
    assignment,
    message,
    webhook,
)
from tests.adapters.slack.test_desk import Shown, click_payload, form, signed
from tests.adapters.slack.test_desk import environ as slack_environ
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, FakeChatwoot, running_chatwoot

AGENT_TOKEN = "agent-token-0123456789"


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    async with running_chatwoot() as fake:
        yield fake


@pytest.fixture
async def app(fake: FakeChatwoot, tmp_path: Path) -> AsyncIterator[Starlette]:
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        **slack_environ(fake.url),
    }
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(AGENT_TOKEN,), environ=environ
    )
    others = tuple(n for n in available_factories() if n not in ("chatwoot", "slack_desk"))
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with app.router.lifespan_context(app):
        yield app


async def test_slack_take_opens_it_in_chatwoot_and_give_back_sets_it_pending(
    app: Starlette, fake: FakeChatwoot
) -> None:
    runtime: Runtime = app.state.runtime
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:

        async def chatwoot(text: str, n: int) -> None:
            request = webhook(message(text, n))
            response = await client.post(
                request.path, content=request.body, headers=request.headers
            )
            assert response.status_code == 200
            await runtime.tasks.idle()

        async def click(action_id: str, n: int) -> None:
            (post,) = fake.calls_to("slack", "chat.postMessage")
            latest = (fake.calls_to("slack", "chat.update") or [post])[-1]
            shown = Shown(str(post.result["ts"]), latest.params["text"], latest.params["blocks"])
            body = form(click_payload(shown, action_id, n))
            response = await client.post(
                slack_desk.ACTIONS_PATH, content=body, headers=signed(body)
            )
            assert response.status_code == 200
            await runtime.tasks.idle()

        async def owner() -> Owner:
            record = await runtime.engine.store.load(KEY)
            assert record is not None
            return record.owner

        await chatwoot("こんにちは", 1)
        # Chatwoot refuses to open it; Slack's desk takes the handoff all the same.
        fake.throttle("chatwoot", "toggle_status", times=4, retry_after=0)
        await chatwoot("人と話したい", 2)
        assert len(fake.calls_to("slack", "chat.postMessage")) == 1
        assert fake.toggles() == []
        assert await owner() is Owner.AGENT

        await click(TAKE, 1)
        await fake.wait_for(lambda: fake.toggles() == [(CONVERSATION, "open")])
        assert fake.statuses[CONVERSATION] == "open"

        await click(GIVE_BACK, 2)
        await fake.wait_for(lambda: fake.toggles()[-1:] == [(CONVERSATION, "pending")])
        assert await owner() is Owner.BOT
        assert fake.statuses[CONVERSATION] == "pending"


async def test_what_the_contact_writes_while_open_reaches_the_slack_thread_masked(
    app: Starlette, fake: FakeChatwoot
) -> None:
    # Taken in Slack, the conversation is open in Chatwoot: the contact's words there are
    # kept (a password masked) and shown in the handoff's thread, not dropped.
    runtime: Runtime = app.state.runtime
    transport = httpx.ASGITransport(app=app)
    secret = "Secr3tPw!x"
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:

        async def chatwoot(text: str, n: int, status: str = "pending") -> None:
            request = webhook(message(text, n, status=status))
            response = await client.post(
                request.path, content=request.body, headers=request.headers
            )
            assert response.status_code == 200
            await runtime.tasks.idle()

        await chatwoot("こんにちは", 1)
        await chatwoot("人と話したい", 2)
        (post,) = fake.calls_to("slack", "chat.postMessage")
        shown = Shown(str(post.result["ts"]), post.params["text"], post.params["blocks"])
        body = form(click_payload(shown, TAKE, 1))
        taken = await client.post(slack_desk.ACTIONS_PATH, content=body, headers=signed(body))
        assert taken.status_code == 200
        await fake.wait_for(lambda: fake.statuses.get(CONVERSATION) == "open")

        answered = len(fake.messages())
        await chatwoot(f"パスワードは {secret} です。まだ送れません", 3, status="open")
        await fake.wait_for(lambda: len(fake.calls_to("slack", "chat.postMessage")) == 2)
        relayed = fake.calls_to("slack", "chat.postMessage")[-1]
        assert relayed.params["thread_ts"] == post.result["ts"]
        words = relayed.params["blocks"][0]["text"]["text"]
        assert "まだ送れません" in words
        assert secret not in str(relayed.params)
        lines = [line.text for line in await runtime.engine.store.transcript(KEY)]
        assert any("まだ送れません" in line for line in lines)
        assert secret not in str(lines)
        # Only the password's notice said back to the contact (desk.password_masked): the
        # bot answers nothing else while an agent has the conversation.
        told = runtime.catalogs("ja", "desk.password_masked")
        await fake.wait_for(lambda: len(fake.messages()) == answered + 1)
        assert [m["content"] for m in fake.messages()[answered:]] == [told]


async def test_a_chatwoot_reply_in_a_slack_members_conversation_is_shown_in_slack_as_hers(
    app: Starlette, fake: FakeChatwoot
) -> None:
    # hanako took it with 「対応する」; 佐藤 花子 answered the contact in Chatwoot (it reached
    # the contact), and the console named her, but Slack's message still showed hanako with
    # her buttons: no change of hands was announced (desk25).
    runtime: Runtime = app.state.runtime
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:

        async def chatwoot(payload: dict[str, Any]) -> None:
            request = webhook(payload)
            response = await client.post(
                request.path, content=request.body, headers=request.headers
            )
            assert response.status_code == 200
            await runtime.tasks.idle()

        await chatwoot(message("こんにちは", 1))
        await chatwoot(message("人と話したい", 2))
        (post,) = fake.calls_to("slack", "chat.postMessage")
        shown = Shown(str(post.result["ts"]), post.params["text"], post.params["blocks"])
        body = form(click_payload(shown, TAKE, 1))
        taken = await client.post(slack_desk.ACTIONS_PATH, content=body, headers=signed(body))
        assert taken.status_code == 200
        await fake.wait_for(lambda: fake.statuses.get(CONVERSATION) == "open")

        def holder_shown() -> str:
            updates = fake.calls_to("slack", "chat.update")
            return json.dumps(updates[-1].params["blocks"], ensure_ascii=False) if updates else ""

        await fake.wait_for(lambda: "<@U0AGENT1>さんが対応しています" in holder_shown())
        reply = message("担当の佐藤です", 3, name="message_created_outgoing", status="open")
        reply["sender"] = {"id": 3, "name": "佐藤 花子", "type": "user"}
        await chatwoot(reply)
        # Named as every desk names an agent (desk28): her name alone, no 「(Chatwoot)」.
        await fake.wait_for(lambda: "佐藤 花子さんが対応しています" in holder_shown())
        # Her words are in the handoff's thread too, as hers (desk26): the members there
        # read the contact's words alone.
        ts = str(post.result["ts"])

        def thread() -> list[str]:
            posts = fake.calls_to("slack", "chat.postMessage")
            return [str(c.params["text"]) for c in posts if c.params.get("thread_ts") == ts]

        # As a mirror reply's read 「担当者（佐藤）」: not 「担当者（佐藤 花子 (Chatwoot)）」.
        await fake.wait_for(lambda: "担当者（佐藤 花子）: 担当の佐藤です" in thread())


async def test_an_assignment_undone_offers_it_in_slack_as_waiting_again(
    app: Starlette, fake: FakeChatwoot
) -> None:
    # Chatwoot's round robin gave it to 佐藤 花子 and took it back before she wrote: Slack's
    # message showed her with only 「ボットに戻す」, and then the bot (desk25). It waits again.
    runtime: Runtime = app.state.runtime
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:

        async def chatwoot(payload: dict[str, Any]) -> None:
            request = webhook(payload)
            response = await client.post(
                request.path, content=request.body, headers=request.headers
            )
            assert response.status_code == 200
            await runtime.tasks.idle()

        def shown() -> Shown:
            (post,) = fake.calls_to("slack", "chat.postMessage")
            latest = (fake.calls_to("slack", "chat.update") or [post])[-1]
            return Shown(str(post.result["ts"]), latest.params["text"], latest.params["blocks"])

        await chatwoot(message("こんにちは", 1))
        await chatwoot(message("人と話したい", 2))
        assert TAKE in shown().buttons()
        await chatwoot(assignment("佐藤 花子", 1.5, status="open"))
        await fake.wait_for(lambda: TAKE not in shown().buttons())
        assert "佐藤 花子さんが対応しています" in shown().words()
        await chatwoot(assignment(None, 2.5, status="open"))
        await fake.wait_for(lambda: TAKE in shown().buttons())
        record = await runtime.engine.store.load(KEY)
        assert record is not None
        assert record.owner is Owner.AGENT
        # Pressed there, it is the member's take from the queue.
        body = form(click_payload(shown(), TAKE, 3))
        taken = await client.post(slack_desk.ACTIONS_PATH, content=body, headers=signed(body))
        assert taken.status_code == 200
        await fake.wait_for(lambda: "<@U0AGENT1>さんが対応しています" in shown().words())
