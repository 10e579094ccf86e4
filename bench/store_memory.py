"""Memory: an idle replica's resident size against the number of stored conversations, and
the bytes each conversation takes in Redis.

1. A replica (the production server on Redis) is measured idle after serving a few
   conversations, then again after 100,000 more were stored in its Redis by others: a
   replica holds nothing per conversation, so its resident memory must not grow.
2. Redis' `used_memory` before and after storing the 100,000 conversations, divided by
   their number, with `MEMORY USAGE` of one conversation's keys as a cross-check. Each
   stored conversation is a real one: the whole questionnaire walked by the engine (record,
   transcript with structured replies, its place in the update index, audit counters), and
   its eight event ids, which stay until they expire (two days).

Run: `python -m bench.store_memory [--conversations 100000]`.
"""

from __future__ import annotations

import argparse
import asyncio
import dataclasses
import datetime as dt
import tempfile
import uuid
from collections.abc import Callable
from pathlib import Path
from typing import Final

import httpx

from bench.webchat_throughput import subscriber
from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from bot.store.conversation_store import AuditEvent, Change, ConversationRecord, record_key
from bot.store.redis_store import DEFAULT_EVENT_TTL_S, RedisStore
from dialogs.vocabulary import Inbound
from testbed.clock import fixed_clock
from testbed.cluster import SCRIPT, Replica
from testbed.redis_server import running_redis

PREFIX: Final = "mailmove:"
TURNS: Final = len(SCRIPT) + 1
CONCURRENCY: Final = 64


def resident_kib(pid: int) -> int:
    """VmRSS of a process, in KiB (Linux)."""
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1])
    raise RuntimeError(f"no VmRSS for {pid}")


async def walked_conversation() -> Change[None]:
    """One whole questionnaire, run by the engine on a scratch store: what a turn writes."""
    with running_redis() as scratch:
        store = RedisStore.from_url(f"{scratch.url}?prefix=scratch:")
        engine = Engine(store, load_profile(), Catalogs.load(), fixed_clock())
        await engine.handle(Inbound("webchat", "model", "e0", start=True))
        for n, body in enumerate(SCRIPT, start=1):
            text, choice = body.get("text"), body.get("choice")
            await engine.handle(Inbound("webchat", "model", f"e{n}", text=text, choice=choice))
        key = record_key("webchat", "model")
        record = await store.load(key)
        assert record is not None
        lines = await store.transcript(key)
        day = dt.timedelta(days=1)
        counts = await store.audit_counts(record.created_at - day, record.updated_at + day)
        await store.close()
    audit = [
        AuditEvent(record.updated_at, "webchat", kind, detail)
        for (kind, detail), n in counts.items()
        for _ in range(n)
    ]
    return Change(record, lines, None, audit)


def _always(change: Change[None]) -> Callable[[ConversationRecord | None], Change[None]]:
    return lambda _: change


async def store_copies(url: str, model: Change[None], count: int) -> None:
    """`count` copies of the walked conversation under fresh ids, through `transact`."""
    store = RedisStore.from_url(url)
    queue: asyncio.Queue[int] = asyncio.Queue()
    for number in range(count):
        queue.put_nowait(number)

    async def worker() -> None:
        while not queue.empty():
            number = queue.get_nowait()
            conversation = uuid.uuid4().hex
            key = record_key("webchat", conversation)
            record: ConversationRecord = dataclasses.replace(model.record, key=key)
            change = dataclasses.replace(model, record=record)
            await store.transact(key, f"webchat:{conversation}:e0", _always(change))
            # The other seven turns' event ids, as the real turns would have left them.
            async with store.client.pipeline(transaction=False) as pipe:
                for _ in range(1, TURNS):
                    pipe.set(
                        f"{PREFIX}event:webchat:{conversation}:{uuid.uuid4().hex}",
                        b"1",
                        px=DEFAULT_EVENT_TTL_S * 1000,
                    )
                await pipe.execute()
            if number and number % 20_000 == 0:
                print(f"  stored {number} conversations")

    await asyncio.gather(*(worker() for _ in range(CONCURRENCY)))
    await store.close()


async def redis_figures(url: str) -> tuple[int, dict[str, int]]:
    """Redis' used_memory, and MEMORY USAGE of one stored conversation's keys."""
    store = RedisStore.from_url(url)
    info = await store.client.info("memory")
    keys = await store.list_records(limit=1)
    sample: dict[str, int] = {}
    if keys:
        key = keys[0].key
        for kind in ("conv", "transcript"):
            sample[kind] = int(await store.client.memory_usage(f"{PREFIX}{kind}:{key}") or 0)
        async for event in store.client.scan_iter(match=f"{PREFIX}event:{key}:*", count=1000):
            sample["event ids"] = sample.get("event ids", 0) + int(
                await store.client.memory_usage(event) or 0
            )
    await store.close()
    return int(info["used_memory"]), sample


async def touch(replica: Replica, users: int) -> None:
    """Have the replica serve `users` whole conversations over HTTP."""
    await asyncio.gather(*(subscriber(replica.port, 1, []) for _ in range(users)))
    async with httpx.AsyncClient() as client:
        assert (await client.get(f"{replica.url}/readyz")).status_code == 200


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--conversations", type=int, default=100_000)
    args = parser.parse_args()
    model = asyncio.run(walked_conversation())
    with tempfile.TemporaryDirectory() as name, running_redis() as redis:
        url = f"{redis.url}?prefix={PREFIX}"
        replica = Replica(url, Path(name) / "replica.log")
        replica.start()
        try:
            assert replica.process is not None
            pid = replica.process.pid
            asyncio.run(touch(replica, 200))
            before_rss = resident_kib(pid)
            before_used, _ = asyncio.run(redis_figures(url))
            print(f"storing {args.conversations} conversations ...")
            asyncio.run(store_copies(url, model, args.conversations))
            after_used, sample = asyncio.run(redis_figures(url))
            asyncio.run(touch(replica, 200))
            after_rss = resident_kib(pid)
        finally:
            replica.terminate()
    grown = after_used - before_used
    print(f"replica resident memory, idle: {before_rss} KiB with 200 conversations stored,")
    growth = after_rss - before_rss
    print(f"  {after_rss} KiB with {args.conversations + 400} stored ({growth:+d} KiB)")
    print(f"Redis used_memory: {before_used:,} -> {after_used:,} bytes")
    print(f"bytes per stored conversation ({TURNS} turns): {grown / args.conversations:.0f}")
    print(f"  one conversation's keys (MEMORY USAGE): {sample}")
    print(f"  {args.conversations} conversations: {grown:,} bytes in Redis")


if __name__ == "__main__":
    main()
