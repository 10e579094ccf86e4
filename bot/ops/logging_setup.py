"""The process's logs: readable on a terminal, JSON lines for a collector, cheap per turn.

Every record, from our own modules, uvicorn or a platform SDK, goes through structlog's
processors and comes out as one line on standard error: structlog's console renderer when
standard error is a terminal (colours unless `NO_COLOR` is set), one JSON object per line
otherwise or with `MAILMOVE_LOG_FORMAT=json`. Two processors guard personal data on the way,
in both formats (a terminal gets screenshotted and pasted into tickets):

- `hash_identifiers` replaces the values of fields that name a conversation or a person
  (`conversation`, `event_id`, `user`...) by a short hash, so lines of one conversation can
  still be followed without the id that opens it (a web chat id is its only credential);
- `redact` rewrites anything that looks like an e-mail address, a `password=` value or a
  web chat conversation id inside any text, wherever the text came from.

Cost: a busy server logs a line per turn, and the stdlib handlers with structlog's
formatting were about a third of its time. So the event loop only puts the record on a
queue; a listener thread formats and writes it, and flushes once the queue is empty (one
write for a burst of lines, never a blocked event loop when standard error is slow).
Libraries that narrate every step at INFO are held back to their warnings.

`TurnLog` writes the line per turn (channel, hashed conversation, stage, result, time).
Under the server's set-up (JSON, queued) it skips the standard library's way to the handler
(`Logger.info`, a `LogRecord`, the handler's filters and lock): its fields and time go on the
same queue, with the same drop when it is full, and the listener writes them as the JSON
formatter would (7 % of a turn's instructions were the line's; see `TurnLog`).
"""

from __future__ import annotations

import atexit
import contextlib
import datetime as dt
import hashlib
import logging
import logging.handlers
import os
import queue
import re
import sys
import threading
import time
from collections.abc import Mapping, Sequence
from typing import IO, TYPE_CHECKING, Any, Final, Literal, cast

import orjson
import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

from bot.ops.settings import LOG_FORMATS

if TYPE_CHECKING:
    from bot.engine import TurnOutcome

# Not under "mailmove": slack-bolt gives its app logger (named after the app) its own level.
TURN_LOGGER: Final = "bot.turns"
# The turn line's fields, in the order `TurnLog` sets them.
_TURN_FIELDS: Final = (
    *("channel", "ms", "replies", "duplicate"),
    *("conversation", "stage", "owner", "signals"),
)
IDENTIFYING_FIELDS: Final = frozenset(
    {"conversation", "conversation_id", "conversation_key", "key", "event_id", "user", "sender"}
)
# Narrators at INFO: transitions (three lines a turn), httpx/httpcore (one per Bot API call,
# with the bot's token in the URL), telegram.ext. Their warnings and errors still come through.
CHATTY_LIBRARIES: Final = ("transitions", "httpx", "httpcore", "telegram.ext")
# uvicorn's start-up narration, which the start-up summary replaces. Its shutdown lines stay:
# "Application shutdown complete." is the record of a clean drain.
UVICORN_START_LINES: Final = frozenset(
    {
        "Started server process [%d]",
        "Waiting for application startup.",
        "Application startup complete.",
    }
)
LogFormat = Literal["auto", "console", "json"]
# Records waiting for the listener; past this (standard error stuck), new ones are dropped
# and counted rather than holding the event loop or growing without bound.
QUEUE_SIZE: Final = 10_000
# How long the listener lets records gather once it has written all it had (see dequeue):
# a line reaches the stream at most this much later.
BATCH_PAUSE: Final = 0.05
# Fields every line has, written by the set-up itself, and the hashed ones: nothing to find.
_NOTHING_TO_SCRUB: Final = frozenset({"level", "logger", "timestamp"}) | IDENTIFYING_FIELDS
_ID_LENGTH: Final = 32
_SECRET_FIELDS: Final = frozenset({"password", "passwd", "secret", "token"})
# One pass over each text: a `password=...` value (`"password": "..."`, `pass: ...`,
# `passwd=...`, up to the next separator), an e-mail address, or a web chat conversation id
# (uuid4 hex) or a LINE id's 32 hex digits.
_SENSITIVE: Final = re.compile(
    r"""(?P<label>(?i:["']?\b(?:password|passwd|pass|pwd)\b["']?\s*[=:]\s*))"""
    r"""(?P<value>"[^"]*"|'[^']*'|[^\s,;&}]+)"""
    r"|(?P<email>[\w.+%-]+@[\w-]+(?:\.[\w-]+)+)"
    r"|(?P<hex>(?<![0-9a-fA-F])[0-9a-f]{32}(?![0-9a-fA-F]))"
)


def hash_id(value: object) -> str:
    """A short, stable stand-in for an identifier: the same id always gives the same hash."""
    return "#" + hashlib.sha256(str(value).encode()).hexdigest()[:12]


# What a terminal acts on instead of showing: C0 and C1 controls (line breaks, escape
# sequences, the bell, NUL) and the Unicode line separators; a tab stays a tab. And the
# bidi controls (embeddings, overrides, isolates, marks), which show as nothing but draw
# the rest of the line in another order: a client's U+202E made its text read backwards.
_CONTROLS: Final = re.compile(
    "[\x00-\x08\x0a-\x1f\x7f-\x9f\u061c\u200e\u200f\u2028-\u202e\u2066-\u2069]"
)
# Multi-line by nature, and written by Python, not by a client.
_MULTI_LINE_FIELDS: Final = frozenset({"exception", "stack"})


def _escaped(match: re.Match[str]) -> str:
    code = ord(match.group())
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def escape_controls(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Processor for the console: control characters in text fields written as escapes.

    A log line may quote what a client sent (a retried web chat message's event id): its
    line break would forge a line of the log, its escape sequence clear an operator's
    screen. JSON escapes them already; the console renderer writes strings as they are.
    """
    for key, value in event_dict.items():
        if isinstance(value, str) and key not in _MULTI_LINE_FIELDS and _CONTROLS.search(value):
            event_dict[key] = _CONTROLS.sub(_escaped, value)
    return event_dict


def _replace(match: re.Match[str]) -> str:
    if match.group("label") is not None:
        return f"{match.group('label')}[redacted]"
    if match.group("email") is not None:
        return "[address]"
    return hash_id(match.group("hex"))


def redact_text(text: str) -> str:
    """`text` with addresses, password values and conversation ids replaced."""
    if "@" not in text and len(text) < _ID_LENGTH:
        lowered = text.lower()
        if "pass" not in lowered and "pwd" not in lowered:
            return text  # most values (a stage, a channel, a short message): nothing to find
    return _SENSITIVE.sub(_replace, text)


def _redact_value(value: object) -> object:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, int | float | bool) or value is None:
        return value
    if isinstance(value, Mapping):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item) for item in value]
    return value


def redact(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Processor: scrub every string field (the message, tracebacks, extras)."""
    for key, value in event_dict.items():
        if key in _NOTHING_TO_SCRUB or key.startswith("_"):
            continue  # written by the set-up or already hashed; or structlog's bookkeeping
        if key.lower() in _SECRET_FIELDS:
            event_dict[key] = "[redacted]"
        else:
            event_dict[key] = _redact_value(value)
    return event_dict


def drop_noise(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Processor: drop fields meant for a terminal (uvicorn's coloured copy of the message)."""
    event_dict.pop("color_message", None)
    return event_dict


def hash_identifiers(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Processor: replace the values of identifying fields by their hash."""
    for key in IDENTIFYING_FIELDS.intersection(event_dict):
        if event_dict[key] is not None:
            event_dict[key] = hash_id(event_dict[key])
    return event_dict


def _created(event_dict: EventDict) -> dt.datetime:
    # When the record was made, not when the listener got to it.
    record = event_dict.get("_record")
    if isinstance(record, logging.LogRecord):
        return dt.datetime.fromtimestamp(record.created, dt.UTC)
    return dt.datetime.now(dt.UTC)


def utc_timestamp(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Processor: the record's time, ISO 8601 in UTC (`...T09:31:05.123456Z`)."""
    stamp = _created(event_dict).isoformat(timespec="microseconds")
    event_dict["timestamp"] = stamp.replace("+00:00", "Z")
    return event_dict


def local_timestamp(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Processor: the record's time as a person reads it, in the machine's zone."""
    event_dict["timestamp"] = _created(event_dict).astimezone().strftime("%Y-%m-%d %H:%M:%S")
    return event_dict


def _foreign_chain() -> list[Processor]:
    # Records from the standard library's loggers, prepared in the listener's thread: no
    # contextvars here (they are the caller's), and the time comes from the record.
    return [
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.StackInfoRenderer(),
    ]


def _dumps(value: object, **_: object) -> str:
    return orjson.dumps(value, default=str, option=orjson.OPT_NON_STR_KEYS).decode()


class EventFormatter(logging.Formatter):
    """structlog's ProcessorFormatter without its copy of every record.

    The copy lets several handlers format one record; this process has one handler, and
    the copy (a new LogRecord per line) was a third of the formatting's time. Records from
    structlog's loggers carry their event dict; the standard library's get one built from
    the message and run through `foreign_pre_chain` first, as ProcessorFormatter does.
    """

    def __init__(self, foreign_pre_chain: list[Processor], processors: list[Processor]) -> None:
        super().__init__()
        self._foreign = foreign_pre_chain
        self._processors = processors

    def format(self, record: logging.LogRecord) -> str:
        """The record rendered by the processors (the last one returns the line)."""
        event: Any
        if isinstance(record.msg, dict) and hasattr(record, "_logger"):
            method = str(getattr(record, "_name", record.levelname.lower()))
            event = {**record.msg, "_record": record, "_from_structlog": True}
        else:
            method = record.levelname.lower()
            event = {"event": record.getMessage(), "_record": record, "_from_structlog": False}
            if record.exc_info:
                event["exc_info"] = record.exc_info
            if record.stack_info:
                event["stack_info"] = record.stack_info
            for processor in self._foreign:
                event = processor(None, method, event)
        for processor in self._processors:
            event = processor(None, method, event)
        return str(event)


def _formatter(
    timestamp: Processor,
    renderer: Processor,
    kind: type[EventFormatter] = EventFormatter,
    *,
    before_rendering: Sequence[Processor] = (),
) -> EventFormatter:
    return kind(
        _foreign_chain(),
        [
            timestamp,
            # A traceback becomes text before `redact` reads it, in both formats.
            structlog.processors.format_exc_info,
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            drop_noise,
            hash_identifiers,
            redact,
            *before_rendering,
            renderer,
        ],
    )


class _JsonFormatter(EventFormatter):
    """The JSON formatter, with a short way for the line every turn writes.

    The turn line's fields are fixed by `TurnLog` (numbers, fixed names and enum values, the
    conversation id hashed here), so the processors have nothing to scrub in it: written
    directly it costs a fifth of their chain, and it is the most frequent line there is.
    `test_logging` checks that both ways write the same line.
    """

    def format(self, record: logging.LogRecord) -> str:
        """The turn line written directly; any other record through the processors."""
        if record.name != TURN_LOGGER or record.msg != "turn" or record.exc_info:
            return super().format(record)
        fields = record.__dict__
        return turn_line(
            record.created, {name: fields[name] for name in _TURN_FIELDS if name in fields}
        )


def turn_line(created: float, fields: Mapping[str, Any]) -> str:
    """The turn line of `fields` (in `_TURN_FIELDS`' order) logged at `created` (epoch seconds)."""
    line: dict[str, object] = {"event": "turn", "level": "info", "logger": TURN_LOGGER, **fields}
    if line.get("conversation") is not None:
        line["conversation"] = hash_id(line["conversation"])
    stamp = dt.datetime.fromtimestamp(created, dt.UTC).isoformat(timespec="microseconds")
    line["timestamp"] = stamp.replace("+00:00", "Z")
    return _dumps(line)


def json_formatter() -> logging.Formatter:
    """A formatter turning any log record into one redacted JSON line."""
    renderer = structlog.processors.JSONRenderer(serializer=_dumps)
    return _formatter(utc_timestamp, renderer, _JsonFormatter)


def console_formatter(*, colors: bool) -> logging.Formatter:
    """A formatter for people at a terminal: aligned, redacted, coloured if `colors`."""
    return _formatter(
        local_timestamp,
        structlog.dev.ConsoleRenderer(
            colors=colors,
            # A plain traceback, already redacted text (no locals: they may hold passwords).
            exception_formatter=structlog.dev.plain_traceback,
            sort_keys=False,
        ),
        before_rendering=(escape_controls,),
    )


def _is_terminal(stream: IO[str]) -> bool:
    isatty = getattr(stream, "isatty", None)
    try:
        return bool(isatty and isatty())
    except ValueError:  # closed
        return False


def resolve_format(log_format: str, stream: IO[str]) -> Literal["console", "json"]:
    """`console` or `json`: `auto` is console on a terminal, JSON for anything else."""
    if log_format not in LOG_FORMATS:
        raise ValueError(f"MAILMOVE_LOG_FORMAT={log_format!r}: use one of {', '.join(LOG_FORMATS)}")
    if log_format == "auto":
        return "console" if _is_terminal(stream) else "json"
    return "console" if log_format == "console" else "json"


def wants_colour(stream: IO[str], environ: Mapping[str, str] | None = None) -> bool:
    """Colours only on a terminal, and never with NO_COLOR set (https://no-color.org)."""
    env = os.environ if environ is None else environ
    return _is_terminal(stream) and not env.get("NO_COLOR")


class _QuietLibraries(logging.Filter):
    """Holds back the INFO and DEBUG lines of `CHATTY_LIBRARIES` and uvicorn's start-up lines.

    A library may set its loggers' levels itself (uvicorn does when the server starts), so a
    level set here would not last; a filter on our handler does.
    """

    def __init__(self) -> None:
        super().__init__()
        # Whether a logger's INFO lines pass, by logger name: a turn's line asked every time.
        self._passes: dict[str, bool] = {}

    def filter(self, record: logging.LogRecord) -> bool:
        """False for a library's narration, True for everything else."""
        if record.levelno >= logging.WARNING:
            return True
        name = record.name
        if name == "uvicorn.error":
            message = str(record.msg)
            return not (message in UVICORN_START_LINES or message.startswith("Uvicorn running"))
        passes = self._passes.get(name)
        if passes is None:
            passes = not any(
                name == library or name.startswith(f"{library}.") for library in CHATTY_LIBRARIES
            )
            self._passes[name] = passes
        return passes


# A turn line on its way to the listener without a LogRecord: its time and its fields.
_TurnFields = tuple[float, dict[str, Any]]
_Queued = logging.LogRecord | _TurnFields | None


class _EnqueueOnly(logging.handlers.QueueHandler):
    """Puts the record itself on the queue; the listener formats it.

    The standard QueueHandler formats in the caller (to make records picklable for other
    processes); ours stay in this process, so that work moves to the listener's thread.
    """

    def __init__(self, records: queue.Queue[_Queued]) -> None:
        super().__init__(records)
        self.dropped = 0

    def prepare(self, record: logging.LogRecord) -> logging.LogRecord:
        """The record unchanged."""
        return record

    def enqueue(self, record: logging.LogRecord | _TurnFields) -> None:
        """Queue the record, or count it as dropped when the listener is far behind."""
        try:
            self.queue.put_nowait(record)
        except queue.Full:
            self.dropped += 1


class _BatchingListener(logging.handlers.QueueListener):
    """Writes records as they come and flushes once the queue is empty: one write per burst."""

    def __init__(self, records: queue.Queue[_Queued], handler: _Unflushed) -> None:
        super().__init__(records, handler)
        self.records = records
        self.writer = handler

    def handle(self, record: logging.LogRecord | _TurnFields) -> None:
        """Write a turn's fields as its line, or hand a record to the handler."""
        if type(record) is tuple:
            self.writer.write_turn(*record)
        else:
            super().handle(cast(logging.LogRecord, record))

    def dequeue(self, block: bool) -> logging.LogRecord:
        """The next record (None to stop); before waiting for one, flush what was written.

        Once the queue runs dry the listener pauses for `BATCH_PAUSE` before it waits: woken
        by every record, it took the interpreter's lock from the event loop once per line
        (each hand-over a pair of context switches, and the event loop waiting for it back
        after every SQLite call that releases it); pausing, it wakes once per burst.
        """
        if block and self.records.empty():
            for handler in self.handlers:
                handler.flush()
            time.sleep(BATCH_PAUSE)
        return cast(logging.LogRecord, self.records.get(block))

    def enqueue_sentinel(self) -> None:
        """Wait for room: a full queue at shutdown must not lose the stop signal."""
        self.records.put(None)


class _Unflushed(logging.StreamHandler):  # type: ignore[type-arg]
    """A stream handler that leaves flushing to the listener (once per burst)."""

    def flush(self) -> None:
        """Flush the stream; called by the listener when the queue runs dry."""
        # A closed or vanished stream (a test's capture, a closed pipe): nothing to flush.
        with contextlib.suppress(OSError, ValueError):
            super().flush()

    def emit(self, record: logging.LogRecord) -> None:
        """Write the formatted record without flushing."""
        try:
            self.stream.write(self.format(record) + self.terminator)
        except Exception:  # logging must never raise into the caller
            self.handleError(record)

    def write_turn(self, created: float, fields: dict[str, Any]) -> None:
        """Write a turn's line (queued by `TurnLog` without a record), as `emit` would."""
        self.acquire()  # as `handle` does: `flush_logs` may flush from another thread
        try:
            self.stream.write(turn_line(created, fields) + self.terminator)
        except Exception:  # a record only now, for the standard report of a failed write
            self.handleError(logging.makeLogRecord({"name": TURN_LOGGER, "msg": "turn", **fields}))
        finally:
            self.release()


_listener_lock: Final = threading.Lock()
_listener: _BatchingListener | None = None
# The root's handler when the turn line may skip the record (JSON, queued), else None.
_turn_handler: _EnqueueOnly | None = None


def configure_logging(
    log_format: str = "auto",
    *,
    level: int = logging.INFO,
    stream: IO[str] | None = None,
    environ: Mapping[str, str] | None = None,
    queued: bool = True,
) -> Literal["console", "json"]:
    """Send every log record to `stream` (standard error) as `log_format`; return the format.

    `queued`: format and write in a listener thread (the server); without it, in the
    caller (tests that read the stream right after logging).
    """
    stream = stream or sys.stderr
    chosen = resolve_format(log_format, stream)
    formatter = (
        console_formatter(colors=wants_colour(stream, environ))
        if chosen == "console"
        else json_formatter()
    )
    global _turn_handler
    stop_logging()
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            structlog.contextvars.merge_contextvars,
            structlog.stdlib.add_log_level,
            structlog.stdlib.add_logger_name,
            structlog.processors.StackInfoRenderer(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler: logging.Handler
    if queued:
        writer = _Unflushed(stream)
        writer.setFormatter(formatter)
        records: queue.Queue[_Queued] = queue.Queue(QUEUE_SIZE)
        handler = _EnqueueOnly(records)
        _start_listener(_BatchingListener(records, writer))
    else:
        handler = logging.StreamHandler(stream)
        handler.setFormatter(formatter)
    handler.addFilter(_QuietLibraries())
    _turn_handler = handler if isinstance(handler, _EnqueueOnly) and chosen == "json" else None
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    if queued:  # the server's set-up; tests that log synchronously keep the stdlib's defaults
        _record_only_what_is_read()
    # uvicorn's loggers keep their own handlers unless told otherwise: send them to ours.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # The cheapest filter is the logger's level: a held-back line never becomes a record.
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))
    return chosen


def _record_only_what_is_read() -> None:
    """Stop every record collecting what no line of ours shows (the logging HOWTO's list).

    The calling frame (a walk up the stack per record), the thread, the process and its
    name: about half of a record's cost in the caller, for fields neither format writes.
    """
    logging._srcfile = None  # documented in the HOWTO's Optimization section
    logging.logThreads = False
    logging.logProcesses = False
    logging.logMultiprocessing = False


def configure_json_logging(level: int = logging.INFO, stream: IO[str] | None = None) -> None:
    """JSON lines to `stream`, written in the caller (replicas under test, tests)."""
    configure_logging("json", level=level, stream=stream, queued=False)


def _start_listener(listener: _BatchingListener) -> None:
    global _listener  # one listener per process, like the root logger
    with _listener_lock:
        _listener = listener
        listener.start()


def flush_logs() -> None:
    """Wait until every queued record is written (before exiting, in tests, benchmarks)."""
    listener = _listener
    if listener is None:
        return
    listener.records.join()
    for handler in listener.handlers:
        handler.flush()


def stop_logging() -> None:
    """Write what is queued and stop the listener thread (at exit; before reconfiguring)."""
    global _listener
    with _listener_lock:
        listener, _listener = _listener, None
    if listener is not None:
        listener.stop()
        for handler in listener.handlers:
            handler.flush()


def dropped_lines() -> int:
    """How many records were dropped because the listener was far behind."""
    for handler in logging.getLogger().handlers:
        if isinstance(handler, _EnqueueOnly):
            return handler.dropped
    return 0


atexit.register(stop_logging)


class TurnLog:
    """The engine observer that writes one line per turn.

    Through the standard library's logging (fields as `extra`), so the line is JSON under
    `mailmove serve` and stays out of the terminal under `mailmove chat`. Under the server's
    set-up, when nothing but our queue would see the record (no handler or filter on the way,
    as a test's log capture would add), the fields skip the record and go on that queue as
    they are: `Logger.info`, the `LogRecord` and the handler's filters and lock were a third
    of the line's cost (57,000 of 158,000-176,000 instructions of a turn's 2.39 million).
    """

    def __init__(self) -> None:
        self._log = logging.getLogger(TURN_LOGGER)

    def turn_finished(self, channel: str, outcome: TurnOutcome, seconds: float) -> None:
        """Log the turn: which conversation (hashed), where it stands, how long it took."""
        if not self._log.isEnabledFor(logging.INFO):
            return
        fields: dict[str, Any] = {
            "channel": channel,
            "ms": round(seconds * 1000, 2),
            "replies": len(outcome.replies),
        }
        if outcome.duplicate:
            fields["duplicate"] = True
        if outcome.record is not None:
            fields["conversation"] = outcome.record.key
            fields["stage"] = outcome.record.dialog.stage.value
            fields["owner"] = outcome.record.owner.value
        if outcome.signals:
            fields["signals"] = [signal.value for signal in outcome.signals]
        handler = _turn_handler
        if handler is not None and _only_to(self._log, handler):
            handler.enqueue((time.time(), fields))  # `LogRecord.created` is time.time() too
        else:
            self._log.info("turn", extra=fields)


def _only_to(logger: logging.Logger, handler: _EnqueueOnly) -> bool:
    """Whether `logger`'s INFO records reach `handler` alone, through no filter but ours."""
    if logger.disabled:
        return False
    node: logging.Logger | None = logger
    while node is not None:
        if node.filters:
            return False
        if node.parent is None:  # the root
            handlers = node.handlers
            return (
                len(handlers) == 1
                and handlers[0] is handler
                and len(handler.filters) == 1
                and handler.level <= logging.INFO
            )
        if node.handlers or not node.propagate:
            return False
        node = node.parent
    return False
