"""An agent's Markdown in the Chatwoot mirror reaches LINE, Telegram, Slack, the web chat as text.

Chatwoot's reply editor writes Markdown, and an API inbox's webhook passes it on as stored;
the subscriber's channel shows an agent's words as typed. The whole path runs: the
subscriber hands off on their channel (its real SDK against the fake platform API), the
mirror is opened in the fake Chatwoot, an agent's outgoing message arrives as a webhook
signed as Chatwoot 4.11.2+ signs it, and the fake platform records what the subscriber got.
"""

from __future__ import annotations

import contextlib
import json
import time
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final, Protocol

import httpx
import pytest
from starlette.applications import Starlette

import tests.adapters.line.test_channel as line_tests
import tests.adapters.slack.test_channel as slack_tests
import tests.adapters.telegram.test_channel as telegram_tests
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.runtime import Runtime
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import Delivered, SignedRequest
from tests.adapters.chatwoot.test_mirror_desk import INBOX, WEBHOOK_TOKEN, from_agent, handed_off
from tests.adapters.chatwoot.test_signed_channel import chatwoot_signature
from tests.fakes.chatwoot_api import (
    ACCOUNT,
    API_TOKEN,
    DESK_IDENTIFIER,
    FakeChatwoot,
    running_chatwoot,
)
from tests.fakes.platform_api import FakePlatformAPI

SECRET: Final = "account-webhook-secret-01"
# What an agent writes in Chatwoot's editor: bold, a list, a link running into Japanese,
# inline code, an escaped underscore, a hard break (backslash, then the line break).
MARKDOWN: Final = (
    "**大事** なお知らせです。\n\n"
    "- 手順1: 設定を開きます\n"
    "- 手順2: 受信サーバーを `vpop.117.ne.jp` にします\n\n"
    "詳しくは[サポート](https://example.jp)をご覧ください。\\\n"
    "アドレスは taro\\_san@vp.117.ne.jp のままです。"
)
PLAIN: Final = (
    "大事 なお知らせです。\n\n"
    "・手順1: 設定を開きます\n"
    "・手順2: 受信サーバーを vpop.117.ne.jp にします\n\n"
    "詳しくはサポート https://example.jp をご覧ください。\n"
    "アドレスは taro_san@vp.117.ne.jp のままです。"
)
# Words with no Markdown in them reach the subscriber exactly as written.
UNCHANGED: Final = "taro_san@vp.117.ne.jp で 2*3 回お試しください。"


class Platform(Protocol):
    """What the test needs of a channel's contract class (tests/adapters/<platform>/)."""

    @property
    def channel(self) -> str: ...
    @property
    def conversation_key(self) -> str: ...
    def environ(self, api_url: str) -> dict[str, str]: ...
    def text_request(self, text: str, n: int) -> SignedRequest: ...
    def delivered(self, fake: FakePlatformAPI) -> list[Delivered]: ...


PLATFORMS: Final[dict[str, Platform]] = {
    "line": line_tests.TestLineChannel(),
    "slack": slack_tests.TestSlackChannel(),
    "telegram": telegram_tests.TestTelegramChannel(),
}


def signed_webhook(body: dict[str, Any]) -> SignedRequest:
    raw = json.dumps(body, ensure_ascii=False).encode()
    timestamp = str(int(time.time()))
    headers = {
        "content-type": "application/json",
        "x-chatwoot-timestamp": timestamp,
        "x-chatwoot-signature": chatwoot_signature(SECRET, timestamp, raw),
    }
    return SignedRequest(f"/webhooks/chatwoot/{WEBHOOK_TOKEN}", raw, headers)


def chatwoot_environ(fake: FakeChatwoot) -> dict[str, str]:
    return {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_WEBHOOK_SECRET": SECRET,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
    }


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    # One fake serves Chatwoot's REST routes and the subscriber's platform alike.
    async with running_chatwoot() as fake:
        yield fake


@contextlib.asynccontextmanager
async def running(
    fake: FakeChatwoot, tmp_path: Path, channel: str, environ: dict[str, str]
) -> AsyncIterator[tuple[Starlette, httpx.AsyncClient]]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        environ={**chatwoot_environ(fake), **environ},
    )
    others = tuple(n for n in available_factories() if n not in (channel, "chatwoot"))
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    transport = httpx.ASGITransport(app=app)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client,
    ):
        yield app, client


async def post(client: httpx.AsyncClient, request: SignedRequest) -> None:
    response = await client.post(request.path, content=request.body, headers=request.headers)
    assert response.status_code == 200, response.text


def says(runtime: Runtime, text: str) -> str:
    """The subscriber's copy of an agent's message: the agent's name, then the words."""
    return runtime.catalogs.fill("ja", "agent.says", {"agent": "佐藤", "text": text})


@pytest.mark.parametrize("name", sorted(PLATFORMS))
async def test_an_agents_markdown_reaches_the_platform_as_plain_text(
    fake: FakeChatwoot, tmp_path: Path, name: str
) -> None:
    platform = PLATFORMS[name]
    async with running(fake, tmp_path, name, platform.environ(fake.url)) as (app, client):
        runtime: Runtime = app.state.runtime
        # The first message is greeted; the second asks for a person.
        await post(client, platform.text_request("こんにちは", 1))
        await post(client, platform.text_request("人と話したいです", 2))
        await runtime.tasks.idle()
        assert fake.calls_to("chatwoot", "conversations"), "the handoff opened no mirror"
        key = f"{platform.channel}:{platform.conversation_key}"
        before = len(platform.delivered(fake))

        await post(client, signed_webhook(from_agent(key, MARKDOWN, 1)))
        await post(client, signed_webhook(from_agent(key, UNCHANGED, 2)))
        await fake.wait_for(lambda: len(platform.delivered(fake)) >= before + 2)

        got = [d.text for d in platform.delivered(fake)[before:]]
        assert got == [says(runtime, PLAIN), says(runtime, UNCHANGED)]
        if name == "telegram":
            # Sent as text: no parse mode would turn the words into markup.
            (*_, last) = fake.calls_to("telegram", "sendMessage")
            assert "parse_mode" not in last.params
        if name == "slack":
            # Slack shows an agent's words as plain_text blocks, where mrkdwn's `*` would show.
            (*_, last) = fake.calls_to("slack", "chat.postMessage")
            blocks = last.params["blocks"]
            blocks = json.loads(blocks) if isinstance(blocks, str) else blocks
            assert {block["text"]["type"] for block in blocks} == {"plain_text"}


async def test_an_agents_markdown_reaches_the_web_chat_as_plain_text(
    fake: FakeChatwoot, tmp_path: Path
) -> None:
    async with running(fake, tmp_path, "webchat", {}) as (app, client):
        subscriber = await handed_off(app, client)
        await post(client, signed_webhook(from_agent(subscriber.key, MARKDOWN, 1)))
        await post(client, signed_webhook(from_agent(subscriber.key, UNCHANGED, 2)))
        page = await subscriber.page()
        # The web chat draws an agent's bubble from the stored line: it holds the plain text.
        agent_lines = [m["reply"]["text"] for m in page["messages"] if m["author"] == "agent"]
        assert agent_lines == [PLAIN, UNCHANGED]
