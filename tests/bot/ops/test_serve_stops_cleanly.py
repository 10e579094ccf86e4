"""`mailmove serve` (as `make run` starts it) stops cleanly on SIGTERM and on Ctrl-C.

uvicorn, once it has shut down, raises the signal it caught again. SIGTERM's default action
then ended the process before its exit handlers ran: the log lines still queued for the
writer thread, "Application shutdown complete." among them (docs/operations.md's record of a clean
drain), were lost, and the exit status was 143. Ctrl-C (SIGINT) ended in a KeyboardInterrupt
traceback on the operator's terminal.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from tests.bot.ops.test_startup_summary import free_port
from tests.bot.web.test_served_client_address import _wait_until_it_answers

ROOT: Final = Path(__file__).resolve().parents[3]


@pytest.mark.timeout(90)
@pytest.mark.parametrize(
    "stop",
    # SIGHUP (the terminal or the ssh session closed) ended the process at once: the turns in
    # flight cut off, no drain, no last lines, status -1 (killed by the signal).
    [signal.SIGTERM, signal.SIGINT, signal.SIGHUP],
    ids=["SIGTERM", "Ctrl-C", "SIGHUP"],
)
def test_serve_drains_logs_its_last_lines_and_exits_0(stop: signal.Signals, tmp_path: Path) -> None:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_"))
    }
    env |= {"MAILMOVE_STORE": f"sqlite:///{tmp_path}/store.sqlite3", "MAILMOVE_PORT": str(port)}
    log_path = tmp_path / "stderr.log"
    with log_path.open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            cwd=ROOT,
            env=env,
            stderr=log,  # not a terminal: JSON lines through the queued writer, as shipped
            # Ctrl-C's SIGINT with its default handling, as on a terminal.
            preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
        )
        try:
            _wait_until_it_answers(server, f"http://127.0.0.1:{port}")
        finally:
            server.send_signal(stop)
            returncode = server.wait(timeout=60)
    text = log_path.read_text()

    assert "Traceback" not in text, text
    events = [json.loads(line)["event"] for line in text.splitlines()]
    assert events[-2:] == [
        "Application shutdown complete.",
        f"Finished server process [{server.pid}]",
    ]
    assert returncode == 0
    # Which signal stopped it, and that SIGHUP is no reload: an operator's `kill -HUP` to
    # take a changed profile up saw "Shutting down" alone, then the server gone.
    hangup = (
        " (SIGHUP does not reload: the settings and the profile are read at start only;"
        " restart mailmove to take a change up)"
    )
    said = f"Stopping on {stop.name}: draining the turns in flight"
    assert said + (hangup if stop is signal.SIGHUP else "") in events, events


@pytest.mark.timeout(90)
def test_under_nohup_a_hangup_leaves_it_serving(tmp_path: Path) -> None:
    # `nohup mailmove serve &` ignores SIGHUP so that it outlives the session: the drain on
    # SIGHUP is for a hangup nobody chose to ignore.
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_"))
    }
    env |= {"MAILMOVE_STORE": f"sqlite:///{tmp_path}/store.sqlite3", "MAILMOVE_PORT": str(port)}
    with (tmp_path / "stderr.log").open("w") as log:
        server = subprocess.Popen(
            [sys.executable, "-m", "bot.cli", "serve"],
            cwd=ROOT,
            env=env,
            stderr=log,
            preexec_fn=lambda: signal.signal(signal.SIGHUP, signal.SIG_IGN),
        )
        try:
            _wait_until_it_answers(server, f"http://127.0.0.1:{port}")
            server.send_signal(signal.SIGHUP)
            _wait_until_it_answers(server, f"http://127.0.0.1:{port}")
            assert server.poll() is None
        finally:
            server.send_signal(signal.SIGTERM)
            returncode = server.wait(timeout=60)
    assert returncode == 0
