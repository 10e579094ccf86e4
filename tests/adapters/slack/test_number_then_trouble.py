"""A way to call back typed alone, then the trouble the chat asks for: one 【伝言】 at the desk.

Under the offer to take a message, a phone number with nothing else is kept at once (the
console lists it) and the chat asks what the trouble is. The desks were told at once too, and
again with the trouble: two 【伝言】 posts in the agents' channel for one message, the first
with no trouble in it. The desks' notice now waits a while for the trouble (kept in the
store, so a restart or another replica still sends it): the trouble sends one post with the
number to call; a subscriber who writes no more is posted with the number alone.
"""

from __future__ import annotations

import asyncio

from tests.adapters.slack.test_desk import Chat, Desk
from tests.adapters.slack.test_desk_message_left import desk, thread_fake

__all__ = ["desk", "thread_fake"]

NUMBER = "電話番号は090-1234-5678です"
# Ample for the desk's task to reach its wait; a failure's guard, no synchronisation.
REACHED_WITHIN = 10.0
TROUBLE = "メールが送れません"


class HeldWait:
    """The desk's waits, which end when the test says (the server is not stopping)."""

    def __init__(self) -> None:
        self.asked: list[float] = []
        self.reached = asyncio.Event()
        self.over = asyncio.Event()

    async def __call__(self, seconds: float) -> bool:
        self.asked.append(seconds)
        self.reached.set()
        await self.over.wait()
        return True


def fields(desk: Desk) -> list[str]:
    return [
        field["text"]
        for post in desk.posts()
        for block in post.params["blocks"]
        for field in block.get("fields", [])
    ]


async def number_alone(desk: Desk, wait: HeldWait) -> Chat:
    """A subscriber out of hours who leaves a number alone; the desk's notice is held."""
    assert desk.runtime.handoffs is not None
    desk.runtime.handoffs.wait = wait
    chat = await desk.chat()
    await chat.send(text="担当者と話したい")
    await chat.send(choice="desk_message")
    await chat.send(text=NUMBER)
    # Before, the desk was told at once and nothing waited.
    await asyncio.wait_for(wait.reached.wait(), REACHED_WITHIN)
    assert desk.posts() == []
    return chat


async def test_the_trouble_after_a_number_alone_is_one_post_with_the_number(desk: Desk) -> None:
    wait = HeldWait()
    chat = await number_alone(desk, wait)
    await chat.send(text=TROUBLE)
    # Told at once with the trouble; the held notice, when its wait ends, is no more.
    await desk.fake.wait_for(lambda: len(desk.posts()) == 1)
    wait.over.set()
    await desk.runtime.tasks.idle()
    assert len(desk.posts()) == 1
    assert f"伝言（折り返し先: 090-1234-5678）: {TROUBLE}" in fields(desk)
    # Held for the trouble long enough to type a line, not the 30 s of a retry.
    assert wait.asked[0] >= 120


async def test_a_number_alone_with_nothing_after_it_is_posted_after_the_wait(
    desk: Desk,
) -> None:
    wait = HeldWait()
    await number_alone(desk, wait)
    wait.over.set()
    await desk.runtime.tasks.idle()
    assert len(desk.posts()) == 1
    assert f"伝言（折り返し先: 090-1234-5678）: {NUMBER}" in fields(desk)
