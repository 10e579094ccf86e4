"""Per-client limits for what anyone may call: past the limit, 429 with Retry-After.

The client is the connection's peer, or behind a proxy the operator trusts, the last
address of the header that proxy sets (`MAILMOVE_CLIENT_IP_HEADER`, e.g. X-Forwarded-For:
its last entry is the one the proxy added; the ones before it are the client's to forge).
Without the setting, every request through a proxy would share the proxy's allowance.

Counts are kept in memory by each process: behind a load balancer that spreads clients
over N replicas a client gets up to N times the limit, which still bounds what one client
can store (the point: 100,000 conversations from one client in four minutes filled 5 GB).
"""

from __future__ import annotations

import math
import time
from collections.abc import Callable
from typing import Final

from starlette.requests import Request
from starlette.responses import Response

from bot.ops import metrics
from bot.store.rate_limit import SlidingWindowLimiter
from bot.web.openapi import error_response

UNKNOWN_CLIENT: Final = "unknown"


def client_of(request: Request, header: str = "") -> str:
    """Who sent `request`: the trusted proxy's header when configured, else the peer."""
    if header:
        forwarded = request.headers.get(header, "")
        last = forwarded.rsplit(",", 1)[-1].strip()
        if last:
            return last
    return request.client.host if request.client else UNKNOWN_CLIENT


class ClientThrottle:
    """At most `limit` counted requests per client within any `window` seconds."""

    def __init__(
        self,
        name: str,
        limit: int,
        window: float,
        *,
        header: str = "",
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.name = name
        self._header = header
        self._limiter = SlidingWindowLimiter(limit, window, clock=clock)

    async def admit(self, request: Request) -> Response | None:
        """Count one request; None to go on, or the 429 that refuses it (counting nothing)."""
        key = client_of(request, self._header)
        if await self._limiter.try_acquire((key,)):
            return None
        return await self._refusal(key)

    async def refused(self, request: Request) -> Response | None:
        """The 429 for a client already past the limit, without counting this request."""
        key = client_of(request, self._header)
        if await self._limiter.retry_after((key,)) <= 0:
            return None
        return await self._refusal(key)

    async def count(self, request: Request) -> None:
        """Count one event against the client (a failed attempt), whatever the limit says."""
        await self._limiter.try_acquire((client_of(request, self._header),))

    async def _refusal(self, key: str) -> Response:
        wait = await self._limiter.retry_after((key,))
        metrics.rejected(self.name, "rate_limited")
        response = error_response(429, f"too many requests ({self.name}); retry later")
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response
