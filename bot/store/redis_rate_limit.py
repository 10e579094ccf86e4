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

Key names say what kind of count they hold (`rate:address:…`, `rate:conversation:…`,
`rate:client:webchat_messages:…`), never whose: what is counted (an address's digest, a
conversation key, a client's IP address) is named by an HMAC-SHA256 keyed with a random key
kept in the same Redis (`limit-key`), which every replica reads. Whoever may only list keys (a
memory report, `--bigkeys`, a key browser) cannot find an address again by hashing likely
local parts at the profile's domain, as they could an unsalted SHA-256.
"""

from __future__ import annotations

import asyncio
import hmac
import math
import secrets
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any, Final

import redis.asyncio as aioredis
from redis.asyncio.connection import AbstractConnection
from redis.commands.core import AsyncScript
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import NoScriptError, RedisError, ResponseError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.store.conversation_store import StoreUnavailableError
from bot.store.rate_limit import MIN_WAIT
from bot.store.redis_acl import remember
from bot.store.redis_outage import Outage, said
from bot.store.redis_wire import command, get_connection, send

# What a Redis call can fail with: redis-py's errors, the socket's, and RuntimeError, which
# uvloop raises when redis-py writes on a transport its reconnect has just closed ("unable to
# perform operation on <TCPTransport closed=True>; the handler is closed"): a 500 in the
# Redis kill-and-restart drill under load, where it is a lost connection like any other.
REDIS_FAILURES: Final = (RedisError, OSError, RuntimeError)
# Those of them that say Redis took the call and did not answer in time: a stall, which
# costs every call its whole timeout (`bot.store.redis_outage`). A refused or dropped
# connection fails at once, and a restarted Redis must be found back at once too.
NOT_ANSWERING: Final = (RedisTimeoutError, TimeoutError)

DEFAULT_PREFIX: Final = "mailmove:"

# The key naming the counts: read again this often, so that a key Redis lost (a FLUSHALL, a
# restore) and another replica made again is taken up within a minute, and kept alive this
# long after the last replica read it: far past any window, so it never expires under a
# count that still matters. A key made again only starts the counts afresh.
_KEY_REFRESH_S: Final = 60.0
_KEY_LIFETIME_MS: Final = 7 * 24 * 3600 * 1000
_KEY_NAME: Final = "limit-key"
# KEYS: the key's name. ARGV: a new random key, its lifetime in ms. The stored key (made
# from ARGV[1] if there is none), its lifetime renewed.
_READ_KEY: Final = """
local key = redis.call('GET', KEYS[1])
if not key then
  key = ARGV[1]
  redis.call('SET', KEYS[1], key)
end
redis.call('PEXPIRE', KEYS[1], ARGV[2])
return key
"""

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

# Known by their SHA-1, so that an ACL refusal met in one names its command (`redis_acl`).
for _script in (_READ_KEY, _ACQUIRE, _RETRY_AFTER):
    remember(_script)


class CountNames:
    """Names the counts in Redis: `<prefix>rate:<kind>:<HMAC of what is counted>`.

    One per store, shared by its limiters: the key is read once a minute, not per call.
    """

    def __init__(
        self,
        client: aioredis.Redis,
        *,
        prefix: str = DEFAULT_PREFIX,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self._client = client
        self._prefix = prefix
        self._clock = clock
        self._read = client.register_script(_READ_KEY)
        self._key: bytes | None = None
        self._read_at = 0.0
        self._reading: asyncio.Future[bytes] | None = None

    async def names(self, keys: Iterable[str]) -> list[str]:
        """The Redis names of `keys`, each once; a Redis failure raises its error."""
        key = await self._current()
        return [
            f"{self._prefix}rate:{_kind(name)}:{_digest(key, name)}" for name in dict.fromkeys(keys)
        ]

    async def _current(self) -> bytes:
        if self._key is not None and self._clock() - self._read_at < _KEY_REFRESH_S:
            return self._key
        if self._reading is None:  # one read for all the calls that find the key stale
            self._reading = asyncio.ensure_future(self._fetch())
        reading = self._reading
        try:
            return await asyncio.shield(reading)
        finally:
            if self._reading is reading and reading.done():
                self._reading = None

    async def _fetch(self) -> bytes:
        read_at = self._clock()
        stored = await self._read(
            keys=[f"{self._prefix}{_KEY_NAME}"], args=[secrets.token_hex(32), _KEY_LIFETIME_MS]
        )
        self._key = stored if isinstance(stored, bytes) else str(stored).encode()
        self._read_at = read_at
        return self._key


def _kind(name: str) -> str:
    # The fixed words before what is counted: a client's limit name stays readable, and an
    # IPv6 /64 (colons and all) is never taken for one.
    head, _, rest = name.partition(":")
    if head == "client" and rest:
        return f"client:{rest.partition(':')[0]}"
    return head


def _digest(key: bytes, name: str) -> str:
    # hmac.digest: one call into OpenSSL, where hmac.new built a Python HMAC object first.
    return hmac.digest(key, name.encode(), "sha256").hex()


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
        names: CountNames | None = None,
        outage: Outage | None = None,
    ) -> None:
        if limit < 1:
            raise ValueError(f"limit must be at least 1, not {limit}")
        if window <= 0:
            raise ValueError(f"window must be a positive number of seconds, not {window}")
        self._limit = limit
        self._window = window
        self._expiry_ms = math.ceil(window * 1000)
        self._clock = clock
        self._names = names or CountNames(client, prefix=prefix, clock=clock)
        self._acquire = _Batches(client, client.register_script(_ACQUIRE))
        self._retry_after = client.register_script(_RETRY_AFTER)
        # The store's: while Redis is known not to answer, a per-client limit lets the
        # request through at once (the store answers it 503) instead of waiting for Redis.
        self._outage = outage or Outage()

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
        self._outage.admit("rate limiter")
        try:
            wait = await self._acquire.call(await self._names.names(keys), args)
        except REDIS_FAILURES as err:
            raise self._unavailable(err) from err
        self._outage.answered()
        return float(wait)

    async def retry_after(self, keys: Iterable[str]) -> float:
        """Seconds until try_acquire(keys) would succeed (0 when it would now)."""
        args: list[str | int] = [repr(self._clock()), repr(self._window), self._limit]
        self._outage.admit("rate limiter")
        try:
            names = await self._names.names(keys)
            wait = await self._retry_after(keys=names, args=args)
        except REDIS_FAILURES as err:
            raise self._unavailable(err) from err
        self._outage.answered()
        return max(0.0, float(wait))

    def _unavailable(self, err: BaseException) -> StoreUnavailableError:
        if isinstance(err, NOT_ANSWERING):
            self._outage.failed(err)
        return StoreUnavailableError(f"rate limiter: Redis failed: {said(err)}")


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
        """Each call's answer (a script's error as its answer), the batch in one write.

        Straight on a connection (`redis_wire`), not through a redis-py pipeline, whose
        packing, checkout, retry wrapper and reply handling cost about 400,000 instructions
        per web chat turn, more than the turn's dialog. As the pipeline did, a dropped
        connection sends the batch again once on a fresh one.
        """
        packed = b"".join(
            [command(b"EVALSHA", self._script.sha, keys, args) for keys, args, _ in batch]
        )
        pool = self._client.connection_pool
        connection = await get_connection(pool)
        try:
            for attempt in range(2):
                try:
                    await send(connection, packed)
                    # One deadline for the batch's replies, not one per reply (each an
                    # asyncio timeout and a timer): the connection's own, as redis-py's.
                    async with asyncio.timeout(connection.socket_timeout):
                        return [await _answer(connection) for _ in batch]
                except (RedisTimeoutError, TimeoutError):
                    # The deadline passed; the read was cut off and the connection dropped,
                    # as redis-py's own timeout does. Not sent again: a Redis that did not
                    # answer in the socket timeout would not the second time either.
                    await connection.disconnect()
                    raise
                except (RedisConnectionError, OSError, RuntimeError):
                    # RuntimeError: uvloop's closed transport (see REDIS_FAILURES).
                    await connection.disconnect()
                    if attempt:
                        raise
            raise AssertionError("unreachable")  # pragma: no cover
        finally:
            # A connection left with replies unread (a cancelled read) is probed by the pool
            # before its next use, and connected afresh.
            await pool.release(connection)


async def _answer(connection: AbstractConnection) -> Any:
    """The next reply on `connection`; an error reply (NoScriptError too) is the answer."""
    try:
        # math.inf: no deadline of its own, the batch's holds (see `_Batches._pipeline`).
        return await connection.read_response(timeout=math.inf)
    except ResponseError as err:
        return err
