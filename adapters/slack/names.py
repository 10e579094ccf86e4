"""Members' names as Slack shows them, from `users.info`: each asked for once, each in time.

The subscribers' channel names the members a subscriber mentions, and the agents' desk names
the agent who writes in a handoff's thread and the members she mentions. Both ask while
Slack waits (3 s) for its event's answer, so each member is asked for on their own within
`timeout`: a member Slack is slow to describe, or will not (no `users:read` scope, another
organisation's member), goes without a name, and the others keep theirs. A name found is
asked for again after an hour (a member may rename themselves), and kept if Slack does not
answer then; a failure is not kept, so the next message asks again.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Final

from adapters.slack.events import display_name

if TYPE_CHECKING:
    from slack_sdk.web.async_client import AsyncWebClient

# A name is asked for while Slack waits for the event's answer (3 s).
NAME_TIMEOUT: Final = 1.0
_KEPT: Final = 1024
_KEPT_SECONDS: Final = 3600.0

Unnamed = Callable[[str, str, bool], None]
"""Told of a member left without a name: their id, why, and whether Slack refused."""


def _quiet(_user: str, _why: str, _refused: bool) -> None:
    """Say nothing of a member left without a name."""


class MemberNames:
    """Display names by user id, asked of one Slack app's `users.info` and kept."""

    def __init__(
        self,
        client: AsyncWebClient,
        *,
        timeout: float = NAME_TIMEOUT,
        unnamed: Unnamed = _quiet,
    ) -> None:
        self._client = client
        self._timeout = timeout
        self._unnamed = unnamed
        self._names: dict[str, tuple[str, float]] = {}

    async def names(self, users: Iterable[str], unnamed: Unnamed | None = None) -> dict[str, str]:
        """The names of `users` Slack tells in time (kept ones first); the rest left out.

        `unnamed`, if given, is told of those left without a name instead of the one given
        at construction: the caller knows what each member is to the message.
        """
        now = time.monotonic()
        wanted = set(users)
        missing = [u for u in wanted if u not in self._names or self._names[u][1] < now]
        tell = unnamed or self._unnamed
        found = await asyncio.gather(*(self._ask(user, tell) for user in missing))
        for user, name in zip(missing, found, strict=True):
            if name is None:
                continue  # a name kept from before, even an hour old, beats none
            if user not in self._names and len(self._names) >= _KEPT:
                del self._names[next(iter(self._names))]  # the oldest asked for
            self._names[user] = (name, now + _KEPT_SECONDS)
        return {user: self._names[user][0] for user in wanted if user in self._names}

    async def _ask(self, user: str, unnamed: Unnamed) -> str | None:
        import aiohttp
        from slack_sdk.errors import SlackApiError, SlackClientError

        try:
            async with asyncio.timeout(self._timeout):
                response = await self._client.users_info(user=user)
        except SlackApiError as err:
            error = err.response.get("error") or f"HTTP {err.response.status_code}"
            unnamed(user, str(error), True)
            return None
        except TimeoutError:
            unnamed(user, f"no answer within {self._timeout:g} s", False)
            return None
        except (SlackClientError, aiohttp.ClientError) as err:
            unnamed(user, type(err).__name__, False)
            return None
        return display_name(response.data if isinstance(response.data, dict) else {})
