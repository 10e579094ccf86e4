"""The login-check rate limit shared by every replica, kept in Redis.

The same sliding window as `SlidingWindowLimiter`: at most `limit` attempts per key within
any `window` seconds, an attempt counting against every key at once or against none. Each
key is a sorted set of attempt times that expires with its window, and one Lua script checks
and records all keys atomically, so two replicas can never both take the last attempt.

Times come from the wall clock of the replica asking: replicas' clocks agree to well under
a second (NTP), which is nothing next to a window of minutes.

`acquire` is on the path of every web chat message (`bot.web.client_limit`), so the calls
made in one pass of the event loop go to Redis together, in one pipeline: redis-py spends
about 300 µs of CPU on a lone command and about 70 µs each on twenty pipelined ones (on the
shared 2-core machine), and under load many requests reach the limiter in the same pass.
"""

from __future__ import annotations

import asyncio
import math
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import redis.asyncio as aioredis
from redis.commands.core import AsyncScript
from redis.exceptions import NoScriptError, RedisError

from bot.store.conversation_store import StoreUnavailableError
from bot.store.rate_limit import MIN_WAIT

# What a Redis call can fail with: redis-py's errors, the socket's, and RuntimeError, which
# uvloop raises when redis-py writes on a transport its reconnect has just closed ("unable to
# perform operation on <TCPTransport closed=True>; the handler is closed"): a 500 in the
# Redis kill-and-restart drill under load, where it is a lost connection like any other.
REDIS_FAILURES: Final = (RedisError, OSError, RuntimeError)

DEFAULT_PREFIX: Final = "mailmove:"

# KEYS: the attempt sets. ARGV: now, window, limit, this attempt's member, expiry in ms,
# the least wait of a refusal. Records the attempt against every key and returns '0', or,
# when any key is full, records nothing and returns the wait until the oldest attempt that
# keeps a key full leaves the window. A string: Redis would truncate a Lua number to an
# integer.
_ACQUIRE: Final = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local full, wait = false, 0
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    full = true
    local entry = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(entry[2]) + window - now)
  end
end
if full then
  return tostring(math.max(wait, tonumber(ARGV[6])))
end
for _, key in ipairs(KEYS) do
  redis.call('ZADD', key, now, ARGV[4])
  redis.call('PEXPIRE', key, ARGV[5])
end
return '0'
"""
# The same wait, recording nothing.
_RETRY_AFTER: Final = """
local now, window, limit = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
local wait = 0
for _, key in ipairs(KEYS) do
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window)
  local count = redis.call('ZCARD', key)
  if count >= limit then
    local entry = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
    wait = math.max(wait, tonumber(entry[2]) + window - now)
  end
end
return tostring(wait)
"""


class RedisRateLimiter:
    """`RateLimiter` shared through Redis; a Redis failure raises StoreUnavailableError.

    Raising rather than answering is deliberate: a limiter that cannot count must not let
    the attempt through, and must not tell the subscriber they tried too often either.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        limit: int,
        window: float,
        *,
        prefix: str = DEFAULT_PREFIX,
        clock: Callable[[], float] = time.time,
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if window <= 0:
            raise ValueError(f"window must be a positive number of seconds, not {window}")
        self._limit = limit
        self._window = window
        self._expiry_ms = math.ceil(window * 1000)
        self._prefix = prefix
        self._clock = clock
        self._acquire = _Batches(client, client.register_script(_ACQUIRE))
        self._retry_after = client.register_script(_RETRY_AFTER)

    async def try_acquire(self, keys: Iterable[str]) -> bool:
        """Record one attempt against every key and return True, or record none and refuse."""
        return await self.acquire(keys) == 0

    async def acquire(self, keys: Iterable[str]) -> float:
        """Record one attempt against every key and return 0, or record none: the wait.

        The wait is the seconds until an attempt would be recorded (at least `MIN_WAIT`);
        one round trip either way.
        """
        now = self._clock()
        # Unique even when two attempts share a timestamp, so neither replaces the other.
        member = f"{now!r}:{secrets.token_hex(6)}"
        window, limit, expiry = repr(self._window), self._limit, self._expiry_ms
        args: list[str | int] = [repr(now), window, limit, member, expiry, repr(MIN_WAIT)]
        try:
            wait = await self._acquire.call(self._keys(keys), args)
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"rate limiter: Redis failed: {err}") from err
        return float(wait)

    async def retry_after(self, keys: Iterable[str]) -> float:
        """Seconds until try_acquire(keys) would succeed (0 when it would now)."""
        args: list[str | int] = [repr(self._clock()), repr(self._window), self._limit]
        try:
            wait = await self._retry_after(keys=self._keys(keys), args=args)
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"rate limiter: Redis failed: {err}") from err
        return max(0.0, float(wait))

    def _keys(self, keys: Iterable[str]) -> list[str]:
        # The same key twice in one call must count once, not twice.
        return [f"{self._prefix}rate:{key}" for key in dict.fromkeys(keys)]


_Call = tuple[list[str], list[str | int], "asyncio.Future[Any]"]


class _Batches:
    """Runs a script once per call, the calls of one pass of the event loop in one pipeline."""

    def __init__(self, client: aioredis.Redis, script: AsyncScript) -> None:
        self._client = client
        self._script = script
        self._waiting: list[_Call] = []
        self._sending: set[asyncio.Task[None]] = set()  # held: the loop keeps weak references

    async def call(self, keys: list[str], args: list[str | int]) -> Any:
        """The script's answer for `keys` and `args`; a Redis failure raises its error."""
        loop = asyncio.get_running_loop()
        if not self._waiting:
            loop.call_soon(self._flush)
        future: asyncio.Future[Any] = loop.create_future()
        self._waiting.append((keys, args, future))
        return await future

    def _flush(self) -> None:
        batch, self._waiting = self._waiting, []
        task = asyncio.get_running_loop().create_task(self._send(batch), name="rate-limit")
        self._sending.add(task)
        task.add_done_callback(self._sending.discard)

    async def _send(self, batch: Sequence[_Call]) -> None:
        try:
            answers = await self._run(batch)
        except asyncio.CancelledError:  # the loop closing: its callers are cancelled too
            for _, _, future in batch:
                future.cancel()
            raise
        except Exception as err:  # every caller gets the failure: none may wait forever
            for _, _, future in batch:
                if not future.done():
                    future.set_exception(err)
            return
        for (_, _, future), answer in zip(batch, answers, strict=True):
            if future.done():  # its caller went away
                continue
            if isinstance(answer, Exception):
                future.set_exception(answer)
            else:
                future.set_result(answer)

    async def _run(self, batch: Sequence[_Call]) -> list[Any]:
        answers = await self._pipeline(batch)
        missing = [n for n, answer in enumerate(answers) if isinstance(answer, NoScriptError)]
        if missing:
            # Redis restarted (or was flushed) since the script was loaded: load it and run
            # again the calls that did not run.
            await self._client.script_load(self._script.script)
            again = await self._pipeline([batch[n] for n in missing])
            for n, answer in zip(missing, again, strict=True):
                answers[n] = answer
        return answers

    async def _pipeline(self, batch: Sequence[_Call]) -> list[Any]:
        pipe = self._client.pipeline(transaction=False)
        for keys, args, _ in batch:
            pipe.evalsha(self._script.sha, len(keys), *keys, *args)
        return list(await pipe.execute(raise_on_error=False))
