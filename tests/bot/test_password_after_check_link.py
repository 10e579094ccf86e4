"""A password typed into the chat right after the login check's link is stored masked.

The link's page is where the password goes; the chat is where the subscriber already is,
and the most likely moment to type it there is the message after the link: 「sakura2008」
alone, which says nothing of being a password, was kept as typed in the transcript, the
agent API and the desks.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.disk import files_holding

CONVERSATIONS = "/api/webchat/conversations"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3"), clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


async def at_the_check_link(client: httpx.AsyncClient) -> str:
    """A conversation whose last reply is the login check's link; its messages URL."""
    created = await client.post(CONVERSATIONS, json={})
    url = f"{CONVERSATIONS}/{created.json()['conversation_id']}/messages"
    for body in (
        {"choice": "settings"},
        {"text": "taro@vp.117.ne.jp"},
        {"choice": "program:thunderbird"},
        {"choice": "yes"},
    ):
        assert (await client.post(url, json=body)).status_code == 200
    answer = (await client.post(url, json={"text": "ログインを確認したい"})).json()
    assert any(reply["type"] == "link" for reply in answer["replies"])
    return url


def subscriber_lines(history: dict[str, Any]) -> list[str]:
    return [line["text"] for line in history["messages"] if line["author"] == "subscriber"]


async def test_a_lone_password_after_the_link_is_masked(app: Starlette, tmp_path: Path) -> None:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        url = await at_the_check_link(client)
        answer = (await client.post(url, json={"text": "sakura2008"})).json()
        assert answer["said"] == "********"
        # Told at once not to type it here, as when a password word names it.
        assert "パスワード" in answer["replies"][0]["text"]
        history = (await client.get(url)).json()
        assert subscriber_lines(history)[-1] == "********"
        # The message after that is the subscriber's as typed.
        await client.post(url, json={"text": "2016です"})
        history = (await client.get(url)).json()
        assert subscriber_lines(history)[-1] == "2016です"
    await app.state.runtime.engine.store.close()
    assert not files_holding(tmp_path, b"sakura2008")
    await app.state.runtime.engine.store.open()


async def test_an_ordinary_answer_after_the_link_is_kept(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        url = await at_the_check_link(client)
        for typed in ("はい", "Outlook2019", "わかりました"):
            await client.post(url, json={"text": typed})
            history = (await client.get(url)).json()
            assert subscriber_lines(history)[-1] == typed
