"""A drill's replica is ready when it answers itself, not when something on its port does."""

from __future__ import annotations

from pathlib import Path

import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from testbed.cluster import Replica
from testbed.loopback import listening, serving


async def _ready(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ready")


# Another server on loopback, healthy: the other test worker's, say.
IMPOSTOR = Starlette(routes=[Route("/readyz", _ready)])


def test_a_replica_whose_port_was_taken_meanwhile_is_not_taken_for_ready(tmp_path: Path) -> None:
    # The replica's port is picked free, then bound by its process seconds later: here the
    # other server took it in between. Its /readyz said 200, and the replica, which could not
    # listen and exited, was reported ready (the drill then ran against the other server).
    listener = listening()
    port = int(listener.getsockname()[1])
    with serving(IMPOSTOR, listener=listener):
        replica = Replica(f"sqlite:///{tmp_path}/store.sqlite3", tmp_path / "replica.log", port)
        try:
            with pytest.raises(RuntimeError, match="exited"):
                replica.start()
        finally:
            replica.kill()
    assert "cannot listen" in replica.log_path.read_text(encoding="utf-8")
