"""Per-client limits for what anyone may call: past the limit, 429 with Retry-After.

The client is the connection's peer, or behind a proxy the operator trusts, the last
address of the header that proxy sets (`MAILMOVE_CLIENT_IP_HEADER`, e.g. X-Forwarded-For:
its last entry is the one the proxy added; the ones before it are the client's to forge).
Without the setting, every request through a proxy would share the proxy's allowance.

An IPv6 client is counted by its /64 (`client_id`): a subscriber line or a cloud host is
given a whole /64 and may use any address in it, so counted per address it would get a
fresh allowance with each request.

Where the counts live is the runtime's choice (`Runtime.limiter`): in this process on
SQLite, in Redis when replicas share a Redis store, so that one client spread over N
replicas gets the limit once, not N times. A request costs one call to the limiter (one
Redis round trip), admitted or refused.

When the shared limiter cannot count (Redis unreachable for a moment), the request goes
through unchecked rather than failing: the limit bounds what one client can store, and the
turn that follows needs the store anyway (an outage answers 503 there). Each such request
is counted (`mailmove_client_limit_unchecked_total`) and logged at most once a minute.
"""

from __future__ import annotations

import functools
import ipaddress
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable
from typing import Final

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import ASGIApp, Receive, Scope, Send

from bot.ops import metrics
from bot.store.conversation_store import StoreUnavailableError
from bot.store.rate_limit import RateLimiter, SlidingWindowLimiter
from bot.web.browser_page import BrowserPage
from bot.web.openapi import error_response

UNKNOWN_CLIENT: Final = "unknown"
# The prefix one IPv6 client holds: what a provider gives a line, the least a host gets.
IPV6_CLIENT_PREFIX: Final = 64
# What is kept of a client that is not an address: a key's length stays bounded.
MAX_CLIENT_ID: Final = 64
# At most one warning a minute per limit while its limiter fails (one per request would
# flood the log exactly when Redis is in trouble).
WARN_EVERY: Final = 60.0
# Clients remembered by `client_id`: parsing an address was a twentieth of a web chat turn,
# and a busy minute sees a few thousand clients, each sending several messages. Only texts
# as long as an address (IPv6 with a zone) are kept, so the memory stays bounded.
KNOWN_CLIENTS: Final = 4096
LONGEST_ADDRESS: Final = 64
_LOGGER: Final = logging.getLogger(__name__)

# Builds the limiter of `limit` requests per `window` seconds (`Runtime.limiter`).
LimiterFactory = Callable[[int, float], RateLimiter]
# Which throttle a request answers to, when a route's requests are not all alike (a check
# beside a guessed link); None lets it through uncounted.
ThrottleChoice = Callable[[Scope], Awaitable["ClientThrottle | None"]]


def client_of(request: Request, header: str = "") -> str:
    """Who sent `request`: the trusted proxy's header when configured, else the peer."""
    if header:
        # The last line's last entry: a proxy may add a line of its own after the client's
        # (HAProxy's `option forwardfor`), and lines of one header are one list in order.
        lines = request.headers.getlist(header)
        last = lines[-1].rsplit(",", 1)[-1].strip() if lines else ""
        if last:
            return client_id(last)
    return client_id(request.client.host) if request.client else UNKNOWN_CLIENT


def client_id(address: str) -> str:
    """The client an address belongs to: an IPv4 address, an IPv6 /64, else the text."""
    if len(address) > LONGEST_ADDRESS:
        return _client_id(address)
    return _known_client_id(address)


# An address with the port the proxy saw it from: '192.0.2.1:50123' (Azure Application
# Gateway's X-Forwarded-For), '[2001:db8::1]:4711' or '[2001:db8::1]' (RFC 7239's `for=`),
# quoted or not. Counted as written, each connection was another client.
_WITH_PORT: Final = re.compile(r'"?(?:\[(?P<v6>[\w:.%]+)\]|(?P<v4>[0-9.]+))(?::[0-9]+)?"?')


def _client_id(address: str) -> str:
    if (ported := _WITH_PORT.fullmatch(address)) is not None:
        address = str(ported.group("v6") or ported.group("v4"))
    try:
        ip = ipaddress.ip_address(address.split("%", 1)[0])  # no zone: fe80::1%eth0
    except ValueError:
        return address[:MAX_CLIENT_ID]
    if isinstance(ip, ipaddress.IPv6Address):
        if ip.ipv4_mapped is not None:
            return str(ip.ipv4_mapped)
        return str(ipaddress.IPv6Network((ip, IPV6_CLIENT_PREFIX), strict=False))
    return str(ip)


_known_client_id: Final = functools.lru_cache(maxsize=KNOWN_CLIENTS)(_client_id)


class ClientThrottle:
    """At most `limit` counted requests per client within any `window` seconds.

    `name` labels the refusals in the metrics (the channel, or the API); `scope` names this
    limit's counts, which a shared limiter keeps beside other limits' (so it must differ
    between the limits of one process, e.g. conversations and messages).
    """

    def __init__(
        self,
        name: str,
        limit: int,
        window: float,
        *,
        scope: str,
        header: str = "",
        limiters: LimiterFactory = SlidingWindowLimiter,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if not scope:
            raise ValueError("scope must name the limit (e.g. 'webchat_messages')")
        self.name = name
        self.scope = scope
        self._header = header
        self._limiter = limiters(limit, window)
        self._clock = clock
        self._warned_at = -math.inf
        self._unwarned = 0

    async def admit(self, request: Request) -> Response | None:
        """Count one request; None to go on, or the 429 that refuses it (counting nothing)."""
        key = self._key(request)
        try:
            wait = await self._limiter.acquire((key,))
        except StoreUnavailableError as err:
            self._let_through(err)
            return None
        return self._refusal(wait) if wait > 0 else None

    async def refused(self, request: Request) -> Response | None:
        """The 429 for a client already past the limit, without counting this request."""
        try:
            wait = await self._limiter.retry_after((self._key(request),))
        except StoreUnavailableError as err:
            self._let_through(err)
            return None
        return self._refusal(wait) if wait > 0 else None

    async def past_limit(self, request: Request) -> bool:
        """Whether the client is past the limit now, counting nothing and answering nothing.

        For a limit on what a request may lead to (a handoff), not on the request: the
        caller words the refusal and counts what did happen (`count`).
        """
        try:
            return await self._limiter.retry_after((self._key(request),)) > 0
        except StoreUnavailableError as err:
            self._let_through(err)
            return False

    async def count(self, request: Request) -> None:
        """Count one event against the client (a failed attempt), whatever the limit says."""
        try:
            await self._limiter.try_acquire((self._key(request),))
        except StoreUnavailableError as err:
            self._let_through(err)

    def _key(self, request: Request) -> str:
        return f"client:{self.scope}:{client_of(request, self._header)}"

    def _refusal(self, wait: float) -> Response:
        metrics.rejected(self.name, "rate_limited")
        response = error_response(429, f"too many requests ({self.name}); retry later")
        response.headers["Retry-After"] = str(max(1, math.ceil(wait)))
        return response

    def _let_through(self, err: StoreUnavailableError) -> None:
        metrics.client_limit_unchecked(self.scope)
        self._unwarned += 1
        now = self._clock()
        if now - self._warned_at < WARN_EVERY:
            return
        _LOGGER.warning(
            "Per-client limit %s not checked for %d request(s): %s",
            self.scope,
            self._unwarned,
            err,
        )
        self._warned_at = now
        self._unwarned = 0


class ClientLimit:
    """Wrap `app`; a client past its throttle on `method` requests under `prefix` gets 429.

    For the routes no other limit covers (the login check's form). The throttle is
    `throttle`, or the one `choose` picks for the request (None: not counted); `method`
    None limits every method. `page` words the refusal for a person's browser (None: the
    JSON one); the Retry-After is the throttle's.
    """

    def __init__(
        self,
        app: ASGIApp,
        *,
        throttle: ClientThrottle | None = None,
        choose: ThrottleChoice | None = None,
        method: str | None,
        prefix: str,
        page: BrowserPage | None = None,
    ) -> None:
        if (throttle is None) == (choose is None):
            raise ValueError("give ClientLimit a throttle or a way to choose one, not both")
        self._app = app
        self._throttle = throttle
        self._choose = choose
        self._method = method
        self._prefix = prefix
        self._page = page

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        """Count this request if it is one of the limited; refuse it past the limit."""
        if (
            scope["type"] != "http"
            or (self._method is not None and scope["method"] != self._method)
            or not str(scope["path"]).startswith(self._prefix)
        ):
            await self._app(scope, receive, send)
            return
        throttle = self._throttle if self._choose is None else await self._choose(scope)
        if throttle is None:
            await self._app(scope, receive, send)
            return
        refusal = await throttle.admit(Request(scope))
        if refusal is None:
            await self._app(scope, receive, send)
            return
        page = await self._page(scope) if self._page is not None else None
        if page is not None:
            page.status_code = refusal.status_code
            page.headers["Retry-After"] = refusal.headers["Retry-After"]
            refusal = page
        await refusal(scope, receive, send)
