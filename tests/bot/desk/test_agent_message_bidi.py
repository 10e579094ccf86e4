"""An agent's message reaches the subscriber without bidi embeddings, overrides or isolates.

The subscriber's own words lose them (U+202A-U+202E, U+2066-U+2069) before the turn, and an
agent's name may not hold them, but an agent's message kept them: 「設定は https://www.117.ne.jp/
\u202efdp.exe のとおりです」 read 'exe.pdf' to the subscriber, on every channel, and in the
transcript. Found by attacker9.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

TOKEN: Final = "sato-token-0123456789abcdef"
HEADERS: Final = {"Authorization": f"Bearer {TOKEN}"}
BIDI: Final = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"sato:{TOKEN}",)
    )
    app = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


async def test_bidi_controls_leave_an_agents_message(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = (await client.post("/api/webchat/conversations", json={})).json()
        conversation = f"/api/agent/conversations/{key_of(created['conversation_id'])}"
        assert (await client.post(f"{conversation}/take", json={}, headers=HEADERS)).is_success
        sent = await client.post(
            f"{conversation}/messages",
            json={"text": "設定は https://www.117.ne.jp/\u202efdp.exe のとおりです"},
            headers=HEADERS,
        )
        assert sent.status_code == 201
        assert sent.json()["text"] == "設定は https://www.117.ne.jp/fdp.exe のとおりです"
        read = await client.get(f"/api/webchat/conversations/{created['conversation_id']}/messages")
        assert "fdp.exe" in read.text
        assert not any(mark in read.json()["messages"][-1]["reply"]["text"] for mark in BIDI)


@pytest.mark.parametrize("text", ["\u202e", "\u2066 \u2069", "\u202a\n\u202c"])
async def test_a_message_of_bidi_controls_alone_is_refused(app: Starlette, text: str) -> None:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = (await client.post("/api/webchat/conversations", json={})).json()
        conversation = f"/api/agent/conversations/{key_of(created['conversation_id'])}"
        assert (await client.post(f"{conversation}/take", json={}, headers=HEADERS)).is_success
        refused = await client.post(
            f"{conversation}/messages", json={"text": text}, headers=HEADERS
        )
        assert refused.status_code == 422
