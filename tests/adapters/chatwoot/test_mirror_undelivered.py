"""An agent who replies in the Chatwoot mirror learns there when it did not arrive.

A Telegram subscriber handed to Chatwoot's desk inbox; the agent answers in the mirror.
When Telegram does not take the reply (the subscriber blocked the bot: 403), the console
marks it, but Chatwoot showed the reply as sent and the agent waited for an answer.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    INBOX,
    WEBHOOK_TOKEN,
    fake,
    from_agent,
    webhook,
)
from tests.adapters.telegram.test_channel import SECRET, TOKEN, text_update, webhook_request
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, FakeChatwoot

__all__ = ["fake"]

REPLY = "佐藤です。設定画面を一緒に確認しましょう。"


@pytest.fixture
async def app(fake: FakeChatwoot, tmp_path: Path) -> AsyncIterator[Starlette]:
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
        "TELEGRAM_BOT_TOKEN": TOKEN,
        "TELEGRAM_WEBHOOK_SECRET": SECRET,
        "TELEGRAM_API_URL": f"{fake.url}/telegram",
    }
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ=environ, agent_tokens=(AGENT,)
    )
    others = tuple(n for n in available_factories() if n not in ("telegram", "chatwoot"))
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:
        yield client


async def handed_off_on_telegram(app: Starlette, client: httpx.AsyncClient) -> str:
    for n, text in enumerate(("こんにちは", "担当者と話したい"), start=1):
        request = webhook_request(text_update(text, n))
        answer = await client.post(request.path, content=request.body, headers=request.headers)
        assert answer.status_code == 200
        await app.state.runtime.tasks.idle()
    (record,) = await app.state.runtime.engine.store.list_records()
    return str(record.key)


def notes(fake: FakeChatwoot) -> list[str]:
    return [
        str(call.params.get("content"))
        for call in fake.calls_to("chatwoot", "messages")
        if call.params.get("private")
    ]


async def test_a_reply_telegram_refused_is_said_in_the_mirror(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    key = await handed_off_on_telegram(app, client)
    assert notes(fake)  # the summary: the mirror is open
    fake.fail("telegram", "sendMessage", status=403)
    assert (await webhook(client, from_agent(key, REPLY, 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    assert fake.calls_to("telegram", "sendMessage", status=403)
    (told,) = [note for note in notes(fake) if "届いていません" in note]
    # A 403 refuses every later send too: not 「もう一度送る」, which fails the same way.
    assert "ブロック" in told
    assert "もう一度送っても届きません" in told


async def test_a_reply_that_arrived_adds_no_note(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot
) -> None:
    key = await handed_off_on_telegram(app, client)
    before = len(notes(fake))
    assert (await webhook(client, from_agent(key, REPLY, 1))).status_code == 200
    await app.state.runtime.tasks.idle()
    sent = fake.calls_to("telegram", "sendMessage")
    assert any(REPLY in str(call.params.get("text")) for call in sent)
    assert len(notes(fake)) == before
