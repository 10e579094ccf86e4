"""A second `mailmove serve` on the SQLite file another one serves stops in one line.

It started and served: the two processes each kept their own per-client limits (a client got
twice its allowance) and their own conversation locks, so two messages of one conversation
sent to both at once could each read the record before the other wrote it. A SQLite store is
one process's; replicas share a Redis.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from tests.bot.ops.test_startup_summary import free_port
from tests.bot.web.test_served_client_address import _wait_until_it_answers

ROOT: Final = Path(__file__).resolve().parents[3]


@pytest.mark.timeout(120)
def test_a_second_serve_on_the_same_file_is_refused(tmp_path: Path) -> None:
    database = tmp_path / "var" / "mailmove.sqlite3"
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_"))
    }
    env |= {"MAILMOVE_STORE": f"sqlite:///{database}", "MAILMOVE_LOG_FORMAT": "json"}
    port = free_port()
    first = subprocess.Popen(  # noqa: S603 - our own CLI, the test's arguments
        [sys.executable, "-m", "bot.cli", "serve", "--port", str(port)],
        cwd=ROOT,
        env=env,
        stderr=subprocess.DEVNULL,
    )
    try:
        _wait_until_it_answers(first, f"http://127.0.0.1:{port}")
        second = subprocess.run(  # noqa: S603 - our own CLI, the test's arguments
            [sys.executable, "-m", "bot.cli", "serve", "--port", str(free_port())],
            cwd=ROOT,
            env=env,
            capture_output=True,
            text=True,
            timeout=60,
            check=False,
        )
    finally:
        first.terminate()
        first.wait(timeout=60)
    assert second.returncode == 1, second.stderr
    assert second.stderr.splitlines() == [
        f"mailmove: {database} is served by another mailmove serve: a SQLite store is one"
        " process's (stop the other, or give the replicas a redis:// store)"
    ]
