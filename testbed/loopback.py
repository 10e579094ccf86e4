"""Run an ASGI app under uvicorn on a free 127.0.0.1 port, in a thread, for one test."""

from __future__ import annotations

import asyncio
import os
import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from pathlib import Path
from typing import Any, Final

import uvicorn
from starlette.types import ASGIApp


def free_port() -> int:
    """A port nothing listens on now, for a client that must find it closed.

    Not for a server: the port is free again once this returns, and another process (the
    other test worker's server, a browser's outgoing connection) may take it before the
    server binds it. A server listens on `listening()`'s socket instead.
    """
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def free_ports(count: int, host: str = "127.0.0.1") -> list[int]:
    """`count` different ports nothing listens on now, for a server that binds them itself.

    The probes stay bound until all are found: closed one by one, the kernel could hand the
    same port out twice (a Dovecot given one port for POP3 and IMAP refused its own
    configuration, "duplicate listener", and a test module's twelve tests errored). The
    ports are free again once this returns, as `free_port`'s: a server that cannot bind one
    tries again with others.
    """
    probes: list[socket.socket] = []
    try:
        for _ in range(count):
            probe = socket.socket()
            probes.append(probe)
            probe.bind((host, 0))
        return [int(probe.getsockname()[1]) for probe in probes]
    finally:
        for probe in probes:
            probe.close()


def listening() -> socket.socket:
    """A socket bound to a free 127.0.0.1 port and already listening, for `serving`.

    Bound and listening before the server starts: no other process can take the port in
    between, and a request that comes before the server is ready waits in the backlog.

    Made with IPPROTO_TCP named: asyncio sets TCP_NODELAY only on a connection whose socket
    says TCP, and an accepted one takes the listener's proto (0 when left out). Without it
    uvicorn's headers and body, two writes, met Nagle's algorithm and the client's delayed
    ACK: about one answer in ten came 40 ms late.
    """
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM, socket.IPPROTO_TCP)
    sock.bind(("127.0.0.1", 0))
    sock.listen(128)
    return sock


def listens_on(pid: int, port: int, *, alone: bool = False) -> bool:
    """Whether process `pid` itself listens on 127.0.0.1:`port` (Linux's /proc).

    For a server started as a process on a port picked beforehand: until it has bound it,
    another process may have, and would answer its health check in its place. `alone`: and
    no other socket listens there. A server that sets SO_REUSEPORT (Postfix's master does)
    binds a port another such server holds, and the kernel shares the connections out.
    """
    try:
        descriptors = os.listdir(f"/proc/{pid}/fd")
    except OSError:  # it has exited
        return False
    sockets = set()
    for fd in descriptors:
        with suppress(OSError):  # closed since the listing
            sockets.add(os.readlink(f"/proc/{pid}/fd/{fd}"))
    wanted = f"0100007F:{port:04X}"  # 127.0.0.1 as /proc/net/tcp writes it (little-endian)
    ours = others = 0
    for line in Path("/proc/net/tcp").read_text().splitlines()[1:]:
        fields = line.split()
        # local address, state (0A: LISTEN), socket inode
        if fields[1] == wanted and fields[3] == "0A":
            if f"socket:[{fields[9]}]" in sockets:
                ours += 1
            else:
                others += 1
    return ours > 0 and not (alone and others)


# Passes of the event loop a closing server gives idle connections to be gone.
_CLOSING_PASSES: Final = 10


class PromptServer(uvicorn.Server):
    """uvicorn's Server, stopped as soon as `should_exit` is set.

    uvicorn looks at `should_exit` every 0.1 s, and stopping, it gives the connections it asked
    to close another 0.1 s even when all were idle: 0.2 s of nothing at the end of every
    test that starts a server (the platform fakes, `serving`), several hundred of them. Here
    setting the flag, from any thread, wakes the server at once, and idle connections are
    closed without the pause; with one still busy, uvicorn's own shutdown runs unchanged.
    """

    def __init__(self, config: uvicorn.Config) -> None:
        self._exit = False
        self._waiting: tuple[asyncio.AbstractEventLoop, asyncio.Event] | None = None
        super().__init__(config)

    @property
    def should_exit(self) -> bool:  # uvicorn's attribute, made a property to wake main_loop
        return self._exit

    @should_exit.setter
    def should_exit(self, value: bool) -> None:
        self._exit = value
        if value and self._waiting is not None:
            loop, woken = self._waiting
            with suppress(RuntimeError):  # the loop has closed: nothing is waiting
                loop.call_soon_threadsafe(woken.set)

    async def main_loop(self) -> None:
        """Wait for `should_exit` (uvicorn's loop ticks: once, for its default headers)."""
        woken = asyncio.Event()
        self._waiting = (asyncio.get_running_loop(), woken)
        if await self.on_tick(0):
            return
        while not self.should_exit:
            await woken.wait()
            woken.clear()

    async def shutdown(self, sockets: list[socket.socket] | None = None) -> None:
        """uvicorn's shutdown, less its 0.1 s pause when every connection was idle."""
        for server in self.servers:
            server.close()
        for sock in sockets or []:
            sock.close()
        for connection in list(self.server_state.connections):
            connection.shutdown()  # an idle one closes its transport at once
        for _ in range(_CLOSING_PASSES):
            if not (self.server_state.connections or self.server_state.tasks):
                break
            await asyncio.sleep(0)  # a closed transport's connection_lost comes a pass later
        else:
            await super().shutdown(sockets)  # one is still busy: uvicorn's own grace, unchanged
            return
        if not self.force_exit:
            await self.lifespan.shutdown()


@contextmanager
def serving(
    app: ASGIApp,
    *,
    timeout: float = 10.0,
    listener: socket.socket | None = None,
    **options: Any,
) -> Iterator[str]:
    """Yield the base URL once uvicorn has started; stop it afterwards.

    `listener` is a socket from `listening()` when the app must know its own URL before it
    starts (its port is in the settings); otherwise `serving` makes one. `options` go to
    `uvicorn.Config` (`http=` a protocol class, for instance).
    """
    sock = listener or listening()
    port = int(sock.getsockname()[1])
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port,
        log_level="warning",
        lifespan="on",
        **options,
    )
    server = PromptServer(config)
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    started = threading.Event()

    def watch() -> None:
        # uvicorn sets `started` from its own thread; poll it cheaply without sleeping here.
        while not server.started and thread.is_alive():
            started.wait(0.01)
        started.set()

    watcher = threading.Thread(target=watch, daemon=True)
    watcher.start()
    if not started.wait(timeout) or not server.started:
        server.should_exit = True
        sock.close()
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
        sock.close()
