"""LINE and Telegram events older than the store remembers handled events are not answered.

An event is answered once because its id is remembered (`event_ttl_s` on Redis, two days by
default; `MAILMOVE_RETENTION_DAYS` on SQLite). A LINE body is signed but carries no time of
signing, so one captured (a proxy's log, a debugging dump) and sent again after its id is
forgotten was a new turn: answered again, its words kept again. The platforms never send an
event that old: Telegram keeps an update 24 hours at most, and LINE's redelivery stops
after a while (its length is not published), and each event carries when it happened
(LINE's `timestamp`, the same in a redelivery; Telegram's `date`, or `edit_date` for an
edit). So an event from before what the store remembers, or a Telegram update older than
Telegram keeps one, gets 200 (a platform must not retry it), no turn and no reply, and is
counted in `mailmove_rejected_requests_total{reason="too_old"}`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from bot.ops.settings import Settings
from bot.runtime import Runtime
from bot.server import build_app
from bot.store.redis_store import RedisStore
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import IN_WINDOW, fixed_clock
from tests.adapters.channel_contract import SignedRequest, all_but, rejections
from tests.adapters.line import test_channel as line_tests
from tests.adapters.line.test_channel import event_payload, signed
from tests.adapters.telegram import test_channel as telegram_tests
from tests.adapters.telegram.test_channel import text_update, webhook_request
from tests.fakes.platform_api import FakePlatformAPI, running_fake

RETENTION = dt.timedelta(days=90)  # the default MAILMOVE_RETENTION_DAYS, which SQLite keeps ids


def line_text(n: int, happened: dt.datetime, *, redelivered: bool = False) -> SignedRequest:
    payload = event_payload("message_text", n)
    event = payload["events"][0]
    event["timestamp"] = int(happened.timestamp() * 1000)
    event["message"]["text"] = "こんにちは"
    event["deliveryContext"]["isRedelivery"] = redelivered
    return signed(payload)


def telegram_text(n: int, sent: dt.datetime, *, edited: dt.datetime | None = None) -> SignedRequest:
    update: dict[str, Any] = text_update("こんにちは", n)
    update["message"]["date"] = int(sent.timestamp())
    if edited is not None:
        update["edited_message"] = update.pop("message")
        update["edited_message"]["edit_date"] = int(edited.timestamp())
    return webhook_request(update)


# The test classes are reached through their modules: imported by name, pytest runs them here.
ENVIRON = {
    "line": line_tests.TestLineChannel().environ,
    "telegram": telegram_tests.TestTelegramChannel().environ,
}
ANSWERS = {"line": ("line", "reply"), "telegram": ("telegram", "sendMessage")}


class Served:
    def __init__(self, channel: str, fake: FakePlatformAPI, client: httpx.AsyncClient) -> None:
        self.channel = channel
        self.fake = fake
        self.client = client

    async def post(self, request: SignedRequest) -> int:
        response = await self.client.post(
            request.path, content=request.body, headers=request.headers
        )
        runtime: Runtime = self.client._transport.app.state.runtime  # type: ignore[attr-defined]
        await runtime.tasks.idle()
        return response.status_code

    def answered(self) -> int:
        return len(self.fake.calls_to(*ANSWERS[self.channel]))


@pytest.fixture
async def served(request: pytest.FixtureRequest, tmp_path: Path) -> AsyncIterator[Served]:
    channel: str = request.param
    async with running_fake() as fake:
        app = build_app(
            Settings(environ=ENVIRON[channel](fake.url)),
            clock=fixed_clock(),
            store=SQLiteStore(tmp_path / "conversations.sqlite3"),
            exclude_channels=all_but(channel),
        )
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            yield Served(channel, fake, client)


@pytest.mark.parametrize("served", ["line"], indirect=True)
async def test_a_line_event_from_before_the_remembered_ids_is_not_answered(
    served: Served,
) -> None:
    before = rejections("line").get("too_old", 0)
    stale = IN_WINDOW - RETENTION - dt.timedelta(hours=1)
    assert await served.post(line_text(1, stale, redelivered=True)) == 200
    assert served.answered() == 0
    assert rejections("line").get("too_old", 0) == before + 1
    exposition = (await served.client.get("/metrics")).text
    assert 'mailmove_rejected_requests_total{channel="line",reason="too_old"} 1.0' in exposition
    # One the store still remembers the like of is answered, however late it comes.
    late = IN_WINDOW - RETENTION + dt.timedelta(hours=1)
    assert await served.post(line_text(2, late, redelivered=True)) == 200
    assert served.answered() > 0


@pytest.mark.parametrize("served", ["telegram"], indirect=True)
async def test_a_telegram_update_older_than_telegram_keeps_one_is_not_answered(
    served: Served,
) -> None:
    before = rejections("telegram").get("too_old", 0)
    assert await served.post(telegram_text(1, IN_WINDOW - dt.timedelta(hours=26))) == 200
    assert served.answered() == 0
    assert rejections("telegram").get("too_old", 0) == before + 1
    # An edit comes when it is made: a message sent days ago and edited now is answered.
    edited = telegram_text(2, IN_WINDOW - dt.timedelta(days=3), edited=IN_WINDOW)
    assert await served.post(edited) == 200
    after_edit = served.answered()
    assert after_edit > 0
    assert await served.post(telegram_text(3, IN_WINDOW - dt.timedelta(hours=23))) == 200
    assert served.answered() > after_edit


def test_redis_remembers_ids_for_its_event_ttl_and_sqlite_for_the_retention(
    tmp_path: Path,
) -> None:
    from bot.store.store_url import events_remembered

    hour = dt.timedelta(hours=1)
    redis = RedisStore.from_url("redis://127.0.0.1:1/0?event_ttl_s=3600")
    assert events_remembered(redis, RETENTION) == hour
    assert events_remembered(RedisStore.from_url("redis://127.0.0.1:1/0"), hour) == hour
    sqlite = SQLiteStore(tmp_path / "c.sqlite3")
    assert events_remembered(sqlite, RETENTION) == RETENTION


@pytest.mark.parametrize("served", ["telegram"], indirect=True)
@pytest.mark.parametrize("date", [2**62, 10**17])
async def test_a_telegram_date_past_what_a_clock_holds_is_a_malformed_update(
    served: Served, date: int
) -> None:
    # python-telegram-bot's `from_timestamp` raises OSError (EOVERFLOW) for these, which
    # the webhook answered with 500 and a traceback, and Telegram sends a 5xx'd update again.
    before = rejections("telegram").get("malformed", 0)
    update: dict[str, Any] = text_update("こんにちは", 1)
    update["message"]["date"] = date
    assert await served.post(webhook_request(update)) == 400
    assert served.answered() == 0
    assert rejections("telegram").get("malformed", 0) == before + 1
