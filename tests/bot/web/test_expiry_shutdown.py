"""Shutting down on Redis: the expiry task stops even when its cancellation lands mid-command.

redis-py can swallow a cancellation that arrives while a command waits and the store closes
under it; the expiry task then slept on for an hour, and the event loop's own shutdown (the
end of `asyncio.run`, a test's loop) waited for it.
"""

from __future__ import annotations

import asyncio

from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.redis_store import RedisStore
from testbed.clock import fixed_clock
from testbed.redis_server import running_redis


async def test_the_expiry_task_ends_with_the_lifespan_on_redis() -> None:
    with running_redis() as server:
        app = build_app(Settings(store_url=f"{server.url}?prefix=x:"), clock=fixed_clock())
        store = app.state.runtime.engine.store
        assert isinstance(store.inner, RedisStore)
        async with app.router.lifespan_context(app):
            expiry = next(task for task in asyncio.all_tasks() if task.get_name() == "expiry")
            # Let its first pass start: the shutdown below then cancels it mid-command.
            await asyncio.sleep(0)
        done, _ = await asyncio.wait([expiry], timeout=10)
    assert done == {expiry}
