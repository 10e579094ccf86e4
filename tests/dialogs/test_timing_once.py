"""A profile's timing on a day is worked out once, not at every question of every turn."""

from __future__ import annotations

import dataclasses
import datetime as dt

from dialogs.knowledge import Window, timing
from dialogs.profile import MigrationProfile

IN_WINDOW = dt.date(2008, 6, 1)
AFTER = dt.date(2026, 11, 30)


def test_the_same_profile_and_day_give_the_same_timing_object(profile: MigrationProfile) -> None:
    first = timing(profile, IN_WINDOW)
    assert timing(profile, IN_WINDOW) is first
    assert first.window is Window.DURING


def test_another_day_or_profile_is_worked_out_for_itself(profile: MigrationProfile) -> None:
    during = timing(profile, IN_WINDOW)
    after = timing(profile, AFTER)
    assert after.window is Window.AFTER
    assert after is not during
    # An equal profile that is another object (a reloaded file) is worked out again: the
    # remembered timing belongs to the profile it was made for.
    copy = dataclasses.replace(profile)
    assert copy == profile
    again = timing(copy, IN_WINDOW)
    assert again is not during
    assert again == during
    moved = dataclasses.replace(
        profile,
        schedule=dataclasses.replace(profile.schedule, window_start=dt.date(2008, 6, 2)),
    )
    assert timing(moved, IN_WINDOW).window is Window.BEFORE
