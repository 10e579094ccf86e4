"""The store for several replicas: every conversation in one Redis, any replica takes any turn.

Keys, all under a prefix (`mailmove:` unless the URL says `?prefix=`):

| key | type | holds |
| --- | --- | --- |
| `conv:{key}` | string, expires | the record, as JSON; lives `retention` past its last turn |
| `transcript:{key}` | list, expires | one JSON line per entry, oldest first (seq = position + 1) |
| `updated:{owner}` | sorted set, expires | conversation keys by last update (`list_records`) |
| `event:{event_id}` | string, expires | the event was handled: a redelivery is answered once |
| `lock:{key}` | string, expires | the token of the replica running the conversation's turn |
| `link:{digest}` | string, expires | a link's grant: conversation key, expiry; kept past it |
| `audit:{YYYYMMDDHH}` | hash, expires | `channel␟kind␟detail` → count, one hash per UTC hour |

Every key expires by itself, so Redis stays bounded even if the hourly `expire` task never
runs: a conversation's keys `retention` after its last turn (an `updated` set as long as
the newest conversation in it), an audit hour `audit_lifetime` after its last count.

A transcript line's `e` is the `event_tag` of the event whose turn wrote it, and a record's
`question` the tag of the turn that asked the open question.

A turn (`transact`) is two round trips, each one Lua script (atomic in Redis):

1. `_BEGIN`: unless the event id was handled, take the conversation's lock (SET NX PX with
   a random token) and read the record and its transcript's length;
2. `update` runs here, in the replica;
3. `_COMMIT`: if the lock still holds our token, write record, transcript, sorted sets,
   audit counters, link grants and event id, and release the lock, all at once.

The lock keeps two replicas from running one conversation at once, and the token check at
commit fences a replica that stalled past its lock's lifetime: its commit writes nothing
and the turn runs again. So the lifetime only has to outlast a turn's own work (a few
milliseconds), and it is short: a killed replica's lock, or one Redis restores from its
append-only file after a restart, blocks its conversation for `lock_ms` (500 ms) at most.

Every record written carries that turn's token, so a commit whose reply was lost can be
sent again: finding its own record in place, it answers "written" and writes nothing twice.
A command that meets a dropped connection is retried once on a fresh one (pooled
connections go stale when Redis restarts); one Redis does not answer within SOCKET_TIMEOUT
is not (a stalled Redis would not answer the second time either), and until a probe finds
Redis answering again the store's and its limiters' calls fail at once
(`bot.store.redis_outage`). Any other failure raises StoreUnavailableError at once: the
platform gets 503 and redelivers, and the event id makes the redelivery safe.
"""

from __future__ import annotations

import asyncio
import contextlib
import datetime as dt
import functools
import hashlib
import heapq
import inspect
import logging
import math
import re
import secrets
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping, Sequence
from typing import Any, Final, TypeVar, cast
from urllib.parse import SplitResult, parse_qsl, urlencode, urlsplit, urlunsplit

import orjson
import redis.asyncio as aioredis
from redis.asyncio.connection import AbstractConnection
from redis.asyncio.retry import Retry
from redis.backoff import NoBackoff
from redis.commands.core import AsyncScript
from redis.exceptions import (
    AuthenticationError,
    AuthorizationError,
    NoScriptError,
    OutOfMemoryError,
    ReadOnlyError,
    RedisError,
    ResponseError,
)
from redis.exceptions import ConnectionError as RedisConnectionError

from bot.store.conversation_store import (
    WITHDRAWN_REPLY_TEXT,
    WITHDRAWN_TEXT,
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
from bot.store.redis_acl import FOR_STATS, remember
from bot.store.redis_acl import OPTIONAL as OPTIONAL_COMMANDS
from bot.store.redis_acl import fix as acl_fix
from bot.store.redis_acl import refused as acl_refused
from bot.store.redis_acl import said as acl_said
from bot.store.redis_outage import Outage, said
from bot.store.redis_rate_limit import (
    NOT_ANSWERING,
    REDIS_FAILURES,
    CountNames,
    RedisRateLimiter,
)
from bot.store.redis_tls import tls_mismatch
from bot.store.redis_wire import Arg as _Arg
from bot.store.redis_wire import command as _command
from bot.store.redis_wire import get_connection as _get_connection
from bot.store.redis_wire import send as _send
from dialogs import frozen
from dialogs.state import DialogState

_LOGGER: Final = logging.getLogger(__name__)
T = TypeVar("T")

DEFAULT_PREFIX: Final = "mailmove:"
# A turn holds its lock from its read to its commit (the dialog step in between: about a
# millisecond, tens under load), and the lifetime is how long a conversation stays blocked
# when the replica holding it is killed, or when Redis restores the lock from its
# append-only file after a restart: half a second answers the platform's retry within a
# second. A turn that outlives its lock writes nothing (the commit checks the token) and
# runs again, so a short lifetime costs a rerun, never a wrong write.
DEFAULT_LOCK_MS: Final = 500
# The longest lifetime `lock_ms` may give: a replica killed mid-turn leaves its conversations
# locked that long, and a turn waiting for the lock waits it and a second more. Unbounded,
# `lock_ms=99999999999999` locked them for good (3,000 years); a minute is past what the
# bench needs under valgrind (60000) and what any platform's retry waits for an answer.
MAX_LOCK_MS: Final = 60_000
# A hundred years, as MAILMOVE_RETENTION_DAYS: Redis takes a key's lifetime in milliseconds
# that fit in 64 bits, and past them every turn failed ("value is not an integer or out of
# range"); a timedelta of more days than it holds ended start-up in an OverflowError's
# traceback.
MAX_EVENT_TTL_S: Final = 36_500 * 86_400
MAX_AUDIT_DAYS: Final = 36_500
# Platforms redeliver within minutes (Slack) to hours (LINE, Telegram): two days covers them.
DEFAULT_EVENT_TTL_S: Final = 2 * 24 * 3600
# The runtime passes MAILMOVE_RETENTION_DAYS; this is for a store built on its own.
DEFAULT_RETENTION: Final = dt.timedelta(days=90)
# The audit counts' reader is `mailmove stats` (bot/ops/stats.py): the desk's figures for a
# period, which may be the whole migration, months after its last conversation expired; the
# counts hold no personal data and are meant to outlive the transcripts. So an hour's counts
# live a year and a month past its last count (a year back from any day, with room for the
# month of a migration's window), and never less than the conversations' retention. One
# hash per hour, 9,600 at most: an hour with every kind on all five channels (55 fields)
# measured 2,120 bytes (MEMORY USAGE), so 20 MB at most, within maxmemory's 800 MB.
DEFAULT_AUDIT_LIFETIME: Final = dt.timedelta(days=400)
# Short timeouts so an unreachable Redis becomes a 503 quickly instead of holding requests.
SOCKET_TIMEOUT: Final = 2.0
CONNECT_TIMEOUT: Final = 1.0
# A turn holds a connection for a few round trips (about a millisecond), so a few dozen
# connections serve hundreds of concurrent requests per replica.
MAX_CONNECTIONS: Final = 64
POOL_WAIT: Final = 2.0
# Connections kept between turns, out of the pool's MAX_CONNECTIONS (see `_give_back`).
TURN_CONNECTIONS: Final = MAX_CONNECTIONS // 2
_ATTEMPTS: Final = 5  # turns retried after losing the lock (WATCH abort) before giving up
_FIRST_PAUSE: Final = 0.002
_MAX_PAUSE: Final = 0.05
_EXPIRE_BATCH: Final = 500
_AUDIT_BATCH: Final = 1_000
_HOUR: Final = dt.timedelta(hours=1)
_SCAN_COUNT: Final = 1_000
# A key move's walk for event ids and grants: Redis matches ten thousand keys a call (a
# millisecond or two of its time) and returns only the few that can be the moved ones'.
_MOVE_SCAN_COUNT: Final = 10_000
_SEP: Final = "\x1f"
# Which of `_COMMIT`'s three `updated` keys (1-3, in Owner's order) holds an owner's.
_OWNER_POSITION: Final = {owner: position for position, owner in enumerate(Owner, start=1)}
# Records remembered as last written (see `_stored_record`): the conversations active now.
REMEMBERED_RECORDS: Final = 4096
_OUR_PARAMETERS: Final = frozenset({"prefix", "lock_ms", "event_ttl_s", "audit_days"})

# KEYS: the lock, the record, the event id (the record again when the turn has none), the
# transcript. ARGV: our token, the lock's lifetime in ms, "1" when the turn has an event id.
# Returns {-1} for a handled event, {0} while another holds the lock, else {1, the number of
# transcript lines, record} (the lock already ours counts: this is the same call sent again
# after a lost reply). The number comes before the record, which may be nil (the end of a
# Lua array).
_BEGIN: Final = """
if ARGV[3] == '1' and redis.call('EXISTS', KEYS[3]) == 1 then
  return {-1}
end
if not redis.call('SET', KEYS[1], ARGV[1], 'NX', 'PX', ARGV[2])
    and redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return {0}
end
return {1, redis.call('LLEN', KEYS[4]), redis.call('GET', KEYS[2])}
"""
# KEYS: 1 the lock, 2 the record, 3 the transcript, 4 the event id (the record again when
# none), 5-7 the `updated` sets of each owner, then an audit hash per audit event and a
# link key per grant. ARGV: 1 our token, 2 the record (carrying our token), 3 retention ms,
# 4 "1" when the turn has an event id, 5 the event's ttl ms, 6 the score, 7 the member,
# 8 which of keys 5-7 holds the conversation now (1-3), 9 the SHA-1 of the record the turn
# read ("" for none), 10 the number of lines, the lines, the number of audit events, the
# audit hashes' lifetime ms and the events' fields, the number of grants and each one's
# value and ttl ms, the number of withdrawn event tags, the tags and the words they become,
# then the same for the event tags whose bot lines are withdrawn, then the number of words
# masked and each one's (words, what they become): replaced in the stored bytes of every bot
# line holding them (its fields' order and its reply's JSON left as written).
# Returns 1 when written (or found written: a resend after a lost reply), 0 when another
# replica may have written since the read: the turn runs again.
_COMMIT: Final = """
-- A rewritten line as `_encode_line` writes one (time, author, text, event), not in
-- cjson's order: `_LATEST_LINE` reads the author right after the time.
local function line_json(line)
  local out = '{"at":' .. cjson.encode(line.at) .. ',"author":' .. cjson.encode(line.author)
    .. ',"text":' .. cjson.encode(line.text)
  if type(line.e) == 'string' then
    out = out .. ',"e":' .. cjson.encode(line.e)
  end
  return out .. '}'
end
local holder = redis.call('GET', KEYS[1])
if holder ~= ARGV[1] then
  local current = redis.call('GET', KEYS[2])
  if current == ARGV[2] then
    return 1
  end
  if holder then
    return 0
  end
  -- Our lock ran out (a busy replica) and nobody took it: the turn still stands if nothing
  -- was written since its read (every record carries its writer's token, so equal bytes
  -- mean no write) and its event is still unhandled.
  if (current and redis.sha1hex(current) or '') ~= ARGV[9] then
    return 0
  end
  if ARGV[4] == '1' and redis.call('EXISTS', KEYS[4]) == 1 then
    return 0
  end
end
redis.call('SET', KEYS[2], ARGV[2], 'PX', ARGV[3])
local lines = tonumber(ARGV[10])
if lines > 0 then
  redis.call('RPUSH', KEYS[3], unpack(ARGV, 11, 10 + lines))
  redis.call('PEXPIRE', KEYS[3], ARGV[3])
end
local owner = tonumber(ARGV[8])
for i = 1, 3 do
  if i == owner then
    redis.call('ZADD', KEYS[4 + i], ARGV[6], ARGV[7])
    -- Its newest member's record lives the retention from now, so the set does too.
    redis.call('PEXPIRE', KEYS[4 + i], ARGV[3])
  else
    redis.call('ZREM', KEYS[4 + i], ARGV[7])
  end
end
local at = 11 + lines
local audits = tonumber(ARGV[at])
for i = 1, audits do
  redis.call('HINCRBY', KEYS[7 + i], ARGV[at + 1 + i], 1)
  redis.call('PEXPIRE', KEYS[7 + i], ARGV[at + 1])
end
at = at + audits + 2
local grants = tonumber(ARGV[at])
for i = 1, grants do
  redis.call('SET', KEYS[7 + audits + i], ARGV[at + 2 * i - 1], 'PX', ARGV[at + 2 * i])
end
at = at + 2 * grants + 1
local withdrawn = tonumber(ARGV[at])
local said_at = at + withdrawn + 2
local said_back = tonumber(ARGV[said_at])
local masked_at = said_at + said_back + 2
local masked = tonumber(ARGV[masked_at])
if withdrawn > 0 or said_back > 0 or masked > 0 then
  local stored = redis.call('LRANGE', KEYS[3], 0, -1)
  for i = 1, #stored do
    local line = cjson.decode(stored[i])
    local changed = false
    if line.author == 'bot' then
      local raw = stored[i]
      for j = 1, masked do
        local words = ARGV[masked_at + 2 * j - 1]
        local shown = ARGV[masked_at + 2 * j]
        local pieces = {}
        local from = 1
        while #words > 0 do
          local first, last = string.find(raw, words, from, true)
          if not first then
            break
          end
          pieces[#pieces + 1] = string.sub(raw, from, first - 1)
          pieces[#pieces + 1] = shown
          from = last + 1
        end
        if from > 1 then
          pieces[#pieces + 1] = string.sub(raw, from)
          raw = table.concat(pieces)
        end
      end
      if raw ~= stored[i] then
        redis.call('LSET', KEYS[3], i - 1, raw)
      end
    end
    for j = 1, withdrawn do
      if line.author == 'subscriber' and line.e == ARGV[at + j] then
        line.text = ARGV[at + withdrawn + 1]
        line.reply = nil
        changed = true
      end
    end
    for j = 1, said_back do
      if line.author == 'bot' and line.e == ARGV[said_at + j] then
        line.text = ARGV[said_at + said_back + 1]
        line.reply = nil
        changed = true
      end
    end
    if changed then
      redis.call('LSET', KEYS[3], i - 1, line_json(line))
    end
  end
end
if ARGV[4] == '1' then
  redis.call('SET', KEYS[4], '1', 'PX', ARGV[5])
end
if holder then
  redis.call('DEL', KEYS[1])
end
return 1
"""
# Delete the lock only if it still holds our token: after expiry it may be another's.
_RELEASE: Final = """
if redis.call('GET', KEYS[1]) == ARGV[1] then
  return redis.call('DEL', KEYS[1])
end
return 0
"""
# KEYS[1]: an owner's sorted set; then the record and transcript of each candidate.
# ARGV[1]: the cutoff; ARGV[2]: the lower bound ('' for none); then each candidate's member
# name. A candidate updated since it was listed (its score moved past the cutoff) is kept.
_EXPIRE: Final = """
local removed = 0
local cutoff = tonumber(ARGV[1])
local after = tonumber(ARGV[2])
for i = 3, #ARGV do
  local score = redis.call('ZSCORE', KEYS[1], ARGV[i])
  if score and tonumber(score) < cutoff and (after == nil or tonumber(score) > after) then
    redis.call('DEL', KEYS[2 * i - 4], KEYS[2 * i - 3])
    redis.call('ZREM', KEYS[1], ARGV[i])
    removed = removed + 1
  end
end
return removed
"""
# KEYS: 1 the old record, 2 the new record, 3 the old transcript, 4 the new transcript,
# 5 the old key's lock, 6 on the `updated` sets (one per owner, however many there are).
# ARGV: 1 the old key, 2 the new key.
# Returns 1 when moved; 0 when the old key is unknown or the new one taken; -1 while a turn
# of the old key holds its lock (left for later: moved under it, its commit would write the
# old key again). RENAME keeps each key's time to live.
_RENAME: Final = """
if redis.call('EXISTS', KEYS[1]) == 0 or redis.call('EXISTS', KEYS[2]) == 1 then
  return 0
end
if redis.call('EXISTS', KEYS[5]) == 1 then
  return -1
end
redis.call('RENAME', KEYS[1], KEYS[2])
if redis.call('EXISTS', KEYS[3]) == 1 then
  redis.call('RENAME', KEYS[3], KEYS[4])
end
for i = 6, #KEYS do
  local score = redis.call('ZSCORE', KEYS[i], ARGV[1])
  if score then
    redis.call('ZREM', KEYS[i], ARGV[1])
    redis.call('ZADD', KEYS[i], score, ARGV[2])
  end
end
return 1
"""
# KEYS: audit hashes. ARGV[1]: their lifetime in ms. Gives one that has none (written by a
# version before audit hashes expired) its lifetime, from now; leaves the others alone.
_AGE_AUDIT: Final = """
local aged = 0
for i = 1, #KEYS do
  if redis.call('PTTL', KEYS[i]) == -1 then
    redis.call('PEXPIRE', KEYS[i], ARGV[1])
    aged = aged + 1
  end
end
return aged
"""


# KEYS[1]: a transcript. ARGV[1]: how its line sought goes on from the quote that ends its
# time: `","author":"…","text":"<prefix>` as `_encode_line` writes it (the time holds no
# quote, so the first `","author":` is the line's own); ARGV[2] the author, ARGV[3] the
# prefix, for a line an earlier release's commit rewrote in cjson's order (read whole).
# Reads the list from its end, a few hundred lines at a time, and returns {seq, line} of
# the latest line that matches, or nil.
_LATEST_LINE: Final = """
local needle = ARGV[1]
local stop = redis.call('LLEN', KEYS[1])
while stop > 0 do
  local start = math.max(0, stop - 256)
  local chunk = redis.call('LRANGE', KEYS[1], start, stop - 1)
  for j = #chunk, 1, -1 do
    local line = chunk[j]
    local at = string.find(line, '","author":', 1, true)
    if at and string.sub(line, at, at + #needle - 1) == needle then
      return {start + j, line}
    end
    if string.sub(line, 1, 6) ~= '{"at":' then
      local read = cjson.decode(line)
      local text = type(read.text) == 'string' and read.text or ''
      if read.author == ARGV[2] and string.sub(text, 1, #ARGV[3]) == ARGV[3] then
        return {start + j, line}
      end
    end
  end
  stop = start
end
return false
"""

# Known by their SHA-1, so that an ACL refusal met in one names its command (`redis_acl`).
for _script in (_BEGIN, _COMMIT, _RELEASE, _EXPIRE, _RENAME, _AGE_AUDIT, _LATEST_LINE):
    remember(_script)


class _LockLostError(Exception):
    """The lock expired under us and another replica may have written: run the turn again."""


_CREDENTIALS_LEFT_OUT: Final = (
    "it asks for a password and the URL gives none; put it in the URL as"
    " redis://:PASSWORD@host:6379/0 (percent-encode /, #, ? and %)"
)


def _not_positive(value: str) -> bool:
    """Whether `value` reads as a number of seconds of 0 or less (else redis-py judges it)."""
    try:
        return float(value) <= 0
    except ValueError:
        return False


def _asks_for_a_password(refusal: str) -> bool:
    """Whether Redis refused a connection that gave no password for wanting one.

    Redis 6+ answers a client's HELLO without credentials "HELLO must be called with the
    client already authenticated…", older ones any command "NOAUTH Authentication required":
    both name the protocol, not the fix, to an operator who left the password out.
    """
    return refusal.startswith(("NOAUTH", "Authentication required")) or (
        "must be called with the client already authenticated" in refusal
    )


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
        audit_lifetime: dt.timedelta | None = None,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        if retention <= dt.timedelta(0):
            raise ValueError(f"retention must be positive, not {retention}")
        if audit_lifetime is None:
            audit_lifetime = max(retention, DEFAULT_AUDIT_LIFETIME)
        elif audit_lifetime < retention:
            # `mailmove stats` promises counts that outlive the transcripts they came from.
            raise ValueError(
                f"audit_days must be at least the retention ({retention.days} days,"
                f" MAILMOVE_RETENTION_DAYS), not {audit_lifetime.days}"
            )
        if not prefix:
            # `?prefix=` with nothing after it put mailmove's keys among the database's
            # others, where a key of another application's may be taken for a conversation.
            raise ValueError(
                "prefix must not be empty (mailmove's keys would mix with the database's"
                " other keys); leave it out for 'mailmove:'"
            )
        if lock_ms < 10:
            raise ValueError(f"lock_ms must be at least 10 milliseconds, not {lock_ms}")
        if lock_ms > MAX_LOCK_MS:
            raise ValueError(
                f"lock_ms must be at most {MAX_LOCK_MS} milliseconds (a minute: a replica"
                f" killed mid-turn leaves its conversations locked that long), not {lock_ms}"
            )
        if event_ttl_s < 1:
            raise ValueError(f"event_ttl_s must be at least 1 second, not {event_ttl_s}")
        if event_ttl_s > MAX_EVENT_TTL_S:
            raise ValueError(
                f"event_ttl_s must be at most {MAX_EVENT_TTL_S} seconds (a hundred years),"
                f" not {event_ttl_s}"
            )
        self._url = url
        self._prefix = prefix
        self._lock_ms = lock_ms
        # A waiter outlasts the lock's lifetime, so a dead holder never makes it give up.
        self._lock_wait = lock_ms / 1000 + 1.0
        self._event_ttl_ms = event_ttl_s * 1000
        self._retention_ms = int(retention.total_seconds() * 1000)
        self._audit_lifetime_ms = int(audit_lifetime.total_seconds() * 1000)
        self._local = _KeyedLocks()
        self._records: dict[str, tuple[bytes, ConversationRecord]] = {}
        self._idle: list[AbstractConnection] = []  # see `_give_back`
        # The `updated` sets' keys, in `_COMMIT`'s order (see `_OWNER_POSITION`).
        self._updated_keys = [self._key("updated", owner.value) for owner in Owner]
        # Audit hashes older than their TTLs are looked for once per process (`expire`).
        self._audit_aged = False
        self._redis: aioredis.Redis | None = None
        self._count_names: CountNames | None = None
        # One walk for event ids and grants at a time; moves asked for meanwhile share the
        # next (see `_move_grants_and_events`).
        self._walking = asyncio.Lock()
        self._walk_asked: dict[str, str] = {}
        self._next_walk: asyncio.Future[None] | None = None
        # Shared with this store's limiters: once a call finds Redis not answering, the
        # others fail at once until a probe finds it back (`bot.store.redis_outage`).
        self.outage = Outage(clock)
        # What `tls_mismatch` found since the last ping that worked ("": nothing; None: not
        # asked yet).
        self._mismatch: str | None = None
        # Why Redis last refused a write for want of memory (maxmemory with noeviction), while
        # no write has worked since ("": writes work): reads and PING still work then, and
        # `/readyz` said "ready" while every message got 503 (see `ping`).
        self._writes_refused = ""
        # What to do about it, said with it in the `/readyz` line; whether Redis refused as
        # a replica (read-only) rather than for want of memory.
        self._writes_fix = ""
        self._read_only = False
        # Whether a write was tried since the store opened: a replica (or a full Redis) at
        # start-up was "ready" until a subscriber's message found it out (see `ping`).
        self._write_tried = False
        # A command Redis' ACL refused a turn since the last probe found it let through
        # (`redis_acl`): `/readyz` said ready while every message got 503 (see `ping`).
        self._acl_refused = False
        self._connect()

    @classmethod
    def from_url(cls, url: str, *, retention: dt.timedelta = DEFAULT_RETENTION) -> RedisStore:
        """`redis://[:password@]host:port/db[?prefix=...&lock_ms=...&event_ttl_s=...]`.

        `rediss://` for TLS. `audit_days=` overrides how long audit counts live (at least
        `retention`). Other query parameters go to redis-py unchanged.
        """
        parts = urlsplit(url)
        if parts.scheme not in ("redis", "rediss"):
            raise ValueError(f"not a Redis URL: {_without_password(parts)!r}")
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
            audit_days = int(ours["audit_days"]) if "audit_days" in ours else None
        except ValueError:
            raise ValueError(
                f"MAILMOVE_STORE: {_without_password(parts)!r}: lock_ms, event_ttl_s and"
                " audit_days must be whole numbers"
            ) from None
        for name, value in theirs:
            # redis-py takes 0 (or less) as it is: every call then timed out at once, and
            # the replica answered 503 for ever as if Redis were down.
            if name in ("socket_timeout", "socket_connect_timeout") and _not_positive(value):
                raise ValueError(
                    f"MAILMOVE_STORE: {name} must be more than 0 seconds, not {value!r}"
                    " (every Redis call would time out at once)"
                )
        if audit_days is not None and audit_days > MAX_AUDIT_DAYS:
            raise ValueError(
                f"MAILMOVE_STORE: audit_days must be at most {MAX_AUDIT_DAYS} (a hundred"
                f" years), not {audit_days}"
            )
        redis_url = urlunsplit(parts._replace(query=urlencode(theirs)))
        _check_redis_py_takes(redis_url)
        try:
            return cls(
                redis_url,
                prefix=ours.get("prefix", DEFAULT_PREFIX),
                lock_ms=lock_ms,
                event_ttl_s=event_ttl_s,
                retention=retention,
                audit_lifetime=dt.timedelta(days=audit_days) if audit_days is not None else None,
            )
        except ValueError as err:
            # Said alone, 'lock_ms must be at least 10 milliseconds' named no setting.
            raise ValueError(f"MAILMOVE_STORE: {err}") from None

    @property
    def client(self) -> aioredis.Redis:
        """The Redis client (a connection pool); raises once the store is closed."""
        if self._redis is None:
            raise StoreUnavailableError("the Redis store is closed")
        return self._redis

    def rate_limiter(self, limit: int, window: float) -> RedisRateLimiter:
        """A login-check rate limit that every replica on this Redis shares."""
        if self._count_names is None:  # one key read a minute for all of this store's limits
            self._count_names = CountNames(self.client, prefix=self._prefix)
        return RedisRateLimiter(
            self.client,
            limit,
            window,
            prefix=self._prefix,
            names=self._count_names,
            outage=self.outage,
        )

    @property
    def events_kept(self) -> dt.timedelta:
        """How long a handled event id is remembered (`event_ttl_s`)."""
        return dt.timedelta(milliseconds=self._event_ttl_ms)

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
            # Sent again on a fresh connection only when the old one was dropped (a pooled
            # connection gone stale when Redis restarted): a Redis that does not answer in
            # SOCKET_TIMEOUT would not answer the second time either, and the retry
            # doubled every call's wait in a stall (2 s became 4 s).
            retry=Retry(NoBackoff(), 1, supported_errors=(RedisConnectionError,)),
            decode_responses=False,
        )
        self._redis = aioredis.Redis.from_pool(pool)
        self._begin_script = self._redis.register_script(_BEGIN)
        self._commit_script = self._redis.register_script(_COMMIT)
        self._release_script = self._redis.register_script(_RELEASE)
        self._expire_script = self._redis.register_script(_EXPIRE)
        self._age_audit_script = self._redis.register_script(_AGE_AUDIT)
        self._rename_script = self._redis.register_script(_RENAME)
        self._latest_line_script = self._redis.register_script(_LATEST_LINE)

    async def open(self) -> None:
        """Load the turn's scripts when Redis answers; reconnects a store that was closed."""
        if self._redis is None:
            self._connect()
        # Loaded now so that the first burst of turns does not each find them missing and
        # load them; a Redis that is down (or restarted later, forgetting them) costs each
        # script one reload on first use instead.
        with contextlib.suppress(RedisError, OSError):
            for script in (self._begin_script, self._commit_script):
                await self.client.script_load(script.script)

    async def close(self) -> None:
        """Close every connection."""
        # Closed first, so a turn ending meanwhile gives its connection back to the pool
        # instead of keeping it (`_give_back`); the kept ones are the pool's, closed with it.
        redis, self._redis = self._redis, None
        self._idle.clear()
        if redis is not None:
            await redis.aclose()

    async def ping(self) -> None:
        """Fail unless Redis answers PING (at once while it is known not to: `outage`).

        A failure says so when the URL's TLS is not the server's (`redis_tls`): the
        `/readyz` and 503 log lines then name the fix, not an outage. After Redis refused a
        write for want of memory, fail unless a write works again (`_probe_write`).
        """
        try:
            await self._call(self.client.ping())
        except StoreUnavailableError as err:
            tls = urlsplit(self._url).scheme == "rediss"
            if not tls and (isinstance(err.__cause__, NOT_ANSWERING) or self.outage.known_down):
                # A plain connection that timed out: a stall, not a TLS server (which hangs
                # up on a plain one at once), and a handshake would wait out a stall too.
                raise
            mismatch = await self.tls_mismatch()
            if mismatch is None:
                raise
            raise StoreUnavailableError(f"{err}; {mismatch}") from err
        self._mismatch = None
        if not self._write_tried:
            self._write_tried = True
            with contextlib.suppress(StoreUnavailableError):
                await self._probe_write()
        if self._writes_refused:
            await self._probe_write()
        if self._acl_refused:
            await self._probe_acl()

    async def _probe_acl(self) -> None:
        """StoreUnavailableError while Redis' ACL refuses a command a turn sends."""
        try:
            refused = await acl_refused(self.client, self._url, self._prefix)
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        needed = [name for name in refused if name not in OPTIONAL_COMMANDS]
        if needed:
            raise StoreUnavailableError(f"Redis failed: {acl_fix(needed, self._url)}")
        self._acl_refused = False

    async def _probe_write(self) -> None:
        """Write a key that expires by itself; StoreUnavailableError while Redis refuses it.

        Redis over its maxmemory with noeviction refuses every write, whatever its size, and
        answers reads and PING: one SET tells whether turns can be written again. A replica
        does too: its idle connections are closed first, so the probe connects afresh and
        looks the host name up again, and a failover that moves the name to the new primary
        (a managed Redis' endpoint) is followed without a restart (redis-py keeps a
        connection, and the address it was opened to, for as long as the server keeps it).
        """
        if self._writes_refused and self._read_only:
            pool = self.client.connection_pool
            # The turns' kept connections too (`_give_back`): the pool counts them in use.
            while self._idle:
                await pool.release(self._idle.pop())
            await pool.disconnect(inuse_connections=False)
        try:
            await self._call(self.client.set(self._key("write-probe", ""), b"1", px=1000))
        except StoreUnavailableError as err:
            self._note_refusal(err)
            raise StoreUnavailableError(
                f"Redis refuses writes: {self._writes_refused} ({self._writes_fix}: ready again"
                " once a write works)"
            ) from err
        self._writes_refused = ""

    @property
    def writes_refused(self) -> str | None:
        """Why Redis refuses writes while it answers (full, a replica), with the fix; or None."""
        if not self._writes_refused:
            return None
        return f"Redis refuses writes: {self._writes_refused} ({self._writes_fix})"

    def _note_refusal(self, err: StoreUnavailableError) -> None:
        """Remember a write Redis refused (full, or a replica), or a command its ACL refused.

        All for `ping`: Redis still answers PING, and `/readyz` said ready meanwhile.
        """
        if isinstance(err.__cause__, OutOfMemoryError):
            self._writes_refused = str(err.__cause__)
            self._read_only = False
            self._writes_fix = "free memory in Redis, or raise its maxmemory"
        elif isinstance(err.__cause__, ReadOnlyError):
            # A failover made the primary a replica (or the URL names one): every message
            # got 503 while `/readyz` said ready (`_probe_write` reconnects).
            self._writes_refused = str(err.__cause__)
            self._read_only = True
            self._writes_fix = (
                "a read-only replica: MAILMOVE_STORE must name the primary, which after a"
                " failover may be another server"
            )
        elif err.__cause__ is not None and acl_said(err.__cause__) is not None:
            self._acl_refused = True

    async def tls_mismatch(self) -> str | None:
        """What is wrong when the URL's TLS is not the server's, else None (see `redis_tls`).

        Asked once per failure: remembered until a ping works again.
        """
        if self._mismatch is None:
            kwargs = self.client.connection_pool.connection_kwargs
            host, port = kwargs.get("host"), kwargs.get("port")
            if not isinstance(host, str) or not isinstance(port, int):
                return None  # a Unix socket: no TLS to have wrong
            tls = urlsplit(self._url).scheme == "rediss"
            found = None
            with contextlib.suppress(TimeoutError):
                async with asyncio.timeout(CONNECT_TIMEOUT):
                    found = await tls_mismatch(host, port, tls=tls)
            self._mismatch = found or ""
        return self._mismatch or None

    async def refusal(self, *, stats: bool = False) -> str | None:
        """What Redis, answering, says against this URL's login, database or ACL; else None.

        A Redis that is down may be back in a minute; one that refuses the password, the
        user, the database or a command mailmove sends (its ACL: `redis_acl`) will refuse
        them for ever. Its answer names no secret. With `stats`, only what `mailmove stats`
        sends must be let through (a user for reading the figures needs no more).
        """
        try:
            await self.client.ping()
        except (AuthenticationError, AuthorizationError, ResponseError) as err:
            if _asks_for_a_password(str(err)):
                return _CREDENTIALS_LEFT_OUT
            return acl_said(err) or str(err)
        except (RedisError, OSError):
            return None  # not answering: the replica answers 503 until it does
        try:
            refused = await acl_refused(self.client, self._url, self._prefix)
        except (RedisError, OSError):
            return None  # gone meanwhile: as down
        needed = [
            name
            for name in refused
            if name not in OPTIONAL_COMMANDS and (not stats or name in FOR_STATS | {"a key"})
        ]
        return acl_fix(needed, self._url) if needed else None

    # -- one turn ------------------------------------------------------------------------

    async def transact(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        """Run one turn of `key` under its lock, once per `event_id`, all or nothing."""
        # Turns of one conversation in this process queue here instead of polling Redis.
        async with self._local.hold(key):
            for _ in range(_ATTEMPTS):
                # Here, not before the queue: a turn queued behind one that found Redis not
                # answering fails at once instead of waiting out its own timeout.
                self.outage.admit("a turn")
                try:
                    change = await self._attempt(key, event_id, update)
                except _LockLostError:
                    _LOGGER.warning("Lost a conversation lock mid-turn; running the turn again")
                except StoreUnavailableError as err:
                    self._note_refusal(err)
                    raise
                else:
                    self.outage.answered()
                    self._writes_refused = ""
                    return change
        raise StoreUnavailableError(f"a turn lost its lock {_ATTEMPTS} times in a row")

    async def _attempt(self, key: str, event_id: str | None, update: Update[T]) -> Change[T] | None:
        token = secrets.token_hex(8).encode()
        conv = self._key("conv", key)
        keys = [self._key("lock", key), conv, self._key("event", event_id) if event_id else conv]
        keys.append(self._key("transcript", key))
        args: list[bytes | int] = [token, self._lock_ms, 1 if event_id is not None else 0]
        loop = asyncio.get_running_loop()
        deadline = loop.time() + self._lock_wait
        pause = _FIRST_PAUSE
        while True:
            # One connection for the whole turn, taken before the lock: a turn never waits
            # for a connection while its lock runs out.
            pool, connection = await self._take_connection()
            finished = False
            try:
                begun = await _run_script(connection, self._begin_script, keys, args, self.outage)
                if begun[0] == -1:
                    finished = True
                    return None
                if begun[0] == 1:
                    raw = begun[2] if len(begun) > 2 else None
                    lines = int(begun[1])
                    result = await self._finish(
                        connection, key, event_id, update, token, raw, lines
                    )
                    finished = True
                    return result
                finished = True
            finally:
                await self._give_back(pool, connection, finished)
            if loop.time() >= deadline:
                raise StoreUnavailableError(
                    f"a conversation stayed locked for more than {self._lock_wait:.1f} s"
                )
            # Another replica is running this conversation's turn, which takes milliseconds;
            # if that replica died, its lock expires within lock_ms.
            await asyncio.sleep(pause)
            pause = min(pause * 2, _MAX_PAUSE)

    async def _finish(
        self,
        connection: AbstractConnection,
        key: str,
        event_id: str | None,
        update: Update[T],
        token: bytes,
        raw: bytes | None,
        lines: int,
    ) -> Change[T] | None:
        written = False
        try:
            change = update(self._stored_record(key, raw, lines) if raw is not None else None)
            if change is None:
                return None
            if change.record.key != key:
                raise ValueError(f"update for {key!r} returned a record for {change.record.key!r}")
            keys, args = self._commit_arguments(change, event_id, token, raw)
            if not await _run_script(connection, self._commit_script, keys, args, self.outage):
                raise _LockLostError
            written = True
            self._remember(cast(bytes, args[1]), change.record)
            return change
        finally:
            if not written:
                await self._release_quietly(self._key("lock", key), token)

    def _stored_record(self, key: str, raw: bytes, lines: int) -> ConversationRecord:
        # The record this replica wrote last is reused while the stored bytes are the ones
        # it wrote (each carries its turn's token, so another replica's write never looks
        # the same): decoding the dialog back was most of a read's cost.
        known = self._records.get(key)
        if known is None or known[0] != raw:
            return _decode_record(key, raw, lines)
        record = known[1]
        return record if record.lines == lines else frozen.replace(record, lines=lines)

    def _remember(self, raw: bytes, record: ConversationRecord) -> None:
        self._records.pop(record.key, None)
        # Only a record whose times decode back identical (UTC) can stand in for the bytes.
        if record.created_at.tzinfo is not dt.UTC or record.updated_at.tzinfo is not dt.UTC:
            return
        if len(self._records) >= REMEMBERED_RECORDS:
            del self._records[next(iter(self._records))]  # the least recently written
        self._records[record.key] = (raw, record)

    async def _take_connection(self) -> tuple[aioredis.ConnectionPool, AbstractConnection]:
        """A connection for one turn (one a turn finished with, else the pool's), and its pool."""
        pool = self.client.connection_pool
        if self._idle:
            return pool, self._idle.pop()
        try:
            return pool, await _get_connection(pool)
        except REDIS_FAILURES as err:
            if isinstance(err, NOT_ANSWERING):
                self.outage.failed(err)
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err

    async def _give_back(
        self, pool: aioredis.ConnectionPool, connection: AbstractConnection, finished: bool
    ) -> None:
        """Keep a connection whose turn read all its replies for the next turn; else release it.

        redis-py's checkout and release (a lock, a timeout, a probe of the socket, events)
        cost a quarter of a turn. Only a connection left clean is kept: one whose turn
        failed or was cancelled may hold an unread reply, and goes back to the pool, which
        probes it. Kept connections still count as the pool's, so they are closed with it,
        and at most TURN_CONNECTIONS are kept so other commands always find one in the pool.
        A kept connection Redis dropped meanwhile (a restart) is found when the next turn
        uses it, which sends its script again on a fresh one (`_run_script`). A turn that
        ends after the store was closed (and perhaps opened again on a new pool) gives its
        connection back to the pool it came from.
        """
        current = self._redis is not None and self._redis.connection_pool is pool
        if current and finished and connection.is_connected and len(self._idle) < TURN_CONNECTIONS:
            self._idle.append(connection)
            return
        await pool.release(connection)

    def _commit_arguments(
        self, change: Change[Any], event_id: str | None, token: bytes, read: bytes | None
    ) -> tuple[list[str], list[_Arg]]:
        """The keys and arguments of `_COMMIT` for `change` (see the script)."""
        record = change.record
        conv = self._key("conv", record.key)
        keys = [self._key("lock", record.key), conv, self._key("transcript", record.key)]
        keys.append(self._key("event", event_id) if event_id is not None else conv)
        keys += self._updated_keys
        tag = event_tag(event_id) if event_id is not None else None
        lines = [_encode_line(line, tag) for line in change.transcript]
        args: list[_Arg] = [
            token,
            # Every turn renews the retention: a conversation left alone for that long is
            # gone by itself, so Redis stays bounded even if the expiry task never runs.
            _encode_record(record, token),
            self._retention_ms,
            1 if event_id is not None else 0,
            self._event_ttl_ms,
            repr(record.updated_at.timestamp()),
            record.key,
            _OWNER_POSITION[record.owner],
            hashlib.sha1(read).hexdigest() if read is not None else "",  # noqa: S324 - not a secret
            len(lines),
            *lines,
            len(change.audit),
            self._audit_lifetime_ms,
        ]
        for audit in change.audit:
            keys.append(self._key("audit", _hour(audit.at)))
            args.append(_SEP.join((audit.channel, audit.kind, audit.detail)))
        args.append(len(change.grants))
        for grant in change.grants:
            keys.append(self._key("link", grant.digest))
            # Outlives the link by the retention, as SQLite's row does until the expiry
            # sweep: a link opened after its ten minutes (the first of two pressed, the back
            # button to a result) must still be found, to say it expired or where its result
            # went. Gone with the link, it was a made-up link: 404 「このリンクは使えません」,
            # in Japanese whatever the chat's language, counted against the client's allowance
            # for made-up links. `expires` is on the engine's clock, like `updated_at`.
            lifetime = grant.expires - record.updated_at
            args.append(orjson.dumps({"k": grant.key, "e": _iso(grant.expires)}))
            args.append(max(1, int(lifetime.total_seconds() * 1000)) + self._retention_ms)
        args += [len(change.withdrawn), *change.withdrawn, WITHDRAWN_TEXT]
        args += [len(change.replies_withdrawn), *change.replies_withdrawn, WITHDRAWN_REPLY_TEXT]
        args.append(len(change.masked))
        for words, shown in change.masked:
            args += [words, shown]
        return keys, args

    async def _release_quietly(self, lock: str, token: bytes) -> None:
        try:
            await self._release_script(keys=[lock], args=[token])
        except REDIS_FAILURES as err:
            # The lock expires by itself within lock_ms; the turn's own error matters more.
            _LOGGER.warning("Could not release a conversation lock: %s", err)

    # -- reads ---------------------------------------------------------------------------

    async def load(self, key: str) -> ConversationRecord | None:
        """The stored record, or None."""
        raw = await self._call(self.client.get(self._key("conv", key)))
        return _decode_record(key, raw) if raw is not None else None

    async def transcript(
        self, key: str, *, after: int = 0, last: int | None = None
    ) -> list[TranscriptEntry]:
        """The conversation's lines past `after`, oldest first, numbered from 1.

        With `last`, only the latest `last` of them are read (a line appended between the
        length and the read comes too).
        """
        start = max(after, 0)
        name = self._key("transcript", key)
        if last is not None:
            start = max(start, await self._call(self.client.llen(name)) - last)
        raw = await self._call(self.client.lrange(name, start, -1))
        return [_decode_line(line, start + n) for n, line in enumerate(raw, start=1)]

    async def latest_line(self, key: str, author: Author, prefix: str) -> TranscriptEntry | None:
        """The latest line by `author` beginning with `prefix`, searched inside Redis."""
        text = orjson.dumps(prefix)[:-1]  # the prefix as the line holds it, without its end
        needle = b'","author":' + orjson.dumps(author) + b',"text":' + text
        found = await self._call(
            self._latest_line_script(
                keys=[self._key("transcript", key)], args=[needle, author, prefix]
            )
        )
        if not found:
            return None
        seq, raw = found
        return _decode_line(raw, int(seq))

    async def eviction_policy(self) -> str | None:
        """Redis' maxmemory-policy when it evicts keys; None for noeviction or no answer."""
        try:
            info = await self.client.info("memory")
        except (RedisError, OSError):
            return None
        policy = str(info.get("maxmemory_policy", "noeviction"))
        return None if policy == "noeviction" else policy

    async def memory(self) -> tuple[int, int]:
        """Redis' used memory and its maxmemory (0 when unlimited), in bytes."""
        info = await self._call(self.client.info("memory"))
        return int(info.get("used_memory", 0)), int(info.get("maxmemory", 0))

    async def find_grant(self, digest: str) -> LinkGrant | None:
        """The link grant stored under `digest`, or None (unknown, or expired in Redis)."""
        raw = await self._call(self.client.get(self._key("link", digest)))
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
                await self._call(
                    self.client.zrevrange(
                        self._key("updated", who.value), 0, limit - 1, withscores=True
                    )
                )
            )
        merged = heapq.merge(*ranked, key=lambda item: item[1], reverse=True)
        keys = [member.decode() for member, _ in list(merged)[:limit]]
        if not keys:
            return []
        raws = await self._call(self.client.mget([self._key("conv", k) for k in keys]))
        return [_decode_record(k, raw) for k, raw in zip(keys, raws, strict=True) if raw]

    async def conversation_keys(self, channel: str) -> list[str]:
        """The keys of `channel`'s conversations, from the `updated` sets."""
        found: set[str] = set()
        for ranking in self._updated_keys:
            members: list[bytes] = await self._call(self.client.zrange(ranking, 0, -1))
            found.update(m.decode() for m in members if m.startswith(f"{channel}:".encode()))
        return list(found)

    async def rename(self, renames: Mapping[str, str]) -> int:
        """Move conversations to new keys (see the protocol), each atomically.

        Link grants and event ids are not indexed by conversation: one SCAN over the
        `link:` keys and one over the `event:` keys of the moved keys' shape (about one
        round trip per ten thousand keys; moves asked for meanwhile share the next) move
        those of every conversation asked for, BEFORE the records. The other way round, a move cut
        short between the two (a replica stopped at start-up, Redis failing) left them under
        the old key for good: the next move finds conversations by their records, which had
        moved, so the old key stayed in Redis and a redelivered event was handled again.
        """
        asked = [(old, new) for old, new in renames.items() if old != new]
        if not asked:
            return 0
        # Only those whose record can move take their grants and events along (one
        # pipelined round trip): a conversation left where it is keeps all of its own.
        pipe = self.client.pipeline(transaction=False)
        for old, new in asked:
            pipe.exists(self._key("conv", old))
            pipe.exists(self._key("conv", new))
        found = await self._call(pipe.execute())
        wanted = {
            old: new
            for (old, new), there, taken in zip(asked, found[::2], found[1::2], strict=True)
            if there and not taken
        }
        if not wanted:
            return 0
        await self._move_grants_and_events(wanted)
        moved = 0
        for old, new in wanted.items():
            keys = [
                *(self._key("conv", old), self._key("conv", new)),
                *(self._key("transcript", old), self._key("transcript", new)),
                self._key("lock", old),
                *self._updated_keys,
            ]
            if int(await self._call(self._rename_script(keys=keys, args=[old, new]))) == 1:
                self._records.pop(old, None)
                moved += 1
        return moved

    async def _move_grants_and_events(self, moved: Mapping[str, str]) -> None:
        """Move the event ids and grants of `moved` by a walk shared with concurrent moves.

        The web chat moves a conversation an old replica wrote when its subscriber next
        calls, one rename each: a walk each was the keyspace walked once per request of such
        a conversation (100,000 keys: 1.7 s each, 20 at once 25 s). The moves asked for
        while a walk runs wait for the next, which takes them all.
        """
        self._walk_asked.update(moved)
        if self._next_walk is None:
            self._next_walk = asyncio.get_running_loop().create_future()
        walk = self._next_walk
        async with self._walking:
            if not walk.done():
                # The first of its moves to get here walks for all of them.
                asked, self._walk_asked, self._next_walk = self._walk_asked, {}, None
                try:
                    await self._walk_for(asked)
                except BaseException as err:
                    walk.set_exception(
                        err
                        if isinstance(err, StoreUnavailableError)
                        else StoreUnavailableError(f"moving event ids and grants: {err!r}")
                    )
                    walk.exception()  # the others read it; this one raises its own
                    raise
                walk.set_result(None)
        # Shielded: a request cancelled while it waits must not cancel the walk of the others.
        await asyncio.shield(walk)

    async def _walk_for(self, moved: Mapping[str, str]) -> None:
        events = self._key("event", "")
        # Redis returns only event ids that can be of a moved key: the shape of those keys
        # (the web chat's: 32 hex digits), not every event id of every conversation.
        shape = _covering_glob(list(moved))
        try:
            async for name in self.client.scan_iter(
                match=f"{_glob_escape(events)}{shape}:*", count=_MOVE_SCAN_COUNT
            ):
                event_id = name.decode()[len(events) :]
                for at in [i for i, c in enumerate(event_id) if c == ":"]:
                    if event_id[:at] in moved:
                        new_id = moved[event_id[:at]] + event_id[at:]
                        # Gone meanwhile (expired) is fine: nothing left to move.
                        with contextlib.suppress(ResponseError):
                            await self.client.renamenx(name, self._key("event", new_id))
                        break
            links = self._key("link", "")
            async for name in self.client.scan_iter(
                match=f"{_glob_escape(links)}*", count=_MOVE_SCAN_COUNT
            ):
                raw = await self.client.get(name)
                if raw is None:
                    continue
                body = orjson.loads(raw)
                if body.get("k") in moved:
                    body["k"] = moved[body["k"]]
                    await self.client.set(name, orjson.dumps(body), xx=True, keepttl=True)
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err

    async def audit_counts(
        self, since: dt.datetime, until: dt.datetime
    ) -> dict[tuple[str, str], int]:
        """Audit events per (kind, detail), counted by the UTC hour.

        An hour's counts belong to the period when the hour starts inside [since, until):
        periods that start and end on whole hours (days, months) are exact.
        """
        try:
            hours = await self._audit_hours(since, until)
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        counts: dict[tuple[str, str], int] = {}
        for first in range(0, len(hours), _AUDIT_BATCH):
            try:
                async with self.client.pipeline(transaction=False) as pipe:
                    for hour in hours[first : first + _AUDIT_BATCH]:
                        pipe.hgetall(self._key("audit", hour))
                    buckets = await pipe.execute()
            except REDIS_FAILURES as err:
                raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
            for bucket in buckets:
                for field, value in bucket.items():
                    _, kind, detail = field.decode().split(_SEP, 2)
                    counts[(kind, detail)] = counts.get((kind, detail), 0) + int(value)
        return counts

    async def _audit_hours(self, since: dt.datetime, until: dt.datetime) -> Sequence[str]:
        """The hours of [since, until) whose audit hash may exist, to be read one by one.

        Every hour of the period, unless walking Redis's keys for the audit hashes there are
        takes fewer round trips than reading an hour per key (a thousand a pipeline): then
        the hours of those in the period. `mailmove stats --since 1900-01-01` read 1.1
        million hours, one key each, for 34 s to 50 s. Hours are not bounded by the clock
        instead: a preview's turns (`serve --force` on Redis) date their counts by its day.
        """
        start, end = _hour_start(since), until.astimezone(dt.UTC)
        count = max(0, math.ceil((end - start) / _HOUR))
        if count <= _AUDIT_BATCH or await self.client.dbsize() / _MOVE_SCAN_COUNT >= (
            count / _AUDIT_BATCH
        ):
            return _hours(since, until)
        audit = self._key("audit", "")
        found: list[str] = []
        async for name in self.client.scan_iter(
            match=f"{_glob_escape(audit)}*", count=_MOVE_SCAN_COUNT
        ):
            hour = name.decode()[len(audit) :]
            if any(start <= moment < end for moment in _hour_moments(hour)):
                found.append(hour)
        return sorted(set(found))

    # -- housekeeping --------------------------------------------------------------------

    async def expire(self, before: dt.datetime, *, after: dt.datetime | None = None) -> int:
        """Delete conversations (record and transcript) not updated since `before`.

        With `after`, only those updated after it too.

        Event ids, locks and audit counts expire by themselves (audit counts much later).
        The first call in a process also gives audit hashes written before they expired
        their lifetime (see `_age_old_audit_hashes`).
        """
        if not self._audit_aged:
            aged = await self._age_old_audit_hashes()
            self._audit_aged = True
            if aged:
                _LOGGER.info("Gave %d audit hours without one a lifetime", aged)
        cutoff = before.timestamp()
        lower = f"({after.timestamp()!r}" if after is not None else "-inf"
        removed = 0
        for owner in Owner:
            ranking = self._key("updated", owner.value)
            while True:
                members: list[bytes] = await self._call(
                    self.client.zrangebyscore(
                        ranking, lower, f"({cutoff!r}", start=0, num=_EXPIRE_BATCH
                    )
                )
                if not members:
                    break
                keys = [ranking]
                for member in members:
                    name = member.decode()
                    keys += [self._key("conv", name), self._key("transcript", name)]
                expired = self._expire_script(
                    keys=keys,
                    # '' is no lower bound: tonumber('') is nil in the script.
                    args=[cutoff, after.timestamp() if after is not None else "", *members],
                )
                removed += int(await self._call(expired))
        return removed

    async def _age_old_audit_hashes(self) -> int:
        """Give every audit hash without a TTL the audit lifetime, counted from now.

        Versions before audit hashes expired wrote them to live forever. SCAN walks the
        whole keyspace in small steps (about one round trip per thousand keys), so this runs
        once per process, not hourly; from now rather than from the hour in the key's name,
        so an upgrade never deletes counts at once.
        """
        aged = 0
        batch: list[bytes] = []
        try:
            async for name in self.client.scan_iter(
                match=f"{_glob_escape(self._prefix)}audit:*", count=_SCAN_COUNT
            ):
                batch.append(name)
                if len(batch) == _AUDIT_BATCH:
                    aged += int(
                        await self._age_audit_script(keys=batch, args=[self._audit_lifetime_ms])
                    )
                    batch = []
            if batch:
                aged += int(
                    await self._age_audit_script(keys=batch, args=[self._audit_lifetime_ms])
                )
        except REDIS_FAILURES as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        return aged

    async def _call(self, pending: Awaitable[Any]) -> Any:
        """Await one Redis command, turning any failure into StoreUnavailableError.

        While Redis is known not to answer (`outage`) the command is not sent, but for a
        probe now and then.
        """
        try:
            self.outage.admit()
        except StoreUnavailableError:
            if inspect.iscoroutine(pending):
                pending.close()  # never sent: not left for the loop to warn about
            raise
        try:
            answer = await pending
        except REDIS_FAILURES as err:
            if isinstance(err, NOT_ANSWERING):
                self.outage.failed(err)
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        self.outage.answered()
        return answer

    def _key(self, kind: str, name: str) -> str:
        return f"{self._prefix}{kind}:{name}"


def _without_password(parts: SplitResult) -> str:
    """The URL for an error message: the start-up error is logged, the password must not be."""
    host = parts.netloc.rpartition("@")[2]
    return urlunsplit(parts._replace(netloc=host))


def _glob_escape(text: str) -> str:
    """`text` matched literally in a Redis glob pattern (SCAN MATCH)."""
    return re.sub(r"([*?\[\]\\])", r"\\\1", text)


def _covering_glob(keys: Sequence[str]) -> str:
    """A Redis glob that matches every one of `keys` and few other strings.

    Keys of one length (the web chat's ids) give a character class per position, which no
    key of another length matches; otherwise their common beginning and `*`.
    """
    if len({len(key) for key in keys}) != 1:
        # The first and last in sorted order begin as all of them do.
        first, last = min(keys), max(keys)
        common = next(
            (first[:n] for n, (a, b) in enumerate(zip(first, last, strict=False)) if a != b),
            first,
        )
        return f"{_glob_escape(common)}*"
    pattern = []
    for chars in zip(*keys, strict=True):
        found = sorted(set(chars))
        if len(found) == 1:
            pattern.append(_glob_escape(found[0]))
        else:
            # Within a class Redis reads a backslash and the character after it as that character.
            pattern.append("[" + "".join(f"\\{c}" if c in "\\[]^-" else c for c in found) + "]")
    return "".join(pattern)


async def _run_script(
    connection: AbstractConnection,
    script: AsyncScript,
    keys: Sequence[str],
    args: Sequence[_Arg],
    outage: Outage,
) -> Any:
    """Run `script` on `connection`, sent again once on a fresh connection if it drops.

    Straight on the connection, without the client's per-command machinery: a turn is two
    of these. Both scripts are safe to send twice (see the module doc). A Redis that does
    not answer in the socket timeout is not asked again (it would not answer a second time
    either: a stall cost each turn twice the timeout); `outage` is told.
    """
    for attempt in range(2):
        try:
            await _send(connection, _command(b"EVALSHA", script.sha, keys, args))
            try:
                return await connection.read_response()
            except NoScriptError:
                # Redis restarted and forgot it: EVAL runs it and remembers it again.
                await _send(connection, _command(b"EVAL", script.script, keys, args))
                return await connection.read_response()
        except NOT_ANSWERING as err:
            await connection.disconnect()
            outage.failed(err)
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        except (RedisConnectionError, OSError, RuntimeError) as err:
            # RuntimeError: uvloop's closed transport (see REDIS_FAILURES), a lost connection.
            await connection.disconnect()
            if attempt:
                raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
        except RedisError as err:
            raise StoreUnavailableError(f"Redis failed: {said(err)}") from err
    raise AssertionError("unreachable")  # pragma: no cover


def _check_redis_py_takes(url: str) -> None:
    """ValueError naming a query parameter redis-py does not take (never the URL itself).

    redis-py takes them only when it makes its first connection, which is in the server's
    lifespan: a misspelt one (`lockms`) ended in a TypeError traceback and status 3 there.
    A connection object is made here and dropped; nothing connects.
    """
    try:
        aioredis.ConnectionPool.from_url(url).make_connection()  # type: ignore[no-untyped-call]
    except ValueError as err:
        # A value it cannot read ('socket_timeout=soon'): its words, with the setting named.
        raise ValueError(f"MAILMOVE_STORE: {err}") from None
    except TypeError as err:
        unknown = re.search(r"keyword argument '([^']+)'", str(err))
        name = unknown.group(1) if unknown else "?"
        ours = ", ".join(sorted(_OUR_PARAMETERS))
        raise ValueError(
            f"MAILMOVE_STORE: the Redis URL's query parameter {name!r} is neither mailmove's"
            f" ({ours}) nor one redis-py takes"
        ) from None


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


def _hour_start(since: dt.datetime) -> dt.datetime:
    """The first whole UTC hour at or after `since`: the first whose counts are counted."""
    start = since.astimezone(dt.UTC)
    hour = start.replace(minute=0, second=0, microsecond=0)
    return hour + _HOUR if hour < start else hour


def _hour_moments(name: str) -> list[dt.datetime]:
    """The UTC hours an audit hash's name (`_hour`'s `%Y%m%d%H`) can stand for.

    One, but for years before 1000: strftime does not pad them, so the year's digits are
    known only by trying each length (each read back must give the name again).
    """
    moments = []
    for digits in range(1, 5):
        year, rest = name[:digits], name[digits:]
        if not (year.isdigit() and rest.isdigit() and len(rest) == 6):
            continue
        try:
            moment = dt.datetime(
                int(year), int(rest[:2]), int(rest[2:4]), int(rest[4:]), tzinfo=dt.UTC
            )
        except ValueError:
            continue
        if _hour(moment) == name:
            moments.append(moment)
    return moments


def _hours(since: dt.datetime, until: dt.datetime) -> Sequence[str]:
    hour = _hour_start(since)
    end = until.astimezone(dt.UTC)
    found: list[str] = []
    while hour < end:
        found.append(hour.strftime("%Y%m%d%H"))
        hour += dt.timedelta(hours=1)
    return found


@functools.lru_cache(maxsize=256)
def _iso(moment: dt.datetime) -> str:
    # Remembered: a turn's record and lines all carry the same instant.
    return moment.astimezone(dt.UTC).isoformat()


def _encode_record(record: ConversationRecord, written_by: bytes = b"") -> bytes:
    # `w`: the token of the turn that wrote it, so a resent commit recognises its own write.
    return orjson.dumps(
        {
            **({"w": written_by.decode()} if written_by else {}),
            "channel": record.channel,
            "owner": record.owner.value,
            "dialog": record.dialog.to_json(),
            "created_at": _iso(record.created_at),
            "updated_at": _iso(record.updated_at),
            **({"question": record.question} if record.question is not None else {}),
        }
    )


def _decode_record(key: str, raw: bytes, lines: int = 0) -> ConversationRecord:
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
        lines=lines,
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
