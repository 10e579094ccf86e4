"""Whether Redis is known not to answer, so that a call fails at once instead of waiting.

A Redis that accepts connections and never answers (stopped with SIGSTOP, a host that
stalls, a network that drops packets) cost each call its whole socket timeout, and each
call's retry one more: a web chat message waited about 4 s in the per-client limiter and
4 s more in the store, and the turns of one conversation queued behind each other. Once a
call has found Redis not answering, the store and its limiters share that knowledge: calls
fail at once (the store's with StoreUnavailableError, answered 503 with Retry-After; the
per-client limits let the request through), and one call per PROBE_EVERY goes to Redis to
find out whether it is back. So a request waits at most one socket timeout (SOCKET_TIMEOUT,
2 s) in an outage, and only the one that probes waits at all.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import Final

from bot.store.conversation_store import StoreUnavailableError
from bot.store.redis_acl import said as acl_said

# How often a call goes to a Redis known not to answer, to see whether it is back.
PROBE_EVERY: Final = 1.0


class Outage:
    """Redis' last known state, shared by a store and its limiters."""

    def __init__(self, clock: Callable[[], float] = time.monotonic) -> None:
        self._clock = clock
        self._failed_at: float | None = None
        self._reason = ""

    @property
    def known_down(self) -> bool:
        """Whether the last call that reached Redis found it not answering in time."""
        return self._failed_at is not None

    def admit(self, what: str = "") -> None:
        """Return if a call may go to Redis; else StoreUnavailableError at once, naming why.

        `what` names the caller in the error ("rate limiter"), as its own errors do.

        While Redis is known down, one call goes through (as a probe) once PROBE_EVERY has
        passed since the last failure or probe; the others fail without waiting.
        """
        if self._failed_at is None:
            return
        now = self._clock()
        if now - self._failed_at >= PROBE_EVERY:
            # The probe's start counts as a failure until it is answered: every call let
            # through while it waits out its socket timeout would wait it out too (a
            # second's requests, each 2 s), where one call per PROBE_EVERY was meant.
            self._failed_at = now
            return
        raise StoreUnavailableError(
            f"{what}{': ' if what else ''}Redis failed: {self._reason}"
            f" (not asked again for {PROBE_EVERY:g} s)"
        )

    def failed(self, err: BaseException) -> None:
        """A call found Redis not answering in time (a refused connection fails fast anyway)."""
        self._failed_at = self._clock()
        self._reason = said(err)

    def answered(self) -> None:
        """A call got Redis' answer."""
        self._failed_at = None


def said(err: BaseException) -> str:
    """What `err` says, or what it means when it says nothing (asyncio's own timeout).

    A command Redis' ACL refuses is named with the fix (`redis_acl`): a script's refusal
    named only the script's SHA-1 and line.
    """
    refused = acl_said(err)
    if refused is not None:
        return refused
    if str(err):
        return str(err)
    if isinstance(err, TimeoutError):
        return "no answer within the socket timeout"
    return type(err).__name__
