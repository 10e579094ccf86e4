"""`mailmove chat --profile … --as-of …` run in the test's own process.

The profile tests read what the terminal chat prints for each mail-program family. Each one
through `python -m bot.cli chat` paid a Python start and every import (4-6 s a conversation
on the loaded 2-core machine, 15 conversations), while what they assert is the printed
conversation. This runs the command's own code (`bot.cli._chat`: the runtime with an
in-memory store, the console channel, the preview clock) on a piped stdin; one family per
profile still goes through the real command, so its arguments and exit stay covered.
"""

from __future__ import annotations

import datetime as dt
import io
import logging
import sys
from pathlib import Path

import pytest

from bot import cli
from bot.ops.preview_clock import preview_clock
from bot.ops.profile_loader import load_profile
from bot.ops.settings import Settings


def terminal_chat(
    monkeypatch: pytest.MonkeyPatch, profile: Path, as_of: str, lines: list[str]
) -> tuple[int, str]:
    """The exit status and standard output of the chat given `lines`, as a pipe gives them."""
    today = dt.date.fromisoformat(as_of)
    settings = Settings.from_env().with_overrides(profile_path=profile, as_of=today)
    clock = preview_clock(today, load_profile(profile).timezone)
    out = io.StringIO()
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    monkeypatch.setattr(sys, "stdout", out)
    root = logging.getLogger()
    level = root.level  # the command quiets the root logger for the person at the terminal
    try:
        status = cli._chat(settings, None, clock)
    finally:
        root.setLevel(level)
    return status, out.getvalue()
