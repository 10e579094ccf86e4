"""The desk's closed notice, said to a subscriber while agents have the chat, shows in the mirror.

bfc641e put the bot's notice (nobody answers until the hours begin again) after the words
that brought it in the Slack handoff's thread and, as a private note, in the Chatwoot mirror;
only the thread had a test. The agent who opens the mirror the next morning reads what the
subscriber was promised, as the bot's note (private: Chatwoot would send a public message to
the subscriber a second time), not as the subscriber's words.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from tests.adapters.chatwoot.test_mirror_desk import (
    AGENT,
    INBOX,
    MIRROR,
    WAIT,
    WEBHOOK_TOKEN,
    from_agent,
    handed_off,
    webhook,
)
from tests.adapters.slack.test_desk_closed_notice import NOTE
from tests.bot.desk.test_closed_while_waiting import AFTER_CLOSING, TAKEN, Clock
from tests.bot.desk.test_desk_hours import weekday_profile
from tests.fakes.chatwoot_api import ACCOUNT, API_TOKEN, DESK_IDENTIFIER, FakeChatwoot


@pytest.fixture
def clock() -> Clock:
    return Clock(TAKEN)


@pytest.fixture
async def fake() -> AsyncIterator[FakeChatwoot]:
    fake = FakeChatwoot()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def app(
    fake: FakeChatwoot, clock: Clock, tmp_path: Path, desk_user: str
) -> AsyncIterator[Starlette]:
    environ = {
        "CHATWOOT_URL": fake.url,
        "CHATWOOT_API_TOKEN": API_TOKEN,
        "CHATWOOT_ACCOUNT_ID": ACCOUNT,
        "CHATWOOT_WEBHOOK_TOKEN": WEBHOOK_TOKEN,
        "CHATWOOT_DESK_INBOX_ID": INBOX,
        "CHATWOOT_DESK_INBOX_IDENTIFIER": DESK_IDENTIFIER,
    } | ({"CHATWOOT_DESK_USER_TOKEN": desk_user} if desk_user else {})
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        environ=environ,
        agent_tokens=(AGENT,),
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "chatwoot"))
    app = build_app(settings, clock=clock, exclude_channels=others)
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://mailmove.test") as client:
        yield client


@pytest.mark.parametrize("taken", [False, True], ids=["queue", "agent"])
async def test_the_closed_notice_is_a_private_note_in_the_mirror_after_the_words(
    app: Starlette, client: httpx.AsyncClient, fake: FakeChatwoot, clock: Clock, taken: bool
) -> None:
    subscriber = await handed_off(app, client)
    if taken:
        # A reply in the mirror takes the conversation for its agent.
        assert (
            await webhook(client, from_agent(subscriber.key, "確認します", 1))
        ).status_code == 200
        assert (await subscriber.page())["owner"] == "agent"
    before = len(fake.calls_to("chatwoot", "messages"))
    clock.now = AFTER_CLOSING
    assert await subscriber.say("まだですか") == []
    await fake.wait_for(
        lambda: len(fake.calls_to("chatwoot", "messages")) >= before + 2, seconds=WAIT
    )
    await app.state.runtime.tasks.idle()
    shown = [
        (call.params["conversation"], call.params["content"], bool(call.params.get("private")))
        for call in fake.calls_to("chatwoot", "messages")[before:]
    ]
    # The subscriber's words as theirs, then the bot's notice as a note only agents read.
    assert shown == [(MIRROR, "まだですか", False), (MIRROR, NOTE, True)]
    # Told once: a second message after closing brings no second notice.
    assert await subscriber.say("よろしくお願いします") == []
    await fake.wait_for(
        lambda: len(fake.calls_to("chatwoot", "messages")) >= before + 3, seconds=WAIT
    )
    await app.state.runtime.tasks.idle()
    later = [call.params["content"] for call in fake.calls_to("chatwoot", "messages")[before + 2 :]]
    assert later == ["よろしくお願いします"]
