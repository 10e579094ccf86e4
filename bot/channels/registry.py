"""How the runtime finds and runs channels without importing any of them.

A channel is a module in the `mailmove.channels` entry-point group whose factory takes the
`Runtime` and returns a `Channel`, or None when its credentials are not configured (it
then logs which variables would switch it on).
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Mapping, Sequence
from functools import cache
from importlib.metadata import EntryPoints, entry_points
from typing import Final, Protocol, runtime_checkable

from starlette.routing import BaseRoute

from bot.runtime import Runtime
from dialogs.vocabulary import Reply

_LOGGER: Final = logging.getLogger(__name__)
ENTRY_POINT_GROUP: Final = "mailmove.channels"
# How long a channel's start waits for its platform to check a token, in seconds. A platform
# that does not answer in time is said in a warning and serving goes on: the SDKs' own
# deadlines (Slack's 30 s with its retries, aiohttp's 5 minutes under LINE's SDK) held
# start-up, and a pod's probes, that long when the platform's address went unanswered.
START_CHECK_SECONDS: Final = 5.0


class Channel(Protocol):
    """A way subscribers reach the bot."""

    name: str

    def routes(self) -> Sequence[BaseRoute]:
        """The HTTP routes this channel serves (webhooks, pages); may be empty."""

    async def start(self) -> None:
        """Called once the server is up (open SDK clients, start polling)."""

    async def stop(self) -> None:
        """Called on shutdown, after the last request."""

    async def push(self, conversation_key: str, replies: Sequence[Reply]) -> None:
        """Send replies that answer no message of the subscriber's.

        For example a login check's result, or an agent's hand-back. A channel whose clients
        poll (the web chat) does nothing: the replies are in the transcript it reads.
        """


@runtime_checkable
class LargeBodies(Protocol):
    """A channel whose platform sends some of its routes more than the app's body limit.

    Only for a route that checks the platform's signature on the raw bytes before parsing
    anything: a forged body then costs the reading and one HMAC, never a parse.
    """

    @property
    def body_limits(self) -> Mapping[str, int]:
        """The largest body each of those routes takes, in bytes, by path."""


ChannelFactory = Callable[[Runtime], Channel | None]


def available_factories() -> dict[str, ChannelFactory]:
    """Every installed channel factory by name."""
    factories: dict[str, ChannelFactory] = {}
    for entry in _installed():
        factories[entry.name] = entry.load()
    return factories


@cache
def _installed() -> EntryPoints:
    # Read once per process: the scan reads every installed package's metadata (60 ms), and
    # the tests build hundreds of apps. Installing a channel means restarting the bot anyway.
    return entry_points(group=ENTRY_POINT_GROUP)


def enabled_channels(runtime: Runtime, *, exclude: Sequence[str] = ()) -> list[Channel]:
    """Instantiate every installed channel whose configuration is complete."""
    channels: list[Channel] = []
    for name, factory in sorted(available_factories().items()):
        if name in exclude:
            continue
        channel = factory(runtime)
        if channel is None:
            continue
        _LOGGER.info("Channel %s is on", name)
        runtime.delivery.register(channel)
        if getattr(channel, "links_open_in_app", False):
            # The chat words some links for it (the Apple file: open it in Safari).
            runtime.engine.links_open_in_app.add(channel.name)
        channels.append(channel)
    return channels


class TerminalChannel(Channel, Protocol):
    """A channel that talks on the terminal instead of serving HTTP."""

    async def run(self, *, locale: str | None) -> int:
        """Hold one conversation on stdin/stdout until end of input; return an exit code."""
