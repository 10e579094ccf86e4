"""Sending replies that were not asked for, through the channel the conversation lives on.

What is sent to one conversation goes out in the order it was made: an agent's message
waiting out a platform's 429 (its sender honours Retry-After) is not overtaken by the
hand-back line written after it, nor by the agent's next message.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Awaitable, Callable, Coroutine, Sequence
from types import TracebackType
from typing import Any, Final, Literal, Protocol

from dialogs.vocabulary import Reply

_LOGGER: Final = logging.getLogger(__name__)


Cause = Literal["unreachable", "quota"]
"""Why no send can reach the subscriber now, where the platform says so (the desks word it).

`unreachable`: not on this channel any more (Telegram's 403 from a subscriber who blocked the
bot, Slack's channel_not_found or is_archived); `quota`: the channel's monthly allowance of
messages is used up (LINE's 429 'You have reached your monthly limit.'). Sending again does
not help either: the agent calls instead, or has the allowance raised.
"""
UNREACHABLE: Final[Cause] = "unreachable"
QUOTA: Final[Cause] = "quota"


class NotDeliveredError(Exception):
    """The platform did not take the replies, after every resend that could not duplicate them.

    `may_have_arrived` when the last attempt went out and no answer came back (a read
    timeout, a 5xx the platform cannot tell us about): the subscriber may have it, so it
    was not sent again, and whoever wrote it decides. `cause` when the platform said why in
    a way a resend cannot change.
    """

    def __init__(
        self, reason: str, *, may_have_arrived: bool = False, cause: Cause | None = None
    ) -> None:
        super().__init__(reason)
        self.reason = reason
        self.may_have_arrived = may_have_arrived
        self.cause = cause


STOPPED: Final = "the server stopped before the platform took it"


def stopped() -> NotDeliveredError:
    """Why a send the stopping server cancelled (its grace over) was not made, or not seen.

    Cancelled while a platform's 429 held it, it never left; cancelled mid-request, it may
    have arrived. Not known which: whoever wrote it looks, rather than a second copy.
    """
    return NotDeliveredError(STOPPED, may_have_arrived=True)


class Pusher(Protocol):
    """Anything that can send a conversation replies it did not ask for: every channel."""

    name: str

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send `replies` to the conversation `conversation_key` of this channel.

        Raises NotDeliveredError when the platform did not take them.
        """


class Spawner(Protocol):
    """Runs work in the background, and lets a draining server wait for it (BackgroundTasks)."""

    def spawn(self, work: Coroutine[Any, Any, Any], *, name: str) -> asyncio.Task[Any]:
        """Start `work` now; its failure is logged, never lost silently."""


class Place:
    """A place in a key's queue, taken when made: `async with` waits for the places before it.

    Leaving it, however the work ended (sent, refused, cancelled), lets the next one run.
    """

    def __init__(self, queue: InOrder, key: str, before: asyncio.Future[None] | None) -> None:
        self._queue = queue
        self._key = key
        self._before = before
        self.done: Final[asyncio.Future[None]] = asyncio.get_running_loop().create_future()

    async def __aenter__(self) -> None:
        if self._before is None or self._before.done():
            return
        try:
            # shield: a cancelled waiter must not cancel the future the others wait on.
            await asyncio.shield(self._before)
        except asyncio.CancelledError:
            # Never entered, so never left: hand the turn on once the one before ends.
            self._before.add_done_callback(lambda _: self.release())
            raise

    async def __aexit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.release()

    def release(self) -> None:
        """Let the next place run (idempotent)."""
        if not self.done.done():
            self.done.set_result(None)
        self._queue.forget(self._key, self.done)


class InOrder:
    """Per-key queues of places, served in the order the places were taken.

    A queue exists only while some work for its key runs or waits.
    """

    def __init__(self) -> None:
        self._last: dict[str, asyncio.Future[None]] = {}

    def place(self, key: str) -> Place:
        """Take the next place for `key` now (no await: the order is the order of calls)."""
        place = Place(self, key, self._last.get(key))
        self._last[key] = place.done
        return place

    def turn(self, key: str) -> Place:
        """`async with in_order.turn(key)`: take a place and wait for it."""
        return self.place(key)

    def forget(self, key: str, done: asyncio.Future[None]) -> None:
        """Drop `key`'s queue if `done` ends it: keep nothing for a quiet conversation."""
        if self._last.get(key) is done:
            del self._last[key]

    def __len__(self) -> int:
        return len(self._last)


Undelivered = Callable[[str, str, Sequence[Reply], NotDeliveredError], Awaitable[None]]
"""Told (channel, conversation key, replies, why) that the bot's replies were not taken."""


class Delivery:
    """The enabled channels by name; `push` hands replies to the right one, in order."""

    def __init__(self, background: Spawner) -> None:
        self._channels: dict[str, Pusher] = {}
        self._in_order = InOrder()
        self._background = background
        self._undelivered: Undelivered | None = None

    def when_undelivered(self, told: Undelivered) -> None:
        """Have `told` learn of the bot's replies a platform finally did not take (`push`).

        Set once the desks exist (they are built after the channels can push).
        """
        self._undelivered = told

    def register(self, channel: Pusher) -> None:
        """Make `channel` reachable by its name."""
        self._channels[channel.name] = channel

    @property
    def names(self) -> list[str]:
        """The channels replies can be pushed to, by name."""
        return list(self._channels)

    def place(self, channel: str, conversation_key: str) -> Place:
        """A place among the conversation's sends, taken now, for a `deliver` started later.

        Work handed to a background task takes its place before it is spawned, so the
        order is the order the words were made, not the order the tasks happen to start.
        """
        return self._in_order.place(f"{channel}\n{conversation_key}")

    def push_soon(
        self, channel: str, conversation_key: str, replies: Sequence[Reply], *, name: str
    ) -> None:
        """`push` in the background, its place among the conversation's sends taken now.

        For replies made while answering somebody else (an agent's hand-back or close, the
        check page): their answer must not wait for a send that a platform's 429 holds up
        for as long as its Retry-After says, and the replies still go out in their order.
        """
        if replies:
            place = self.place(channel, conversation_key)
            task = self._background.spawn(
                self.push(channel, conversation_key, replies, place=place), name=name
            )
            # A task cancelled before it starts (a server shutting down) never enters its
            # place, so never leaves it either: the next words must not wait for it.
            task.add_done_callback(lambda _: place.release())

    async def push(
        self,
        channel: str,
        conversation_key: str,
        replies: Sequence[Reply],
        *,
        place: Place | None = None,
    ) -> None:
        """Send `replies` to a conversation, after what was made for it before.

        A channel that is off, or a platform that did not take them, is logged and told to
        `when_undelivered`'s listener, once, never sent again here: the replies are in the
        transcript, and the listener marks them there as not received (a hand-back's
        greeting to a subscriber who blocked the bot was stored as said, and no agent knew).
        """
        try:
            await self.deliver(channel, conversation_key, replies, place=place)
        except NotDeliveredError as err:
            _LOGGER.error("%d replies on %s not delivered: %s", len(replies), channel, err)
            if self._undelivered is not None:
                await self._undelivered(channel, conversation_key, replies, err)
        except asyncio.CancelledError:
            # A stopping server's grace ended the send (a long Retry-After): nothing resends
            # it after the restart, so it is marked as any refusal is, then the task ends.
            _LOGGER.error("%d replies on %s cut off at shutdown", len(replies), channel)
            if self._undelivered is not None:
                await self._undelivered(channel, conversation_key, replies, stopped())
            raise

    async def deliver(
        self,
        channel: str,
        conversation_key: str,
        replies: Sequence[Reply],
        *,
        place: Place | None = None,
    ) -> None:
        """`push`, but NotDeliveredError when the platform did not take the replies.

        For words someone must know were not delivered (an agent's message); a channel that
        is off delivers nothing either. Without a `place`, the call takes one.
        """
        async with place or self.place(channel, conversation_key):
            target = self._channels.get(channel)
            if target is None:
                raise NotDeliveredError(f"no enabled channel {channel}")
            if replies:
                await target.push(conversation_key, replies)
