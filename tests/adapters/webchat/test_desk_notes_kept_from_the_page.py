"""The desks' notes in a conversation are not the subscriber's to read.

`system` lines say who took the conversation and where (an agent's Slack member id), why it
was handed over, which sender wrote: notes for support agents. The page draws none of them,
yet the history API served their words to anyone holding the conversation id. It keeps their
place (the line numbers run without gaps, and the page counts by them) and not their words.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import httpx

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from bot.store.sqlite_store import SQLiteStore
from testbed.clock import IN_WINDOW, fixed_clock

_NOTE = "taken over by 佐藤 (Slack U0AGENT1)"


async def test_a_take_over_note_reaches_the_page_without_its_words(tmp_path: Path) -> None:
    store = SQLiteStore(tmp_path / "s.sqlite3")
    app = build_app(Settings(), clock=fixed_clock(), store=store)
    await store.open()
    try:
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://w") as client:
            created = (await client.post("/api/webchat/conversations", json={})).json()
            key = key_of(created["conversation_id"])
            taken = TranscriptEntry(
                IN_WINDOW, "system", _NOTE, {"type": "take_over", "agent": "佐藤 (Slack U0AGENT1)"}
            )
            words = TranscriptEntry(IN_WINDOW, "agent", "担当の佐藤です。", {"agent": "佐藤"})

            def held(stored: ConversationRecord | None) -> Change[None] | None:
                assert stored is not None
                return Change(dataclasses.replace(stored, owner=Owner.AGENT), [taken, words], None)

            await store.transact(key, None, held)
            url = f"/api/webchat/conversations/{created['conversation_id']}/messages"
            response = await client.get(url)
    finally:
        await store.close()

    assert response.status_code == 200
    assert "U0AGENT1" not in response.text
    assert "taken over" not in response.text
    messages = response.json()["messages"]
    seqs = [line["seq"] for line in messages]
    assert seqs == list(range(1, len(messages) + 1))
    notes = [line for line in messages if line["author"] == "system"]
    assert notes
    assert all(set(line) == {"seq", "author", "at", "text"} for line in notes)
    assert all(line["text"] == "" for line in notes)
    assert messages[-1]["author"] == "agent"
    assert messages[-1]["agent"] == "佐藤"
