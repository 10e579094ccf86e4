"""The log's two faces (a person at a terminal, a collector) and its cost to the event loop."""

from __future__ import annotations

import datetime as dt
import io
import json
import logging
import os
import threading
from typing import IO, Any

import pytest

from bot.ops import logging_setup
from bot.ops.logging_setup import configure_logging, flush_logs, resolve_format

ANSI_ESCAPE = "\x1b["


# Each test configures the process's logging: `restore_logging` (conftest) undoes it.
pytestmark = pytest.mark.usefixtures("restore_logging")


class Terminal(io.StringIO):
    """A stream that says it is a terminal, as standard error is in an operator's shell."""

    def isatty(self) -> bool:
        return True


class Stuck(io.StringIO):
    """Standard error behind a pipe nobody reads: every write waits until `release`."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()
        self.writer_threads: set[str] = set()

    def write(self, text: str) -> int:
        self.writer_threads.add(threading.current_thread().name)
        self.released.wait(timeout=30)
        return super().write(text)


def json_lines(stream: io.StringIO) -> list[dict[str, Any]]:
    return [json.loads(line) for line in stream.getvalue().splitlines()]


def test_auto_is_json_for_a_pipe_and_console_for_a_terminal() -> None:
    assert resolve_format("auto", io.StringIO()) == "json"
    assert resolve_format("auto", Terminal()) == "console"
    # Asked for, either format holds whatever the stream is.
    assert resolve_format("json", Terminal()) == "json"
    assert resolve_format("console", io.StringIO()) == "console"
    with pytest.raises(ValueError, match="MAILMOVE_LOG_FORMAT='pretty'"):
        resolve_format("pretty", io.StringIO())


def test_a_real_terminal_gets_the_console_renderer() -> None:
    controller, device = os.openpty()
    try:
        with os.fdopen(device, "w", closefd=False) as terminal:
            assert resolve_format("auto", terminal) == "console"
    finally:
        os.close(controller)
        os.close(device)


def log_a_turn_and_a_failure(stream: IO[str], log_format: str, environ: dict[str, str]) -> str:
    configure_logging(log_format, stream=stream, environ=environ, queued=False)
    log = logging.getLogger("adapters.somewhere")
    log.info("Login for %s with password=hunter2 failed", "taro@vp.117.ne.jp")
    try:
        raise ValueError("bad input from hanako@vp.117.ne.jp")
    except ValueError:
        log.exception("Turn failed", extra={"conversation": "webchat:" + "ab" * 16})
    assert isinstance(stream, io.StringIO)
    return stream.getvalue()


@pytest.mark.parametrize("environ", [{}, {"NO_COLOR": "1"}], ids=["colour", "NO_COLOR"])
def test_the_console_is_readable_redacted_and_coloured_only_without_no_color(
    environ: dict[str, str],
) -> None:
    text = log_a_turn_and_a_failure(Terminal(), "auto", environ)

    lines = text.splitlines()
    assert "Login for [address] with password=[redacted] failed" in lines[0]
    assert not lines[0].startswith("{")  # a line for people, not JSON
    assert "Traceback (most recent call last)" in text
    assert "ValueError: bad input from [address]" in text
    for secret in ("taro@", "hanako@", "hunter2", "ab" * 16):
        assert secret not in text
    assert (ANSI_ESCAPE in text) is ("NO_COLOR" not in environ)


def test_a_pipe_gets_no_colours_even_in_console_format() -> None:
    text = log_a_turn_and_a_failure(io.StringIO(), "console", {})
    assert "Login for [address]" in text
    assert ANSI_ESCAPE not in text


def test_json_on_a_terminal_when_asked() -> None:
    text = log_a_turn_and_a_failure(Terminal(), "json", {})
    first, second = (json.loads(line) for line in text.splitlines())
    assert first["event"] == "Login for [address] with password=[redacted] failed"
    assert first["timestamp"].endswith("Z")
    assert "ValueError: bad input from [address]" in second["exception"]


def test_library_narration_is_held_back_even_when_the_library_sets_its_own_level() -> None:
    stream = io.StringIO()
    configure_logging("json", stream=stream, queued=False)
    # uvicorn sets its loggers to INFO when the server starts, after our set-up.
    logging.getLogger("uvicorn.error").setLevel(logging.INFO)
    logging.getLogger("uvicorn.error").info("Uvicorn running on http://127.0.0.1:8080")
    logging.getLogger("httpx").info("HTTP Request: POST https://api.telegram.org/bot123:abc/x")
    logging.getLogger("transitions.core").info("Executed callback 'on_enter_q2'")
    logging.getLogger("uvicorn.error").info("Started server process [%d]", 42)
    logging.getLogger("uvicorn.error").error("Exception in ASGI application")
    logging.getLogger("httpx").warning("retrying")
    logging.getLogger("bot.turns").info("turn")
    # A clean drain's last word stays: operators and the drills look for it.
    logging.getLogger("uvicorn.error").info("Application shutdown complete.")

    assert [line["event"] for line in json_lines(stream)] == [
        "Exception in ASGI application",
        "retrying",
        "turn",
        "Application shutdown complete.",
    ]


def test_the_event_loop_never_waits_for_standard_error() -> None:
    stream = Stuck()
    configure_logging("json", stream=stream)
    log = logging.getLogger("bot.turns")

    # Standard error is stuck: these calls return all the same (else the test hangs).
    for number in range(3):
        log.info("turn %d", number)
    assert threading.current_thread().name not in stream.writer_threads
    stream.released.set()
    flush_logs()

    assert [line["event"] for line in json_lines(stream)] == ["turn 0", "turn 1", "turn 2"]
    assert threading.current_thread().name not in stream.writer_threads


def test_a_full_queue_drops_and_counts_instead_of_blocking(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(logging_setup, "QUEUE_SIZE", 3)
    stream = Stuck()
    configure_logging("json", stream=stream)
    log = logging.getLogger("bot.turns")

    for number in range(20):
        log.info("turn %d", number)
    # One record may be in the listener's hands (stuck in write), three wait in the queue.
    assert logging_setup.dropped_lines() >= 20 - 4
    stream.released.set()
    flush_logs()
    written = len(json_lines(stream))
    assert written + logging_setup.dropped_lines() == 20


def test_a_queued_line_keeps_the_time_it_was_logged() -> None:
    stream = Stuck()
    configure_logging("json", stream=stream)
    log = logging.getLogger("bot.turns")
    log.info("first")  # the listener takes it and is stuck writing it
    log.info("second")
    logged_by = dt.datetime.now(dt.UTC)
    stream.released.set()  # only now is "second" formatted
    flush_logs()

    second = json_lines(stream)[1]
    assert dt.datetime.fromisoformat(second["timestamp"]) <= logged_by


@pytest.mark.parametrize(
    "fields",
    [
        {"channel": "webchat", "ms": 1.25, "replies": 2},
        {"channel": "slack", "ms": 0.5, "replies": 0, "duplicate": True},
        {
            **{"channel": "line", "ms": 3.0, "replies": 1},
            **{"conversation": "line:U" + "a" * 32, "stage": "program", "owner": "bot"},
            "signals": ["verdict_reached", "handoff_requested"],
        },
    ],
)
def test_the_turn_line_written_directly_is_the_line_the_processors_write(
    fields: dict[str, object],
) -> None:
    # The turn line skips the processors' chain (it is the most frequent line): it must not
    # differ from what the chain writes, the conversation hashed included.
    formatter = logging_setup.json_formatter()
    record = logging.getLogger(logging_setup.TURN_LOGGER).makeRecord(
        logging_setup.TURN_LOGGER, logging.INFO, __file__, 1, "turn", (), None, extra=fields
    )
    direct = formatter.format(record)
    through_processors = logging_setup.EventFormatter.format(formatter, record)  # type: ignore[arg-type]

    assert direct == through_processors
    assert "a" * 32 not in direct
