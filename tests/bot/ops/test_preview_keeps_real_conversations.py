"""A preview's expiry keeps each clock's retention: its own conversations' and the real ones'.

`MAILMOVE_AS_OF` (or `--as-of`) previews another day, and a second server may serve the same
SQLite file; the preview's conversations are dated by its clock, the real server's by the
real one. Expiry ran with one cutoff. On the preview's clock, a preview of the next
migration's window, months ahead, deleted at its start every conversation the real server
had not touched in the retention before that day, all of them ("Expired 2 conversations"
with MAILMOVE_AS_OF=9999-12-31 on the file of a running server). Capped at the real clock,
a preview dated in the past (2008, the seed's window) deleted nothing dated after its day
less the retention: no real conversation of its file expired while it ran, however old, and
a future preview's own conversations outlived the retention by the months it was ahead.
Now each clock's conversations are kept for the retention before that clock's now.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import httpx
import pytest

from bot import server
from bot.ops.preview_clock import preview_clock
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from tests.bot.store.test_sqlite_store import always

RETENTION_DAYS = 90


class _ExpiryTold(SQLiteStore):
    """The SQLite store, telling when its server's expiry has been called twice.

    A round with a preview calls it twice (see `bot.server`); one with a single cutoff once,
    the next round (EXPIRY_INTERVAL made 0) calling it again.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.expired = asyncio.Event()
        self.removed: list[int] = []

    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        try:
            removed = await super().expire(before, after=after)
            self.removed.append(removed)
            return removed
        finally:
            if len(self.removed) == 2:
                self.expired.set()


async def _stored(store: SQLiteStore, key: str, at: dt.datetime) -> None:
    record = ConversationRecord(key, "webchat", Owner.BOT, DialogState(), at, at)
    change = Change(record, [TranscriptEntry(at, "subscriber", f"words of {key}")], None)
    assert await store.transact(key, f"{key}:e0", always(change)) == change


@pytest.mark.parametrize("ahead_days", [400, -6700], ids=["ahead", "in_2008"])
async def test_a_preview_keeps_each_clocks_retention(
    tmp_path: Path, ahead_days: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(server, "EXPIRY_INTERVAL", 0.0)
    path = tmp_path / "shared.sqlite3"
    today = dt.datetime.now(dt.UTC)
    as_of = (today + dt.timedelta(days=ahead_days)).date()
    previewed = preview_clock(as_of, "Asia/Tokyo")()
    old, recent = dt.timedelta(days=RETENTION_DAYS + 10), dt.timedelta(days=10)
    real = SQLiteStore(path)
    await real.open()
    for key, at in {
        "webchat:real-recent": today - recent,
        "webchat:real-old": today - old,
        "webchat:preview-recent": previewed - recent,
        "webchat:preview-old": previewed - old,
    }.items():
        await _stored(real, key, at)
    await real.close()

    settings = Settings(store_url=f"sqlite:///{path}", as_of=as_of)
    store = _ExpiryTold(path)
    app = build_app(settings, clock=preview_clock(as_of, "Asia/Tokyo"), store=store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x.test"),
    ):
        await store.expired.wait()
        kept = {record.key for record in await store.list_records(limit=10)}

    # Before: ahead, the old preview conversation was kept (the cutoff was the real one's);
    # in 2008, the old real one (the cutoff was 2008's).
    assert sum(store.removed) == 2
    assert kept == {"webchat:real-recent", "webchat:preview-recent"}


async def test_a_preview_of_the_first_year_expires_the_real_conversations(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Its day less the retention is before the first day there is: every round failed with
    # OverflowError ("Expiry failed", an ERROR with its traceback, a background error).
    monkeypatch.setattr(server, "EXPIRY_INTERVAL", 0.0)
    path = tmp_path / "shared.sqlite3"
    today = dt.datetime.now(dt.UTC)
    real = SQLiteStore(path)
    await real.open()
    await _stored(real, "webchat:real-recent", today - dt.timedelta(days=10))
    await _stored(real, "webchat:real-old", today - dt.timedelta(days=RETENTION_DAYS + 10))
    await real.close()

    as_of = dt.date(1, 1, 2)  # the first day a preview may have (0001-01-01 is refused)
    store = _ExpiryTold(path)
    settings = Settings(store_url=f"sqlite:///{path}", as_of=as_of)
    app = build_app(settings, clock=preview_clock(as_of, "UTC"), store=store)
    async with app.router.lifespan_context(app):
        # A guard only: the rounds that fail never reach the store, and would wait for good.
        await asyncio.wait_for(store.expired.wait(), 10)
        kept = {record.key for record in await store.list_records(limit=10)}
        errors = app.state.metrics.registry.get_sample_value(
            "mailmove_background_errors_total", {"task": "expiry"}
        )

    assert kept == {"webchat:real-recent"}
    assert not errors
