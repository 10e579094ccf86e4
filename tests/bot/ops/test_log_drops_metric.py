"""`/metrics` reports the log lines dropped while standard error was not read fast enough."""

from __future__ import annotations

import io
import logging
import threading
from pathlib import Path

import httpx
import pytest

from bot.ops import logging_setup
from bot.ops.logging_setup import configure_logging, flush_logs
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

DROPPED = "mailmove_log_lines_dropped_total"


# Each test configures the process's logging: `restore_logging` (conftest) undoes it.
pytestmark = pytest.mark.usefixtures("restore_logging")


class Stuck(io.StringIO):
    """Standard error behind a pipe nobody reads: every write waits until `released`."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()

    def write(self, text: str) -> int:
        self.released.wait(timeout=30)
        return super().write(text)


def scraped(text: str) -> float:
    line = next(line for line in text.splitlines() if line.startswith(f"{DROPPED} "))
    return float(line.rsplit(" ", 1)[1])


async def test_dropped_log_lines_are_counted_at_scrape_time(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/m.sqlite3"), clock=fixed_clock())
    transport = httpx.ASGITransport(app=app)
    monkeypatch.setattr(logging_setup, "QUEUE_SIZE", 3)
    stream = Stuck()
    async with httpx.AsyncClient(transport=transport, base_url="http://bot.test") as client:
        configure_logging("json", stream=stream)
        assert scraped((await client.get("/metrics")).text) == 0
        log = logging.getLogger("bot.turns")
        for number in range(20):
            log.info("turn %d", number)
        # One record may be in the writer's hands, three wait in the queue: 16 or more lost.
        dropped = scraped((await client.get("/metrics")).text)
        assert dropped == logging_setup.dropped_lines() >= 16
        stream.released.set()
        flush_logs()
        # A counter: what was lost stays counted once the writer catches up.
        assert scraped((await client.get("/metrics")).text) == dropped
