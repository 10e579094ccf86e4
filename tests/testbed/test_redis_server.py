"""Each test's redis-server is its own, even when its port was taken after it was picked."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from testbed import redis_server
from testbed.redis_server import PortTakenError, RedisServer, running_redis


@pytest.fixture
def other() -> Iterator[RedisServer]:
    """Another test worker's redis-server."""
    with running_redis() as server:
        yield server


def test_a_port_another_redis_took_meanwhile_is_not_shared(
    other: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The port picked free was taken by the other worker's redis-server before this one
    # bound it: this one exited, the other answered PING, and the test ran on its data.
    picks = iter([other.port])
    free_port = redis_server.free_port
    monkeypatch.setattr(redis_server, "free_port", lambda: next(picks, None) or free_port())
    with running_redis() as server:
        assert server.port != other.port
        assert server.process is not None
        assert server.process.poll() is None


def test_a_start_that_fails_says_its_own_reason_not_an_earlier_starts(
    other: RedisServer, tmp_path: Path
) -> None:
    # The folder's redis.log keeps every start's lines: a start that once lost its port
    # left "Address already in use" there, and a later start of the same server that failed
    # otherwise (a damaged append-only file, after a kill in a drill) said its port was
    # taken.
    server = RedisServer(port=other.port, folder=tmp_path, persistent=True)
    with pytest.raises(PortTakenError):
        server.start()
    manifest = tmp_path / "appendonlydir" / "appendonly.aof.manifest"
    manifest.parent.mkdir()
    manifest.write_text("not a manifest\n")
    server.port = redis_server.free_port()
    with pytest.raises(RuntimeError, match="Invalid AOF manifest") as raised:
        server.start()
    assert not isinstance(raised.value, PortTakenError)
    assert "Address already in use" not in str(raised.value)
