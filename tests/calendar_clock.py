"""A clock a test moves on by hand, as the days pass between a subscriber's visits."""

from __future__ import annotations

import datetime as dt

JST = dt.timezone(dt.timedelta(hours=9))


class Calendar:
    """The engine's clock (`build_app(…, clock=…)`), set to `moment` until the test moves it."""

    def __init__(self, moment: dt.datetime) -> None:
        self.moment = moment

    def __call__(self) -> dt.datetime:
        return self.moment
