"""Run an ASGI app under uvicorn on a free 127.0.0.1 port, in a thread, for one test."""

from __future__ import annotations

import socket
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import uvicorn
from starlette.types import ASGIApp


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextmanager
def serving(
    app: ASGIApp, *, timeout: float = 10.0, port: int | None = None, **options: Any
) -> Iterator[str]:
    """Yield the base URL once uvicorn has started; stop it afterwards.

    `port` is one the caller picked (`free_port()`) when the app must know its own URL;
    `options` go to `uvicorn.Config` (`http=` a protocol class, for instance).
    """
    config = uvicorn.Config(
        app,
        host="127.0.0.1",
        port=port or free_port(),
        log_level="warning",
        lifespan="on",
        **options,
    )
    server = uvicorn.Server(config)
    thread = threading.Thread(target=server.run, daemon=True)
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
        raise RuntimeError("uvicorn did not start")
    try:
        yield f"http://127.0.0.1:{config.port}"
    finally:
        server.should_exit = True
        thread.join(timeout)
