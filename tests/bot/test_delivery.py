"""Sends to one conversation run in the order their places were taken, whatever happens to them."""

from __future__ import annotations

import asyncio

import pytest

from bot.delivery import InOrder, Place


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
