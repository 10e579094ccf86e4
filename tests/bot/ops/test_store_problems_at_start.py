"""A SQLite store that cannot be opened, or is not there, as the operator meets it.

`mailmove serve` with a store path it cannot use (a folder that is a file, a file that is
not a database) logged a Python traceback inside uvicorn's "Application startup failed"
and exited 3; `mailmove stats` pointed at a file that does not exist (a typo'd
`--store`) created an empty database there and reported zeros, as if nobody had chatted.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from bot.cli import main
from bot.server import ListenError, listening_socket
from tests.bot.ops.test_startup_summary import free_port

ROOT: Final = Path(__file__).resolve().parents[3]


def _mailmove(*args: str) -> subprocess.CompletedProcess[str]:
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_"))
    }
    return subprocess.run(  # noqa: S603 - our own CLI, the test's arguments
        [sys.executable, "-m", "bot.cli", *args],
        cwd=ROOT,
        env=env | {"MAILMOVE_LOG_FORMAT": "json"},
        capture_output=True,
        text=True,
        timeout=60,
        check=False,
    )


def _unusable(tmp_path: Path, kind: str) -> Path:
    if kind == "folder is a file":
        (tmp_path / "var").write_text("")
        return tmp_path / "var" / "mailmove.sqlite3"
    path = tmp_path / "mailmove.sqlite3"
    path.write_bytes(b"not a database " * 40)
    return path


@pytest.mark.timeout(90)
@pytest.mark.parametrize("kind", ["folder is a file", "not a database"])
def test_serve_names_a_store_it_cannot_open_in_one_line(tmp_path: Path, kind: str) -> None:
    path = _unusable(tmp_path, kind)

    result = _mailmove("serve", "--port", str(free_port()), "--store", f"sqlite:///{path}")

    assert "Traceback" not in result.stderr, result.stderr
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(f"mailmove: the conversation store is unavailable: {path}: "), line


def test_stats_on_a_store_that_does_not_exist_says_so_and_creates_nothing(
    tmp_path: Path,
) -> None:
    path = tmp_path / "typo" / "mailmove.sqlite3"

    result = _mailmove("stats", "--store", f"sqlite:///{path}")

    assert result.returncode == 2
    assert result.stdout == ""
    assert result.stderr == f"mailmove: no conversation store at {path}\n"
    assert not path.parent.exists()


@pytest.mark.timeout(90)
def test_serve_on_a_taken_port_says_so_in_one_line_before_opening_anything(
    tmp_path: Path,
) -> None:
    store = tmp_path / "mailmove.sqlite3"
    with socket.socket() as taken:
        taken.bind(("127.0.0.1", 0))
        taken.listen()
        port = taken.getsockname()[1]

        result = _mailmove("serve", "--port", str(port), "--store", f"sqlite:///{store}")

    # Before: the summary said the chat was at that address, uvicorn logged its bind error
    # and "Application shutdown complete." (a clean drain's record), and the status was 3.
    assert result.returncode == 1
    assert result.stderr == (
        f"mailmove: cannot listen on 127.0.0.1:{port}: address already in use"
        " (is mailmove already running? --port or MAILMOVE_PORT picks another)\n"
    )
    assert not store.exists()


@pytest.mark.timeout(90)
def test_serve_on_a_host_name_that_does_not_resolve_says_so_in_one_line(tmp_path: Path) -> None:
    store = tmp_path / "mailmove.sqlite3"
    port = free_port()

    # `.invalid` never resolves (RFC 2606).
    result = _mailmove(
        "serve", "--host", "mailmove.invalid", "--port", str(port), "--store", f"sqlite:///{store}"
    )

    # Before: "cannot listen on mailmove.invalid:PORT: unknown error -2", the resolver's error
    # number read as an errno, which says nothing an operator can act on.
    assert result.returncode == 1
    [line] = result.stderr.splitlines()
    assert line.startswith(
        f"mailmove: cannot listen on mailmove.invalid:{port}: the host name does not resolve ("
    ), line
    assert line.endswith(
        "); MAILMOVE_HOST or --host takes an address of this machine (0.0.0.0 for all of them)"
        " or a name that resolves to one"
    ), line
    assert "unknown error" not in line
    assert not store.exists()


def test_serve_on_an_address_of_another_machine_says_which_addresses_it_takes() -> None:
    # The public address, or the load balancer's, in MAILMOVE_HOST: "cannot assign requested
    # address" said what failed and not what to give instead. 192.0.2.1 is TEST-NET-1
    # (RFC 5737), never an address of this machine.
    port = free_port()
    with pytest.raises(ListenError) as raised:
        listening_socket("192.0.2.1", port)
    assert raised.value.strerror == (
        f"cannot listen on 192.0.2.1:{port}: cannot assign requested address (no network"
        " interface of this machine has that address; MAILMOVE_HOST or --host takes one of"
        " its own, or 0.0.0.0 for all of them)"
    )


def _not_built(*_: object, **__: object) -> None:
    raise AssertionError("the app was built before the store was found unusable")


def test_a_refused_store_stops_serve_before_the_app_is_built(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Built first, every channel and the runtime cost each refused start (and each restart
    # of a replica looping on a file that is no database) about 0.4 s of CPU before its
    # one line; the line and its status are the same.
    path = _unusable(tmp_path, "not a database")
    monkeypatch.setattr("bot.server.build_app", _not_built)
    monkeypatch.setenv("MAILMOVE_LOG_FORMAT", "json")

    status = main(["serve", "--port", str(free_port()), "--store", f"sqlite:///{path}"])

    assert status == 1
    assert capsys.readouterr().err == (
        f"mailmove: the conversation store is unavailable: {path}: file is not a database"
        " (left as it was)\n"
    )


def test_a_redis_url_keeping_audit_hours_short_of_the_retention_is_refused_before_redis(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # Read as the app reads it: checked before anything is built, the URL's `audit_days=`
    # must still be measured against MAILMOVE_RETENTION_DAYS (port 1: nothing to ask).
    monkeypatch.setattr("bot.server.build_app", _not_built)
    monkeypatch.setenv("MAILMOVE_LOG_FORMAT", "json")
    monkeypatch.setenv("MAILMOVE_RETENTION_DAYS", "90")

    status = main(
        ["serve", "--port", str(free_port()), "--store", "redis://127.0.0.1:1/0?audit_days=30"]
    )

    assert status == 2
    [line] = capsys.readouterr().err.splitlines()
    assert line.startswith("mailmove: MAILMOVE_STORE: "), line
    assert "audit_days" in line, line
