"""Waiting in the desk's queue: how often the page reads the transcript.

The page reads the transcript every 2 s, and every 0.5 s while an agent holds the chat,
so that a person's words show within a second (README, MAILMOVE_WEBCHAT_READ_LIMIT). It
read it every 0.5 s from the handoff on, while nobody was writing yet: a page left open
in the queue overnight, outside the desk's hours, made 7,200 reads an hour.
"""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Page

from tests.adapters.webchat.chat_page import HELD_TIMEOUT, PHONE, NewPage, pause_clock
from tests.adapters.webchat.test_screens import inject

# Counts the page's transcript reads on their way: the clock is not moved on while one is,
# or the time the route handler takes (long on a loaded machine) counted as the page's wait.
IN_FLIGHT = """() => {
  window.readsInFlight = 0;
  const fetched = window.fetch;
  window.fetch = (...args) => {
    if (!String(args[0]).includes("?after=")) {
      return fetched(...args);
    }
    window.readsInFlight += 1;
    return fetched(...args).finally(() => {
      window.readsInFlight -= 1;
    });
  };
}"""


def no_read_in_flight(page: Page) -> None:
    """Return once the page has its answer to every transcript read it sent (round trips)."""
    deadline = time.monotonic() + HELD_TIMEOUT
    while page.evaluate("window.readsInFlight") > 0:
        assert time.monotonic() < deadline, "a transcript read got no answer"


def next_read_after(page: Page, reads: list[int]) -> int:
    """Milliseconds of the page's clock until its next transcript read (100 ms steps)."""
    before = len(reads)
    waited = 0
    while True:
        no_read_in_flight(page)
        if len(reads) > before:
            break
        assert waited < 30_000, "no read of the transcript in 30 s"
        page.clock.run_for(100)
        waited += 100
    # The read's answer is handled before the clock moves on: the next one is scheduled.
    for _ in range(3):
        page.evaluate("0")
    return waited


def test_the_queue_is_read_every_two_seconds_and_an_agents_chat_every_half(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE, fake_clock=True)
    holder: dict[str, str] = {"owner": "queue"}
    reads: list[int] = []

    def holding(body: dict[str, Any], last: int) -> None:
        body.update(holder)
        reads.append(last)

    page.evaluate(IN_FLIGHT)
    inject(page, holding)
    # Paused, the page's clock moves only by run_for's steps, which `waited` counts. Left
    # running, it also moved with real time: on a loaded machine the page waited its 2 s
    # while the test had counted 1 s of steps ([1900, 1000, 1800] in a loaded run).
    pause_clock(page)
    next_read_after(page, reads)  # the queue seen
    waiting = [next_read_after(page, reads) for _ in range(3)]
    assert min(waiting) >= 1_500, waiting
    holder.update({"owner": "agent", "agent": "山田"})
    next_read_after(page, reads)  # the agent seen
    with_agent = [next_read_after(page, reads) for _ in range(3)]
    assert max(with_agent) <= 1_000, with_agent
