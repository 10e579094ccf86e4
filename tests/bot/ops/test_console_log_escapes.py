"""A log for people at a terminal shows what a stranger sent as text, never as terminal codes.

Some log lines quote what came in a request (a web chat message's `event_id` when it is sent
again, up to 100 characters of the client's choosing). In JSON every control character is
escaped; the console renderer wrote them as they were: a line break and a time stamp forged
a line of the log, an escape sequence cleared the operator's screen or retitled the window.
"""

from __future__ import annotations

import io
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.logging_setup import configure_logging
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

pytestmark = pytest.mark.usefixtures("restore_logging")

FORGED = "e1\x1b[2J\x1b]0;pwned\x07\r\n2026-11-29 02:00:00 [error    ] FORGED\u2028\x9b31m\x00"


async def test_a_clients_event_id_reaches_the_console_log_as_text(tmp_path: Path) -> None:
    stream = io.StringIO()
    configure_logging("console", stream=stream, queued=False)
    app: Starlette = build_app(
        Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock()
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            created = await client.post("/api/webchat/conversations", json={})
            url = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
            for _ in range(2):
                sent = await client.post(url, json={"text": "はい", "event_id": FORGED})
                assert sent.status_code == 200
    [line] = [line for line in stream.getvalue().splitlines() if "Dropping repeated" in line]
    assert "FORGED" in line  # the forged "line" stays inside the real one
    assert not any(line.startswith("2026-11-29 02:00:00") for line in stream.getvalue().split("\n"))
    for code in ("\x1b", "\x07", "\r", "\x9b", "\x00", "\u2028"):
        assert code not in stream.getvalue()
    assert "\\x1b[2J" in line


# Right-to-left override and embedding, isolates and marks: a terminal shows no code for
# them but draws the rest of the line backwards ('…:e2\u202etxt.eliF' reads 'File.txt').
BIDI = "e2\u202eFORGED\u202a\u202b\u202c\u202d\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


async def test_bidi_controls_in_a_clients_event_id_reach_the_console_log_as_text(
    tmp_path: Path,
) -> None:
    stream = io.StringIO()
    configure_logging("console", stream=stream, queued=False)
    app: Starlette = build_app(
        Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock()
    )
    async with app.router.lifespan_context(app):
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            created = await client.post("/api/webchat/conversations", json={})
            url = f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
            for _ in range(2):
                sent = await client.post(url, json={"text": "はい", "event_id": BIDI})
                assert sent.status_code == 200
    [line] = [line for line in stream.getvalue().splitlines() if "Dropping repeated" in line]
    assert "e2\\u202eFORGED" in line
    for code in BIDI[len("e2") :].replace("FORGED", ""):
        assert code not in stream.getvalue()
