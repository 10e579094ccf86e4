"""Slack's buttons acting while the console acts on the same conversation.

A button reads the conversation, then writes: the console's take-over or hand-back landing
in between was overwritten. 「ボットに戻す」 after the console had handed it back greeted
the subscriber (and asked the questions) a second time; 「対応する」 after the console took
it made two agents each believe the subscriber theirs. The store here lets the console act
right after the button's read, as a busy desk does now and then.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable
from pathlib import Path

import httpx
import pytest

from adapters.slack.desk_actions import CLOSE, GIVE_BACK, TAKE, TRANSFER
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from tests.adapters.slack.test_desk import AGENT_TOKEN, Desk, DeskFake, environ, handed_off
from tests.adapters.slack.test_desk_relay import agent_lines, event, send_event
from tests.bot.desk.test_agent_api import moving_clock
from tests.fakes.acting_store import ActingBetween

GREETING = "担当者から引き継ぎました"


@pytest.fixture
async def fake() -> AsyncIterator[DeskFake]:
    fake = DeskFake()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def store(tmp_path: Path) -> ActingBetween:
    return ActingBetween(tmp_path / "s.sqlite3")


@pytest.fixture
async def desk(fake: DeskFake, store: ActingBetween) -> AsyncIterator[Desk]:
    settings = Settings(agent_tokens=(AGENT_TOKEN,), environ=environ(fake.url))
    others = tuple(n for n in available_factories() if n not in ("webchat", "slack_desk"))
    app = build_app(settings, clock=moving_clock(), store=store, exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Desk(app, fake, client)


def _console(desk: Desk, key: str, act: str) -> Callable[[], Awaitable[httpx.Response]]:
    async def acting() -> httpx.Response:
        return await desk.client.post(
            f"/api/agent/conversations/{key}/{act}",
            json={},
            headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
        )

    return acting


async def test_give_back_after_the_console_handed_it_back_greets_once(
    desk: Desk, store: ActingBetween
) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    await desk.runtime.tasks.idle()
    store.between = _console(desk, chat.key, "handback")
    assert (await desk.click(GIVE_BACK, 2)).status_code == 200
    await desk.settle()
    assert store.between is None  # the console acted between the button's read and write
    lines = await desk.transcript(chat.key)
    assert len([t for t in lines if t.startswith("handback: ")]) == 1, lines
    assert (await chat.history()).count(GREETING) == 1
    shown = desk.shown()
    assert "この会話はすでにボットに戻っています。" in shown.words()
    assert shown.buttons() == {}


async def test_take_after_the_console_took_it_leaves_it_with_the_console(
    desk: Desk, store: ActingBetween
) -> None:
    chat = await handed_off(desk)
    store.after_transcript = True  # the button read who has it in the transcript: the queue
    store.between = _console(desk, chat.key, "take")
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.settle()
    assert store.between is None
    lines = await desk.transcript(chat.key)
    assert [t for t in lines if t.startswith("taken over by")] == ["taken over by agent"]
    shown = desk.shown()
    assert "agentさんが対応しています。" in shown.words()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]


async def test_a_first_reply_in_the_thread_as_the_console_takes_it_takes_nothing(
    desk: Desk, store: ActingBetween
) -> None:
    # The reply read the conversation as waiting in the queue and, after the console took
    # it, took it too: the transcript named two takers, and the console's agent lost it to
    # a reply that was never meant as a take-over. Slack's replies are not refused, so the
    # words reach the subscriber; the conversation stays the console's.
    chat = await handed_off(desk)
    store.after_transcript = True
    store.between = _console(desk, chat.key, "take")
    assert (await send_event(desk, event(desk, "確認いたします。", 60))).status_code == 200
    await desk.settle()
    assert store.between is None
    lines = await desk.transcript(chat.key)
    assert [t for t in lines if t.startswith("taken over by")] == ["taken over by agent"]
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == ["確認いたします。"]


async def test_a_reply_in_the_thread_as_a_named_agent_takes_it_is_refused(
    desk: Desk, store: ActingBetween
) -> None:
    # As above, but 佐藤 (a named console agent) takes it as the reply is read: the words
    # joined hers, a second agent's beside her answers. Refused, as a reply a moment later.
    chat = await handed_off(desk)

    async def sato_takes() -> httpx.Response:
        return await desk.client.post(
            f"/api/agent/conversations/{chat.key}/take",
            json={"agent": "佐藤"},
            headers={"Authorization": f"Bearer {AGENT_TOKEN}"},
        )

    store.after_transcript = True
    store.between = sato_takes
    assert (await send_event(desk, event(desk, "確認いたします。", 61))).status_code == 200
    await desk.settle()
    assert store.between is None
    lines = await desk.transcript(chat.key)
    assert [t for t in lines if t.startswith("taken over by")] == ["taken over by 佐藤"]
    assert await agent_lines(chat) == []
