"""`mailmove chat | head` and friends: a reader that goes away ends the command quietly.

The terminal chat reads a pipe and writes to one; when the reader of its output had gone
(`head`, a pager quit early), the next reply ended in a BrokenPipeError traceback on the
operator's terminal. It ends as `yes | head` does: nothing on standard error, status 141.
"""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path
from typing import Final

import pytest

from bot.cli import BROKEN_PIPE_STATUS, main

ROOT: Final = Path(__file__).resolve().parents[3]


@pytest.mark.timeout(90)
def test_the_chat_ends_quietly_when_its_reader_has_gone() -> None:
    env = {k: v for k, v in os.environ.items() if not k.startswith("MAILMOVE_")}
    chat = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "chat", "--locale", "en"],
        cwd=ROOT,
        env=env,
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    assert chat.stdin is not None
    assert chat.stdout is not None
    assert chat.stderr is not None
    # The greeting's question, then the reader goes away as `head -1` would.
    seen = b""
    while b"4) Menu" not in seen:
        line = chat.stdout.readline()
        assert line, f"the chat ended before its first question: {seen!r}"
        seen += line
    chat.stdout.close()
    chat.stdin.write(b"1\n")  # the answer whose reply meets the closed pipe
    chat.stdin.close()
    returncode = chat.wait(timeout=60)
    errors = chat.stderr.read().decode()
    chat.stderr.close()

    assert "Traceback" not in errors, errors
    assert "BrokenPipeError" not in errors, errors
    assert returncode == BROKEN_PIPE_STATUS


def test_serve_help_names_the_variables_behind_its_defaults(
    capsys: pytest.CaptureFixture[str],
) -> None:
    # Options win over the variables: the help says what applies without the option.
    with pytest.raises(SystemExit):
        main(["serve", "--help"])
    compact = " ".join(capsys.readouterr().out.split())
    for variable in ("MAILMOVE_HOST", "MAILMOVE_PORT", "MAILMOVE_STORE", "MAILMOVE_PROFILE"):
        assert f"default {variable}" in compact
    assert "sqlite:///var/mailmove.sqlite3" in compact
