"""The configuration files as a mail program fetches them, on the days the notice names.

Before 2008-05-21 (the notice: 「2008年5月21日(水)〜2008年6月20日(金)の期間中にメールソフトの
設定を変更してください」) the chat tells the subscriber not to change anything yet and offers
no file (`dialogs.advice.offers_config_file`: mail still arrives on the old server). The files
themselves were served all the same: Thunderbird setting up an account on 2008-05-20 fetched
its autoconfig and got vpop.117.ne.jp, an account on which nothing arrives yet, and so did
Outlook's autodiscover and the Apple profile's link typed by hand.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.web.test_config_file_routes import AUTODISCOVER

TOKYO = zoneinfo.ZoneInfo("Asia/Tokyo")
# The last moment before the window in the provider's zone, and its first.
LAST_MOMENT_BEFORE = dt.datetime(2008, 5, 20, 23, 59, tzinfo=TOKYO)
FIRST_DAY = dt.datetime(2008, 5, 21, 0, 1, tzinfo=TOKYO)


async def served(tmp_path: Path, moment: dt.datetime) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3")
    app = build_app(settings, clock=fixed_clock(moment))
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await app.state.runtime.engine.store.close()


@pytest.fixture
async def before(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in served(tmp_path, LAST_MOMENT_BEFORE):
        yield client


@pytest.fixture
async def first_day(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in served(tmp_path, FIRST_DAY):
        yield client


async def fetch_all(client: httpx.AsyncClient) -> list[httpx.Response]:
    address = {"emailaddress": "taro@vp.117.ne.jp"}
    return [
        await client.get("/mail/config-v1.1.xml", params=address),
        await client.get("/.well-known/autoconfig/mail/config-v1.1.xml", params=address),
        await client.post("/autodiscover/autodiscover.xml", content=AUTODISCOVER),
        await client.get(
            "/mail/apple.mobileconfig", params={**address, "sending": "required", "smtp": "old"}
        ),
    ]


async def test_no_file_names_the_new_servers_before_the_window(
    before: httpx.AsyncClient,
) -> None:
    for response in await fetch_all(before):
        assert response.status_code == 404, response.request.url
        assert "vpop.117.ne.jp" not in response.text
        # Said in one line, with the day it opens.
        assert response.json() == {
            "error": "no configuration file before the settings-change window opens on 2008-05-21"
        }


async def test_the_files_are_served_from_the_windows_first_day(
    first_day: httpx.AsyncClient,
) -> None:
    for response in await fetch_all(first_day):
        assert response.status_code == 200, response.request.url
        assert b"vpop.117.ne.jp" in response.content
