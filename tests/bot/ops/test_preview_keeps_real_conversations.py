"""A preview whose day is ahead of the real one deletes no real conversation by expiry.

`MAILMOVE_AS_OF` (or `--as-of`) previews another day, and a second server may serve the same
SQLite file. Expiry ran on the preview's clock: a preview of the next migration's window,
months ahead, deleted at its start every conversation the real server had not touched in
the retention before that day, all of them ("Expired 2 conversations" with
MAILMOVE_AS_OF=9999-12-31 on the file of a running server). Its cutoff is never past the
real clock's now.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path

import httpx

from bot.ops.preview_clock import preview_clock
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from dialogs.state import DialogState
from tests.bot.store.test_sqlite_store import always


class _ExpiryTold(SQLiteStore):
    """The SQLite store, telling when its server's first expiry round has run."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.expired = asyncio.Event()
        self.removed: list[int] = []

    async def expire(self, before: dt.datetime) -> int:
        try:
            removed = await super().expire(before)
            self.removed.append(removed)
            return removed
        finally:
            self.expired.set()


async def test_a_preview_ahead_of_today_keeps_the_real_conversations(tmp_path: Path) -> None:
    path = tmp_path / "shared.sqlite3"
    real = SQLiteStore(path)
    await real.open()
    today = dt.datetime.now(dt.UTC)
    record = ConversationRecord("webchat:real", "webchat", Owner.BOT, DialogState(), today, today)
    kept = Change(record, [TranscriptEntry(today, "subscriber", "words of today")], None)
    assert await real.transact("webchat:real", "e0", always(kept)) == kept
    await real.close()

    ahead = (today + dt.timedelta(days=400)).date()
    settings = Settings(store_url=f"sqlite:///{path}", as_of=ahead)
    store = _ExpiryTold(path)
    app = build_app(settings, clock=preview_clock(ahead, "Asia/Tokyo"), store=store)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://x.test"),
    ):
        await store.expired.wait()
        assert store.removed == [0]
        assert await store.load("webchat:real") is not None
