"""A handoff no desk heard of goes back to the bot only while nobody has taken it.

The desks may take many seconds to fail (a webhook's resends, Slack's 5xx), and the console
lists a handoff at once. 佐藤 took it there and answered; then the last desk failed, and the
conversation went to the bot all the same: the subscriber read her answer, then
「担当者におつなぎできませんでした…」, and the bot answered her next words over 佐藤's.
"""

from __future__ import annotations

import asyncio
import json
from pathlib import Path

from bot.desk.handoff import DeskUnavailableError
from bot.desk.summary import HandoffSummary
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import SATO, Chat, client_for, two_agents_settings

FAILED = "おつなぎできませんでした"


class FailingLate:
    """A desk that fails, once the test lets it: after its resends, say."""

    name = "failing-late"

    def __init__(self) -> None:
        self.release = asyncio.Event()
        self.tried: list[str] = []

    def accepts(self, channel: str) -> bool:
        return True

    async def hand_off(self, summary: HandoffSummary) -> None:
        await self.release.wait()
        self.tried.append(summary.key)
        raise DeskUnavailableError("503 three times")


async def test_a_handoff_an_agent_took_meanwhile_stays_theirs_when_no_desk_heard(
    tmp_path: Path,
) -> None:
    app = build_app(two_agents_settings(tmp_path), clock=fixed_clock())
    desk = FailingLate()
    app.state.runtime.handoffs.add(desk)
    async for client in client_for(app):
        taken = await Chat.start(client)
        await taken.send(text="担当者と話したい")
        path = f"/api/agent/conversations/{taken.key}"
        assert (await client.post(f"{path}/take", headers=SATO, json={})).status_code == 200
        body = {"text": "佐藤です。確認いたします"}
        assert (await client.post(f"{path}/messages", headers=SATO, json=body)).is_success
        # Another waits in the queue, untaken: the bot has it back and says how to reach us.
        waiting = await Chat.start(client)
        await waiting.send(text="担当者と話したい")
        desk.release.set()
        await app.state.runtime.tasks.idle()
        assert sorted(desk.tried) == sorted([taken.key, waiting.key])
        read = (await client.get(path, headers=SATO)).json()
        assert (read["owner"], read["agent"]) == ("agent", "佐藤")
        assert FAILED not in json.dumps(await taken.history(), ensure_ascii=False)
        assert FAILED in json.dumps(await waiting.history(), ensure_ascii=False)
        left = (await client.get(f"/api/agent/conversations/{waiting.key}", headers=SATO)).json()
        assert left["owner"] == "bot"
