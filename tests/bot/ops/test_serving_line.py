"""Once the server is up it says so, and how long its start took.

The start-up summary ("mailmove starting") is logged before the channels start, the web
chat's stored conversations move (20,000 took 14-22 s on Redis) and the platforms are asked
about their tokens; uvicorn's "Application startup complete." is dropped as noise. So the
log of a replica that serves and of one still starting (or hung in it) ended alike.
"""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock


async def test_the_server_says_when_it_serves(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    with caplog.at_level(logging.INFO, logger="bot.server"):
        async with app.router.lifespan_context(app):
            said = [r.getMessage() for r in caplog.records if r.name == "bot.server"]
    assert len(said) == 1, said
    assert re.fullmatch(r"Serving: the start took \d+\.\d s", said[0]), said
