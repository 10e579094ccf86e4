"""Something that keeps happening, said in the log when it starts and then once a minute.

While the store is down, or a client keeps guessing tokens, a line per probe, request or
scrape floods the log exactly when an operator reads it.
"""

from __future__ import annotations

import time
from typing import Final

SAY_EVERY: Final = 60.0


class Repeated:
    """Something that keeps happening: said the first time, then once every `every` seconds."""

    def __init__(self, every: float = SAY_EVERY) -> None:
        self._every = every
        self._said_at: float | None = None
        self._last_at = 0.0
        self._unsaid = 0
        self._total = 0  # this episode's, said or not

    def happened(self) -> int:
        """Count it; how many times to say it stands for now (this one included), or 0."""
        now = time.monotonic()
        if now - self._last_at > self._every:
            self.ended()  # quiet for longer than that: another episode, said afresh
        self._last_at = now
        self._unsaid += 1
        self._total += 1
        if self._said_at is not None and now - self._said_at < self._every:
            return 0
        count, self._unsaid, self._said_at = self._unsaid, 0, now
        return count

    def ended(self) -> int:
        """Forget it; how many times it happened if it had been said, else 0.

        The caller then says it is over, with the count: said when it started and once a
        minute, an outage's lines gave only their first minute's count ("Answered 503 to 1
        request(s)" for a 10 s outage that turned away 99).
        """
        total = self._total if self._said_at is not None else 0
        self._said_at, self._unsaid, self._total = None, 0, 0
        return total
