"""Work a channel starts after answering the platform (Slack wants its 200 within 3 s).

Every such task is tracked, so a stopping server can finish the turns it acknowledged
before it exits instead of dropping them.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Coroutine
from typing import Any, Final

from bot.ops.metrics import background_error

_LOGGER: Final = logging.getLogger(__name__)
# How long tasks cancelled at shutdown have to note what they could not finish.
CANCELLED_GRACE: Final = 5.0


class BackgroundTasks:
    """A set of running tasks that `drain` waits for."""

    def __init__(self) -> None:
        self._tasks: set[asyncio.Task[Any]] = set()
        self._closed = False
        # Set when shutdown begins: a task waiting to try again stops waiting (`pause`).
        self._stopping = asyncio.Event()

    @property
    def accepting(self) -> bool:
        """False once shutdown began: new platform events should get 503 and be retried."""
        return not self._closed

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        """Run `work` now, keep a reference, and log (never lose silently) its failure."""
        task = asyncio.create_task(work, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._finished)
        return task

    def _finished(self, task: asyncio.Task[Any]) -> None:
        self._tasks.discard(task)
        if not task.cancelled() and task.exception() is not None:
            _LOGGER.error("Background task %s failed", task.get_name(), exc_info=task.exception())
            # Names carry conversation keys: one fixed label, the log says which.
            background_error("spawned")

    async def pause(self, seconds: float) -> bool:
        """Wait `seconds` before trying again; False, at once, when shutdown begins.

        A task that waits to try something again (a desk that was down) must not hold a
        stopping server for the whole grace period, only to be cancelled at its end.
        """
        if self._closed:
            return False
        try:
            await asyncio.wait_for(self._stopping.wait(), timeout=seconds)
        except TimeoutError:
            return True
        return False

    async def drain(self, grace: float = 30.0) -> None:
        """Stop accepting and wait (up to `grace` seconds) for what is running."""
        self._closed = True
        self._stopping.set()
        if not self._tasks:
            return
        _, pending = await asyncio.wait(set(self._tasks), timeout=grace)
        for task in pending:
            _LOGGER.warning("Cancelling %s at shutdown", task.get_name())
            task.cancel()
        if pending:
            # A cancelled send notes in the store that it was cut off: before it closes.
            await asyncio.wait(pending, timeout=CANCELLED_GRACE)

    async def idle(self) -> None:
        """Wait until every task running now (and any they start) has finished."""
        while self._tasks:
            await asyncio.wait(set(self._tasks))

    def __len__(self) -> int:
        return len(self._tasks)
