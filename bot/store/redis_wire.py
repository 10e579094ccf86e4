"""Scripts sent straight on a redis-py connection, without the client's per-command machinery.

A web chat turn on Redis is three script calls: the per-client limit's (`redis_rate_limit`)
and the store's two (`redis_store`). redis-py's way to each (the client's or a pipeline's
command packing, a connection checkout and release with its lock and probe, a retry wrapper,
a write task under `asyncio.wait_for`) cost more instructions than the turn's dialog, so both
modules pack their commands here and write them on a connection they hold; replies are read
with the connection's own `read_response` (redis-py's parser, its timeout, its errors).
"""

from __future__ import annotations

import asyncio
from collections.abc import Sequence
from typing import Final, cast

import redis.asyncio as aioredis
from redis.asyncio.connection import AbstractConnection
from redis.exceptions import TimeoutError as RedisTimeoutError

Arg = bytes | str | int  # a script's argument, as `command` packs it
# What a write waits for when Redis does not read (the socket's buffer full) and the
# connection names no timeout of its own.
WRITE_TIMEOUT: Final = 2.0


async def get_connection(pool: aioredis.ConnectionPool) -> AbstractConnection:
    """A connection from `pool`, waiting for one (BlockingConnectionPool) up to its timeout.

    Past redis-py's deprecated-arguments check when it has one: it inspects the call's
    signature on every call, a few per cent of a whole turn, to warn about arguments we
    never pass.
    """
    get = type(pool).get_connection
    get = getattr(get, "__wrapped__", get)
    return cast(AbstractConnection, await get(pool))


async def send(connection: AbstractConnection, command: bytes) -> None:
    """Write `command` on `connection`, waiting (up to its socket timeout) only if it must.

    redis-py's `send_packed_command` runs every write as a task under `asyncio.wait_for`,
    an extra task and event-loop pass per command; a few hundred bytes on loopback are
    sent at once, so the wait is only needed when the socket's buffer is full (Redis not
    reading), and only then is it paid. A connection not yet open (or dropped) goes the
    library's way, which connects it.
    """
    writer: asyncio.StreamWriter | None = getattr(connection, "_writer", None)
    if writer is None or not connection.is_connected:
        await connection.send_packed_command(command, check_health=False)
        return
    writer.write(command)
    if writer.transport.get_write_buffer_size():
        timeout = getattr(connection, "socket_timeout", None) or WRITE_TIMEOUT
        try:
            await asyncio.wait_for(writer.drain(), timeout)
        except TimeoutError:
            raise RedisTimeoutError("Timeout writing to Redis") from None


def command(
    name: bytes, script: str | bytes | memoryview, keys: Sequence[str], args: Sequence[Arg]
) -> bytes:
    """`name script len(keys) *keys *args` in Redis' protocol (RESP), as one buffer.

    redis-py's packer checks and encodes each argument through several calls and gives a
    list of pieces: a turn's commit has dozens of arguments, and packing them was a tenth
    of a turn's CPU. Arguments are bytes, text (UTF-8) or whole numbers, as redis-py
    encodes them.
    """
    items = [name, _bytes(script), b"%d" % len(keys)]
    items += [key.encode() for key in keys]
    items += [_bytes(arg) for arg in args]
    return b"*%d\r\n" % len(items) + b"".join(
        [b"$%d\r\n%b\r\n" % (len(item), item) for item in items]
    )


def _bytes(value: Arg | memoryview) -> bytes:
    if isinstance(value, bytes):
        return value
    if isinstance(value, str):
        return value.encode()
    if isinstance(value, memoryview):
        return value.tobytes()
    return b"%d" % value
