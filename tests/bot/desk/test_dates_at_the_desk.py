"""What the desk reads about a conversation follows today's schedule (dates5).

The notice: the old servers answer until 2008-06-20 (JST). A 'recommended' sending verdict
rests on the old outgoing server answering ([notice] 「現在の設定でも…ご利用が可能」); the bot
says 'required' after that day, and so must what an agent reads.
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

TOKEN = "agent-token-0123456789"
HEADERS = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture
def calendar() -> Calendar:
    return Calendar(dt.datetime(2008, 6, 19, 10, 0, tzinfo=JST))


@pytest.fixture
async def client(tmp_path: Path, calendar: Calendar) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,))
    app = build_app(settings, clock=calendar)
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await app.state.runtime.engine.store.close()


@pytest.mark.parametrize(
    ("later", "sending"),
    [
        (dt.datetime(2008, 6, 20, 23, 59, tzinfo=JST), "recommended"),  # the old server's last day
        (dt.datetime(2008, 6, 21, 0, 0, tzinfo=JST), "required"),  # the day after, at 00:00 JST
        (dt.datetime(2026, 11, 29, 12, 0, tzinfo=JST), "required"),
    ],
    ids=str,
)
async def test_a_waiting_conversations_verdict_is_read_for_today(
    client: httpx.AsyncClient, calendar: Calendar, later: dt.datetime, sending: str
) -> None:
    # Handed over on 06-19 with 'recommended' (Q2 'no'), still in the queue a week later: the
    # console said 「送信：変更を推奨」 ('your current settings still send') after 06-20 too.
    created = (await client.post("/api/webchat/conversations", json={})).json()
    messages = f"/api/webchat/conversations/{created['conversation_id']}/messages"
    await client.post(messages, json={"choice": "yes"})
    await client.post(messages, json={"choice": "no"})
    await client.post(messages, json={"text": "担当者と話したい"})
    listed = (await client.get("/api/agent/conversations", headers=HEADERS)).json()
    [item] = listed["conversations"]
    assert item["owner"] == "agent"  # the desk's: waiting for a person
    assert item["sending"] == "recommended"
    calendar.moment = later
    listed = (await client.get("/api/agent/conversations", headers=HEADERS)).json()
    assert listed["conversations"][0]["sending"] == sending
    read = (await client.get(f"/api/agent/conversations/{item['key']}", headers=HEADERS)).json()
    assert read["sending"] == sending


async def test_the_desks_summary_gives_the_verdict_for_the_day_it_is_drawn(
    tmp_path: Path, calendar: Calendar
) -> None:
    # The summary a Slack message is drawn again from, a Chatwoot note and the webhook carry:
    # handed over on 06-20 and drawn on 06-21 (a take-over redraws the Slack message) it
    # said 「判定（受信/送信）：変更が必要 / 変更を推奨」, the verdict of the subscriber's last
    # turn, until they wrote again; the console's list already said 'required'.
    calendar.moment = dt.datetime(2008, 6, 20, 18, 0, tzinfo=JST)
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,))
    app = build_app(settings, clock=calendar)
    runtime = app.state.runtime
    await runtime.engine.store.open()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            created = (await client.post("/api/webchat/conversations", json={})).json()
            messages = f"/api/webchat/conversations/{created['conversation_id']}/messages"
            await client.post(messages, json={"choice": "yes"})
            await client.post(messages, json={"choice": "no"})  # Q2: 'recommended'
            await client.post(messages, json={"text": "担当者と話したい"})
            listed = (await client.get("/api/agent/conversations", headers=HEADERS)).json()
        [item] = listed["conversations"]
        record = await runtime.engine.store.load(item["key"])
        assert record is not None
        catalogs = runtime.catalogs

        drawn = await runtime.engine.handoff.summary(record, "asked")
        assert drawn.sending == "recommended"
        # Drawn on the old server's last day, read on the next one too: it says until when.
        ja, en = drawn.as_text(catalogs), drawn.as_text(catalogs, "en")
        assert "変更を推奨（2008年6月20日(金)まで。翌日からは変更が必要）" in ja
        assert "until Friday 20 June 2008; required from the day after" in en
        assert drawn.as_json()["sending_until"] == "2008-06-20"

        calendar.moment = dt.datetime(2008, 6, 21, 0, 0, tzinfo=JST)
        drawn = await runtime.engine.handoff.summary(record, "asked")
        assert drawn.sending == "required"
        assert "変更が必要 / 変更が必要" in drawn.as_text(catalogs)
        assert "推奨" not in drawn.as_text(catalogs)
        assert drawn.as_json()["sending_until"] == ""
    finally:
        await runtime.engine.store.close()
