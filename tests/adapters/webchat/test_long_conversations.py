"""A poll of a long conversation reads the latest lines, not the conversation's length.

The page polls every half second while an agent writes, and a stubborn problem runs to
thousands of lines. The cost is counted in transcript lines read, never timed.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.transcript_tail import TAIL_LINES
from testbed.clock import IN_WINDOW, fixed_clock
from tests.fakes.counting_store import CountingStore

LINES = 2000


def _agent_words(name: str) -> TranscriptEntry:
    return TranscriptEntry(IN_WINDOW, "agent", "もう一度お試しください。", {"agent": name})


async def test_a_poll_of_an_agents_long_conversation_reads_its_latest_lines(
    tmp_path: Path,
) -> None:
    store = CountingStore(tmp_path / "s.sqlite3")
    app = build_app(Settings(), clock=fixed_clock(), store=store)
    await store.open()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://w") as client:
            created = (await client.post("/api/webchat/conversations", json={})).json()
            key = key_of(created["conversation_id"])
            taken = TranscriptEntry(IN_WINDOW, "system", "taken over by 佐藤", {"agent": "佐藤"})
            said = TranscriptEntry(IN_WINDOW, "subscriber", "まだ送れません")
            lines = [taken, *[said, _agent_words("佐藤")] * (LINES // 2), said, said]

            def held(stored: ConversationRecord | None) -> Change[None] | None:
                assert stored is not None
                return Change(dataclasses.replace(stored, owner=Owner.AGENT), lines, None)

            await store.transact(key, None, held)
            newest = len(await store.transcript(key))
            store.lines_read = 0
            url = f"/api/webchat/conversations/{created['conversation_id']}/messages"
            body = (await client.get(url, params={"after": newest})).json()
            assert (body["owner"], body["agent"], body["messages"]) == ("agent", "佐藤", [])
            assert store.lines_read <= TAIL_LINES
    finally:
        await store.close()
