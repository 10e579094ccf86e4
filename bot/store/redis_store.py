"""The store for several replicas: every conversation in one Redis, any replica takes any turn.

Keys, all under a prefix (`mailmove:` unless the URL says `?prefix=`):

| key | type | holds |
| --- | --- | --- |
| `conv:{key}` | string, expires | the record, as JSON; lives `retention` past its last turn |
| `transcript:{key}` | list, expires | one JSON line per entry, oldest first (seq = position + 1) |
| `updated:{owner}` | sorted set | conversation keys by last update (`list_records`, `expire`) |
| `event:{event_id}` | string, expires | the event was handled: a redelivery is answered once |
| `lock:{key}` | string, expires | the token of the replica running the conversation's turn |
| `link:{digest}` | string, expires | a one-time link's grant: the conversation key and expiry |
| `audit:{YYYYMMDDHH}` | hash | `channel␟kind␟detail` → count, one hash per UTC hour |

A transcript line's `e` is the `event_tag` of the event whose turn wrote it, and a record's
`question` the tag of the turn that asked the open question.

A turn (`transact`) takes the conversation's lock (SET NX PX with a random token), WATCHes
the lock, the record and the event id, reads them, calls `update`, and writes record,
transcript, sorted set, audit counters, event id and the lock's release in ONE MULTI/EXEC.
The lock keeps two replicas from running one conversation at once; WATCH makes it safe even
when a lock expires under a stalled replica: the EXEC then aborts and nothing is written.
A dead replica's lock expires by itself after `lock_ms`.

A command that meets a dropped connection is retried once on a fresh one (pooled
connections go stale when Redis restarts). A turn's MULTI/EXEC never is: it runs under
WATCH, and redis-py turns a connection lost while watching into WatchError instead of
resending, since a resent EXEC whose first reply was lost would append the transcript
twice. Any other failure raises StoreUnavailableError at once: the platform gets 503 and
redelivers, and the event id makes the redelivery safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import heapq
import logging
import secrets
from collections.abc import AsyncIterator, Awaitable, Sequence
from typing import Any, Final, TypeVar, cast
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
import redis.asyncio as aioredis
from redis.asyncio.client import Pipeline
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.exceptions import ConnectionError as RedisConnectionError
from redis.exceptions import RedisError, WatchError
from redis.exceptions import TimeoutError as RedisTimeoutError

from bot.store.conversation_store import (
    Author,
    Change,
    ConversationRecord,
    LinkGrant,
    Owner,
    StoreUnavailableError,
    TranscriptEntry,
    Update,
    event_tag,
)
from bot.store.redis_rate_limit import RedisRateLimiter
from dialogs.state import DialogState

_LOGGER: Final = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_PREFIX: Final = "mailmove:"
# A turn holds its lock for a few round trips (milliseconds; p99 about 100 ms under load),
# and the lifetime is how long a conversation stays blocked when the replica holding it is
# killed, or when Redis restores the lock from its append-only file after a restart: one
# second answers the platform's retry within it. A turn that outlives its lock writes
# nothing (WATCH) and runs again, so a short lifetime costs a rerun, never a wrong write.
DEFAULT_LOCK_MS: Final = 1_000
# Platforms redeliver within minutes (Slack) to hours (LINE, Telegram): two days covers them.
DEFAULT_EVENT_TTL_S: Final = 2 * 24 * 3600
# The runtime passes MAILMOVE_RETENTION_DAYS; this is for a store built on its own.
DEFAULT_RETENTION: Final = dt.timedelta(days=90)
# Short timeouts so an unreachable Redis becomes a 503 quickly instead of holding requests.
SOCKET_TIMEOUT: Final = 2.0
CONNECT_TIMEOUT: Final = 1.0
# A turn holds a connection for a few round trips (about a millisecond), so a few dozen
# connections serve hundreds of concurrent requests per replica.
MAX_CONNECTIONS: Final = 64
POOL_WAIT: Final = 2.0
_ATTEMPTS: Final = 5  # turns retried after losing the lock (WATCH abort) before giving up
_FIRST_PAUSE: Final = 0.002
_MAX_PAUSE: Final = 0.05
_EXPIRE_BATCH: Final = 500
_AUDIT_BATCH: Final = 1_000
_SEP: Final = "\x1f"
_OUR_PARAMETERS: Final = frozenset({"prefix", "lock_ms", "event_ttl_s"})

# Delete the lock only if it still holds our token: after expiry it may be another's.
_RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# KEYS[1]: an owner's sorted set; then the record and transcript of each candidate.
# ARGV[1]: the cutoff; then each candidate's member name. A candidate updated since it was
# listed (its score moved past the cutoff) is kept.
_EXPIRE: Final = """
local removed = 0
local cutoff = tonumber(ARGV[1])
for i = 2, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) < cutoff then
    redis.call('DEL', KEYS[2 * i - 2], KEYS[2 * i - 1])
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed
"""


class _LockLostError(Exception):
    """The lock expired under us and another replica may have written: run the turn again."""


class RedisStore:
    """`ConversationStore` on Redis, shared by every replica."""

    def __init__(
        self,
        url: str,
        *,
        prefix: str = DEFAULT_PREFIX,
        lock_ms: int = DEFAULT_LOCK_MS,
        event_ttl_s: int = DEFAULT_EVENT_TTL_S,
        retention: dt.timedelta = DEFAULT_RETENTION,
    ) -> None:
        if retention <= dt.timedelta(0):
            raise ValueError(f"retention must be positive, not {retention}")
        if lock_ms < 10:
            raise ValueError(f"lock_ms must be at least 10 milliseconds, not {lock_ms}")
        if event_ttl_s < 1:
            raise ValueError(f"event_ttl_s must be at least 1 second, not {event_ttl_s}")
        self._url = url
        self._prefix = prefix
        self._lock_ms = lock_ms
        # A waiter outlasts the lock's lifetime, so a dead holder never makes it give up.
        self._lock_wait = lock_ms / 1000 + 1.0
        self._event_ttl_ms = event_ttl_s * 1000
        self._retention_ms = int(retention.total_seconds() * 1000)
        self._local = _KeyedLocks()
        self._redis: aioredis.Redis | None = None
        self._connect()

    @classmethod
    def from_url(cls, url: str, *, retention: dt.timedelta = DEFAULT_RETENTION) -> RedisStore:
        """`redis://[:password@]host:port/db[?prefix=...&lock_ms=...&event_ttl_s=...]`.

        `rediss://` for TLS. Other query parameters go to redis-py unchanged.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError(f"not a Redis URL: {url!r}")
        ours: dict[str, str] = {}
        theirs: list[tuple[str, str]] = []
        for name, value in parse_qsl(parts.query, keep_blank_values=True):
            if name in _OUR_PARAMETERS:
                ours[name] = value
            else:
                theirs.append((name, value))
        try:
            lock_ms = int(ours.get("lock_ms", DEFAULT_LOCK_MS))
            event_ttl_s = int(ours.get("event_ttl_s", DEFAULT_EVENT_TTL_S))
        except ValueError:
            raise ValueError(f"{url!r}: lock_ms and event_ttl_s must be whole numbers") from None
        return cls(
            urlunsplit(parts._replace(query=urlencode(theirs))),
            prefix=ours.get("prefix", DEFAULT_PREFIX),
            lock_ms=lock_ms,
            event_ttl_s=event_ttl_s,
            retention=retention,
        )

    @property
    def client(self) -> aioredis.Redis:
        """The Redis client (a connection pool); raises once the store is closed."""
        if self._redis is None:
            raise StoreUnavailableError("the Redis store is closed")
        return self._redis

    def rate_limiter(self, limit: int, window: float) -> RedisRateLimiter:
        """A login-check rate limit that every replica on this Redis shares."""
        return RedisRateLimiter(self.client, limit, window, prefix=self._prefix)

    @property
    def prefix(self) -> str:
        """What every key of this store starts with."""
        return self._prefix

    def _connect(self) -> None:
        # Creating the client opens no connection: the first command does. So a replica
        # starts while Redis is down, reports itself not ready (`/readyz`) and answers 503
        # until Redis is back, instead of crash-looping.
        # A blocking pool: past MAX_CONNECTIONS busy at once, a turn waits its turn for a
        # connection (up to POOL_WAIT) instead of failing at once with "Too many connections".
        pool = aioredis.BlockingConnectionPool.from_url(
            self._url,
            max_connections=MAX_CONNECTIONS,
            timeout=POOL_WAIT,
            socket_timeout=SOCKET_TIMEOUT,
            socket_connect_timeout=CONNECT_TIMEOUT,
            retry=Retry(NoBackoff(), 1),
            decode_responses=False,
        )
        self._redis = aioredis.Redis.from_pool(pool)
        self._release_script = self._redis.register_script(_RELEASE)
        self._expire_script = self._redis.register_script(_EXPIRE)

    async def open(self) -> None:
        """Nothing to create in Redis; reconnects a store that was closed."""
        if self._redis is None:
            self._connect()

    async def close(self) -> None:
        """Close every connection."""
        if self._redis is not None:
            await self._redis.aclose()
            self._redis = None

    async def ping(self) -> None:
        """Fail unless Redis answers PING."""
        await _call(self.client.ping())

    # -- one turn ------------------------------------------------------------------------

    async def transact(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        """Run one turn of `key` under its lock, once per `event_id`, all or nothing."""
        # Turns of one conversation in this process queue here instead of polling Redis.
        async with self._local.hold(key):
            for _ in range(_ATTEMPTS):
                token = await self._acquire(key)
                try:
                    return await self._turn(key, event_id, update, token)
                except _LockLostError:
                    _LOGGER.warning("Lost a conversation lock mid-turn; running the turn again")
                    continue
        raise StoreUnavailableError(f"a turn lost its lock {_ATTEMPTS} times in a row")

    async def _acquire(self, key: str) -> bytes:
        token = secrets.token_hex(16).encode()
        lock = self._key("lock", key)
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._lock_wait
        pause = _FIRST_PAUSE
        while not await _call(self.client.set(lock, token, nx=True, px=self._lock_ms)):
            if loop.time() >= deadline:
                raise StoreUnavailableError(
                    f"a conversation stayed locked for more than {self._lock_wait:.1f} s"
                )
            # Another replica is running this conversation's turn, which takes milliseconds;
            # if that replica died, its lock expires within lock_ms.
            await asyncio.sleep(pause)
            pause = min(pause * 2, _MAX_PAUSE)
        return token

    async def _turn(
        self, key: str, event_id: str | None, update: Update[T], token: bytes
    ) -> Change[T] | None:
        lock, conv = self._key("lock", key), self._key("conv", key)
        event = self._key("event", event_id) if event_id is not None else None
        written = False
        try:
            async with self.client.pipeline(transaction=True) as pipe:
                await pipe.watch(lock, conv, *([event] if event else []))
                holder, raw, seen = cast(
                    "list[bytes | None]", await pipe.mget(lock, conv, event or conv)
                )
                if holder != token:
                    raise _LockLostError
                if event is not None and seen is not None:
                    return None
                change = update(_decode_record(key, raw) if raw is not None else None)
                if change is None:
                    return None
                if change.record.key != key:
                    raise ValueError(
                        f"update for {key!r} returned a record for {change.record.key!r}"
                    )
                pipe.multi()  # type: ignore[no-untyped-call]  # redis-py leaves it unannotated
                self._queue_writes(pipe, change, event, event_id)
                # WATCH guarantees the lock still holds our token at EXEC, so releasing it
                # here unconditionally is safe and saves a round trip.
                pipe.delete(lock)
                await pipe.execute()
                written = True
                return change
        except WatchError as err:
            if isinstance(err.__context__, (RedisConnectionError, RedisTimeoutError, OSError)):
                # redis-py reports a dropped connection during WATCH as WatchError.
                raise StoreUnavailableError(f"Redis connection lost: {err}") from err
            raise _LockLostError from err
        except (RedisError, OSError) as err:
            raise StoreUnavailableError(f"Redis failed: {err}") from err
        finally:
            if not written:
                await self._release_quietly(lock, token)

    def _queue_writes(
        self, pipe: Pipeline, change: Change[Any], event: str | None, event_id: str | None
    ) -> None:
        record = change.record
        conv = self._key("conv", record.key)
        # Every turn renews the retention: a conversation left alone for that long is gone
        # by itself, so Redis stays bounded even if the expiry task never runs.
        pipe.set(conv, _encode_record(record), px=self._retention_ms)
        if change.transcript:
            transcript = self._key("transcript", record.key)
            tag = event_tag(event_id) if event_id is not None else None
            pipe.rpush(transcript, *(_encode_line(line, tag) for line in change.transcript))
            pipe.pexpire(transcript, self._retention_ms)
        score = record.updated_at.timestamp()
        for owner in Owner:
            if owner is record.owner:
                pipe.zadd(self._key("updated", owner.value), {record.key: score})
            else:
                pipe.zrem(self._key("updated", owner.value), record.key)
        for audit in change.audit:
            field = _SEP.join((audit.channel, audit.kind, audit.detail))
            pipe.hincrby(self._key("audit", _hour(audit.at)), field, 1)
        for grant in change.grants:
            # Lives as long as the link: measured on the engine's clock, like `expires`.
            lifetime = grant.expires - record.updated_at
            pipe.set(
                self._key("link", grant.digest),
                orjson.dumps({"k": grant.key, "e": _iso(grant.expires)}),
                px=max(1, int(lifetime.total_seconds() * 1000)),
            )
        if event is not None:
            pipe.set(event, b"1", px=self._event_ttl_ms)

    async def _release_quietly(self, lock: str, token: bytes) -> None:
        try:
            await self._release_script(keys=[lock], args=[token])
        except (RedisError, OSError) as err:
            # The lock expires by itself within lock_ms; the turn's own error matters more.
            _LOGGER.warning("Could not release a conversation lock: %s", err)

    # -- reads ---------------------------------------------------------------------------

    async def load(self, key: str) -> ConversationRecord | None:
        """The stored record, or None."""
        raw = await _call(self.client.get(self._key("conv", key)))
        return _decode_record(key, raw) if raw is not None else None

    async def transcript(self, key: str, *, after: int = 0) -> list[TranscriptEntry]:
        """The conversation's lines past `after`, oldest first, numbered from 1."""
        start = max(after, 0)
        raw = await _call(self.client.lrange(self._key("transcript", key), start, -1))
        return [_decode_line(line, start + n) for n, line in enumerate(raw, start=1)]

    async def memory(self) -> tuple[int, int]:
        """Redis' used memory and its maxmemory (0 when unlimited), in bytes."""
        info = await _call(self.client.info("memory"))
        return int(info.get("used_memory", 0)), int(info.get("maxmemory", 0))

    async def find_grant(self, digest: str) -> LinkGrant | None:
        """The link grant stored under `digest`, or None (unknown, or expired in Redis)."""
        raw = await _call(self.client.get(self._key("link", digest)))
        if raw is None:
            return None
        body = orjson.loads(raw)
        return LinkGrant(digest, str(body["k"]), dt.datetime.fromisoformat(body["e"]))

    async def list_records(
        self, *, owner: Owner | None = None, limit: int = 100
    ) -> list[ConversationRecord]:
        """The most recently updated conversations, newest first."""
        if limit <= 0:
            return []
        owners = [owner] if owner is not None else list(Owner)
        ranked: list[list[tuple[bytes, float]]] = []
        for who in owners:
            ranked.append(
                await _call(
                    self.client.zrevrange(
                        self._key("updated", who.value), 0, limit - 1, withscores=True
                    )
                )
            )
        merged = heapq.merge(*ranked, key=lambda item: item[1], reverse=True)
        keys = [member.decode() for member, _ in list(merged)[:limit]]
        if not keys:
            return []
        raws = await _call(self.client.mget([self._key("conv", k) for k in keys]))
        return [_decode_record(k, raw) for k, raw in zip(keys, raws, strict=True) if raw]

    async def audit_counts(
        self, since: dt.datetime, until: dt.datetime
    ) -> dict[tuple[str, str], int]:
        """Audit events per (kind, detail), counted by the UTC hour.

        An hour's counts belong to the period when the hour starts inside [since, until):
        periods that start and end on whole hours (days, months) are exact.
        """
        hours = list(_hours(since, until))
        counts: dict[tuple[str, str], int] = {}
        for first in range(0, len(hours), _AUDIT_BATCH):
            try:
                async with self.client.pipeline(transaction=False) as pipe:
                    for hour in hours[first : first + _AUDIT_BATCH]:
                        pipe.hgetall(self._key("audit", hour))
                    buckets = await pipe.execute()
            except (RedisError, OSError) as err:
                raise StoreUnavailableError(f"Redis failed: {err}") from err
            for bucket in buckets:
                for field, value in bucket.items():
                    _, kind, detail = field.decode().split(_SEP, 2)
                    counts[(kind, detail)] = counts.get((kind, detail), 0) + int(value)
        return counts

    # -- housekeeping --------------------------------------------------------------------

    async def expire(self, before: dt.datetime) -> int:
        """Delete conversations (record and transcript) not updated since `before`.

        Event ids and locks expire by themselves; audit counters are kept.
        """
        cutoff = before.timestamp()
        removed = 0
        for owner in Owner:
            ranking = self._key("updated", owner.value)
            while True:
                members: list[bytes] = await _call(
                    self.client.zrangebyscore(
                        ranking, "-inf", f"({cutoff!r}", start=0, num=_EXPIRE_BATCH
                    )
                )
                if not members:
                    break
                keys = [ranking]
                for member in members:
                    name = member.decode()
                    keys += [self._key("conv", name), self._key("transcript", name)]
                expired = self._expire_script(keys=keys, args=[cutoff, *members])
                removed += int(await _call(expired))
        return removed

    def _key(self, kind: str, name: str) -> str:
        return f"{self._prefix}{kind}:{name}"


async def _call(pending: Awaitable[Any] | Any) -> Any:
    """Await one Redis command, turning any failure into StoreUnavailableError."""
    try:
        return await pending
    except (RedisError, OSError) as err:
        raise StoreUnavailableError(f"Redis failed: {err}") from err


class _KeyedLocks:
    """One asyncio lock per conversation key, dropped when nobody holds or waits for it."""

    def __init__(self) -> None:
        self._locks: dict[str, tuple[asyncio.Lock, int]] = {}

    @contextlib.asynccontextmanager
    async def hold(self, key: str) -> AsyncIterator[None]:
        lock, users = self._locks.get(key, (None, 0))
        if lock is None:
            lock = asyncio.Lock()
        self._locks[key] = (lock, users + 1)
        try:
            async with lock:
                yield
        finally:
            _, users = self._locks[key]
            if users == 1:
                del self._locks[key]  # an idle replica keeps nothing per conversation
            else:
                self._locks[key] = (lock, users - 1)

    def __len__(self) -> int:
        return len(self._locks)


def _hour(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).strftime("%Y%m%d%H")


def _hours(since: dt.datetime, until: dt.datetime) -> Sequence[str]:
    start = since.astimezone(dt.UTC)
    hour = start.replace(minute=0, second=0, microsecond=0)
    if hour < start:
        hour += dt.timedelta(hours=1)
    end = until.astimezone(dt.UTC)
    found: list[str] = []
    while hour < end:
        found.append(hour.strftime("%Y%m%d%H"))
        hour += dt.timedelta(hours=1)
    return found


def _iso(moment: dt.datetime) -> str:
    return moment.astimezone(dt.UTC).isoformat()


def _encode_record(record: ConversationRecord) -> bytes:
    return orjson.dumps(
        {
            "channel": record.channel,
            "owner": record.owner.value,
            "dialog": record.dialog.to_json(),
            "created_at": _iso(record.created_at),
            "updated_at": _iso(record.updated_at),
            **({"question": record.question} if record.question is not None else {}),
        }
    )


def _decode_record(key: str, raw: bytes) -> ConversationRecord:
    data = orjson.loads(raw)
    try:
        state = DialogState.from_json(data["dialog"])
    except (KeyError, ValueError, TypeError, AttributeError):
        # A record written by an incompatible version restarts its dialog rather than failing.
        state = DialogState()
    return ConversationRecord(
        key=key,
        channel=str(data["channel"]),
        owner=Owner(data["owner"]),
        dialog=state,
        created_at=dt.datetime.fromisoformat(data["created_at"]),
        updated_at=dt.datetime.fromisoformat(data["updated_at"]),
        question=data.get("question"),
    )


def _encode_line(entry: TranscriptEntry, event: str | None = None) -> bytes:
    line: dict[str, object] = {"at": _iso(entry.at), "author": entry.author, "text": entry.text}
    if entry.reply is not None:
        line["reply"] = entry.reply
    if event is not None:
        line["e"] = event
    return orjson.dumps(line)


def _decode_line(raw: bytes, seq: int) -> TranscriptEntry:
    data = orjson.loads(raw)
    return TranscriptEntry(
        at=dt.datetime.fromisoformat(data["at"]),
        author=cast(Author, data["author"]),
        text=data["text"],
        reply=data.get("reply"),
        seq=seq,
        event=data.get("e"),
    )
