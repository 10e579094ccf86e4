"""Whether Redis' ACL lets the URL's user run every command mailmove sends, and saying so.

A managed Redis often gives its users less than `+@all` (`-@dangerous`, or a list of
commands). A command the ACL refuses is refused for ever, yet it looked like an outage: with
EVALSHA (or GET inside a turn's script) refused, `/readyz` said ready while every message
got 503, logged as "The user executing the script can't run this command or subcommand
script: <sha>, on @user_script:9." (which command?), and `mailmove stats` without DBSIZE
said "the conversation store is unavailable". `refused` asks Redis once, at start-up, with
each command on keys of its own under the store's prefix (so a key pattern such as
`~mailmove:*` is tried too); `said` turns a refusal met later (the ACL changed under a
running replica) into one line naming the command and the ACL.

Redis checks a command's ACL before running it, and inside a script (`redis.pcall`) it
answers the refusal as an error the script reads, so one script tries every command the
turn's scripts use. Arity is checked before the ACL, so each probe has its real arguments.
"""

from __future__ import annotations

import hashlib
import re
import secrets
from collections.abc import Collection, Sequence
from typing import Final
from urllib.parse import unquote, urlsplit

import redis.asyncio as aioredis
from redis.exceptions import RedisError

# What `mailmove stats` sends: a user for reading the figures needs no more.
FOR_STATS: Final = frozenset(("PING", "DBSIZE", "SCAN", "HGETALL"))
# Without INFO mailmove still serves: the memory gauge is not read and the eviction policy
# not checked (INFO is in @dangerous, which managed Redis often refuses).
OPTIONAL: Final = frozenset(("INFO",))

# Lifetime of the probe's keys, should the user be refused DEL.
_PROBE_MS: Final = 60_000

# One command a line, so that a refusal Redis reports by the script's line names it too.
_PROBE_SCRIPT: Final = """
local refused = {}
local function try(name, ...)
  local answer = redis.pcall(name, ...)
  if type(answer) == 'table' and answer.err and (string.find(answer.err, 'NOPERM', 1, true)
      or string.find(answer.err, "can't run", 1, true)) then
    table.insert(refused, name)
  end
end
try('SET', KEYS[1], '1', 'PX', ARGV[1])
try('GET', KEYS[1])
try('EXISTS', KEYS[1])
try('PEXPIRE', KEYS[1], ARGV[1])
try('PTTL', KEYS[1])
try('RENAME', KEYS[1], KEYS[2])
try('HSET', KEYS[3], 'f', '1')
try('PEXPIRE', KEYS[3], ARGV[1])
try('HINCRBY', KEYS[3], 'f', 1)
try('HGET', KEYS[3], 'f')
try('HDEL', KEYS[3], 'f')
try('RPUSH', KEYS[4], 'x')
try('PEXPIRE', KEYS[4], ARGV[1])
try('LSET', KEYS[4], 0, 'x')
try('LLEN', KEYS[4])
try('LRANGE', KEYS[4], 0, 0)
try('ZADD', KEYS[5], 1, 'm')
try('PEXPIRE', KEYS[5], ARGV[1])
try('ZSCORE', KEYS[5], 'm')
try('ZCARD', KEYS[5])
try('ZRANGE', KEYS[5], 0, 0)
try('ZREMRANGEBYSCORE', KEYS[5], 2, 3)
try('ZREM', KEYS[5], 'm')
try('DEL', KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5])
return refused
"""

# Redis 7.0 says "this user has no permissions to run the 'dbsize' command", 7.2 "User mm
# has no permissions to run the 'dbsize' command"; a command a script ran is reported by
# the script's line ("can't run this command or subcommand script: <sha>, on
# @user_script:9.").
_REFUSED: Final = re.compile(r"no permissions to run the '([^']+)' command")
_IN_SCRIPT: Final = re.compile(
    r"can't run this command or subcommand script: ([0-9a-f]{40}), on @user_script:(\d+)"
)
_KEY_REFUSED: Final = re.compile(r"no permissions to access|can't access at least one of the keys")
_CALL: Final = re.compile(r"""redis\.p?call\(\s*['"]([A-Za-z]+)['"]""")


# The scripts' sources by SHA-1 (what Redis names a script by), to name the command a
# script's line ran (`remember`).
_SCRIPTS: Final[dict[str, str]] = {}


def remember(script: str) -> str:
    """Keep `script`'s source for naming what its lines run; returns it unchanged."""
    _SCRIPTS[hashlib.sha1(script.encode()).hexdigest()] = script  # noqa: S324 - Redis' name
    return script


def user(url: str) -> str:
    """The ACL user the URL logs in as (`default` when it names none); never the password."""
    name = urlsplit(url).username
    return unquote(name) if name else "default"


def fix(commands: Collection[str], url: str | None = None) -> str:
    """The one line for an ACL refusing `commands` to the URL's user (or, without it, ours)."""
    if "a key" in commands:
        return (
            f"Redis' ACL does not let {_whom(url)} use mailmove's keys: give it their prefix"
            " with ACL SETUSER (~mailmove:* by default, or ~ and the URL's prefix and *)"
        )
    names = sorted(commands)
    grant = " ".join(f"+{name.lower()}" for name in names)
    return (
        f"Redis' ACL does not let {_whom(url)} run {', '.join(names)}: give it with"
        f" ACL SETUSER {user(url) if url else '<user>'} {grant} (or +@all: mailmove runs"
        " each of them)"
    )


def _whom(url: str | None) -> str:
    return f"user {user(url)!r}" if url else "the URL's user"


def refused_command(err: BaseException) -> str | None:
    """The command an ACL refusal `err` names, or None when `err` is no such refusal.

    A key the ACL's patterns refuse is named as such ("a key").
    """
    text = str(err)
    found = _REFUSED.search(text)
    if found is not None:
        return found.group(1).upper()
    found = _IN_SCRIPT.search(text)
    if found is not None:
        lines = _SCRIPTS.get(found.group(1), "").splitlines()
        line = int(found.group(2))
        call = _CALL.search(lines[line - 1]) if 0 < line <= len(lines) else None
        return call.group(1).upper() if call is not None else "a command in a script"
    if _KEY_REFUSED.search(text):
        return "a key"
    return None


def said(err: BaseException) -> str | None:
    """One line naming the command and the ACL when the ACL refused `err`'s; else None."""
    command = refused_command(err)
    return fix([command]) if command is not None else None


async def refused(client: aioredis.Redis, url: str, prefix: str) -> list[str]:
    """The commands mailmove sends that Redis' ACL refuses the URL's user, sorted.

    A key pattern the ACL refuses is reported as "a key". Run on a connection of its own
    (closed after), so that a refused EXEC leaves no pooled connection inside MULTI.
    """
    token = secrets.token_hex(8)
    keys = [f"{prefix}acl-probe:{token}:{n}" for n in range(5)]
    probe = aioredis.Redis(
        connection_pool=aioredis.ConnectionPool(
            connection_class=client.connection_pool.connection_class,
            **client.connection_pool.connection_kwargs,
        ),
        single_connection_client=True,
    )
    found: set[str] = set()
    try:
        pipe = probe.pipeline(transaction=False)
        probes = _probes(keys)
        for name, args in probes:
            pipe.execute_command(name, *args)
        answers = await pipe.execute(raise_on_error=False)
        for (name, _), answer in zip(probes, answers, strict=True):
            if isinstance(answer, RedisError):
                command = refused_command(answer)
                if command is not None:
                    found.add(name if command != "a key" else command)
            elif name == "EVAL" and isinstance(answer, list):
                found.update(
                    item.decode() if isinstance(item, bytes) else str(item) for item in answer
                )
    finally:
        await probe.aclose()
    return sorted(found)


def _probes(keys: Sequence[str]) -> list[tuple[str, tuple[object, ...]]]:
    """Each command mailmove sends outside scripts, with arguments of its arity, on `keys`.

    tests/bot/store/test_redis_acl.py reads the product's sources to keep this (and the
    probe script) in step with the commands they send.
    """
    return [
        ("PING", ()),
        ("SET", (keys[0], "1", "PX", _PROBE_MS)),
        ("GET", (keys[0],)),
        ("MGET", (keys[0],)),
        ("EXISTS", (keys[0],)),
        ("PEXPIRE", (keys[0], _PROBE_MS)),
        ("RENAMENX", (keys[0], keys[1])),
        ("HSET", (keys[2], "f", "1")),
        ("HGET", (keys[2], "f")),
        ("HMGET", (keys[2], "f")),
        ("HGETALL", (keys[2],)),
        ("HDEL", (keys[2], "f")),
        ("LLEN", (keys[3],)),
        ("LRANGE", (keys[3], 0, 0)),
        ("ZADD", (keys[4], 1, "m")),
        ("ZRANGE", (keys[4], 0, 0)),
        ("ZREVRANGE", (keys[4], 0, 0)),
        ("ZRANGEBYSCORE", (keys[4], 0, 0)),
        ("ZREM", (keys[4], "m")),
        ("SCAN", (0, "MATCH", keys[0], "COUNT", 1)),
        ("DBSIZE", ()),
        ("INFO", ("memory",)),
        ("SCRIPT", ("LOAD", "return 1")),
        ("EVALSHA", ("e0e1f9fabfc9d4800c877a703b823ac0578ff8db", 0)),  # return 1
        ("EVAL", (_PROBE_SCRIPT, len(keys), *keys, _PROBE_MS)),
        # Last: once MULTI is taken, Redis queues what follows instead of running it.
        ("MULTI", ()),
        ("EXEC", ()),
    ]
