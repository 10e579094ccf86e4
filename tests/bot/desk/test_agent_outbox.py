"""An agent's message a killed process left between its stored line and the platform.

The line is stored (201) and the send starts; the process dies (SIGKILL, out of memory)
before the platform answers. Nothing marked it: the console showed it as sent, and the
agent believed the subscriber had it. The next start marks it as possibly not arrived, with
the console's 「もう一度送る」; a message the platform took leaves nothing behind.
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from pathlib import Path

import httpx
from starlette.applications import Starlette

from bot.delivery import STOPPED
from bot.desk.agent_messages import OUTBOX, OUTBOX_LEASE
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.desk_notices import desk_notices_for
from dialogs.vocabulary import Reply
from testbed.clock import IN_WINDOW, fixed_clock
from tests.bot.desk.test_agent_api import Chat, client_for

SATO = "sato-token-0123456789"
AS_SATO = {"Authorization": f"Bearer {SATO}"}


class _HeldPlatform:
    """The web chat's sender, held in the platform call as a killed process leaves it."""

    name = "webchat"

    def __init__(self) -> None:
        self.called = asyncio.Event()
        self.release = asyncio.Event()

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        self.called.set()
        await self.release.wait()


def _settings(tmp_path: Path) -> Settings:
    return Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{SATO}",))


async def _transcript(app: Starlette, key: str) -> list[dict[str, object]]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        read = await client.get(f"/api/agent/conversations/{key}", headers=AS_SATO)
    lines: list[dict[str, object]] = read.json()["transcript"]
    return lines


async def test_the_next_start_marks_a_message_a_killed_process_was_sending(
    tmp_path: Path,
) -> None:
    first = build_app(_settings(tmp_path), clock=fixed_clock())
    platform = _HeldPlatform()
    first.state.runtime.delivery.register(platform)
    async for client in client_for(first):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AS_SATO)).status_code == 200
        posted = await client.post(
            f"{url}/messages", headers=AS_SATO, json={"text": "設定を確認いたします。"}
        )
        assert posted.status_code == 201
        seq = posted.json()["seq"]
        await platform.called.wait()
        # The process dies here: nothing after this line of the first server runs.
        second = build_app(_settings(tmp_path), clock=fixed_clock(IN_WINDOW))
        async with second.router.lifespan_context(second):
            lines = await _transcript(second, chat.key)
            assert (
                await desk_notices_for(second.state.runtime.engine.store, OUTBOX).overdue(
                    IN_WINDOW + OUTBOX_LEASE * 2
                )
                == []
            )
        platform.release.set()
        await first.state.runtime.tasks.idle()
    agent = next(line for line in lines if line["seq"] == seq)
    assert agent.get("delivery") == "may_have_arrived"
    notes = [line.get("note") for line in lines if line["author"] == "system"]
    assert {
        "type": "undelivered",
        "seq": seq,
        "by": "agent",
        "may_have_arrived": True,
        "reason": STOPPED,
        "cause": None,
    } in notes


async def test_a_message_the_platform_took_leaves_nothing_pending(tmp_path: Path) -> None:
    first = build_app(_settings(tmp_path), clock=fixed_clock())
    async for client in client_for(first):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        await client.post(f"{url}/take", headers=AS_SATO)
        posted = await client.post(f"{url}/messages", headers=AS_SATO, json={"text": "こんにちは"})
        assert posted.status_code == 201
        await first.state.runtime.tasks.idle()
        outbox = desk_notices_for(first.state.runtime.engine.store, OUTBOX)
        assert await outbox.overdue(IN_WINDOW + OUTBOX_LEASE * 2) == []
        second = build_app(_settings(tmp_path), clock=fixed_clock(IN_WINDOW))
        async with second.router.lifespan_context(second):
            lines = await _transcript(second, chat.key)
    assert not any(line["author"] == "system" and line.get("note") for line in lines)
    assert next(line for line in lines if line["seq"] == posted.json()["seq"]).get("delivery") in (
        None,
        "delivered",
    )
