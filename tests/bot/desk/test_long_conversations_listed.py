"""The desk's list of a person's long conversation reads its latest lines, not all of them.

The console asks for the list every 2 s; each conversation a person has was read whole for
who has it, why it was HANDED over and the subscriber's latest words, so a list cost the
length of every conversation in it. Its handoff is far back: found through the store's
index (`latest_line`), not by reading the lines between.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.transcript_tail import TAIL_LINES
from testbed.clock import IN_WINDOW, fixed_clock
from tests.bot.desk.test_agent_api import Chat, client_for

TOKEN = "sato-token-0123456789"
AGENT = {"Authorization": f"Bearer {TOKEN}"}
HANDED = IN_WINDOW.replace(minute=5)


class Counted:
    """The lines every transcript read of the store it wraps returned."""

    def __init__(self, inner: Any) -> None:
        self.inner = inner
        self.lines = 0

    def __getattr__(self, name: str) -> Any:
        return getattr(self.inner, name)

    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        lines: list[TranscriptEntry] = await self.inner.transcript(key, after=after, last=last)
        self.lines += len(lines)
        return lines


def subscriber(n: int) -> TranscriptEntry:
    return TranscriptEntry(IN_WINDOW, "subscriber", f"送れません {n}")


def agent(n: int) -> TranscriptEntry:
    return TranscriptEntry(IN_WINDOW, "agent", f"確認します {n}", {"agent": "佐藤"})


def taking_turns(count: int) -> list[TranscriptEntry]:
    return [subscriber(n) if n % 2 == 0 else agent(n) for n in range(count)]


@pytest.mark.parametrize(
    ("lines", "said", "most"),
    [
        # A subscriber and an agent taking turns: all the list needs is in the latest lines.
        (
            taking_turns(3000),
            ["送れません 2994", "送れません 2996", "送れません 2998"],
            2 * TAIL_LINES,
        ),
        # The agent wrote on and on since the subscriber's last words: read further back.
        (
            [subscriber(1), subscriber(2), subscriber(3), *(agent(n) for n in range(400))],
            ["送れません 1", "送れません 2", "送れません 3"],
            None,
        ),
    ],
    ids=["turns", "agent-wrote-on"],
)
async def test_a_persons_long_conversation_is_listed_from_its_latest_lines(
    lines: list[TranscriptEntry], said: list[str], most: int | None, tmp_path: Path
) -> None:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{TOKEN}",)
    )
    app = build_app(settings, clock=fixed_clock())
    async for client in client_for(app):
        observed = app.state.runtime.engine.store
        chat = await Chat.start(client)

        def held(stored: ConversationRecord | None) -> Change[None] | None:
            assert stored is not None
            record = dataclasses.replace(stored, owner=Owner.AGENT)
            begun = [
                TranscriptEntry(HANDED, "system", "handoff: still_broken"),
                TranscriptEntry(HANDED, "system", "taken over by 佐藤", {"agent": "佐藤"}),
            ]
            return Change(record, [*begun, *lines], None)

        await observed.transact(chat.key, None, held)
        counted = Counted(observed.inner)
        observed.inner = counted
        try:
            listed = await client.get("/api/agent/conversations", headers=AGENT)
        finally:
            observed.inner = counted.inner
        (row,) = listed.json()["conversations"]
        assert (row["holder"], row["agent"]) == ("agent", "佐藤")
        assert (row["reason"], row["waiting_since"]) == ("still_broken", HANDED.isoformat())
        assert row["said"] == said
        if most is not None:
            assert counted.lines <= most
