"""Fixtures shared by the whole suite: the catalogs and the seed's profile.

Clocks, loopback servers and replicas live in `testbed`, which the benchmarks share.
"""

from __future__ import annotations

import os

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile

# Loopback servers started by tests must never go through a proxy.
os.environ.setdefault("NO_PROXY", "127.0.0.1,localhost")


@pytest.fixture(scope="session")
def catalogs() -> Catalogs:
    return Catalogs.load()


@pytest.fixture(scope="session")
def profile() -> MigrationProfile:
    return load_profile()
