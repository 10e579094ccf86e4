"""The engine over a SQLite store of its own, as the engine's test modules drive it."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.ops.catalogs import Catalogs
from bot.store.sqlite_store import SQLiteStore
from dialogs.profile import MigrationProfile
from testbed.clock import fixed_clock


@pytest.fixture
async def store(tmp_path: Path) -> AsyncIterator[SQLiteStore]:
    # `tmp_path / "store.sqlite3"`: the tests that scan the store's files for a password
    # (`testbed.disk.files_holding`) look in `tmp_path`.
    store = SQLiteStore(tmp_path / "store.sqlite3")
    await store.open()
    yield store
    await store.close()


@pytest.fixture
def engine(store: SQLiteStore, profile: MigrationProfile, catalogs: Catalogs) -> Engine:
    return Engine(store, profile, catalogs, fixed_clock())
