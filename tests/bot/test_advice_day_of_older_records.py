"""A conversation stored before the advice's day was kept is told the schedule moved on.

`DialogState.advised_on` came with b91e3f4: a record written before it holds a verdict and
no day. Advised on 2008-06-19 ("your current settings still send") and taken up on 06-27,
after the old servers stopped, such a subscriber heard nothing of it. The engine dates that
advice from the record's last turn.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change
from tests.calendar_clock import JST, Calendar

TOLD = "前回（2008年6月19日(木)）のご案内のあと"


@pytest.fixture
def calendar() -> Calendar:
    return Calendar(dt.datetime(2008, 6, 19, 10, 0, tzinfo=JST))


@pytest.fixture
async def app(tmp_path: Path, calendar: Calendar) -> AsyncIterator[Starlette]:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=calendar)
    await app.state.runtime.engine.store.open()
    yield app
    await app.state.runtime.engine.store.close()


def said(response: httpx.Response) -> str:
    return "\n".join(str(reply.get("text", "")) for reply in response.json()["replies"])


async def advised_then_forgotten(app: Starlette, client: httpx.AsyncClient) -> str:
    """A Q2 'no' verdict on 06-19, stored as the code before advised_on stored it."""
    created = (await client.post("/api/webchat/conversations", json={})).json()
    messages = f"/api/webchat/conversations/{created['conversation_id']}/messages"
    await client.post(messages, json={"choice": "yes"})
    verdict = said(await client.post(messages, json={"choice": "no"}))
    assert "現在の設定でも送信できますが" in verdict
    store = app.state.runtime.engine.store
    key = key_of(created["conversation_id"])
    stored = await store.load(key)
    assert stored is not None
    assert stored.dialog.advised_on is not None

    def as_before(record: object) -> Change[None]:
        assert stored is not None
        older = dataclasses.replace(stored.dialog, advised_on=None)
        return Change(dataclasses.replace(stored, dialog=older), (), None)

    await store.transact(key, None, as_before)
    reloaded = await store.load(key)
    assert reloaded is not None
    assert reloaded.dialog.advised_on is None
    return messages


# The 20th is the old servers' last day, a phase of its own (dates6); the same day, nothing.
@pytest.mark.parametrize(("day", "told"), [(27, True), (20, True), (19, False)])
async def test_an_older_record_is_told_the_schedule_moved_on(
    app: Starlette, calendar: Calendar, day: int, told: bool
) -> None:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        messages = await advised_then_forgotten(app, client)
        calendar.moment = dt.datetime(2008, 6, day, 10, 0, tzinfo=JST)
        answer = said(await client.post(messages, json={"text": "taro@vp.117.ne.jp"}))
    assert (TOLD in answer) is told
