"""The client address the per-client limits count, as `mailmove serve` really serves.

uvicorn, left to its defaults, believes `X-Forwarded-For` from 127.0.0.1 and rewrites the
client address before mailmove sees it. mailmove reads that header only when the operator
names it (`MAILMOVE_CLIENT_IP_HEADER`), so the shipped server must not believe it otherwise:
a client on the same host (or a proxy there that passes the header through untouched) could
otherwise start unlimited conversations by writing a new address into each request.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import PlainTextResponse
from starlette.routing import Route

from testbed.loopback import listening, listens_on, serving
from tests.bot.ops.test_startup_summary import free_port

ROOT: Final = Path(__file__).resolve().parents[3]
CONVERSATIONS: Final = "/api/webchat/conversations"
STARTUP: Final = 60.0  # seconds; the end of the wait, not its length


@pytest.fixture(scope="module")
def served(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """One `mailmove serve` for the module's tests: a start took seconds, its checks little.

    Its tests leave nothing another could trip on: only POSTs to CONVERSATIONS are limited,
    and only one test makes them.
    """
    folder = tmp_path_factory.mktemp("served")
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_"))
    }
    env |= {
        "MAILMOVE_STORE": f"sqlite:///{folder}/store.sqlite3",
        "MAILMOVE_PORT": str(port),
        "MAILMOVE_WEBCHAT_CONVERSATION_LIMIT": "2",
    }
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_until_it_answers(server, url)
        yield url
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)


def _wait_until_it_answers(server: subprocess.Popen[bytes], url: str) -> None:
    # The port was picked free before the server started, and is free for anyone until it
    # binds it (seconds, under load): another test worker's server may answer the health
    # check in its place. Ready is this process listening there, and answering.
    port = httpx.URL(url).port
    assert port is not None
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        try:
            if (
                listens_on(server.pid, port)
                and httpx.get(f"{url}/healthz", timeout=1).status_code == 200
            ):
                return
        except httpx.TransportError:
            pass
        # Waiting on the process is the pause between probes, and notices if it exits.
        try:
            server.wait(timeout=0.05)
        except subprocess.TimeoutExpired:
            continue
        raise AssertionError(f"mailmove serve exited with {server.returncode}")
    raise AssertionError(f"mailmove serve did not answer within {STARTUP} s")


def test_a_forwarded_header_nobody_configured_does_not_make_another_client(served: str) -> None:
    with httpx.Client(base_url=served, timeout=10) as client:
        statuses = [
            client.post(
                CONVERSATIONS, json={}, headers={"x-forwarded-for": f"203.0.113.{n}"}
            ).status_code
            for n in range(3)
        ]
    assert statuses == [201, 201, 429]


def test_the_shipped_server_does_not_name_its_software(served: str) -> None:
    # `Server: uvicorn` told anyone which HTTP stack (and so which of its advisories) to try;
    # nothing a client needs.
    for path in ("/healthz", "/", "/no-such-page"):
        response = httpx.get(f"{served}{path}", timeout=10)
        assert "server" not in response.headers, (path, response.headers)


def test_the_wait_for_the_server_is_not_fooled_by_another_on_its_port(tmp_path: Path) -> None:
    # Another server took the port before `mailmove serve` bound it: that one answers the
    # health check, this one fails to bind and exits. The wait must say so, not go on.
    other = listening()
    try:
        with serving(Starlette(routes=[Route("/healthz", _healthy)]), listener=other) as url:
            stand_in = subprocess.Popen([sys.executable, "-c", "import sys; sys.exit(1)"])
            with pytest.raises(AssertionError, match="exited"):
                _wait_until_it_answers(stand_in, url)
    finally:
        other.close()


async def _healthy(_: Request) -> PlainTextResponse:
    return PlainTextResponse("ok")
