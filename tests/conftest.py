"""Fixtures shared by the whole suite: the catalogs and the seed's profile.

Clocks, loopback servers and replicas live in `testbed`, which the benchmarks share.
"""

from __future__ import annotations

import logging
import os
from collections.abc import Iterator

import pytest
from hypothesis import HealthCheck, settings

from bot.ops.catalogs import Catalogs
from bot.ops.logging_setup import stop_logging
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from tests.browser import close_chromium
from tests.scheduling import longest_first
from tests.shared_rewrite import rewrite_this_workers_share

# Loopback servers started by tests must never go through a proxy.
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")

# Property tests assert what comes out, never how fast: hypothesis' default deadline (200 ms
# per example) and its too-slow check failed them on a loaded 2-core machine. Speed is the
# benchmarks' business (bench/).
settings.register_profile("mailmove", deadline=None, suppress_health_check=[HealthCheck.too_slow])
settings.load_profile("mailmove")


def pytest_sessionstart(session: pytest.Session) -> None:
    # In a fresh clone each xdist worker caches its share of the rewritten test modules before
    # collecting them all (see shared_rewrite).
    rewrite_this_workers_share(session.config)


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The longest modules first, so that the xdist workers finish together (see scheduling).
    longest_first(items)


def pytest_sessionfinish() -> None:
    # The browser tests share one Chromium per process (tests/browser.py).
    close_chromium()


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs.load()


@pytest.fixture(scope="session")
def profile() -> MigrationProfile:
    return load_profile()


@pytest.fixture(autouse=True)
def _logging_left_as_found() -> Iterator[None]:
    """Undo what a test's `mailmove` command did to the process's logging.

    `configure_logging` binds the root handler to the `sys.stderr` of the moment, which
    inside a test is pytest's capture: once that test ends the stream is closed, and every
    later test's log line would fail to write ("I/O operation on closed file") and spill a
    traceback into whatever that test reads from stderr.
    """
    root = logging.getLogger()
    handlers, level = list(root.handlers), root.level
    yield
    stop_logging()
    for handler in list(root.handlers):
        if handler not in handlers:
            root.removeHandler(handler)
    for handler in handlers:
        if handler not in root.handlers:
            root.addHandler(handler)
    root.setLevel(level)
