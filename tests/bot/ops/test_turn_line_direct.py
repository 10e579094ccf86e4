"""The turn line under the server's set-up: no LogRecord, and the same bytes as before."""

from __future__ import annotations

import io
import logging
import threading
import time
from collections.abc import Iterator

import pytest

from bot.engine import TurnOutcome
from bot.ops import logging_setup
from bot.ops.logging_setup import TurnLog, configure_logging, flush_logs
from bot.store.conversation_store import ConversationRecord, Owner
from dialogs.state import DialogState, Signal
from testbed.clock import IN_WINDOW

pytestmark = pytest.mark.usefixtures("restore_logging")

# A fixed clock for both ways, so their lines can be compared byte for byte.
NOW = 1_212_282_000.123456


class Stuck(io.StringIO):
    """Standard error behind a pipe nobody reads: every write waits until `release`."""

    def __init__(self) -> None:
        super().__init__()
        self.released = threading.Event()

    def write(self, text: str) -> int:
        self.released.wait(timeout=30)
        return super().write(text)


class Capture(logging.Handler):
    """A log capture added after the set-up, as a test's or a debugging session's."""

    def __init__(self) -> None:
        super().__init__()
        self.records: list[logging.LogRecord] = []

    def emit(self, record: logging.LogRecord) -> None:
        self.records.append(record)


@pytest.fixture
def records_made() -> Iterator[list[logging.LogRecord]]:
    """Every LogRecord the process makes while the test runs."""
    made: list[logging.LogRecord] = []
    factory = logging.getLogRecordFactory()

    def counting(*args: object, **kwargs: object) -> logging.LogRecord:
        record = factory(*args, **kwargs)
        made.append(record)
        return record

    logging.setLogRecordFactory(counting)
    yield made
    logging.setLogRecordFactory(factory)


CONVERSATION = ConversationRecord(
    "webchat:" + "ab" * 16, "webchat", Owner.BOT, DialogState(), IN_WINDOW, IN_WINDOW
)
HEAD = '{"event":"turn","level":"info","logger":"bot.turns","channel":"webchat","ms":4.2'
STAMP = '"timestamp":"2008-06-01T01:00:00.123456Z"}\n'


# The lines `Logger.info` and the JSON formatter wrote for these turns before (2816746).
@pytest.mark.parametrize(
    ("outcome", "line"),
    [
        (TurnOutcome(), f'{HEAD},"replies":0,{STAMP}'),
        (TurnOutcome(duplicate=True), f'{HEAD},"replies":0,"duplicate":true,{STAMP}'),
        (
            TurnOutcome(
                signals=(Signal.VERDICT_REACHED, Signal.HANDOFF_REQUESTED), record=CONVERSATION
            ),
            f'{HEAD},"replies":0,"conversation":"#6deb61c7f5a4","stage":"start","owner":"bot",'
            f'"signals":["verdict_reached","handoff_requested"],{STAMP}',
        ),
    ],
)
def test_the_turn_line_makes_no_record_and_writes_the_same_bytes(
    outcome: TurnOutcome,
    line: str,
    monkeypatch: pytest.MonkeyPatch,
    records_made: list[logging.LogRecord],
) -> None:
    monkeypatch.setattr(time, "time", lambda: NOW)
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    TurnLog().turn_finished("webchat", outcome, 0.0042)
    flush_logs()

    assert records_made == []
    assert stream.getvalue() == line


@pytest.mark.parametrize("where", ["root", logging_setup.TURN_LOGGER])
def test_a_handler_added_after_the_set_up_still_gets_the_turn_as_a_record(where: str) -> None:
    stream = io.StringIO()
    configure_logging("json", stream=stream)
    capture = Capture()
    logger = logging.getLogger(None if where == "root" else where)
    logger.addHandler(capture)
    try:
        TurnLog().turn_finished("webchat", TurnOutcome(), 0.001)
    finally:
        logger.removeHandler(capture)
    flush_logs()

    assert [record.getMessage() for record in capture.records] == ["turn"]
    assert '"event":"turn"' in stream.getvalue()


def test_a_full_queue_drops_and_counts_turn_lines_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(logging_setup, "QUEUE_SIZE", 3)
    stream = Stuck()
    configure_logging("json", stream=stream)

    for _ in range(20):
        TurnLog().turn_finished("webchat", TurnOutcome(), 0.001)
    assert logging_setup.dropped_lines() >= 20 - 4
    stream.released.set()
    flush_logs()
    written = len(stream.getvalue().splitlines())
    assert written + logging_setup.dropped_lines() == 20


def test_the_console_keeps_the_record(records_made: list[logging.LogRecord]) -> None:
    stream = io.StringIO()
    configure_logging("console", stream=stream)
    TurnLog().turn_finished("webchat", TurnOutcome(), 0.001)
    flush_logs()

    assert len(records_made) == 1
    assert "turn" in stream.getvalue()
