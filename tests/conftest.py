"""Fixtures shared by the whole suite: the catalogs, the seed's profile, fixed dates."""

from __future__ import annotations

import datetime as dt
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from bot.i18n import Catalogs
from bot.profile_loader import load_profile
from dialogs.profile import MigrationProfile

# Inside the seed's settings-change window (2008-05-21 .. 2008-06-20), in JST.
IN_WINDOW: dt.datetime = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)

# Loopback servers started by tests must never go through a proxy.
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs.load()


@pytest.fixture(scope="session")
def profile() -> MigrationProfile:
    return load_profile()


def files_holding(folder: Path, secret: bytes) -> list[Path]:
    """Every file under `folder` (a database, its WAL) whose bytes contain `secret`."""
    return [f for f in folder.rglob("*") if f.is_file() and secret in f.read_bytes()]


def fixed_clock(moment: dt.datetime = IN_WINDOW) -> Callable[[], dt.datetime]:
    """A clock that always says `moment`."""
    return lambda: moment
