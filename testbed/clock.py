"""Fixed dates for tests and benchmarks: the advice depends on the day, so both pin it."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Final

# Inside the seed's settings-change window (2008-05-21 .. 2008-06-20), in JST.
IN_WINDOW: Final = dt.datetime(2008, 6, 1, 3, 0, tzinfo=dt.UTC)


def fixed_clock(moment: dt.datetime = IN_WINDOW) -> Callable[[], dt.datetime]:
    """A clock that always says `moment`."""
    return lambda: moment
