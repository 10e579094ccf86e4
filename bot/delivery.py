"""Sending replies that were not asked for, through the channel the conversation lives on."""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Final, Protocol

from dialogs.vocabulary import Reply

_LOGGER: Final = logging.getLogger(__name__)


class Pusher(Protocol):
    """Anything that can send a conversation replies it did not ask for: every channel."""

    name: str

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send `replies` to the conversation `conversation_key` of this channel."""


class Delivery:
    """The enabled channels by name; `push` hands replies to the right one."""

    def __init__(self) -> None:
        self._channels: dict[str, Pusher] = {}

    def register(self, channel: Pusher) -> None:
        """Make `channel` reachable by its name."""
        self._channels[channel.name] = channel

    async def push(self, channel: str, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send `replies` to a conversation.

        A channel that is off only logs: the replies are in the transcript either way, so
        an agent still sees them.
        """
        target = self._channels.get(channel)
        if target is None:
            _LOGGER.warning("No enabled channel %s to push %d replies to", channel, len(replies))
            return
        if replies:
            await target.push(conversation_key, replies)
