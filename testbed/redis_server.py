"""A real redis-server on loopback for the Redis store tests, the drills and the benchmarks.

`running_redis()` starts Debian's redis-server on a free 127.0.0.1 port in a temporary
folder, waits until that very process answers (INFO's process_id: another worker's server
may have taken the port meanwhile; polling, never sleeping blind), and stops it on exit.
By default nothing is persisted; the drill that restarts Redis asks for an append-only file
fsynced on every write, so that a restart keeps every acknowledged write.

When redis-server is missing the test is skipped, except under CI (`CI=true`), where a
missing server must fail loudly instead of silently testing nothing; a benchmark gets a
RuntimeError saying so.
"""

from __future__ import annotations

import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

HOST: Final = "127.0.0.1"
REDIS_SERVER: Final = "redis-server"
_READY_TIMEOUT: Final = 10.0
_STOP_TIMEOUT: Final = 10.0
_PORT_TRIES: Final = 3


def redis_server_binary() -> str:
    """The redis-server path; skips the test (fails it under CI) when it is not installed."""
    found = shutil.which(REDIS_SERVER) or (
        "/usr/bin/redis-server" if Path("/usr/bin/redis-server").exists() else None
    )
    if found is None:
        message = "redis-server is not installed (Debian package redis-server)"
        if "pytest" not in sys.modules:
            raise RuntimeError(message)  # a benchmark or drill run by hand
        # Imported here, not at the top: `bench/` imports this module and never pytest.
        import pytest

        if os.environ.get("CI", "").lower() == "true":
            pytest.fail(message)
        pytest.skip(message)
    return found


def free_port() -> int:
    """A TCP port on 127.0.0.1 that nothing listens on right now."""
    with socket.socket() as sock:
        sock.bind((HOST, 0))
        return int(sock.getsockname()[1])


def _process_id(port: int, timeout: float = 0.5) -> int | None:
    """The process id of the Redis server answering on `port` (INFO, raw RESP), or None."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as sock:
            sock.sendall(b"*2\r\n$4\r\nINFO\r\n$6\r\nserver\r\n")
            answer = b""
            while b"process_id:" not in answer or not answer.split(b"process_id:")[1].count(
                b"\r\n"
            ):
                chunk = sock.recv(4096)
                if not chunk:
                    return None
                answer += chunk
    except OSError:
        return None
    return int(answer.split(b"process_id:")[1].split(b"\r\n")[0])


def _loading(port: int, timeout: float = 0.5) -> bool:
    """Whether the Redis server on `port` is still loading its data (INFO persistence)."""
    try:
        with socket.create_connection((HOST, port), timeout=timeout) as sock:
            sock.sendall(b"*2\r\n$4\r\nINFO\r\n$11\r\npersistence\r\n")
            answer = b""
            while b"loading:" not in answer or not answer.split(b"loading:")[1].count(b"\r\n"):
                chunk = sock.recv(4096)
                if not chunk:
                    return True
                answer += chunk
    except OSError:
        return True
    return not answer.split(b"loading:")[1].startswith(b"0")


class PortTakenError(RuntimeError):
    """redis-server could not listen on its port: another process had it."""


@dataclass
class RedisServer:
    """One redis-server process; `stop` and `start` again keep its port and its folder."""

    port: int
    folder: Path
    persistent: bool = False
    process: subprocess.Popen[bytes] | None = field(default=None, repr=False)

    @property
    def url(self) -> str:
        """`redis://127.0.0.1:PORT/0`."""
        return f"redis://{HOST}:{self.port}/0"

    def start(self) -> None:
        """Start the server and return once it answers on its port (it, not another)."""
        persistence = (
            ["--appendonly", "yes", "--appendfsync", "always", "--save", ""]
            if self.persistent
            else ["--appendonly", "no", "--save", ""]
        )
        log_path = self.folder / "redis.log"
        # The log keeps every start's lines: only this start's say why it failed.
        log_start = log_path.stat().st_size if log_path.exists() else 0
        process = subprocess.Popen(  # noqa: S603 - a fixed binary and our own arguments
            [
                redis_server_binary(),
                "--bind",
                HOST,
                "--port",
                str(self.port),
                "--dir",
                str(self.folder),
                "--daemonize",
                "no",
                "--protected-mode",
                "yes",
                "--loglevel",
                "warning",
                "--logfile",
                str(log_path),
                *persistence,
            ],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        deadline = time.monotonic() + _READY_TIMEOUT
        # Ready once this very process answers: a free port picked beforehand can be taken
        # meanwhile by another test worker's redis-server, which would answer PING, and the
        # test would run against that one's data.
        self.process = process
        while _process_id(self.port) != process.pid:
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server did not answer on port {self.port}")
            # Waiting on the process is the pause between probes, and notices at once when
            # redis-server has exited (a port taken, a bad option).
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.01)
                self.process = None
                with log_path.open("rb") as file:
                    file.seek(log_start)
                    log = file.read().decode(errors="replace")
                if "Address already in use" in log:
                    raise PortTakenError(f"port {self.port} was taken:\n{log}")
                raise RuntimeError(f"redis-server exited at start:\n{log}")
        # It answers INFO while it replays its append-only file after a restart, and every
        # command with "LOADING": the drill's first turn after the restart failed so (once
        # in 12 loaded runs of test_a_lock_restored_from_the_append_only_file_stalls_no_retry).
        while _loading(self.port):
            if time.monotonic() > deadline:
                self.stop()
                raise RuntimeError(f"redis-server on port {self.port} was still loading")
            with suppress(subprocess.TimeoutExpired):
                process.wait(timeout=0.01)  # the pause between probes; an exit ends it
                self.process = None
                raise RuntimeError("redis-server exited while loading its data")

    def kill(self) -> None:
        """`kill -9`: the harshest stop, no chance to flush anything."""
        if self.process is not None:
            self.process.kill()
            self.process.wait(timeout=_STOP_TIMEOUT)
            self.process = None

    def stop(self) -> None:
        """Stop it (SIGTERM, then SIGKILL if it lingers)."""
        if self.process is None:
            return
        self.process.terminate()
        try:
            self.process.wait(timeout=_STOP_TIMEOUT)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait(timeout=_STOP_TIMEOUT)
        self.process = None


@contextmanager
def running_redis(*, persistent: bool = False) -> Iterator[RedisServer]:
    """A started redis-server in its own temporary folder, stopped and removed on exit."""
    binary = redis_server_binary()  # skip (or fail under CI) before creating anything
    del binary
    with tempfile.TemporaryDirectory(prefix="mailmove-redis-") as folder:
        server = RedisServer(port=free_port(), folder=Path(folder), persistent=persistent)
        for _ in range(_PORT_TRIES - 1):
            try:
                server.start()
                break
            except PortTakenError:  # taken between free_port() and the server's bind
                server.port = free_port()
        else:
            server.start()
        try:
            yield server
        finally:
            with suppress(OSError):
                server.stop()
