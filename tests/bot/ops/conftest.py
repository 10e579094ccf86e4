"""Fixtures of the operations tests."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
import structlog

from bot.ops import logging_setup
from bot.ops.logging_setup import stop_logging


@pytest.fixture
def restore_logging() -> Iterator[None]:
    """Put back all that `configure_logging` changes: handlers, levels, flags, structlog."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    flags = (logging._srcfile, logging.logThreads, logging.logProcesses)
    levels = {name: logging.getLogger(name).level for name in logging_setup.CHATTY_LIBRARIES}
    yield
    stop_logging()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    logging._srcfile, logging.logThreads, logging.logProcesses = flags
    for name, level in levels.items():
        logging.getLogger(name).setLevel(level)
    structlog.reset_defaults()
