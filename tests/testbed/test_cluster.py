"""A drill's replica is ready when it answers itself, not when something on its port does."""

from __future__ import annotations

import socket
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from testbed.cluster import PortTakenError, Replica
from testbed.loopback import listening, listens_on, serving


async def _ready(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ready")


# Another server on loopback, healthy: the other test worker's, say.
IMPOSTOR = Starlette(routes=[Route("/readyz", _ready)])


def test_a_replica_whose_port_was_taken_meanwhile_starts_on_another_of_its_own(
    tmp_path: Path,
) -> None:
    # The replica's port is picked free, then bound by its process seconds later: here the
    # other server took it in between. Its /readyz said 200, and the replica, which could not
    # listen and exited, was reported ready (the drill then ran against the other server);
    # then it failed the drill instead (an 'exited' error), where another port would do.
    listener = listening()
    port = int(listener.getsockname()[1])
    with serving(IMPOSTOR, listener=listener):
        replica = Replica(f"sqlite:///{tmp_path}/store.sqlite3", tmp_path / "replica.log", port)
        try:
            replica.start()
            assert replica.port != port
            assert replica.process is not None
            assert listens_on(replica.process.pid, replica.port)
            assert httpx.get(f"{replica.url}/readyz", timeout=10).status_code == 200
            # A restart keeps the port the drill's clients know: taken meanwhile, it fails.
            replica.kill()
            taker = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            taker.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
            taker.bind(("127.0.0.1", replica.port))
            taker.listen(8)
            with serving(IMPOSTOR, listener=taker), pytest.raises(PortTakenError, match="exited"):
                replica.start()
        finally:
            replica.kill()
    assert "cannot listen" in replica.log_path.read_text(encoding="utf-8")
