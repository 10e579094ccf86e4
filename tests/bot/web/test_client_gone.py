"""A client that leaves before its body is whole costs no 500 and no ERROR line."""

from __future__ import annotations

import logging
from collections.abc import AsyncIterator
from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.types import Message

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

ROUTES = (
    "/api/webchat/conversations",
    "/api/webchat/conversations/0123456789abcdef0123456789abcdef/messages",
    "/check/0123456789abcdef0123456789abcdef",
    "/autodiscover/autodiscover.xml",
)


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


@pytest.mark.parametrize("path", ROUTES)
async def test_a_body_cut_off_is_answered_quietly(
    app: Starlette, path: str, caplog: pytest.LogCaptureFixture
) -> None:
    scope = {
        "type": "http",
        "asgi": {"version": "3.0"},
        "http_version": "1.1",
        "method": "POST",
        "scheme": "http",
        "path": path,
        "raw_path": path.encode(),
        "query_string": b"",
        "root_path": "",
        "headers": [(b"content-type", b"application/json"), (b"content-length", b"100")],
        "client": ("192.0.2.7", 40000),
        "server": ("127.0.0.1", 8080),
        "state": {},
    }
    parts: list[Message] = [{"type": "http.request", "body": b"{", "more_body": True}]
    sent: list[Message] = []

    async def receive() -> Message:
        # The first piece, then the client is gone (as uvicorn reports it).
        return parts.pop(0) if parts else {"type": "http.disconnect"}

    async def send(message: Message) -> None:
        sent.append(message)

    with caplog.at_level(logging.INFO):
        await app(scope, receive, send)  # raised ClientDisconnect before
    assert [m["status"] for m in sent if m["type"] == "http.response.start"] == [400]
    assert [r.getMessage() for r in caplog.records if r.levelno >= logging.ERROR] == []
