"""The console's poll of the open conversation costs nothing while nothing changed.

The console reads the open conversation every few seconds, whole; at 5,000 lines that is
about 30-45 ms of CPU each time. The read carries an ETag (the record and the transcript's
latest line); asked again with it (`If-None-Match`), an unchanged conversation is 304,
read from its record and latest line only.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

from bot.engine import MAX_TRANSCRIPT_LINES
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
from testbed.clock import IN_WINDOW, fixed_clock
from tests.bot.desk.test_agent_api import Chat, client_for
from tests.bot.desk.test_long_conversations_listed import AGENT, TOKEN, Counted, taking_turns


async def test_an_unchanged_conversation_is_not_read_again(tmp_path: Path) -> None:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{TOKEN}",)
    )
    app = build_app(settings, clock=fixed_clock())
    async for client in client_for(app):
        observed = app.state.runtime.engine.store
        chat = await Chat.start(client)

        def held(stored: ConversationRecord | None) -> Change[None] | None:
            assert stored is not None
            taken = TranscriptEntry(IN_WINDOW, "system", "taken over by 佐藤", {"agent": "佐藤"})
            # As long as a transcript may be, nearly: past it nothing is answered.
            lines = [taken, *taking_turns(MAX_TRANSCRIPT_LINES - 100)]
            return Change(dataclasses.replace(stored, owner=Owner.AGENT), lines, None)

        await observed.transact(chat.key, None, held)
        url = f"/api/agent/conversations/{chat.key}"
        first = await client.get(url, headers=AGENT)
        assert first.status_code == 200
        tag = first.headers["etag"]
        # A validator, not a copy: the transcript is still never stored by a cache.
        assert first.headers["cache-control"] == "no-store"

        counted = Counted(observed.inner)
        observed.inner = counted
        try:
            again = await client.get(url, headers={**AGENT, "If-None-Match": tag})
        finally:
            observed.inner = counted.inner
        assert again.status_code == 304
        assert again.headers["etag"] == tag
        assert counted.lines <= 1

        await chat.send(text="まだ送れません")
        changed = await client.get(url, headers={**AGENT, "If-None-Match": tag})
        assert changed.status_code == 200
        assert changed.headers["etag"] != tag
        assert changed.json()["transcript"][-1]["text"] == "まだ送れません"

        # A hand-back changes the record and the lines: read again, with the bot's words.
        back = await client.post(f"{url}/handback", headers=AGENT, json={})
        assert back.status_code == 200
        after = await client.get(url, headers={**AGENT, "If-None-Match": changed.headers["etag"]})
        assert after.status_code == 200
        assert after.json()["owner"] == "bot"


async def test_a_star_or_a_list_holding_the_tag_is_unchanged(tmp_path: Path) -> None:
    """RFC 9110 §13.1.2: `*` matches any current version; a list matches by any member,
    compared weakly (a `W/` prefix, as a proxy may add, still names the same version)."""
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{TOKEN}",)
    )
    app = build_app(settings, clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        tag = (await client.get(url, headers=AGENT)).headers["etag"]
        for sent in ("*", f'"other", {tag}', f'"a","b",{tag} ', f"W/{tag}", f'"x", W/{tag}'):
            again = await client.get(url, headers={**AGENT, "If-None-Match": sent})
            assert again.status_code == 304, sent
            assert again.headers["etag"] == tag
        for sent in ('"other"', '"a", "b"', "", tag.strip('"')):
            read = await client.get(url, headers={**AGENT, "If-None-Match": sent})
            assert read.status_code == 200, sent
