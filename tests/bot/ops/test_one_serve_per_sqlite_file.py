"""A second `mailmove serve` on the SQLite file another one serves says so when it starts.

It started and served with nothing said: the two processes each keep their own per-client
limits (a client gets twice its allowance) and their own conversation locks. A SQLite store is
one process's; replicas share a Redis. The second one is told in its start-up summary, not
refused: a server started by mistake, or by a harness that starts one per test, still answers.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from testbed.loopback import free_ports
from tests.bot.web.test_served_client_address import _wait_until_it_answers

ROOT: Final = Path(__file__).resolve().parents[3]


def _serve(env: dict[str, str], port: int, stderr: int | None) -> subprocess.Popen[bytes]:
    return subprocess.Popen(  # noqa: S603 - our own CLI, the test's arguments
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stderr=stderr,
    )


def _notes(log: bytes) -> list[str]:
    for line in log.decode().splitlines():
        record = json.loads(line)
        if record.get("message") == "mailmove starting" or record.get("event") == (
            "mailmove starting"
        ):
            return list(record.get("notes", []))
    raise AssertionError(f"no start-up summary in {log!r}")


@pytest.mark.timeout(120)
def test_a_second_serve_on_the_same_file_says_so_and_serves(tmp_path: Path) -> None:
    database = tmp_path / "var" / "mailmove.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_"))
    }
    env |= {"MAILMOVE_STORE": f"sqlite:///{database}", "MAILMOVE_LOG_FORMAT": "json"}
    first_port, second_port = free_ports(2)  # never one port twice: see `free_ports`
    first = _serve(env, first_port, subprocess.PIPE)
    second: subprocess.Popen[bytes] | None = None
    try:
        _wait_until_it_answers(first, f"http://127.0.0.1:{first_port}")
        second = _serve(env, second_port, subprocess.PIPE)
        _wait_until_it_answers(second, f"http://127.0.0.1:{second_port}")
    finally:
        for server in (first, second):
            if server is not None:
                server.terminate()
        logs = [server.communicate(timeout=60)[1] for server in (first, second) if server]

    note = (
        f"{database} is served by another mailmove serve too: each keeps its own per-client"
        " limits and conversation locks (stop the other, or give the replicas a redis:// store)"
    )
    assert note not in _notes(logs[0])
    assert note in _notes(logs[1])
