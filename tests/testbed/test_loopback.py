"""The loopback servers of the tests listen on their port from the moment it is chosen."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator

import httpx
import pytest
import uvicorn
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from testbed import loopback
from testbed.loopback import PromptServer, free_ports, listening, serving
from tests.fakes.platform_api import running_fake


async def _hello(_: Request) -> PlainTextResponse:
    return PlainTextResponse("hello")


APP = Starlette(routes=[Route("/", _hello)])


@pytest.fixture
def taken() -> Iterator[socket.socket]:
    """A port another process holds: the other test worker's server, say."""
    sock = listening()
    yield sock
    sock.close()


def test_a_port_taken_after_it_was_picked_does_not_stop_the_server(
    taken: socket.socket, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A port picked free and let go was free for anyone: another worker's server (or a
    # browser's outgoing connection) could take it before uvicorn bound it, and the test's
    # server did not start. Here that port is the one `free_port` would hand out.
    monkeypatch.setattr(loopback, "free_port", lambda: taken.getsockname()[1])
    with serving(APP) as url:
        assert httpx.get(url, timeout=10).text == "hello"


def test_an_app_that_must_know_its_url_gets_the_port_it_will_listen_on() -> None:
    listener = listening()
    port = listener.getsockname()[1]
    with serving(APP, listener=listener) as url:
        assert url == f"http://127.0.0.1:{port}"
        assert httpx.get(url, timeout=10).text == "hello"


async def test_a_request_in_flight_when_the_server_stops_still_gets_its_answer() -> None:
    # PromptServer skips uvicorn's pause for idle connections only: a busy one keeps
    # uvicorn's own grace, and its answer is not cut.
    arrived, release = asyncio.Event(), asyncio.Event()

    async def slow(_: Request) -> PlainTextResponse:
        arrived.set()
        await release.wait()
        return PlainTextResponse("late")

    sock = listening()
    config = uvicorn.Config(
        Starlette(routes=[Route("/", slow)]), log_level="warning", lifespan="off"
    )
    server = PromptServer(config)
    served = asyncio.create_task(server.serve(sockets=[sock]))
    async with httpx.AsyncClient() as client:
        asked = asyncio.create_task(
            client.get(f"http://127.0.0.1:{sock.getsockname()[1]}/", timeout=10)
        )
        await arrived.wait()
        server.should_exit = True
        release.set()
        assert (await asked).text == "late"
    await asyncio.wait_for(served, timeout=10)
    assert server.should_exit


def _nagle_off(server: uvicorn.Server) -> list[int]:
    """TCP_NODELAY of each connection `server` holds open (0: Nagle's algorithm is on)."""
    return [
        connection.transport.get_extra_info("socket").getsockopt(
            socket.IPPROTO_TCP, socket.TCP_NODELAY
        )
        for connection in server.server_state.connections
    ]


async def test_a_served_answer_is_not_held_back_by_nagles_algorithm() -> None:
    # uvicorn writes an answer's headers and its body apart. With Nagle's algorithm on, the
    # body waited for the client's delayed ACK of the headers: 40 ms, on about one answer in
    # ten of the fakes' thousands. asyncio turns it off only for a socket made as TCP's.
    sock = listening()
    server = PromptServer(uvicorn.Config(APP, log_level="warning", lifespan="off"))
    served = asyncio.create_task(server.serve(sockets=[sock]))
    async with httpx.AsyncClient() as client:
        url = f"http://127.0.0.1:{sock.getsockname()[1]}/"
        assert (await client.get(url, timeout=10)).text == "hello"
        assert _nagle_off(server) == [1]  # the client keeps its connection open
    server.should_exit = True
    await asyncio.wait_for(served, timeout=10)


async def test_the_platform_fakes_answers_are_not_held_back_by_nagles_algorithm() -> None:
    async with running_fake() as fake, httpx.AsyncClient() as client:
        assert (await client.get(f"{fake.url}/healthz", timeout=10)).status_code == 200
        assert fake._server is not None
        assert set(_nagle_off(fake._server)) == {1}


def test_free_ports_are_all_different_and_free() -> None:
    # Found one by one, two probes could be handed the same port: a Dovecot given it for POP3
    # and IMAP refused its configuration ("duplicate listener") and a module's tests errored.
    ports = free_ports(64)
    assert len(set(ports)) == 64
    for port in ports:
        with socket.socket() as sock:
            sock.bind(("127.0.0.1", port))  # free again once found
