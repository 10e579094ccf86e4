"""Throttle guessing: a client whose requests keep failing authentication is refused for a while.

An ASGI middleware over the routes under a path prefix (the agent API): each 401 answered to
a request that offered a bearer token counts against its client, and once it has `limit`
within `window` seconds its next such requests get 429 with Retry-After, before any route
runs, until the oldest failure ages out. Requests with a valid token never count, so agents
working normally are never slowed; an agent who mistypes a token a few times is.
1,100–1,900 guesses a second became `limit` a minute.

A request that offers no bearer token (no Authorization header, another scheme, an empty
token) guesses nothing: it is answered by the route (401, or the public description) and
never counted or throttled. Counted, a client asking each route without a token (a desk's
tool before its token is set, a tester going through the routes) got 429 where the API
promises 401 for a call without a token, and then 429 with its valid token too.

The client is named as in `client_limit` (the trusted proxy's header, if set), and the
failures are counted where the runtime keeps its limits (`limiters`: Redis behind replicas,
so a guesser spread over them gets `limit` in all).
"""

from __future__ import annotations

import logging
from typing import Final

from starlette.requests import Request
from starlette.types import ASGIApp, Message, Receive, Scope, Send

from bot.ops import metrics
from bot.ops.repeated import Repeated
from bot.store.rate_limit import SlidingWindowLimiter
from bot.web.client_limit import ClientThrottle, LimiterFactory

_LOGGER: Final = logging.getLogger(__name__)
# A guess every two seconds: against a token of 16 or more varied characters (what
# MAILMOVE_AGENT_TOKENS accepts) as hopeless as 10, and room for an agent's retries.
DEFAULT_LIMIT: Final = 30
DEFAULT_WINDOW: Final = 60.0


class FailureThrottle:
    """Wrap `app`; past `limit` 401s in `window` seconds, a client under `prefix` gets 429."""

    def __init__(
        self,
        app: ASGIApp,
        *,
        prefix: str,
        name: str,
        limit: int = DEFAULT_LIMIT,
        window: float = DEFAULT_WINDOW,
        header: str = "",
        limiters: LimiterFactory = SlidingWindowLimiter,
    ) -> None:
        self._app = app
        self._prefix = prefix
        self._name, self._limit, self._window = name, limit, window
        self._refusing = Repeated()
        self._throttle = ClientThrottle(
            name, limit, window, scope=f"{name}_failures", header=header, limiters=limiters
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Refuse a client past its failures; count this request's 401."""
        if scope["type"] != "http" or not str(scope["path"]).startswith(self._prefix):
            await self._app(scope, receive, send)
            return
        request = Request(scope)
        if not _offers_a_token(request):
            await self._app(scope, receive, send)
            return
        refused = await self._throttle.refused(request)
        if refused is not None:
            if count := self._refusing.happened():
                # The client's address is left out: the ingress' own log has it.
                _LOGGER.warning(
                    "%s: a client got 429 after %d refused tokens within %.0f s (%d refused"
                    " request(s)): someone may be guessing agent tokens",
                    self._name,
                    self._limit,
                    self._window,
                    count,
                )
            await refused(scope, receive, send)
            return
        status = 0

        async def watching_send(message: Message) -> None:
            nonlocal status
            if message["type"] == "http.response.start":
                status = int(message["status"])
            await send(message)

        await self._app(scope, receive, watching_send)
        if status == 401:
            metrics.rejected(self._name, "unauthorized")
            await self._throttle.count(request)


def _offers_a_token(request: Request) -> bool:
    """Whether the request offers a bearer token: the only kind of request that can guess one."""
    scheme, _, token = request.headers.get("authorization", "").partition(" ")
    return scheme.lower() == "bearer" and bool(token.strip())
