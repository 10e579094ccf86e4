"""The member who has a conversation ends it from the agents' channel: 「終了する」.

An agent in Slack could only give a conversation back: the bot then greeted a subscriber
whose question the agent had answered, and asked its next question. 「終了する」 ends it as
the console's 「終了」 does: the subscriber is asked 「解決しましたか？」 once, the message
says who closed it and offers nothing more. Pressed by another member, nothing changes and
the thread says who has it.
"""

from __future__ import annotations

import asyncio
import json
from typing import Any

from adapters.slack.desk_actions import CLOSE, TAKE
from bot.store.conversation_store import Owner
from tests.adapters.slack.test_desk import (
    ADDRESS,
    TYPED_SECRET,
    WAIT,
    Desk,
    click_payload,
    desk,
    fake,
    form,
    handed_off,
    signed,
)

__all__ = ["desk", "fake"]  # the fixtures this module uses

ASKED = "解決しましたか？"


async def test_the_member_who_has_it_closes_it_and_the_subscriber_is_asked_once(
    desk: Desk,
) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    first, second = await asyncio.gather(desk.click(CLOSE, 2), desk.click(CLOSE, 3))
    assert (first.status_code, second.status_code) == (200, 200)
    await desk.wait_for_updates(2)
    await desk.settle()
    assert await desk.owner(chat.key) is Owner.CLOSED
    shown = desk.shown()
    assert "<@U0AGENT1>さんが終了しました。" in shown.words()
    assert list(shown.buttons()) == []
    assert (await chat.history()).count(ASKED) == 1
    assert "担当者から引き継ぎました" not in await chat.history()
    assert [t for t in await desk.transcript(chat.key) if t.startswith("closed by")] == [
        "closed by hanako (Slack U0AGENT1)"
    ]


async def test_another_members_close_ends_nothing(desk: Desk) -> None:
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    payload: dict[str, Any] = click_payload(desk.shown(), CLOSE, 2)
    payload["user"].update(id="U0AGENT3", username="u0agent3", name="u0agent3")
    before = len(desk.posts())
    body = form(payload)
    assert (await desk.post(body, signed(body))).status_code == 200
    await desk.fake.wait_for(lambda: len(desk.posts()) > before, seconds=WAIT)
    await desk.settle()
    said = desk.posts()[-1].params["text"]
    assert "hanakoさんが対応中のため、終了していません。" in said, said
    assert await desk.owner(chat.key) is Owner.AGENT
    assert ASKED not in await chat.history()


async def test_not_solved_after_the_close_reaches_the_desk_with_the_facts(desk: Desk) -> None:
    # The next message after a close starts afresh: 「まだです」 under its 「解決しましたか？」
    # came to the agents' channel as 「メールアドレス: 不明」, the answers and program 不明 too.
    chat = await handed_off(desk)
    assert (await desk.click(TAKE, 1)).status_code == 200
    await desk.wait_for_updates(1)
    assert (await desk.click(CLOSE, 2)).status_code == 200
    await desk.wait_for_updates(2)
    await desk.settle()
    await chat.send(text="まだです")
    await desk.runtime.tasks.idle()
    await desk.settle()
    posted = [c for c in desk.posts() if "thread_ts" not in c.params]
    words = json.dumps(posted[-1].params["blocks"], ensure_ascii=False)
    assert "終了後" in words or "解決しない" in words, words
    assert f"メールアドレス: {ADDRESS}" in words, words
    assert "メールソフト: 不明" not in words
    assert "質問への回答: 不明" not in words
    assert TYPED_SECRET not in words
