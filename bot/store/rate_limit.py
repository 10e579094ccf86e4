"""Rate limits for the live login check, so the bot cannot be used to guess passwords.

Ask before connecting: `if not await limiter.try_acquire(check_keys(conversation, address))`
refuse and explain, and open no connection. An attempt counts against every key at once or
against none, so a refusal on one key never uses up another key's allowance.

The same limiters count requests per client (`bot.web.client_limit`), where `acquire` both
records and, on a refusal, says how long to wait: one call (one Redis round trip) either way.
"""

from __future__ import annotations

import collections
import hashlib
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Final, Protocol

_SWEEP_EVERY: Final = 256  # calls between sweeps that drop keys with no recent attempts
# The least wait `acquire` reports for a refusal, so that 0 always means "recorded".
MIN_WAIT: Final = 0.001


class RateLimiter(Protocol):
    """A limit on attempts per key; implementations may be in memory or shared (Redis)."""

    async def try_acquire(self, keys: Iterable[str]) -> bool:
        """Record one attempt against every key and return True, or record none and refuse."""
        ...

    async def acquire(self, keys: Iterable[str]) -> float:
        """Record one attempt against every key and return 0, or record none: the wait.

        The wait is the seconds until an attempt would be recorded (at least `MIN_WAIT`).
        """
        ...

    async def retry_after(self, keys: Iterable[str]) -> float:
        """Seconds until try_acquire(keys) would succeed (0 when it would now)."""
        ...


def check_keys(conversation: str, address: str) -> tuple[str, str]:
    """The keys one login check counts against: its conversation and its account."""
    # Case and surrounding spaces do not make another mailbox, so they must not make
    # another allowance either. The key holds a digest, not the address; on a Redis store,
    # where key names are listed by anyone with KEYS or a memory report, the shared limiter
    # names it by an HMAC under a key kept in Redis (`bot.store.redis_rate_limit`): a
    # digest alone is found again by hashing likely local parts at the known domain.
    account = hashlib.sha256(address.strip().lower().encode()).hexdigest()
    return f"conversation:{conversation}", f"address:{account}"


class SlidingWindowLimiter:
    """At most `limit` attempts per key within any `window` seconds, kept in memory.

    One process only: with several replicas, use a shared implementation of RateLimiter.
    """

    def __init__(
        self, limit: int, window: float, *, clock: Callable[[], float] = time.monotonic
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if window <= 0:
            raise ValueError(f"window must be a positive number of seconds, not {window}")
        self._limit = limit
        self._window = window
        self._clock = clock
        self._attempts: dict[str, collections.deque[float]] = {}
        self._calls = 0

    async def try_acquire(self, keys: Iterable[str]) -> bool:
        """Record one attempt against every key and return True, or record none and refuse."""
        return await self.acquire(keys) == 0

    async def acquire(self, keys: Iterable[str]) -> float:
        """Record one attempt against every key and return 0, or record none: the wait.

        The wait is the seconds until an attempt would be recorded (at least `MIN_WAIT`).
        """
        now = self._clock()
        self._maybe_sweep(now)  # first: a sweep must not drop the deques held below
        recent = [self._recent(key, now) for key in _distinct(keys)]
        if any(len(times) >= self._limit for times in recent):
            return max(MIN_WAIT, self._wait(recent, now))
        for times in recent:
            times.append(now)
        return 0.0

    async def retry_after(self, keys: Iterable[str]) -> float:
        """Seconds until try_acquire(keys) would succeed (0 when it would now).

        Asking keeps nothing: every web chat message asks the handoff limit about its client,
        and every agent API request the token-guessing limit, and each client ever seen
        stayed as an empty entry, swept only by the next 256 handoffs or refused tokens
        (3,000 IPv6 /64s, 3,000 entries of about 900 bytes each, for good).
        """
        now = self._clock()
        recent = [times for key in _distinct(keys) if (times := self._known(key, now))]
        return self._wait(recent, now)

    def _known(self, key: str, now: float) -> collections.deque[float] | None:
        """`key`'s attempts within the window, if it has any; a key with none is dropped."""
        times = self._attempts.get(key)
        if times is None:
            return None
        while times and times[0] <= now - self._window:
            times.popleft()
        if not times:
            del self._attempts[key]
            return None
        return times

    def _wait(self, recent: Sequence[collections.deque[float]], now: float) -> float:
        # Until the oldest attempt that keeps each full key full leaves the window.
        waits = [
            times[len(times) - self._limit] + self._window - now
            for times in recent
            if len(times) >= self._limit
        ]
        return max([0.0, *waits])

    def _recent(self, key: str, now: float) -> collections.deque[float]:
        times = self._attempts.setdefault(key, collections.deque())
        while times and times[0] <= now - self._window:
            times.popleft()
        return times

    def _maybe_sweep(self, now: float) -> None:
        # Keys are created by whoever chats with the bot; without a sweep, every address
        # ever tried would stay in memory.
        self._calls += 1
        if self._calls % _SWEEP_EVERY:
            return
        for key in list(self._attempts):
            if not self._recent(key, now):
                del self._attempts[key]

    def __len__(self) -> int:
        """How many keys are held (for tests and metrics)."""
        return len(self._attempts)


def _distinct(keys: Iterable[str]) -> Sequence[str]:
    # The same key twice in one call must count once, not twice.
    return list(dict.fromkeys(keys))
