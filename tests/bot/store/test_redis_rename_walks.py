"""A conversation moved to a new key costs a bounded walk of Redis, however many move at once.

The web chat moves a conversation a replica of the old version wrote under the subscriber's
id when its subscriber next calls (`adapters.webchat.conversation_key.moved_to_its_key`):
one `rename` per conversation. Event ids and link grants are not indexed by conversation,
so each rename walked the whole keyspace twice (SCAN, a thousand keys a call, every event
key read back into Python). Measured with 100,000 keys: 1.7 s and 202 SCAN calls for one
move, 24.6 s and 4,040 calls for 20 at once, during a rolling upgrade when every request of
such a conversation makes one. Now Redis filters the event ids by the moved keys' shape,
each call walks ten thousand keys, and moves asked for while a walk runs share the next.
"""

from __future__ import annotations

import asyncio
import datetime as dt
from collections.abc import AsyncIterator
from typing import Final

import pytest

from bot.store.conversation_store import Change, LinkGrant
from bot.store.redis_store import RedisStore
from testbed.redis_server import RedisServer
from tests.bot.store.test_redis_store import T0, line, record, redis_server, redis_url, writes

__all__ = ["redis_server"]  # the module's Redis, shared with these tests

OTHER_KEYS: Final = 20_000
MOVES: Final = 10
# A walk of the keyspace in calls of about ten thousand keys (SCAN's COUNT is a hint: one
# call may return more or fewer), for the event ids and again for the grants.
WALK_CALLS: Final = 2 * (OTHER_KEYS // 5_000 + 2)


@pytest.fixture
async def crowded(redis_server: RedisServer) -> AsyncIterator[RedisStore]:
    """A store whose Redis holds many other conversations' event ids, as in production."""
    store = RedisStore.from_url(redis_url(redis_server))
    await store.open()
    async with store.client.pipeline(transaction=False) as pipe:
        for n in range(OTHER_KEYS):
            pipe.set(f"{store.prefix}event:telegram:{n % 2_000}:{n}", b"1", ex=600)
        await pipe.execute()
    yield store
    await store.close()


async def scans(store: RedisStore) -> int:
    stats = await store.client.info("commandstats")
    return int(stats.get("cmdstat_scan", {}).get("calls", 0))


async def stored_under(store: RedisStore, old: str) -> LinkGrant:
    grant = LinkGrant(old[-8:] * 8, old, T0 + dt.timedelta(minutes=10))
    change = Change(record(old), [line("hi")], None, grants=[grant])
    await store.transact(old, f"{old}:e1", lambda _: change)
    return grant


async def test_moves_asked_for_at_once_share_a_bounded_walk(crowded: RedisStore) -> None:
    olds = [f"webchat:{n:032x}" for n in range(MOVES + 1)]
    grants = {old: await stored_under(crowded, old) for old in olds}
    new = {old: f"webchat:moved{n}" for n, old in enumerate(olds)}

    before = await scans(crowded)
    assert await crowded.rename({olds[0]: new[olds[0]]}) == 1
    one = await scans(crowded) - before
    assert 0 < one <= WALK_CALLS

    before = await scans(crowded)
    moved = await asyncio.gather(*(crowded.rename({old: new[old]}) for old in olds[1:]))
    assert moved == [1] * MOVES
    # The first walks alone; the others, asked for meanwhile, share the walk after it.
    assert await scans(crowded) - before <= 2 * WALK_CALLS

    # Nothing of the guarantee is lost: each one's handled event and grant moved with it.
    for old in olds:
        again: Change[None] = Change(record(new[old]), [line("again")], None)
        assert await crowded.transact(new[old], f"{new[old]}:e1", writes(again)) is None
        grant = grants[old]
        assert await crowded.find_grant(grant.digest) == LinkGrant(
            grant.digest, new[old], grant.expires
        )


async def test_keys_with_a_globs_own_characters_take_their_events_along(
    crowded: RedisStore,
) -> None:
    # The walk matches the moved keys' shape in a Redis glob: their characters are literal.
    olds = ["test:a-]", "test:b^[", "test:c\\*", "test:d?x"]
    for old in olds:
        await stored_under(crowded, old)
    assert await crowded.rename({old: f"test:moved{n}" for n, old in enumerate(olds)}) == 4
    for n in range(len(olds)):
        new = f"test:moved{n}"
        again: Change[None] = Change(record(new), [line("again")], None)
        assert await crowded.transact(new, f"{new}:e1", writes(again)) is None
