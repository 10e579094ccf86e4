"""A long conversation's words reach its Chatwoot mirror without reading its transcript.

The mirror is noted at the handoff, which a conversation with an agent leaves far behind;
the cost is counted in transcript lines read, never timed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.registry import available_factories
from bot.engine import MAX_TRANSCRIPT_LINES
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, TranscriptEntry
from testbed.clock import IN_WINDOW, fixed_clock
from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    INBOX,
    MIRROR,
    WEBHOOK_TOKEN,
    handed_off,
)
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, FakeChatwoot
from tests.fakes.counting_store import CountingStore

# Far behind the handoff, and short of the cap (past it nothing more is kept).
LINES = MAX_TRANSCRIPT_LINES - 100


@pytest.fixture
async def store(tmp_path: Path) -> CountingStore:
    return CountingStore(tmp_path / "s.sqlite3")


@pytest.fixture
async def app(store: CountingStore) -> AsyncIterator[Starlette]:
    fake = FakeChatwoot()
    await fake.start()
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
    }
    settings = Settings(environ=environ, agent_tokens=(AGENT,))
    others = tuple(n for n in available_factories() if n not in ("webchat", "chatwoot"))
    app = build_app(settings, clock=fixed_clock(), store=store, exclude_channels=others)
    app.state.fake = fake
    try:
        async with app.router.lifespan_context(app):
            yield app
    finally:
        await fake.stop()


async def test_a_long_conversations_words_reach_the_mirror_without_reading_it(
    app: Starlette, store: CountingStore
) -> None:
    fake: FakeChatwoot = app.state.fake
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:
        subscriber = await handed_off(app, client)
        said = TranscriptEntry(IN_WINDOW, "subscriber", "まだ送れません")

        def more(stored: ConversationRecord | None) -> Change[None] | None:
            assert stored is not None
            return Change(stored, [said] * LINES, None)

        await store.transact(subscriber.key, None, more)
        store.lines_read = 0
        assert await subscriber.say("まだ届きません") == []
        await app.state.runtime.tasks.idle()
    relayed = fake.messages()[-1]
    assert (relayed["conversation"], relayed["content"]) == (MIRROR, "まだ届きません")
    assert store.lines_read < 50
