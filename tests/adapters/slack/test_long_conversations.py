"""A long Slack conversation is answered without reading its transcript on every turn.

Where a DM is answered (its latest place noted) and who started a channel's thread are
single lines found from the transcript's end inside the store; the cost is counted in
transcript lines read, never timed.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.slack.channel import dm_place_line
from bot.server import build_app
from bot.store.conversation_store import (
    Change,
    ConversationRecord,
    Owner,
    TranscriptEntry,
    record_key,
)
from dialogs.state import DialogState
from testbed.clock import IN_WINDOW, fixed_clock
from tests.adapters.channel_contract import Harness, SignedRequest, all_but
from tests.adapters.slack import test_channel as slack_tests
from tests.fakes.counting_store import CountingStore
from tests.fakes.platform_api import SLACK_TEAM, running_fake

LINES = 2000
THREAD = "1212345000.000100"


@pytest.fixture
async def harness(tmp_path: Path) -> AsyncIterator[Harness]:
    async with running_fake() as fake:
        store = CountingStore(tmp_path / "conversations.sqlite3")
        settings = slack_tests.TestSlackChannel().settings(fake.url)
        app = build_app(
            settings, clock=fixed_clock(), store=store, exclude_channels=all_but("slack")
        )
        transport = httpx.ASGITransport(app=app)
        async with (
            app.router.lifespan_context(app),
            httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client,
        ):
            yield Harness(app, fake, store, client)


async def _conversation(store: CountingStore, key: str, lines: list[TranscriptEntry]) -> None:
    record = ConversationRecord(key, "slack", Owner.BOT, DialogState(), IN_WINDOW, IN_WINDOW)
    await store.transact(key, None, lambda _: Change(record, lines, None))


async def test_a_long_dm_is_answered_where_it_is_written_without_reading_it(
    harness: Harness,
) -> None:
    def dm(text: str, n: int) -> SignedRequest:
        return slack_tests.event_request(slack_tests.message_event("message_im", text, n))

    key = record_key("slack", f"{SLACK_TEAM}:{slack_tests.DM}")
    said = TranscriptEntry(IN_WINDOW, "subscriber", "まだ送れません")
    noted = TranscriptEntry(IN_WINDOW, "system", dm_place_line(THREAD))
    store = harness.store
    assert isinstance(store, CountingStore)
    await _conversation(store, key, [noted, *[said] * LINES])
    store.lines_read = 0
    response = await harness.post(dm("こんにちは", 2))  # at the top level, not in THREAD
    assert response.status_code == 200, response.text
    await harness.settle()
    assert store.lines_read < 50
    answers = harness.fake.calls_to("slack", "chat.postMessage")
    assert answers
    assert {call.params.get("thread_ts") for call in answers} == {None}
    latest = (await store.transcript(key, last=LINES))[::-1]
    place = next(line.text for line in latest if line.text.startswith("slack dm: "))
    assert place == dm_place_line(None)
