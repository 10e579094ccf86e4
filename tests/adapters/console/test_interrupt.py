"""Ctrl-C ends `mailmove chat` on a real terminal (a pseudo-terminal here), at once.

The chat waits for a line, or for the password without echo, in a worker thread. Ctrl-C
cancelled the conversation but `asyncio.run` then waited for that thread, blocked in a read
of the terminal: the chat hung until Enter was pressed, then ended in a traceback.
"""

from __future__ import annotations

import contextlib
import os
import pty
import select
import signal
import sys
import termios
import time
from pathlib import Path
from typing import Final

import pytest

ROOT: Final = Path(__file__).resolve().parents[3]
STARTUP: Final = 60.0  # seconds; the end of the waits, not their length
AFTER_CTRL_C: Final = 10.0


class Terminal:
    """`mailmove chat` on a pseudo-terminal: type lines, read what it shows, press Ctrl-C."""

    def __init__(self, *args: str) -> None:
        pid, fd = pty.fork()
        if pid == 0:  # the child: the chat, its standard streams on the terminal
            os.chdir(ROOT)
            os.execv(sys.executable, [sys.executable, "-m", "bot.cli", "chat", *args])  # noqa: S606
        self.pid, self.fd = pid, fd
        self.shown = b""

    def wait_for(self, wanted: bytes, timeout: float = STARTUP) -> None:
        deadline = time.monotonic() + timeout
        while wanted not in self.shown:
            left = deadline - time.monotonic()
            if left <= 0:
                raise AssertionError(f"{wanted!r} not shown: {self.shown.decode()[-500:]}")
            if select.select([self.fd], [], [], left)[0]:
                try:
                    self.shown += os.read(self.fd, 65536)
                except OSError:  # the child has gone and closed the terminal
                    raise AssertionError(self.shown.decode()[-500:]) from None

    def type(self, line: str) -> None:
        os.write(self.fd, line.encode() + b"\r")

    def exit_status_after_ctrl_c(self) -> int | None:
        """The exit status, or None if it still runs AFTER_CTRL_C seconds later (killed)."""
        os.write(self.fd, b"\x03")  # the terminal sends SIGINT to its foreground process
        return self.exit_status_after(AFTER_CTRL_C)

    def exit_status_after(self, seconds: float) -> int | None:
        """The exit status, or None if it still runs `seconds` later (then killed)."""
        deadline = time.monotonic() + seconds
        while time.monotonic() < deadline:
            if select.select([self.fd], [], [], 0.1)[0]:
                with contextlib.suppress(OSError):  # the child has gone
                    self.shown += os.read(self.fd, 65536)
            pid, status = os.waitpid(self.pid, os.WNOHANG)
            if pid:
                return os.waitstatus_to_exitcode(status)
        os.kill(self.pid, signal.SIGKILL)
        os.waitpid(self.pid, 0)
        return None

    def close(self) -> None:
        os.close(self.fd)


@pytest.fixture
def terminal() -> Terminal:
    return Terminal("--as-of", "2008-06-01")


@pytest.mark.timeout(120)
def test_ctrl_c_at_the_prompt_ends_the_chat(terminal: Terminal) -> None:
    try:
        terminal.wait_for("4) メニュー\r\n\r\n> ".encode())
        status = terminal.exit_status_after_ctrl_c()
    finally:
        terminal.close()
    assert status == 130, terminal.shown.decode()[-500:]
    assert b"Traceback" not in terminal.shown


def _reading_thread(pid: int) -> int:
    """The id of the chat's thread that waits in a read of the terminal (not the main one)."""
    deadline = time.monotonic() + STARTUP
    while time.monotonic() < deadline:
        for tid in (int(name) for name in os.listdir(f"/proc/{pid}/task")):
            wchan = Path(f"/proc/{pid}/task/{tid}/wchan").read_text()
            if tid != pid and wchan == "wait_woken":  # n_tty_read, waiting for a line
                return tid
        select.select([], [], [], 0.05)  # a thread not yet in its read: look again
    raise AssertionError("no thread reads the terminal")


@pytest.mark.timeout(120)
def test_ctrl_c_taken_by_the_reading_thread_ends_the_chat(terminal: Terminal) -> None:
    # The kernel hands a terminal's SIGINT to any thread of the process that does not block
    # it. Taken by the thread blocked in read() (which reads on), it left asyncio.run's
    # handler waiting for the main thread to wake, and the chat hung; it failed so once in
    # the suite. kill() with a thread's id makes the kernel hand it to that thread.
    try:
        terminal.wait_for("4) メニュー\r\n\r\n> ".encode())
        os.kill(_reading_thread(terminal.pid), signal.SIGINT)
        status = terminal.exit_status_after(AFTER_CTRL_C)
    finally:
        terminal.close()
    assert status == 130, terminal.shown.decode()[-500:]
    assert b"Traceback" not in terminal.shown


@pytest.mark.timeout(120)
def test_ctrl_c_at_the_password_prompt_ends_the_chat(terminal: Terminal) -> None:
    try:
        terminal.wait_for(b"> ")
        for line in ("新しい設定を見たい", "taro@vp.117.ne.jp", "thunderbird", "はい"):
            terminal.type(line)
        terminal.wait_for("ログインを確認する".encode())
        terminal.type("3")  # after 解決した and 解決しない
        terminal.wait_for("パスワード（今までと同じもの）: ".encode())
        status = terminal.exit_status_after_ctrl_c()
        # getpass had turned echo off: the shell the operator returns to shows typing again.
        echo = bool(termios.tcgetattr(terminal.fd)[3] & termios.ECHO)
    finally:
        terminal.close()
    assert status == 130, terminal.shown.decode()[-500:]
    assert b"Traceback" not in terminal.shown
    assert echo


@pytest.mark.timeout(120)
def test_ctrl_d_at_the_password_prompt_skips_the_check(terminal: Terminal) -> None:
    try:
        terminal.wait_for(b"> ")
        for line in ("新しい設定を見たい", "taro@vp.117.ne.jp", "thunderbird", "はい"):
            terminal.type(line)
        terminal.wait_for("ログインを確認する".encode())
        terminal.type("3")  # after 解決した and 解決しない
        terminal.wait_for("パスワード（今までと同じもの）: ".encode())
        os.write(terminal.fd, b"\x04")  # end of input instead of a password
        terminal.shown = b""
        terminal.wait_for(b"> ")  # the chat goes on, nothing checked
        status = terminal.exit_status_after_ctrl_c()
    finally:
        terminal.close()
    assert b"Traceback" not in terminal.shown, terminal.shown.decode()
    assert "ログインの確認で".encode() not in terminal.shown
    # What the terminal showed after Ctrl-D: once (1 run in 5, under the suite's load) the
    # chat did not end within AFTER_CTRL_C, and the failure said nothing more.
    assert status == 130, terminal.shown.decode()[-500:]
