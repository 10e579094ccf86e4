"""The server's own loops (expiry, the desk-notice sweep) outlive an error nobody planned for.

Each caught only StoreUnavailableError: anything else (one record it could not read, a bug)
ended the task for good, and the only sign was asyncio's "Task exception was never
retrieved" at exit. Transcripts then stayed past their retention and desks missed the
messages left for them, with the replica healthy on every probe. Now the error is logged
once, with the loop's name and what happens next, counted in
`mailmove_background_errors_total{task}`, and the loop carries on at its next round.
Work a turn leaves to the background (telling a desk) was logged when it failed, and is now
counted too.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
import sqlite3
from pathlib import Path
from typing import Final

import pytest
from prometheus_client import CollectorRegistry

import bot.desk.handoff
import bot.server
from bot.desk.handoff import MESSAGE_RETRY_WAITS
from bot.ops.background import BackgroundTasks
from bot.ops.metrics import Metrics
from bot.ops.settings import Settings
from bot.server import build_app, expiry_wait
from bot.store.conversation_store import StoreUnavailableError
from bot.store.desk_notices import DeskNotice, desk_notices_for
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import IN_WINDOW, fixed_clock

WAIT: Final = 10.0


def counted(registry: CollectorRegistry, task: str) -> float:
    value = registry.get_sample_value("mailmove_background_errors_total", {"task": task})
    return value or 0.0


class FlakyExpiry(SQLiteStore):
    """A store whose first expiry raises what no one planned for (a record it cannot read)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.calls = 0
        self.again = asyncio.Event()

    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        self.calls += 1
        if self.calls == 1:
            raise ValueError("Invalid isoformat string: '2008-06-0'")
        self.again.set()
        return await super().expire(before, after=after)


async def test_expiry_goes_on_after_an_unexpected_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(bot.server, "EXPIRY_INTERVAL", 0.0)
    store = FlakyExpiry(tmp_path / "s.sqlite3")
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), store=store)
    with caplog.at_level(logging.INFO, logger="bot"):
        async with app.router.lifespan_context(app):
            await asyncio.wait_for(store.again.wait(), WAIT)
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in failures] == [
        "Expiry failed (tried again in 0 s): ValueError: Invalid isoformat string: '2008-06-0'"
    ]
    assert failures[0].exc_info is not None  # the traceback, for whoever fixes the cause
    assert counted(app.state.metrics.registry, "expiry") == 1


class StoreDownAtStart(SQLiteStore):
    """A store whose first three expiry rounds find it unavailable (Redis down at start)."""

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.calls = 0
        self.again = asyncio.Event()

    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        self.calls += 1
        if self.calls <= 3:
            raise StoreUnavailableError("Redis failed: Connection refused")
        self.again.set()
        return await super().expire(before, after=after)


class _Said(logging.Handler):
    """Wakes the test when a line is logged (in the event loop's thread, as the loop logs)."""

    def __init__(self, line: str) -> None:
        super().__init__(logging.INFO)
        self.line = line
        self.seen = asyncio.Event()

    def emit(self, record: logging.LogRecord) -> None:
        if record.getMessage() == self.line:
            self.seen.set()


async def test_a_failed_expiry_round_is_tried_again_soon_and_said_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    # EXPIRY_INTERVAL stays an hour: the next round after a failure waited all of it, and
    # transcripts stayed past their retention that long after an outage of seconds.
    monkeypatch.setattr(bot.server, "EXPIRY_RETRY_FIRST", 0.0)
    store = StoreDownAtStart(tmp_path / "s.sqlite3")
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), store=store)
    # Until the round that works has said so: woken when it began (`store.again`), the
    # test stopped the app under it on a loaded machine, and the line was never written.
    works_again = _Said("Expiry works again after 3 failed round(s)")
    logging.getLogger("bot.server").addHandler(works_again)
    try:
        with caplog.at_level(logging.INFO, logger="bot.server"):
            async with app.router.lifespan_context(app):
                await asyncio.wait_for(works_again.seen.wait(), WAIT)
    finally:
        logging.getLogger("bot.server").removeHandler(works_again)
    said = [r.getMessage() for r in caplog.records if r.getMessage().startswith("Expiry")]
    assert said == [
        "Expiry skipped (tried again in 0 s): Redis failed: Connection refused",
        "Expiry works again after 3 failed round(s)",
    ]


class ClosedUnderExpiry(SQLiteStore):
    """An expiry round in a Redis command when the server stops, as redis-py may leave it.

    The lifespan cancels the expiry task and later closes the store: redis-py can swallow a
    cancellation that lands mid-command, so the round goes on and meets the closed store.
    """

    def __init__(self, path: Path) -> None:
        super().__init__(path)
        self.inside = asyncio.Event()
        self._closed = asyncio.Event()

    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        self.inside.set()
        try:
            await self._closed.wait()
        except asyncio.CancelledError:
            await self._closed.wait()  # swallowed, as redis-py can
        raise StoreUnavailableError("the Redis store is closed")

    async def close(self) -> None:
        self._closed.set()
        await super().close()


async def test_a_round_the_shutdown_cuts_says_no_outage(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # Every such shutdown logged "Expiry skipped (tried again in 30 s): the Redis store is
    # closed": a warning of an outage that was not, and of a retry that never came.
    store = ClosedUnderExpiry(tmp_path / "s.sqlite3")
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), store=store)
    with caplog.at_level(logging.INFO, logger="bot.server"):
        async with app.router.lifespan_context(app):
            await asyncio.wait_for(store.inside.wait(), WAIT)
            [expiry] = [t for t in asyncio.all_tasks() if t.get_name() == "expiry"]
        await asyncio.wait_for(expiry, WAIT)
    assert [r.getMessage() for r in caplog.records if r.getMessage().startswith("Expiry")] == []


def test_expiry_backs_off_to_its_hourly_round() -> None:
    waits = [expiry_wait(n) for n in range(10)]
    assert waits == [3600.0, 30.0, 60.0, 120.0, 240.0, 480.0, 960.0, 1920.0, 3600.0, 3600.0]
    assert expiry_wait(10**6) == 3600.0  # days of an outage: no OverflowError


async def test_the_desk_notice_sweep_goes_on_after_an_unexpected_error(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    monkeypatch.setattr(bot.desk.handoff, "SWEEP_INTERVAL", 0.0)
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    handoffs = app.state.runtime.handoffs
    calls: list[int] = []
    again = asyncio.Event()

    async def flaky() -> int:
        calls.append(1)
        if len(calls) == 1:
            raise KeyError("desk")
        again.set()
        return 0

    monkeypatch.setattr(handoffs, "retry_overdue", flaky)
    with caplog.at_level(logging.INFO, logger="bot"):
        async with app.router.lifespan_context(app):
            await asyncio.wait_for(again.wait(), WAIT)
    failures = [r for r in caplog.records if r.levelno >= logging.ERROR]
    assert [r.getMessage() for r in failures] == [
        "Pending desk notices not read (tried again at the next sweep): KeyError: 'desk'"
    ]
    assert counted(app.state.metrics.registry, "desk_notices") == 1


async def test_a_notice_that_cannot_be_read_is_dropped_and_the_others_tried(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    path = tmp_path / "s.sqlite3"
    app = build_app(Settings(store_url=f"sqlite:///{path}"), clock=fixed_clock())
    runtime = app.state.runtime
    notices = desk_notices_for(runtime.engine.store)
    due = IN_WINDOW - dt.timedelta(minutes=5)
    await notices.keep(DeskNotice("webchat:abc", "webhook", due, 0, due))
    with sqlite3.connect(path) as db:  # written by a version that wrote another shape
        db.execute(
            "INSERT INTO desk_notices (key, desk, body, due) VALUES (?, ?, ?, ?)",
            ("webchat:old", "webhook", b'{"key": "webchat:old"}', "2008-06-01T02:00:00.000000"),
        )
    await runtime.engine.store.open()
    with caplog.at_level(logging.INFO, logger="bot"):
        # The good one is claimed (its conversation is gone, so it is then dropped).
        assert await runtime.handoffs.retry_overdue() == 1
        await runtime.tasks.idle()
        assert await runtime.handoffs.retry_overdue() == 0
    await runtime.engine.store.close()
    assert await notices.overdue(IN_WINDOW + dt.timedelta(seconds=MESSAGE_RETRY_WAITS[-1])) == []
    unread = [r.getMessage() for r in caplog.records if "cannot be read" in r.getMessage()]
    assert unread == [
        "Desk notice of webchat:old for webhook cannot be read (KeyError: 'desk'): dropped"
    ]


async def test_a_task_left_to_the_background_that_fails_is_counted() -> None:
    async def tell_a_desk() -> None:
        raise RuntimeError("a desk's client failed as no one planned")

    metrics = Metrics()
    with metrics.current():
        tasks = BackgroundTasks()
        tasks.spawn(tell_a_desk(), name="handoff webchat:abc")
        await tasks.idle()
    assert counted(metrics.registry, "spawned") == 1
