"""Each test's redis-server is its own, even when its port was taken after it was picked."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from testbed import redis_server
from testbed.redis_server import RedisServer, running_redis


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
