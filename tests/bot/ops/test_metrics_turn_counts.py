"""A turn's own counts are served as prometheus_client's Counter and Histogram served them.

`Metrics` counts every turn in plain numbers (`_TurnCounts`) instead of through a Counter
and a Histogram, which cost about 0.9 % of a web chat turn. What `/metrics` says must not
change: the same lines, in the same order, with the same values, for the same turns.
"""

from __future__ import annotations

import math

from prometheus_client import CollectorRegistry, Counter, Histogram
from prometheus_client.exposition import generate_latest

from bot.engine import TurnOutcome
from bot.ops.metrics import TURN_BUCKETS, Metrics
from dialogs.vocabulary import TextReply

REPLY = TextReply("hello")

# (channel, outcome, seconds): every bucket's bound itself, between bounds, past the last,
# infinite and not a number, on two channels and with every result.
TURNS: list[tuple[str, TurnOutcome, float]] = [
    ("webchat", TurnOutcome(replies=(REPLY,)), 0.0042),
    ("line", TurnOutcome(), 0.0),
    ("webchat", TurnOutcome(duplicate=True), 0.001),
    *(("webchat", TurnOutcome(replies=(REPLY,)), bound) for bound in TURN_BUCKETS),
    *(("line", TurnOutcome(replies=(REPLY,)), bound * 1.5) for bound in TURN_BUCKETS),
    ("webchat", TurnOutcome(), 7.5),
    ("line", TurnOutcome(duplicate=True), math.inf),
    ("webchat", TurnOutcome(replies=(REPLY,)), math.nan),
    ("line", TurnOutcome(), 0.1 + 0.2),
]


def _served_before(turns: list[tuple[str, TurnOutcome, float]]) -> list[str]:
    """What prometheus_client's own Counter and Histogram serve for `turns`."""
    registry = CollectorRegistry()
    counter = Counter(
        "mailmove_turns",
        "Turns handled, by channel and result (replied, silent, duplicate).",
        ["channel", "result"],
        registry=registry,
    )
    histogram = Histogram(
        "mailmove_turn_seconds",
        "Time to run one turn (lock, load, dialog step, save), by channel.",
        ["channel"],
        buckets=TURN_BUCKETS,
        registry=registry,
    )
    for channel, outcome, seconds in turns:
        result = "duplicate" if outcome.duplicate else "replied" if outcome.replies else "silent"
        counter.labels(channel, result).inc()
        histogram.labels(channel).observe(seconds)
    return generate_latest(registry).decode().splitlines()


def _served_now(turns: list[tuple[str, TurnOutcome, float]]) -> list[str]:
    """The lines of `Metrics`' exposition about turns, after `turns`."""
    counted = Metrics()
    for channel, outcome, seconds in turns:
        counted.turn_finished(channel, outcome, seconds)
    lines = counted.exposition()[0].decode().splitlines()
    return [line for line in lines if "mailmove_turns_total" in line or "turn_seconds" in line]


def test_the_turns_are_served_as_the_counter_and_histogram_served_them() -> None:
    assert _served_now(TURNS) == _served_before(TURNS)


def test_before_any_turn_the_families_are_served_empty() -> None:
    assert _served_now([]) == _served_before([])
