"""Structured JSON logs for `mailmove serve`: one line per event, nothing personal in clear.

Every record, from our own modules, uvicorn or a platform SDK, goes through structlog's
processors and comes out as one JSON object per line on standard error. Two processors
guard personal data on the way:

- `hash_identifiers` replaces the values of fields that name a conversation or a person
  (`conversation`, `event_id`, `user`...) by a short hash, so lines of one conversation can
  still be followed without the id that opens it (a web chat id is its only credential);
- `redact` rewrites anything that looks like an e-mail address, a `password=` value or a
  web chat conversation id inside any text, wherever the text came from.

`TurnLog` writes the line per turn (channel, hashed conversation, stage, result, time).
"""

from __future__ import annotations

import hashlib
import logging
import re
import sys
from collections.abc import Mapping
from typing import IO, TYPE_CHECKING, Any, Final

import structlog
from structlog.typing import EventDict, Processor, WrappedLogger

if TYPE_CHECKING:
    from bot.engine import TurnOutcome

# Not under "mailmove": slack-bolt gives its app logger (named after the app) its own level.
TURN_LOGGER: Final = "bot.turns"
IDENTIFYING_FIELDS: Final = frozenset(
    {"conversation", "conversation_id", "conversation_key", "key", "event_id", "user", "sender"}
)
CHATTY_LIBRARIES: Final = ("transitions",)
_EMAIL: Final = re.compile(r"[\w.+%-]+@[\w-]+(?:\.[\w-]+)+")
# `password=...`, `"password": "..."`, `pass: ...`, `passwd=...` up to the next separator.
_PASSWORD: Final = re.compile(
    r"""(?i)(["']?\b(?:password|passwd|pass|pwd)\b["']?\s*[=:]\s*)("[^"]*"|'[^']*'|[^\s,;&}]+)"""
)
# A web chat conversation id (uuid4 hex) or a LINE id's 32 hex digits, inside any text.
_HEX_ID: Final = re.compile(r"(?<![0-9a-fA-F])[0-9a-f]{32}(?![0-9a-fA-F])")


def hash_id(value: object) -> str:
    """A short, stable stand-in for an identifier: the same id always gives the same hash."""
    return "#" + hashlib.sha256(str(value).encode()).hexdigest()[:12]


def redact_text(text: str) -> str:
    """`text` with addresses, password values and conversation ids replaced."""
    text = _PASSWORD.sub(lambda m: f"{m.group(1)}[redacted]", text)
    text = _EMAIL.sub("[address]", text)
    return _HEX_ID.sub(lambda m: hash_id(m.group(0)), text)


def _redact_value(value: object) -> object:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, Mapping):
        return {key: _redact_value(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_redact_value(item) for item in value]
    return value


def redact(_: WrappedLogger, __: str, event_dict: EventDict) -> EventDict:
    """Processor: scrub every string field (the message, tracebacks, extras)."""
    for key, value in list(event_dict.items()):
        if key.startswith("_"):
            continue  # structlog's own bookkeeping (the original record)
        if key.lower() in ("password", "passwd", "secret", "token"):
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


def _processors() -> list[Processor]:
    # Shared by our structlog loggers and by records from the standard library's loggers.
    return [
        structlog.contextvars.merge_contextvars,
        structlog.stdlib.add_log_level,
        structlog.stdlib.add_logger_name,
        structlog.stdlib.ExtraAdder(),
        structlog.processors.TimeStamper(fmt="iso", utc=True),
        structlog.processors.StackInfoRenderer(),
        structlog.processors.format_exc_info,
    ]


def json_formatter() -> logging.Formatter:
    """A formatter turning any log record into one redacted JSON line."""
    return structlog.stdlib.ProcessorFormatter(
        foreign_pre_chain=_processors(),
        processors=[
            structlog.stdlib.ProcessorFormatter.remove_processors_meta,
            drop_noise,
            hash_identifiers,
            redact,
            structlog.processors.JSONRenderer(ensure_ascii=False),
        ],
    )


def configure_json_logging(level: int = logging.INFO, stream: IO[str] | None = None) -> None:
    """Send every log record, as JSON lines, to `stream` (standard error by default)."""
    structlog.configure(
        processors=[
            structlog.stdlib.filter_by_level,
            *_processors(),
            structlog.stdlib.ProcessorFormatter.wrap_for_formatter,
        ],
        logger_factory=structlog.stdlib.LoggerFactory(),
        wrapper_class=structlog.stdlib.BoundLogger,
        cache_logger_on_first_use=True,
    )
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(json_formatter())
    root = logging.getLogger()
    for old in list(root.handlers):
        root.removeHandler(old)
    root.addHandler(handler)
    root.setLevel(level)
    # uvicorn's loggers keep their own handlers unless told otherwise: send them to ours.
    for name in ("uvicorn", "uvicorn.error", "uvicorn.access"):
        logger = logging.getLogger(name)
        logger.handlers.clear()
        logger.propagate = True
    # Libraries that narrate every step at INFO (transitions: three lines a turn, a third
    # of a busy server's time in logging) say only what went wrong.
    for name in CHATTY_LIBRARIES:
        logging.getLogger(name).setLevel(max(level, logging.WARNING))


class TurnLog:
    """The engine observer that writes one line per turn.

    Through the standard library's logging (fields as `extra`), so the line is JSON under
    `mailmove serve` and stays out of the terminal under `mailmove chat`.
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
        self._log.info("turn", extra=fields)
