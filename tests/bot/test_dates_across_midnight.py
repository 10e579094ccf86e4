"""A conversation over the web chat API across midnight in Japan (dates5).

The notice's days are Japan's: the old servers answer 「2008年6月20日(金)まで」, through 23:59 JST.
At 00:00 JST on 06-21 it is still 06-20 in UTC; the advice must follow the Japanese day.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from tests.calendar_clock import JST, Calendar


@pytest.fixture
def calendar() -> Calendar:
    return Calendar(dt.datetime(2008, 6, 20, 23, 58, tzinfo=JST))


@pytest.fixture
async def client(tmp_path: Path, calendar: Calendar) -> AsyncIterator[httpx.AsyncClient]:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=calendar)
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await app.state.runtime.engine.store.close()


def said(response: httpx.Response) -> str:
    return "\n".join(str(reply.get("text", "")) for reply in response.json()["replies"])


@pytest.mark.parametrize(
    ("later", "told"),
    [
        (dt.datetime(2008, 6, 20, 23, 59, tzinfo=JST), False),
        (dt.datetime(2008, 6, 20, 15, 0, tzinfo=dt.UTC), True),  # 00:00 JST on 06-21
    ],
    ids=["23:59 JST", "00:00 JST"],
)
async def test_advice_from_the_last_day_is_put_right_at_midnight_in_japan(
    client: httpx.AsyncClient, calendar: Calendar, later: dt.datetime, told: bool
) -> None:
    created = (await client.post("/api/webchat/conversations", json={})).json()
    messages = f"/api/webchat/conversations/{created['conversation_id']}/messages"
    await client.post(messages, json={"choice": "yes"})
    verdict = said(await client.post(messages, json={"choice": "no"}))
    assert "本日（2008年6月20日(金)）まで" in verdict  # the old servers' last day
    calendar.moment = later
    answer = said(await client.post(messages, json={"text": "taro@vp.117.ne.jp"}))
    assert ("前回（2008年6月20日(金)）のご案内のあと" in answer) is told
    assert ("2008年6月20日(金)で利用できなくなりました" in answer) is told


KOGERA = Path(__file__).resolve().parents[2] / "examples" / "hosted-imap-app-password.toml"


@pytest.mark.parametrize(
    ("moment", "words"),
    [
        # 23:59 JST on 02-28, the day before Kogera's window: change nothing yet, from
        # tomorrow on.
        (
            dt.datetime(2027, 2, 28, 14, 59, tzinfo=dt.UTC),
            "期間は明日から始まりますので、明日以降に設定を変更してください。",
        ),
        # 00:00 JST on 03-01, still 02-28 in UTC: the window's first day.
        (dt.datetime(2027, 2, 28, 15, 0, tzinfo=dt.UTC), "本日が初日です"),
        # 00:00 JST on 04-01: the old outgoing server stopped on 03-31.
        (
            dt.datetime(2027, 3, 31, 15, 0, tzinfo=dt.UTC),
            "送信（SMTP）は2027年3月31日(水)で利用できなくなりました。",
        ),
    ],
    ids=["23:59 JST before", "00:00 JST first day", "00:00 JST old SMTP gone"],
)
async def test_another_providers_days_are_its_own_time_zones(
    tmp_path: Path, moment: dt.datetime, words: str
) -> None:
    # provider4: another provider's profile (examples/hosted-imap-app-password.toml) through
    # the web chat API, the server's clock in UTC: the day is the profile's, in Japan.
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", profile_path=KOGERA)
    app = build_app(settings, clock=Calendar(moment))
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = (await client.post("/api/webchat/conversations", json={})).json()
        messages = f"/api/webchat/conversations/{created['conversation_id']}/messages"
        answer = said(await client.post(messages, json={"choice": "topic:schedule"}))
    await app.state.runtime.engine.store.close()
    assert words in answer
    assert "2008" not in answer
