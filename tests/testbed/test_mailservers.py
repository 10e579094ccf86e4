"""Each test's Dovecot is its own, even when its port was taken after it was picked."""

from __future__ import annotations

import os
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest

from testbed import mailservers, postfix
from testbed.loopback import free_ports
from testbed.mailservers import Certificates, DovecotServer, running_dovecot
from testbed.postfix import running_postfix


@pytest.fixture
def other() -> Iterator[DovecotServer]:
    """Another test worker's Dovecot."""
    with running_dovecot(certificates=None) as server:
        yield server


def test_a_pop3_port_another_dovecot_took_meanwhile_is_not_shared(
    other: DovecotServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The port picked free was taken by the other worker's Dovecot before this one bound it:
    # this one exited, the other greeted with "+OK", and the test ran on its accounts.
    picks = iter([[other.pop3_port, *free_ports(3)]])
    monkeypatch.setattr(
        mailservers, "free_ports", lambda count, host: next(picks, None) or free_ports(count, host)
    )
    with running_dovecot(certificates=None) as server:
        assert server.pop3_port != other.pop3_port
        assert server.root != other.root


def test_a_smtp_port_another_postfix_took_meanwhile_is_not_shared(
    other: DovecotServer, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # The same for Postfix: the other worker's answered "220" on the port picked for this one.
    certificates = Certificates(tmp_path)
    with running_postfix(certificates, other) as first:
        submission, smtps, refusing = free_ports(3)
        picks = iter([[submission, smtps, first.plain_port, refusing]])
        monkeypatch.setattr(
            postfix, "free_ports", lambda count, host: next(picks, None) or free_ports(count, host)
        )
        with running_postfix(certificates, other) as second:
            assert second.plain_port != first.plain_port
            assert second.root != first.root


def test_a_master_that_exited_is_gone_before_init_reaps_it() -> None:
    # Postfix's master is init's child: exited, it stays a zombie until init reaps it, and
    # signal 0 still reached it. Each Postfix stopped was waited for 1-2 s more (this
    # machine's init reaps about once a second), about 10 s of the suite.
    child = subprocess.Popen(["true"])  # noqa: S607 - coreutils' true, on PATH
    os.waitid(os.P_PID, child.pid, os.WEXITED | os.WNOWAIT)  # exited, left unreaped
    try:
        assert not postfix._alive(child.pid)
    finally:
        child.wait()
    assert postfix._alive(os.getpid())


def test_a_dovecot_stopped_tells_its_log_process_itself() -> None:
    # Told by the master alone, the log process waited about a second for its writers after
    # the others had gone: a second of every Dovecot stopped. Told itself, it says so.
    with running_dovecot(certificates=None) as server:
        pass
    said = [line for line in server.log.lines() if "Killed with signal 15" in line]
    assert any(line.split()[3].startswith("log(") for line in said), said
