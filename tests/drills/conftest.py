"""The drills start replicas and drive load: give them room on a busy machine.

pytest-timeout's 120 s (pyproject.toml) is there to stop a hung test, not to time one. A
drill starts Python replicas and Redis and runs load through them; on a 2-core machine that
is also running other work, that alone took longer than 120 s, and the kill surfaced as a
confusing hypothesis "flaky" error or a replica "not ready" with an empty log. A hang still
ends, later.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

DRILL_TIMEOUT: Final = 480  # seconds per drill
_HERE: Final = Path(__file__).parent


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if _HERE in item.path.parents and item.get_closest_marker("timeout") is None:
            item.add_marker(pytest.mark.timeout(DRILL_TIMEOUT))
