"""An agent who replies in the Slack handoff's thread learns there when it did not arrive.

The subscriber writes on Telegram; the agent answers in the agents' channel's thread. When
Telegram does not take the message (the subscriber blocked the bot: 403), the console marks
it 「届いていません」 with a button to send it again, but the agent in Slack, who never
opens the console, was told nothing and took the subscriber for silent.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.adapters.slack.test_desk import AGENT_TOKEN, Desk, environ
from tests.adapters.slack.test_desk_relay import ThreadFake, event, in_thread, send_event
from tests.adapters.telegram.test_channel import (
    CHAT,
    SECRET,
    TOKEN,
    text_update,
    webhook_request,
)

REPLY = "佐藤です。設定画面を一緒に確認しましょう。"


@pytest.fixture
async def thread_fake() -> AsyncIterator[ThreadFake]:
    fake = ThreadFake()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def desk(thread_fake: ThreadFake, tmp_path: Path) -> AsyncIterator[Desk]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(AGENT_TOKEN,),
        environ={
            **environ(thread_fake.url),
            "TELEGRAM_BOT_TOKEN": TOKEN,
            "TELEGRAM_WEBHOOK_SECRET": SECRET,
            "TELEGRAM_API_URL": f"{thread_fake.url}/telegram",
        },
    )
    wanted = ("telegram", "slack_desk")
    others = tuple(n for n in available_factories() if n not in wanted)
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Desk(app, thread_fake, client)


async def handed_off_on_telegram(desk: Desk) -> None:
    for n, text in enumerate(("こんにちは", "担当者と話したい"), start=1):
        request = webhook_request(text_update(text, n))
        answer = await desk.client.post(request.path, content=request.body, headers=request.headers)
        assert answer.status_code == 200
        await desk.runtime.tasks.idle()
    assert desk.fake.calls_to("slack", "chat.postMessage")


def thread_words(desk: Desk) -> list[str]:
    return [str(call.params.get("text", "")) for call in in_thread(desk)]


async def test_a_reply_telegram_refused_is_said_in_the_thread(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    desk.fake.fail("telegram", "sendMessage", status=403)
    assert (await send_event(desk, event(desk, REPLY, 1))).status_code == 200
    await desk.runtime.tasks.idle()
    assert desk.fake.calls_to("telegram", "sendMessage", status=403)
    said = thread_words(desk)
    assert any("届いていません" in words for words in said), said
    # Where to send it again: the conversation in the console.
    assert any("/agent/#telegram:" in words for words in said), said


async def test_a_reply_to_a_subscriber_who_blocked_the_bot_says_a_resend_will_not_help(
    desk: Desk,
) -> None:
    # The thread pointed at 「もう一度送る」, which a blocked bot refuses the same way: the agent
    # sent again, and again, instead of calling the subscriber.
    await handed_off_on_telegram(desk)
    desk.fake.telegram_blocked.add(CHAT)
    assert (await send_event(desk, event(desk, REPLY, 1))).status_code == 200
    await desk.runtime.tasks.idle()
    (told,) = [words for words in thread_words(desk) if "届いていません" in words]
    assert "ブロック" in told
    assert "もう一度送っても届きません" in told
    assert "「もう一度送る」" not in told


async def test_a_reply_that_arrived_says_nothing_more_in_the_thread(desk: Desk) -> None:
    await handed_off_on_telegram(desk)
    before = len(thread_words(desk))
    assert (await send_event(desk, event(desk, REPLY, 1))).status_code == 200
    await desk.runtime.tasks.idle()
    assert any(
        REPLY in str(c.params.get("text")) for c in desk.fake.calls_to("telegram", "sendMessage")
    )
    assert len(thread_words(desk)) == before


async def test_a_hand_back_greeting_to_a_subscriber_who_blocked_the_bot_is_said_in_the_thread(
    desk: Desk,
) -> None:
    # The agent hands back in the console; the subscriber has blocked the bot since. The
    # greeting was stored as said, and the thread, where the desk follows the conversation,
    # said nothing: no agent learnt that the subscriber heard nothing more.
    await handed_off_on_telegram(desk)
    key = f"/api/agent/conversations/telegram:{CHAT}"
    bearer = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    taken = await desk.client.post(f"{key}/take", headers=bearer, json={"agent": "佐藤"})
    assert taken.status_code == 200, taken.text
    await desk.runtime.tasks.idle()
    desk.fake.telegram_blocked.add(CHAT)
    back = await desk.client.post(f"{key}/handback", headers=bearer, json={"agent": "佐藤"})
    assert back.status_code == 200, back.text
    await desk.runtime.tasks.idle()
    # Refused once, never again: a 403 is final.
    assert len(desk.fake.calls_to("telegram", "sendMessage", status=403)) == 1
    said = thread_words(desk)
    told = [words for words in said if "ボットからお客様へのメッセージが届いていません" in words]
    assert len(told) == 1, said
    assert "bot was blocked by the user" in told[0]
