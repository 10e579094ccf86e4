"""Sending replies that were not asked for, through the channel the conversation lives on."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final, Protocol

from dialogs.vocabulary import Reply

_LOGGER: Final = logging.getLogger(__name__)


class NotDeliveredError(Exception):
    """The platform did not take the replies, after every resend that could not duplicate them.

    `may_have_arrived` when the last attempt went out and no answer came back (a read
    timeout, a 5xx the platform cannot tell us about): the subscriber may have it, so it
    was not sent again, and whoever wrote it decides.
    """

    def __init__(self, reason: str, *, may_have_arrived: bool = False) -> None:
        super().__init__(reason)
        self.reason = reason
        self.may_have_arrived = may_have_arrived


class Pusher(Protocol):
    """Anything that can send a conversation replies it did not ask for: every channel."""

    name: str

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send `replies` to the conversation `conversation_key` of this channel.

        Raises NotDeliveredError when the platform did not take them.
        """


class Delivery:
    """The enabled channels by name; `push` hands replies to the right one."""

    def __init__(self) -> None:
        self._channels: dict[str, Pusher] = {}

    def register(self, channel: Pusher) -> None:
        """Make `channel` reachable by its name."""
        self._channels[channel.name] = channel

    async def push(self, channel: str, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send `replies` to a conversation.

        A channel that is off, or a platform that did not take them, only logs: the replies
        are in the transcript either way, so an agent still sees them.
        """
        try:
            await self.deliver(channel, conversation_key, replies)
        except NotDeliveredError as err:
            _LOGGER.error("%d replies on %s not delivered: %s", len(replies), channel, err)

    async def deliver(self, channel: str, conversation_key: str, replies: Sequence[Reply]) -> None:
        """`push`, but NotDeliveredError when the platform did not take the replies.

        For words someone must know were not delivered (an agent's message); a channel that
        is off delivers nothing either.
        """
        target = self._channels.get(channel)
        if target is None:
            raise NotDeliveredError(f"no enabled channel {channel}")
        if replies:
            await target.push(conversation_key, replies)
