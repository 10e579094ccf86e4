"""The desk's closed notice, said to a subscriber while agents have the chat, shows in the thread.

Told by the bot that nobody answers until the hours begin again (bot.desk.handoff), the
subscriber's words reached the thread but the bot's did not: the agent who came in the next
morning could not see what the subscriber had been promised.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.slack.desk_actions import TAKE
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from tests.adapters.slack.test_desk import AGENT_TOKEN, Desk, environ, handed_off
from tests.adapters.slack.test_desk_relay import ThreadFake, in_thread
from tests.bot.desk.test_closed_while_waiting import AFTER_CLOSING, TAKEN, Clock
from tests.bot.desk.test_desk_hours import weekday_profile

NOTE = (
    "（ボットからお客様へ）受付時間外のため、次の受付時間に担当者からご連絡する旨をお伝えしました。"
)


@pytest.fixture
def clock() -> Clock:
    return Clock(TAKEN)


@pytest.fixture
async def desk(clock: Clock, tmp_path: Path) -> AsyncIterator[Desk]:
    fake = ThreadFake()
    await fake.start()
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(AGENT_TOKEN,),
        environ=environ(fake.url),
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "slack_desk"))
    app = build_app(settings, clock=clock, exclude_channels=others)
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


@pytest.mark.parametrize("taken", [False, True], ids=["queue", "agent"])
async def test_the_closed_notice_is_shown_in_the_thread_after_the_words(
    desk: Desk, clock: Clock, taken: bool
) -> None:
    chat = await handed_off(desk)
    if taken:
        assert (await desk.click(TAKE, 1)).status_code == 200
        await desk.wait_for_updates(1)
    clock.now = AFTER_CLOSING
    assert await chat.send(text="まだですか") == []
    await desk.fake.wait_for(lambda: len(in_thread(desk)) >= 2, seconds=10)
    await desk.runtime.tasks.idle()
    shown = [call.params["text"] for call in in_thread(desk)]
    assert shown[0].endswith("まだですか")
    # The bot's words, not the subscriber's: no 「お客様: 」 before them.
    assert shown[1:] == [NOTE]
