"""Sends to one conversation run in the order their places were taken, whatever happens to them."""

from __future__ import annotations

import asyncio
from collections.abc import Coroutine, Sequence
from typing import Any

import pytest

from bot.delivery import Delivery, InOrder, Place
from bot.ops.background import BackgroundTasks
from dialogs.vocabulary import Reply, TextReply


async def test_places_run_in_the_order_taken_not_the_order_started() -> None:
    in_order = InOrder()
    ran: list[str] = []
    first, second = in_order.place("k"), in_order.place("k")

    async def work(name: str, place: Place) -> None:
        async with place:
            ran.append(name)
            await asyncio.sleep(0)

    # The second is started first: it still waits for the first place.
    later = asyncio.create_task(work("second", second))
    await asyncio.sleep(0)
    assert ran == []
    await work("first", first)
    await later
    assert ran == ["first", "second"]
    assert len(in_order) == 0


async def test_a_waiter_cancelled_before_its_turn_hands_the_turn_on() -> None:
    in_order = InOrder()
    first, cancelled, third = (in_order.place("k") for _ in range(3))
    ran: list[str] = []
    entered, release = asyncio.Event(), asyncio.Event()

    async def hold() -> None:
        async with first:
            entered.set()
            await release.wait()
            ran.append("first")

    async def wait(place: Place, name: str) -> None:
        async with place:
            ran.append(name)

    holding = asyncio.create_task(hold())
    await entered.wait()
    waiting = asyncio.create_task(wait(cancelled, "cancelled"))
    await asyncio.sleep(0)
    waiting.cancel()
    with pytest.raises(asyncio.CancelledError):
        await waiting
    last = asyncio.create_task(wait(third, "third"))
    release.set()
    await asyncio.wait_for(asyncio.gather(holding, last), timeout=5)
    assert ran == ["first", "third"]
    assert len(in_order) == 0


async def test_a_failed_send_lets_the_next_run() -> None:
    in_order = InOrder()
    first, second = in_order.place("k"), in_order.place("k")
    with pytest.raises(RuntimeError):
        async with first:
            raise RuntimeError("refused")
    async with second:
        pass
    assert len(in_order) == 0


async def test_keys_do_not_wait_for_each_other() -> None:
    in_order = InOrder()
    held = in_order.place("a")
    async with held, in_order.place("b"):
        assert len(in_order) == 2


class _Recorder:
    """A channel that records what it was asked to send; `gate` holds its first send."""

    name = "fake"

    def __init__(self) -> None:
        self.sent: list[str] = []
        self.gate = asyncio.Event()

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        if not self.sent:
            await self.gate.wait()
        self.sent += [r.text for r in replies if isinstance(r, TextReply)]


async def test_push_soon_returns_at_once_and_keeps_the_order_of_making() -> None:
    tasks = BackgroundTasks()
    delivery = Delivery(tasks)
    channel = _Recorder()
    delivery.register(channel)
    # Held up like a message waiting out a 429, then two more made behind it.
    delivery.push_soon("fake", "c", [TextReply("one")], name="one")
    delivery.push_soon("fake", "c", [TextReply("two")], name="two")
    later = asyncio.create_task(delivery.push("fake", "c", [TextReply("three")]))
    await asyncio.sleep(0)
    assert channel.sent == []
    channel.gate.set()
    await later
    await tasks.idle()
    assert channel.sent == ["one", "two", "three"]


class _Spawned:
    """Spawns like BackgroundTasks and keeps the tasks, so a test can cancel one."""

    def __init__(self) -> None:
        self.tasks: list[asyncio.Task[Any]] = []

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        self.tasks.append(asyncio.create_task(work, name=name))
        return self.tasks[-1]


async def test_a_push_cancelled_before_it_starts_does_not_hold_up_the_next() -> None:
    spawned = _Spawned()
    delivery = Delivery(spawned)
    channel = _Recorder()
    channel.gate.set()
    delivery.register(channel)
    delivery.push_soon("fake", "c", [TextReply("never")], name="cancelled")
    (task,) = spawned.tasks
    task.cancel()  # as a server shutting down does, before the task's first step
    await asyncio.wait_for(delivery.push("fake", "c", [TextReply("next")]), timeout=5)
    assert task.cancelled()
    assert channel.sent == ["next"]
