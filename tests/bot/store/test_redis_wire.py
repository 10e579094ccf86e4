"""`redis_wire`: the store's and the limiter's scripts packed as redis-py packs them."""

from __future__ import annotations

import pytest
from redis.asyncio.connection import Connection

from bot.store.redis_wire import Arg, command


@pytest.mark.parametrize(
    ("keys", "args"),
    [
        ([], []),
        (["mailmove:lock:webchat:abc"], [b"token", 500, 1]),
        (["k1", "キー"], ["パスワードは伏せます", "", b"", 0, -7, 10**12, b"\x00\r\n$*"]),
        (["a" * 300], ["x" * 70_000]),  # redis-py packs a long argument apart; same bytes
    ],
)
def test_a_script_is_packed_as_redis_py_packs_it(keys: list[str], args: list[Arg]) -> None:
    sha = "e0e1f9fabfc9d4800c877a703b823ac0578ff8db"
    expected = b"".join(Connection().pack_command("EVALSHA", sha, len(keys), *keys, *args))
    assert command(b"EVALSHA", sha, keys, args) == expected


def test_a_memoryview_is_packed_as_its_bytes() -> None:
    assert command(b"EVAL", memoryview(b"return 1"), [], []) == command(b"EVAL", "return 1", [], [])
