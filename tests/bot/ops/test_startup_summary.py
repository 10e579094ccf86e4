"""The one summary `mailmove serve` prints at start-up, from a real start-up."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import signal
import socket
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
import structlog

from bot.cli import announce
from bot.ops.logging_setup import configure_logging, stop_logging
from bot.ops.profile_loader import load_profile
from bot.ops.settings import Settings
from bot.ops.startup_summary import (
    StartupSummary,
    collecting_channel_lines,
    where_today_falls,
    without_credentials,
)
from bot.server import build_app
from testbed.clock import fixed_clock

ROOT: Final = Path(__file__).resolve().parents[3]
TOKEN: Final = "agent-token-0123456789"
# What each channel or desk that is off needs: all of it on the one "switch on" line.
SWITCHES: Final = (
    "SLACK_BOT_TOKEN",
    "SLACK_SIGNING_SECRET",
    "TELEGRAM_BOT_TOKEN",
    "LINE_CHANNEL_SECRET",
    "LINE_CHANNEL_ACCESS_TOKEN",
    "CHATWOOT_URL",
    "SLACK_AGENTS_CHANNEL",
    "MAILMOVE_AGENT_TOKENS",
    "MAILMOVE_DESK_WEBHOOK_URL",
)


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_logging("json", stream=stream, queued=False)
    yield stream
    stop_logging()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    structlog.reset_defaults()


def start(
    settings: Settings, moment: dt.datetime = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)
) -> StartupSummary:
    """What `mailmove serve` does before uvicorn takes over, with a fixed clock."""
    with collecting_channel_lines() as report:
        app = build_app(settings, clock=fixed_clock(moment))
    engine = app.state.runtime.engine
    return StartupSummary.build(settings, engine.profile, engine.context().today, report)


def test_the_embedded_default(log: io.StringIO, tmp_path: Path) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3", port=8123)

    lines = start(settings).lines()
    text = "\n".join(lines)

    assert lines[0] == "mailmove is starting"
    assert len(lines) <= 9  # short: a title and one line per fact
    assert "  web chat   http://127.0.0.1:8123/" in lines
    assert "  channels   webchat" in lines
    assert "  desks      none" in lines
    [switch_line] = [line for line in lines if "SLACK_BOT_TOKEN" in line]
    for variable in SWITCHES:
        assert variable in switch_line, variable
    assert f"sqlite:///{tmp_path}/store.sqlite3" in text
    assert "built-in" in text
    assert "117net" in text
    assert (
        "2008-06-01 (Asia/Tokyo): during the window (2008-05-21 to 2008-06-20; day 12 of 31)"
        in (text)
    )
    assert "old POP answers until 2008-06-20" in text
    # The channels' own on/off lines went into the summary, not the log.
    assert "switch it on" not in log.getvalue()
    assert "is on" not in log.getvalue()


@pytest.mark.parametrize("host", ["0.0.0.0", "::"])  # noqa: S104 - values read, not bound
def test_every_address_without_a_public_url_is_warned_of(
    log: io.StringIO, tmp_path: Path, host: str
) -> None:
    # docs/operations.md's `docker run -p 8080:8080 -e MAILMOVE_STORE=… mailmove:0.1.0` (the image
    # listens on 0.0.0.0): every link the bot sent read http://0.0.0.0:8080/check/…, which no
    # subscriber can open, and nothing at start-up said so.
    settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3", host=host)

    summary = start(settings)

    note = (
        "MAILMOVE_PUBLIC_URL is not set, so the links the bot sends (the login check's)"
        f" name {settings.base_url}/, which subscribers cannot open: set it to the address"
        " they reach (https://…)"
    )
    assert summary.notes == (note,)
    assert summary.lines()[-1] == f"  note       {note}"
    assert summary.fields()["notes"] == [note]


def test_a_misspelt_variable_is_a_note(log: io.StringIO, tmp_path: Path) -> None:
    settings = Settings.from_env(
        {
            "MAILMOVE_STORE": f"sqlite:///{tmp_path}/store.sqlite3",
            "MAILMOVE_RETENTON_DAYS": "30",
        }
    )

    summary = start(settings)

    note = (
        "MAILMOVE_RETENTON_DAYS is not a variable mailmove reads (MAILMOVE_RETENTION_DAYS?):"
        " it is ignored; correct its name, or unset it"
    )
    assert summary.notes == (note,)
    assert summary.fields()["notes"] == [note]


def test_no_note_with_a_public_url_or_a_local_address(log: io.StringIO, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path}/store.sqlite3"
    behind_a_proxy = Settings(
        store_url=store,
        host="0.0.0.0",  # noqa: S104 - a value read, not a socket bound
        public_url="https://support.isp-117.jp",  # no name kept for examples: a note of its own
    )

    for settings in (behind_a_proxy, Settings(store_url=store)):
        summary = start(settings)
        assert summary.notes == ()
        assert not any(line.startswith("  note") for line in summary.lines())
        assert "notes" not in summary.fields()


def test_a_first_phase_served_past_its_next_phase_is_a_note(
    log: io.StringIO, tmp_path: Path
) -> None:
    # The first phase of tests/dialogs/mozu_sending_first.toml with its next phase named, as
    # tests/dialogs/test_later_phase.py writes it. Served from that day on, it still told
    # subscribers receiving changes "from 2027-06-01, in the next phase".
    text = (ROOT / "tests" / "dialogs" / "mozu_sending_first.toml").read_text(encoding="utf-8")
    line = "old_smtp_until = 2027-04-30\n"
    assert text.count(line) == 1
    first = tmp_path / "first_phase.toml"
    first.write_text(text.replace(line, f"{line}next_phase_from = 2027-06-01\n"), encoding="utf-8")
    assert load_profile(first).schedule.next_phase_from == dt.date(2027, 6, 1)
    settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3", profile_path=first)
    note = (
        "the profile's next phase began on 2027-06-01 ([schedule] next_phase_from): it still"
        " tells subscribers that day is to come; serve the next phase's profile"
    )

    on_the_day = start(settings, dt.datetime(2027, 6, 1, 0, 0, tzinfo=dt.UTC))  # 09:00 JST
    the_day_before = start(settings, dt.datetime(2027, 5, 31, 0, 0, tzinfo=dt.UTC))

    assert on_the_day.notes == (note,)
    assert the_day_before.notes == ()


@pytest.mark.parametrize(
    "url", ["https://mailmove.example.jp", "https://chat.example.com/", "http://bot.test:8080"]
)
def test_a_public_url_kept_for_examples_is_a_note(
    log: io.StringIO, tmp_path: Path, url: str
) -> None:
    # configmap.yaml ships https://mailmove.example.jp (the Ingress takes its host from it):
    # left as it was, every link the bot sent led nowhere, and the replicas said ready.
    settings = Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3", public_url=url)

    summary = start(settings)

    host = url.split("//")[1].split(":")[0].rstrip("/")
    assert summary.notes == (
        f"MAILMOVE_PUBLIC_URL names {host}, a name kept for examples: the links the bot sends"
        " lead nowhere; set it to the address subscribers reach",
    )


def test_what_is_on_leaves_the_switch_line(log: io.StringIO, tmp_path: Path) -> None:
    environ = {"TELEGRAM_BOT_TOKEN": "123:telegram-token", "TELEGRAM_POLLING": "1"}
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/store.sqlite3",
        agent_tokens=(f"ops:{TOKEN}",),
        public_url="https://bot.example.jp",
        environ=environ,
    )

    summary = start(settings)

    assert summary.web_chat == "https://bot.example.jp/"
    assert summary.channels == ("telegram", "webchat")
    # It read "(1 tokens)".
    assert "agent console and API (1 token)" in summary.desks
    switch_line = "; ".join(str(switch) for switch in summary.switches)
    assert "TELEGRAM_BOT_TOKEN" not in switch_line
    assert "MAILMOVE_AGENT_TOKENS" not in switch_line
    assert "SLACK_BOT_TOKEN" in switch_line
    assert "123:telegram-token" not in "\n".join(summary.lines())


def test_a_preview_and_a_profile_file_are_named(log: io.StringIO, tmp_path: Path) -> None:
    profile = tmp_path / "profile.toml"
    profile.write_bytes((ROOT / "bot/ops/default_profile.toml").read_bytes())
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/store.sqlite3",
        profile_path=profile,
        as_of=dt.date(2008, 5, 1),
    )

    text = "\n".join(start(settings).lines())

    assert f"{profile}: 117net" in text
    assert "a preview (--as-of)" in text


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("redis://:s3cret@redis:6379/0", "redis://redis:6379/0"),
        ("rediss://mailmove:s3cret@redis.example:6380/2", "rediss://redis.example:6380/2"),
        ("redis://redis:6379/0?password=s3cret", "redis://redis:6379/0"),
        ("sqlite:////var/lib/mailmove/store.sqlite3", "sqlite:////var/lib/mailmove/store.sqlite3"),
        ("sqlite:///var/mailmove.sqlite3", "sqlite:///var/mailmove.sqlite3"),
    ],
)
def test_the_store_is_shown_without_credentials(url: str, shown: str) -> None:
    assert without_credentials(url) == shown


@pytest.mark.parametrize(
    ("today", "words"),
    [
        (dt.date(2008, 5, 1), "before the window (2008-05-21 to 2008-06-20; it opens in 20 days)"),
        (dt.date(2008, 5, 21), "during the window (2008-05-21 to 2008-06-20; day 1 of 31)"),
        (dt.date(2008, 6, 20), "day 31 of 31); old POP answers until 2008-06-20"),
        (dt.date(2008, 6, 21), "closed 1 day ago); old POP gone since 2008-06-21"),
    ],
)
def test_where_today_falls(today: dt.date, words: str) -> None:
    assert words in where_today_falls(load_profile(), today)


def test_a_terminal_gets_the_block_and_a_collector_one_line(
    log: io.StringIO, tmp_path: Path
) -> None:
    summary = start(Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3"))
    terminal = io.StringIO()

    announce(summary, "console", terminal)
    announce(summary, "json")

    assert terminal.getvalue().splitlines() == summary.lines()
    [line] = [json.loads(text) for text in log.getvalue().splitlines()]
    assert line["event"] == "mailmove starting"
    assert line["channels"] == ["webchat"]
    assert "MAILMOVE_AGENT_TOKENS" in line["switch_on"].values()


def test_the_summary_is_logged_whatever_slack_did_to_the_logger_named_mailmove(
    log: io.StringIO, tmp_path: Path
) -> None:
    # slack_bolt sets the level of the logger named after the app ("mailmove") when the Slack
    # channel is built; the summary must not be logged through that logger.
    named = logging.getLogger("mailmove")
    level = named.level
    named.setLevel(logging.WARNING)
    try:
        announce(start(Settings(store_url=f"sqlite:///{tmp_path}/store.sqlite3")), "json")
    finally:
        named.setLevel(level)

    [line] = [json.loads(text) for text in log.getvalue().splitlines()]
    assert line["event"] == "mailmove starting"


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@pytest.mark.timeout(60)
def test_a_real_start_up_logs_the_summary_and_no_chatter(tmp_path: Path) -> None:
    port = free_port()
    env = {
        key: value
        for key, value in os.environ.items()
        if not key.startswith(("MAILMOVE_", "SLACK_", "TELEGRAM_", "LINE_", "CHATWOOT_"))
    }
    env |= {"MAILMOVE_STORE": f"sqlite:///{tmp_path}/store.sqlite3", "MAILMOVE_PORT": str(port)}
    server = subprocess.Popen(
        [sys.executable, "-m", "bot.cli", "serve"],
        cwd=ROOT,
        env=env,
        stderr=subprocess.PIPE,
        text=True,
    )
    assert server.stderr is not None
    lines: list[dict[str, Any]] = []
    try:
        for text in server.stderr:  # standard error is a pipe: JSON lines
            lines.append(json.loads(text))
            if lines[-1]["event"] == "mailmove starting":
                break
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait(timeout=30)

    assert lines[-1]["web_chat"] == f"http://127.0.0.1:{port}/"
    assert lines[-1]["logger"] == "bot.cli"
    # Nothing before it but warnings: no line per channel, no uvicorn narration.
    assert all(line["level"] != "info" for line in lines[:-1]), lines
