"""Previewing another day: a clock whose "today" is a chosen date, for staging and demos.

A provider's staff check what subscribers will be told before the window opens, on its last
day and after the cut-off (`mailmove serve --as-of 2008-06-01`, `MAILMOVE_AS_OF`). The day
is the chosen one in the profile's time zone; the time of day is the real one at start-up
and runs on from there, so a preview left running crosses midnight as the real bot would.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from typing import Final

from bot.engine import Clock, system_clock
from bot.ops.settings import ConfigError

_SHARED_STORES: Final = ("redis://", "rediss://")


def preview_clock(as_of: dt.date, timezone: str, real: Clock = system_clock) -> Clock:
    """A clock that reads `as_of` at the real time of day now, and runs on with real time."""
    started = real()
    local = started.astimezone(zoneinfo.ZoneInfo(timezone))
    shifted = dt.datetime.combine(as_of, local.timetz())
    offset = shifted - started
    return lambda: real() + offset


def refuse_shared_store(store_url: str, *, force: bool) -> None:
    """ConfigError for a preview on a shared (Redis) store, the production one, unless forced.

    Conversations, audit counts and expiry would be stamped with the previewed day, among
    real subscribers' records.
    """
    if store_url.startswith(_SHARED_STORES) and not force:
        raise ConfigError(
            "--as-of (MAILMOVE_AS_OF) is for staging and demos: refused with a redis:// store"
            " (production) unless --force is given"
        )
