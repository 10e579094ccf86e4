"""An agent's message a platform refuses for good says why in the agent's words, once tried.

A Telegram subscriber who blocked the bot (403), a Slack DM that is gone (channel_not_found)
and a LINE channel whose month's allowance of messages is used up (LINE's 429 'You have
reached your monthly limit.') all refuse every later send too. The console showed the
platform's English (「…届けられませんでした（LINE answered 429）」) with 「もう一度送る」, which
fails the same way; LINE's quota 429 was even sent four times, as a rate limit's is. The
note now carries the cause (the agent API's `note.cause`), from which the desks word it.
"""

from __future__ import annotations

import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest

from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.runtime import Runtime
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.adapters.channel_contract import load_payload
from tests.adapters.line import test_channel as line
from tests.adapters.slack.test_desk import BOT_TOKEN, SIGNING_SECRET, signed
from tests.adapters.telegram import test_channel as telegram
from tests.fakes.platform_api import FakePlatformAPI, running_fake

TOKEN: Final = "causes-token-5f3a9c1e7b2d4e6f"
BEARER: Final = {"Authorization": f"Bearer {TOKEN}"}
DM: Final = "D0GONE0001"
# The app's runtime by its test client: each test waits for the background sends.
RUNNING: Final[dict[httpx.AsyncClient, Runtime]] = {}


@pytest.fixture
async def fake() -> AsyncIterator[FakePlatformAPI]:
    async with running_fake() as api:
        yield api


@pytest.fixture
async def client(fake: FakePlatformAPI, tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(f"佐藤:{TOKEN}",),
        environ={
            "SLACK_BOT_TOKEN": BOT_TOKEN,
            "SLACK_SIGNING_SECRET": SIGNING_SECRET,
            "SLACK_API_URL": f"{fake.url}/slack/api/",
            "TELEGRAM_BOT_TOKEN": telegram.TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": telegram.SECRET,
            "TELEGRAM_API_URL": f"{fake.url}/telegram",
            "LINE_CHANNEL_SECRET": line.CHANNEL_SECRET,
            "LINE_CHANNEL_ACCESS_TOKEN": "mailmove-line-access-token",
            "LINE_API_URL": f"{fake.url}/line",
        },
    )
    wanted = ("slack", "telegram", "line")
    others = tuple(n for n in available_factories() if n not in wanted)
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        RUNNING[client] = app.state.runtime
        yield client
        del RUNNING[client]


async def idle(client: httpx.AsyncClient) -> None:
    await RUNNING[client].tasks.idle()


async def from_line(client: httpx.AsyncClient, text: str) -> str:
    payload = line.event_payload("message_text", 1)
    payload["events"][0]["message"]["text"] = text
    request = line.signed(payload)
    assert (
        await client.post(request.path, content=request.body, headers=request.headers)
    ).is_success
    return f"line:{line.USER}"


async def from_telegram(client: httpx.AsyncClient, text: str) -> str:
    request = telegram.webhook_request(telegram.text_update(text, 1))
    assert (
        await client.post(request.path, content=request.body, headers=request.headers)
    ).is_success
    return f"telegram:{telegram.CHAT}"


async def from_slack(client: httpx.AsyncClient, text: str) -> str:
    payload = load_payload("slack", "message_im")
    payload["event"].update(text=text, channel=DM)
    payload["event"].pop("blocks")
    body = json.dumps(payload).encode()
    headers = {**signed(body), "content-type": "application/json"}
    assert (await client.post("/slack/events", content=body, headers=headers)).is_success
    return f"slack:T0MAILMOVE:{DM}"


async def taken(client: httpx.AsyncClient, key: str) -> None:
    """An agent takes the conversation; the subscriber's notice of it is sent before any
    failure the test sets up, which then meets the agent's message alone."""
    url = f"/api/agent/conversations/{key}"
    assert (await client.post(f"{url}/take", headers=BEARER, json={})).status_code == 200
    await idle(client)


async def written_to(client: httpx.AsyncClient, key: str) -> dict[str, Any]:
    url = f"/api/agent/conversations/{key}"
    sent = await client.post(
        f"{url}/messages", headers=BEARER, json={"text": "佐藤です。", "event_id": "m1"}
    )
    assert sent.status_code == 201, sent.text
    await idle(client)
    read = (await client.get(url, headers=BEARER)).json()
    notes: list[dict[str, Any]] = [
        x["note"] for x in read["transcript"] if x.get("note", {}).get("type") == "undelivered"
    ]
    (note,) = notes
    return note


async def test_a_line_channel_out_of_its_monthly_allowance_is_said_so_and_tried_once(
    client: httpx.AsyncClient, fake: FakePlatformAPI
) -> None:
    key = await from_line(client, "こんにちは")
    await idle(client)
    await taken(client, key)
    fake.line_monthly_limit_reached = True
    note = await written_to(client, key)
    assert note["cause"] == "quota"
    assert "monthly limit" in note["reason"]
    # Not resent as a rate limit's 429 is: the allowance stays used up until the plan changes.
    assert len(fake.calls_to("line", "push", status=429)) == 1


async def test_a_telegram_subscriber_who_blocked_the_bot_is_unreachable(
    client: httpx.AsyncClient, fake: FakePlatformAPI
) -> None:
    key = await from_telegram(client, "こんにちは")
    await idle(client)
    await taken(client, key)
    fake.telegram_blocked.add(telegram.CHAT)
    note = await written_to(client, key)
    assert note["cause"] == "unreachable"


async def test_a_slack_dm_that_is_gone_is_unreachable(
    client: httpx.AsyncClient, fake: FakePlatformAPI
) -> None:
    key = await from_slack(client, "こんにちは")
    await idle(client)
    await taken(client, key)
    fake.slack_gone.add(DM)
    note = await written_to(client, key)
    assert note["cause"] == "unreachable"


async def test_a_refusal_a_resend_may_mend_names_no_cause(
    client: httpx.AsyncClient, fake: FakePlatformAPI
) -> None:
    # A rate limit's 429 that outlasts the resends: 「もう一度送る」 may well work later.
    key = await from_line(client, "こんにちは")
    await idle(client)
    await taken(client, key)
    fake.throttle("line", "push", times=10, retry_after=0)
    note = await written_to(client, key)
    assert note["cause"] is None
