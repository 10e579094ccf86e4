"""The agents' outbox is kept beside the desk notices, apart from them, on SQLite and Redis.

The same store of pending work under another name (`bot.desk.agent_messages.OUTBOX`): a
pending agent message is never read as a desk notice (whose sweep drops what it does not
know), and outlives the process that kept it.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import pytest

from bot.desk.agent_messages import OUTBOX
from bot.store.conversation_store import ConversationStore
from bot.store.desk_notices import DeskNotice, SQLiteDeskNotices, desk_notices_for
from bot.store.observed_store import ObservedStore
from bot.store.redis_store import RedisStore
from bot.store.sqlite_store import SQLiteStore
from testbed.redis_server import RedisServer, running_redis
from tests.bot.store.test_redis_store import redis_url

T0 = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)
PENDING = DeskNotice("telegram:42", "agent-line-7", T0, 0, T0 + dt.timedelta(minutes=15))


@pytest.fixture(scope="module")
def redis_server() -> Iterator[RedisServer]:
    with running_redis() as server:
        yield server


@pytest.fixture(params=["sqlite", "redis"])
async def store(
    request: pytest.FixtureRequest, tmp_path: Path, redis_server: RedisServer
) -> AsyncIterator[ConversationStore]:
    chosen: ConversationStore = (
        SQLiteStore(tmp_path / "store.sqlite3")
        if request.param == "sqlite"
        else RedisStore.from_url(redis_url(redis_server))
    )
    await chosen.open()
    yield ObservedStore(chosen, lambda _: None)
    await chosen.close()


async def test_a_pending_agent_message_is_no_desk_notice(store: ConversationStore) -> None:
    later = T0 + dt.timedelta(days=1)
    await desk_notices_for(store, OUTBOX).keep(PENDING)
    assert await desk_notices_for(store).overdue(later) == []
    # A new process reads it back, and drops it once dealt with.
    outbox = desk_notices_for(store, OUTBOX)
    assert await outbox.overdue(later) == [PENDING]
    await outbox.drop(PENDING.key, PENDING.desk)
    assert await outbox.overdue(later) == []


def test_a_table_name_is_a_plain_word(tmp_path: Path) -> None:
    with pytest.raises(ValueError, match="plain word"):
        SQLiteDeskNotices(str(tmp_path / "s.sqlite3"), "notices; DROP TABLE conversations")
