"""The Slack desk relays a long conversation's words without reading its transcript.

The thread the words go to is noted at the handoff, which a conversation with an agent
leaves far behind; the cost is counted in transcript lines read, never timed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.slack.desk_actions import TAKE
from bot.channels.registry import available_factories
from bot.engine import MAX_TRANSCRIPT_LINES
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, TranscriptEntry
from testbed.clock import IN_WINDOW, fixed_clock
from tests.adapters.slack.test_desk import AGENT_TOKEN, Desk, environ, handed_off
from tests.adapters.slack.test_desk_relay import ThreadFake, in_thread
from tests.fakes.counting_store import CountingStore

# Far behind the handoff, and short of the cap (past it nothing more is kept).
LINES = MAX_TRANSCRIPT_LINES - 100


@pytest.fixture
async def store(tmp_path: Path) -> CountingStore:
    return CountingStore(tmp_path / "s.sqlite3")


@pytest.fixture
async def desk(store: CountingStore) -> AsyncIterator[Desk]:
    fake = ThreadFake()
    await fake.start()
    settings = Settings(agent_tokens=(AGENT_TOKEN,), environ=environ(fake.url))
    others = tuple(n for n in available_factories() if n not in ("webchat", "slack_desk"))
    app = build_app(settings, clock=fixed_clock(), store=store, exclude_channels=others)
    try:
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(
                transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
            ) as client,
        ):
            yield Desk(app, fake, client)
    finally:
        await fake.stop()


async def test_a_long_conversations_words_reach_the_thread_without_reading_it(
    desk: Desk, store: CountingStore
) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    said = TranscriptEntry(IN_WINDOW, "subscriber", "まだ送れません")
    words = TranscriptEntry(IN_WINDOW, "agent", "お試しください。", {"agent": "taro"})

    def more(stored: ConversationRecord | None) -> Change[None] | None:
        assert stored is not None
        return Change(stored, [said, words] * (LINES // 2), None)

    await store.transact(chat.key, None, more)
    store.lines_read = 0
    await chat.send(text="まだ送信できません")
    await desk.fake.wait_for(lambda: bool(in_thread(desk)), seconds=10)
    await desk.runtime.tasks.idle()
    assert "まだ送信できません" in in_thread(desk)[-1].params["text"]
    assert store.lines_read < 50
