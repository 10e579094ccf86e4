"""A message left for the desk reaches the Slack agents' channel as a handoff does.

Out of the desk's hours (the profile's desk answers on weekdays; the clock says Sunday
noon), a web chat subscriber leaves a message with a phone number. The agents' channel gets
one message with the worded summary and the message, and 「対応する」 alone (the bot still
answers the subscriber); pressing it takes the chat, and the message follows the owner.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from adapters.slack.desk_actions import CLOSE, GIVE_BACK, TAKE, TRANSFER
from bot.channels.registry import available_factories
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Owner
from bot.store.desk_notices import desk_notices_for
from testbed.clock import IN_WINDOW, fixed_clock
from tests.adapters.slack.test_desk import (
    AGENT_TOKEN,
    AGENTS,
    TYPED_SECRET,
    Chat,
    Desk,
    DeskFake,
    Shown,
    click_payload,
    environ,
    form,
    signed,
)
from tests.adapters.slack.test_desk_relay import ThreadFake, agent_lines, event, send_event
from tests.bot.desk.test_desk_hours import weekday_profile

MESSAGE = "送信できません。03-1234-5678 にお電話ください"
DAY = dt.timedelta(days=1)


@pytest.fixture
async def thread_fake() -> AsyncIterator[ThreadFake]:
    fake = ThreadFake()
    await fake.start()
    try:
        yield fake
    finally:
        await fake.stop()


@pytest.fixture
async def desk(thread_fake: DeskFake, tmp_path: Path) -> AsyncIterator[Desk]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(f"佐藤:{AGENT_TOKEN}",),
        environ=environ(thread_fake.url),
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "slack_desk"))
    app = build_app(settings, clock=fixed_clock(), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Desk(app, thread_fake, client)


async def left_a_message(desk: Desk) -> Chat:
    """A subscriber who asks for a person out of hours and leaves a message (sent twice)."""
    chat = await desk.chat()
    await chat.send(text=f"パスワードは {TYPED_SECRET} です")
    said = await chat.send(text="担当者と話したい")
    assert "受付時間外" in json.dumps(said, ensure_ascii=False)
    await chat.send(choice="desk_message")
    await desk.runtime.tasks.idle()
    assert desk.posts() == []  # no handoff: nobody would answer now
    await chat.send(text=MESSAGE, event_id="e-left")
    await chat.send(text=MESSAGE, event_id="e-left")  # the page's retry
    await desk.runtime.tasks.idle()
    return chat


async def test_a_message_left_is_posted_once_with_the_summary_and_a_take_button(
    desk: Desk,
) -> None:
    chat = await left_a_message(desk)
    (post,) = desk.posts()
    assert post.params["channel"] == AGENTS
    shown = desk.shown()
    words = shown.words()
    assert "【伝言】担当者におつなぎできない間に、お客様が伝言を残した" in words
    assert f"伝言（折り返し先: 03-1234-5678）: {MESSAGE}" in words
    assert "（Webチャット）" in words
    assert f"/agent/#{chat.key}|会話の記録を開く>" in words
    assert "伝言が折り返しを待っています" in words
    assert TYPED_SECRET not in json.dumps(post.params, ensure_ascii=False)
    # The bot still has the chat: it can be taken, there is nothing to give back.
    assert list(shown.buttons()) == [TAKE]
    assert await desk.owner(chat.key) is Owner.BOT


async def test_take_on_a_message_left_takes_the_chat_and_the_thread_reaches_the_subscriber(
    desk: Desk,
) -> None:
    chat = await left_a_message(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    assert await desk.owner(chat.key) is Owner.AGENT
    shown = desk.shown()
    assert "<@U0AGENT1>さんが対応しています。" in shown.words()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    # The agent answers in the thread; the subscriber's words come back into it.
    assert (await send_event(desk, event(desk, "お電話の前に一言だけ", 1))).status_code == 200
    assert [line["reply"]["text"] for line in await agent_lines(chat)] == ["お電話の前に一言だけ"]
    assert await chat.send(text="ありがとうございます") == []


async def test_the_message_follows_a_take_over_in_the_console(desk: Desk) -> None:
    chat = await left_a_message(desk)
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    taken = await desk.client.post(f"/api/agent/conversations/{chat.key}/take", headers=headers)
    assert taken.status_code == 200
    await desk.wait_for_updates(1)
    shown = desk.shown()
    assert "佐藤さんが対応しています。" in shown.words()
    assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]


async def left_another(desk: Desk, chat: Chat, n: int) -> None:
    """The same subscriber leaves one more message (a second 【伝言】 post)."""
    await chat.send(text="担当者と話したい")
    await chat.send(choice="desk_message")
    await chat.send(text=f"まだつながりません（{n}回目）。03-1234-5678", event_id=f"e-left-{n}")
    await desk.runtime.tasks.idle()


def last_shown(desk: Desk, ts: str) -> Shown:
    """A desk post as the agents see it now: its latest update, or as posted."""
    (post,) = [p for p in desk.posts() if str(p.result.get("ts")) == ts]
    updates = [u for u in desk.updates() if u.params["ts"] == ts]
    latest = (updates or [post])[-1]
    return Shown(ts, latest.params["text"], latest.params["blocks"])


async def test_every_message_left_post_follows_a_take_over_in_the_console(desk: Desk) -> None:
    # Two messages left, two 【伝言】 posts. Only the latest followed the owner: the first
    # kept a live 「対応する」 after 佐藤 took the chat in the console.
    chat = await left_a_message(desk)
    await left_another(desk, chat, 2)
    first, second = (str(post.result["ts"]) for post in desk.posts())
    assert first != second
    assert "まだつながりません" not in last_shown(desk, first).words()
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    taken = await desk.client.post(f"/api/agent/conversations/{chat.key}/take", headers=headers)
    assert taken.status_code == 200
    await desk.wait_for_updates(2)
    for ts in (first, second):
        shown = last_shown(desk, ts)
        assert "佐藤さんが対応しています。" in shown.words()
        assert list(shown.buttons()) == [GIVE_BACK, CLOSE, TRANSFER]
    # Each post keeps its own message.
    assert "まだつながりません" not in last_shown(desk, first).words()
    assert "まだつながりません（2回目）" in last_shown(desk, second).words()


async def test_a_take_on_the_latest_post_settles_the_earlier_one(desk: Desk) -> None:
    chat = await left_a_message(desk)
    await left_another(desk, chat, 2)
    first, second = (str(post.result["ts"]) for post in desk.posts())
    shown = last_shown(desk, second)
    body = form(click_payload(shown, TAKE, 1))
    assert (await desk.post(body, signed(body))).status_code == 200
    await desk.fake.wait_for(lambda: {u.params["ts"] for u in desk.updates()} == {first, second})
    assert await desk.owner(chat.key) is Owner.AGENT
    for ts in (first, second):
        assert list(last_shown(desk, ts).buttons()) == [GIVE_BACK, CLOSE, TRANSFER]


async def test_a_message_left_taken_and_given_back_is_shown_dealt_with(desk: Desk) -> None:
    # The bot had the chat before the message was taken: "back with the bot" told the
    # agents nothing about the message, which is what the post is about.
    chat = await left_a_message(desk)
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    url = f"/api/agent/conversations/{chat.key}"
    assert (await desk.client.post(f"{url}/take", headers=headers)).status_code == 200
    await desk.wait_for_updates(1)
    back = await desk.client.post(f"{url}/handback", headers=headers, json={})
    assert back.status_code == 200, back.text
    await desk.wait_for_updates(2)
    shown = desk.shown()
    assert "伝言は対応済みです。" in shown.words()
    assert "すでにボットに戻っています" not in shown.words()
    assert list(shown.buttons()) == []


async def test_a_message_left_slack_refused_is_posted_when_slack_is_back(desk: Desk) -> None:
    # Slack answered 500 to the 【伝言】 post: it was logged and never tried again, so the
    # agents in Slack never heard of the message. Tried again after a wait (here: Slack
    # is back by the end of it), once.
    waited: list[float] = []

    async def wait(seconds: float) -> bool:
        waited.append(seconds)
        desk.fake.post_refusal = None
        return True

    assert desk.runtime.handoffs is not None
    desk.runtime.handoffs.wait = wait
    desk.fake.post_refusal = (500, {"ok": False, "error": "internal_error"})
    chat = await left_a_message(desk)
    assert [post.status for post in desk.posts()] == [500, 200]
    assert len(waited) == 1
    assert (
        f"伝言（折り返し先: 03-1234-5678）: {MESSAGE}"
        in last_shown(desk, str(desk.posts()[-1].result["ts"])).words()
    )
    assert await desk.owner(chat.key) is Owner.BOT


async def test_a_message_taken_while_slack_was_down_is_not_posted_late(desk: Desk) -> None:
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    keys: list[str] = []

    async def wait(seconds: float) -> bool:
        # Meanwhile 佐藤 read it in the console and took the chat.
        desk.fake.post_refusal = None
        (key,) = keys
        url = f"/api/agent/conversations/{key}/take"
        assert (await desk.client.post(url, headers=headers)).status_code == 200
        return True

    assert desk.runtime.handoffs is not None
    desk.runtime.handoffs.wait = wait
    desk.fake.post_refusal = (500, {"ok": False, "error": "internal_error"})
    chat = await desk.chat()
    keys.append(chat.key)
    await chat.send(text="担当者と話したい")
    await chat.send(choice="desk_message")
    await chat.send(text=MESSAGE)
    await desk.runtime.tasks.idle()
    assert [post.status for post in desk.posts()] == [500]
    assert await desk.owner(chat.key) is Owner.AGENT


async def test_a_message_slack_keeps_refusing_is_tried_a_few_times_then_left(desk: Desk) -> None:
    waited: list[float] = []

    async def wait(seconds: float) -> bool:
        waited.append(seconds)
        return True

    assert desk.runtime.handoffs is not None
    desk.runtime.handoffs.wait = wait
    desk.fake.post_refusal = (500, {"ok": False, "error": "internal_error"})
    chat = await left_a_message(desk)
    assert len(desk.posts()) == 1 + len(waited)
    assert len(waited) >= 2
    assert waited == sorted(waited)  # waits longer each time
    assert await desk.owner(chat.key) is Owner.BOT


async def test_a_retry_waiting_for_slack_does_not_hold_a_stopping_server(
    desk: Desk, caplog: pytest.LogCaptureFixture
) -> None:
    # The retry waited 30 s with asyncio.sleep: a server stopping meanwhile waited its
    # whole grace for it, then cancelled it. It stops waiting, and says the desk never heard.
    desk.fake.post_refusal = (500, {"ok": False, "error": "internal_error"})
    chat = await desk.chat()
    await chat.send(text="担当者と話したい")
    await chat.send(choice="desk_message")
    await chat.send(text=MESSAGE)
    with caplog.at_level("INFO"):
        await desk.runtime.tasks.drain(grace=5.0)
    assert not [r for r in caplog.records if "Cancelling" in r.getMessage()]
    # Not given up: kept in the store for the next start or another replica.
    assert [r for r in caplog.records if "left to the next sweep" in r.getMessage()]
    (notice,) = await desk_notices_for(desk.runtime.engine.store).overdue(IN_WINDOW + DAY)
    assert (notice.key, notice.desk, notice.attempt) == (chat.key, "slack_desk", 0)
    assert [post.status for post in desk.posts()] == [500]


@contextlib.asynccontextmanager
async def server(fake: DeskFake, tmp_path: Path, at: dt.datetime) -> AsyncIterator[Desk]:
    """The app on the store in `tmp_path`, its clock at `at`: started, then stopped."""
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        profile_path=weekday_profile(tmp_path),
        agent_tokens=(f"佐藤:{AGENT_TOKEN}",),
        environ=environ(fake.url),
    )
    others = tuple(n for n in available_factories() if n not in ("webchat", "slack_desk"))
    app = build_app(settings, clock=fixed_clock(at), exclude_channels=others)
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(
            transport=httpx.ASGITransport(app=app), base_url="http://mailmove.test"
        ) as client,
    ):
        yield Desk(app, fake, client)
        await app.state.runtime.tasks.drain(grace=5.0)


@pytest.mark.parametrize("posted", [False, True], ids=["refused", "posted-then-500"])
async def test_a_restarted_server_tells_the_desk_it_had_not_told_once(
    thread_fake: ThreadFake, tmp_path: Path, posted: bool
) -> None:
    # Slack answered 500 to the 【伝言】 post (having posted it, or not), and the server
    # stopped before its retry: the retry lived in the process, and the agents in Slack
    # never heard. The next start tells them, once: Slack's channel is read back first.
    thread_fake.fail("slack", "chat.postMessage", status=500, accepted=posted)
    async with server(thread_fake, tmp_path, IN_WINDOW) as first:
        chat = await first.chat()
        await chat.send(text="担当者と話したい")
        await chat.send(choice="desk_message")
        await chat.send(text=MESSAGE)
        await thread_fake.wait_for(lambda: len(first.posts()) == 1)
    async with server(thread_fake, tmp_path, IN_WINDOW + dt.timedelta(minutes=5)) as second:
        store = second.runtime.engine.store
        notices = desk_notices_for(store)
        await thread_fake.wait_for(
            lambda: bool(thread_fake.calls_to("slack", "conversations.history"))
        )
        await thread_fake.wait_for(lambda: len(second.posts()) == (1 if posted else 2))
        await second.runtime.tasks.idle()
        shown = [post for post in second.posts() if post.accepted]
        assert len(shown) == 1
        words = shown[0].params["text"] + json.dumps(shown[0].params["blocks"], ensure_ascii=False)
        assert f"伝言（折り返し先: 03-1234-5678）: {MESSAGE}" in words
        assert await notices.overdue(IN_WINDOW + DAY) == []
        # Its thread is noted, as after a post answered 200: the subscriber's words follow.
        lines = [line.text for line in await store.transcript(chat.key)]
        assert [t for t in lines if t.startswith("slack_desk thread:")] == [
            f"slack_desk thread: {AGENTS} {shown[0].result['ts']}"
        ]
        assert await second.owner(chat.key) is Owner.BOT


async def test_take_on_a_message_left_tells_the_subscriber_once_who_has_them(
    desk: Desk,
) -> None:
    # The bot answered them (a message left is not a handoff): taken silently, their next
    # words got no answer until the agent wrote, and the bot seemed to have died.
    chat = await left_a_message(desk)
    body = form(click_payload(desk.shown(), TAKE, 1))
    assert (await desk.post(body, signed(body))).status_code == 200
    await desk.wait_for_updates(1)
    assert (await desk.post(body, signed(body))).status_code == 200  # Slack's retry
    await desk.runtime.tasks.idle()
    # Named as her words in the thread name her: the Slack member's name, from users.info.
    notice = desk.runtime.catalogs("ja", "desk.taken_from_bot", agent="hanako")
    url = f"/api/webchat/conversations/{chat.id}/messages"
    messages = (await chat.client.get(url)).json()["messages"]
    shown = [m["reply"]["text"] for m in messages if m["author"] == "bot" and "reply" in m]
    assert shown.count(notice) == 1
    assert (await desk.transcript(chat.key)).count(notice) == 1
