"""Prometheus metrics, served at `/metrics`: turns, latency, verdicts, checks, rejections, errors.

Each app has its own `Metrics` and registry (tests build many apps in one process). Code that
does not hold the app, an adapter refusing a request or the login check finishing, calls the
module functions `rejected(channel, reason)` and `check_finished(outcome)`: they count in the
`Metrics` of the app serving the current request, found through a context variable that the
server sets for every request and for the tasks started at start-up (asyncio tasks inherit
it). Outside any app they count nothing.

It sits below the desk and the login check, which count through it, and above the engine,
whose turns it observes.
"""

from __future__ import annotations

import bisect
import contextlib
import contextvars
import itertools
import math
from collections.abc import Iterator, Sequence
from typing import Final

from prometheus_client import (
    CONTENT_TYPE_LATEST,
    CollectorRegistry,
    Counter,
    Gauge,
    disable_created_metrics,
)
from prometheus_client.core import CounterMetricFamily, HistogramMetricFamily, Metric
from prometheus_client.exposition import generate_latest
from prometheus_client.registry import Collector
from prometheus_client.utils import floatToGoString

from bot.delivery import NotDeliveredError
from bot.engine import TurnObserver, TurnOutcome
from bot.ops.logging_setup import dropped_lines
from dialogs.state import Signal

# A turn is a few milliseconds on a warm replica; the tail shows lock waits and Redis trouble.
TURN_BUCKETS: Final = (0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1.0, 2.5, 5.0)
# What `mailmove_background_errors_total` counts by (see its help), and what desks are shown.
BACKGROUND_TASKS: Final = ("expiry", "desk_notices", "desk", "polling", "spawned")
DESK_NOTICE_KINDS: Final = ("handoff", "message_left")
# The login checks' outcomes that are the server's, not the subscriber's (bot.mailcheck's
# Outcome values), which MailmoveLoginCheckServerFailing fires on at the first one.
SERVER_CHECK_OUTCOMES: Final = (
    "unreachable",
    "timeout",
    "tls_error",
    "untrusted_certificate",
    "auth_not_offered",
    "client_refused",
)
# Why a platform did not take a reply to a turn (`mailmove_undelivered_turn_replies_total`):
# bot.delivery's causes, an attempt whose answer never came, and any other refusal.
TURN_REPLY_CAUSES: Final = ("unreachable", "quota", "may_have_arrived", "refused")
# The answers to 「解決しましたか？」 (dialogs.feedback), by the signal that carries each.
_FEEDBACK_ANSWERS: Final = {Signal.FEEDBACK_SOLVED: "solved", Signal.FEEDBACK_UNSOLVED: "unsolved"}
# prometheus_client would add a `*_created` gauge beside every counter and histogram series:
# twice the series for the start time of the process, which no alert or dashboard here reads.
disable_created_metrics()  # type: ignore[no-untyped-call]  # unannotated in prometheus_client

_CURRENT: Final[contextvars.ContextVar[Metrics | None]] = contextvars.ContextVar(
    "mailmove_metrics", default=None
)


class Metrics:
    """Every counter of one app, in its own registry; also the engine's `TurnObserver`."""

    def __init__(self) -> None:
        self.registry = CollectorRegistry()
        registry = self.registry
        # Counted by every turn: without prometheus_client's Counter and Histogram (below).
        self._turns = _TurnCounts()
        registry.register(self._turns)
        self.verdicts = Counter(
            "mailmove_verdicts",
            "Verdicts reached, by what must change for receiving and for sending.",
            ["receiving", "sending"],
            registry=registry,
        )
        self.settings_delivered = Counter(
            "mailmove_settings_delivered",
            "Settings cards delivered, by channel.",
            ["channel"],
            registry=registry,
        )
        self.handoffs = Counter(
            "mailmove_handoffs",
            "Conversations handed to a human agent, by channel.",
            ["channel"],
            registry=registry,
        )
        self.checks = Counter(
            "mailmove_login_checks",
            "Live login checks finished, by outcome.",
            ["outcome"],
            registry=registry,
        )
        self.rejected_requests = Counter(
            "mailmove_rejected_requests",
            "Requests refused before or instead of a turn, by channel and reason.",
            ["channel", "reason"],
            registry=registry,
        )
        self.store_errors = Counter(
            "mailmove_store_errors",
            "Store operations that failed because the store was unreachable, by operation.",
            ["operation"],
            registry=registry,
        )
        self.feedback = Counter(
            "mailmove_feedback",
            "Answers to 「解決しましたか？」 (after the settings, or as an agent closed), by "
            "channel and answer (solved, unsolved).",
            ["channel", "answer"],
            registry=registry,
        )
        self.undelivered_agent_messages = Counter(
            "mailmove_undelivered_agent_messages",
            "Agents' messages the subscriber's platform did not take after every resend that "
            "could not make a second copy, by channel.",
            ["channel"],
            registry=registry,
        )
        self.undelivered_bot_replies = Counter(
            "mailmove_undelivered_bot_replies",
            "The bot's replies sent in the background (a hand-back's greeting, a check's "
            "result, a close's question) that the subscriber's platform did not take, by "
            "channel: marked in the transcript, never sent again.",
            ["channel"],
            registry=registry,
        )
        self.undelivered_turn_replies = Counter(
            "mailmove_undelivered_turn_replies",
            "Messages answering a subscriber's turn (sent after the platform's webhook was "
            "answered) that the platform did not take after every resend that could not make "
            "a second copy, by channel and cause: unreachable (blocked, unfollowed, channel "
            "gone), quota (LINE's monthly allowance used up), may_have_arrived (no answer to "
            "the last attempt) or refused (anything else: a token, a message the platform "
            "would not take, the platform down). In the transcript, never sent again.",
            ["channel", "cause"],
            registry=registry,
        )
        self.store_memory = Gauge(
            "mailmove_store_memory_bytes",
            "The shared store's memory (Redis): used, and maxmemory (0: no limit), at scrape.",
            ["kind"],
            registry=registry,
        )
        self.client_limit_unchecked = Counter(
            "mailmove_client_limit_unchecked",
            "Requests let through without their per-client limit because the shared limiter "
            "(Redis) could not count, by limit.",
            ["limit"],
            registry=registry,
        )
        self.background_errors = Counter(
            "mailmove_background_errors",
            "Errors nobody planned for in the server's own work outside requests, by task: "
            "expiry and desk_notices (the sweep of desks still to be told) carry on at their "
            "next round; desk, a desk that failed other than by being down (counted as not "
            "told); polling, Telegram's long polling, which tries again; spawned, other work a "
            "turn left to the background. Each is logged with its traceback.",
            ["task"],
            registry=registry,
        )
        self.desks_not_told = Counter(
            "mailmove_desk_not_told",
            "Handoffs and messages left that a desk could not be shown (its platform down, or "
            "the desk failing), by desk and kind (handoff, message_left). A handoff no desk "
            "heard goes back to the bot, which tells the subscriber how to reach the desk.",
            ["desk", "kind"],
            registry=registry,
        )
        # Read at scrape time from the logging set-up, which counts for the whole process.
        registry.register(_DroppedLogLines())

    # -- what the runtime reports -------------------------------------------------------

    def turn_finished(self, channel: str, outcome: TurnOutcome, seconds: float) -> None:
        """Count one turn (the engine's observer hook)."""
        if outcome.duplicate:
            result = "duplicate"
        elif outcome.replies:
            result = "replied"
        else:
            result = "silent"
        self._turns.count(channel, result, seconds)
        signals = outcome.signals
        if not signals:
            return
        if Signal.VERDICT_REACHED in signals and outcome.record is not None:
            dialog = outcome.record.dialog
            if dialog.receiving is not None and dialog.sending is not None:
                self.verdicts.labels(dialog.receiving.value, dialog.sending.value).inc()
        if Signal.SETTINGS_DELIVERED in signals:
            self.settings_delivered.labels(channel).inc()
        if Signal.HANDOFF_REQUESTED in signals:
            self.handoffs.labels(channel).inc()
        for signal, answer in _FEEDBACK_ANSWERS.items():
            if signal in signals:
                self.feedback.labels(channel, answer).inc()

    def check_finished(self, outcome: str) -> None:
        """Count one live login check by its outcome (`ok`, `auth_failed`, ...)."""
        self.checks.labels(str(outcome)).inc()

    def rejected(self, channel: str, reason: str) -> None:
        """Count one refused request; `reason` is a short fixed word, never user input."""
        self.rejected_requests.labels(channel, reason).inc()

    def store_error(self, operation: str) -> None:
        """Count one store operation that failed."""
        self.store_errors.labels(operation).inc()

    def from_zero(self, *, desks: Sequence[str], channels: Sequence[str]) -> None:
        """Serve at 0 the series alerts watch for one event, before any happened.

        increase() sees nothing in a series that first appears at 1: the first undelivered
        message, missed desk, background error or login check the new server failed since
        the start would not fire its alert.
        """
        for task in BACKGROUND_TASKS:
            self.background_errors.labels(task)
        for outcome in SERVER_CHECK_OUTCOMES:
            self.checks.labels(outcome)
        for desk in desks:
            for kind in DESK_NOTICE_KINDS:
                self.desks_not_told.labels(desk, kind)
        for channel in channels:
            self.undelivered_agent_messages.labels(channel)
            self.undelivered_bot_replies.labels(channel)
            for cause in TURN_REPLY_CAUSES:
                self.undelivered_turn_replies.labels(channel, cause)

    def background_error(self, task: str) -> None:
        """Count an unplanned error that the loop `task` (a fixed word) survived."""
        self.background_errors.labels(task).inc()

    def exposition(self) -> tuple[bytes, str]:
        """The registry in Prometheus' text format, and its media type."""
        return generate_latest(self.registry), CONTENT_TYPE_LATEST

    # -- routing the module functions to this app ---------------------------------------

    @contextlib.contextmanager
    def current(self) -> Iterator[None]:
        """Make `rejected` and `check_finished` count here, within this context."""
        token = _CURRENT.set(self)
        try:
            yield
        finally:
            _CURRENT.reset(token)

    def activate(self) -> None:
        """Count here from now on in this context and the tasks it starts (the lifespan)."""
        _CURRENT.set(self)


def rejected(channel: str, reason: str) -> None:
    """Count a request `channel` refused (bad signature, too large, draining...)."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.rejected(channel, reason)


def check_finished(outcome: str) -> None:
    """Count a finished live login check by its outcome (an `Outcome` value)."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.check_finished(outcome)


def client_limit_unchecked(limit: str) -> None:
    """Count a request let through because its per-client limit could not be checked."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.client_limit_unchecked.labels(limit).inc()


class _TurnCounts(Collector):
    """`mailmove_turns_total` and `mailmove_turn_seconds`: what every turn counts.

    Served as prometheus_client's Counter and Histogram serve them (the same lines, in the
    same order), but counted in plain numbers: through their `labels`, `inc` and `observe`
    (a lock taken for each of the count, the sum and the bucket) counting a turn cost 22,700
    instructions, about 0.9 % of a whole web chat turn. No lock: turns are counted on the
    event loop, and `/metrics` reads them there too.
    """

    def __init__(self) -> None:
        # By (channel, result), in the order first counted, as the Counter lists its series.
        self._turns: dict[tuple[str, str], int] = {}
        # By channel: how many turns fell in each bucket (TURN_BUCKETS, then +Inf), and
        # the sum of their seconds.
        self._buckets: dict[str, list[int]] = {}
        self._sums: dict[str, float] = {}

    def count(self, channel: str, result: str, seconds: float) -> None:
        """Count one turn of `channel` with `result` that took `seconds`."""
        key = (channel, result)
        self._turns[key] = self._turns.get(key, 0) + 1
        buckets = self._buckets.get(channel)
        if buckets is None:
            buckets = self._buckets[channel] = [0] * len(_BOUNDS)
            self._sums[channel] = 0.0
        self._sums[channel] += seconds
        # As the Histogram: the first bucket whose bound is not below it (none for NaN).
        index = bisect.bisect_left(_BOUNDS, seconds)
        if index < len(_BOUNDS) and seconds <= _BOUNDS[index]:
            buckets[index] += 1

    def collect(self) -> Iterator[Metric]:
        """Both families as they stand."""
        turns = list(self._turns.items())
        latency = [
            (channel, counts, self._sums[channel]) for channel, counts in self._buckets.items()
        ]
        counted = CounterMetricFamily(
            "mailmove_turns",
            "Turns handled, by channel and result (replied, silent, duplicate).",
            labels=["channel", "result"],
        )
        for labels, value in turns:
            counted.add_metric(labels, float(value))
        yield counted
        timed = HistogramMetricFamily(
            "mailmove_turn_seconds",
            "Time to run one turn (lock, load, dialog step, save), by channel.",
            labels=["channel"],
        )
        for channel, counts, total in latency:
            cumulative = list(itertools.accumulate(counts, initial=0.0))[1:]
            timed.add_metric([channel], list(zip(_BOUND_NAMES, cumulative, strict=True)), total)
        yield timed


# The turn histogram's bucket bounds, +Inf last, and their names as the `le` label gives them.
_BOUNDS: Final = (*TURN_BUCKETS, math.inf)
_BOUND_NAMES: Final = tuple(
    floatToGoString(bound)  # type: ignore[no-untyped-call]  # unannotated in prometheus_client
    for bound in _BOUNDS
)


class _DroppedLogLines(Collector):
    """`mailmove_log_lines_dropped_total`: log records dropped while the log writer lagged."""

    def collect(self) -> Iterator[Metric]:
        """The count as it is now."""
        yield CounterMetricFamily(
            "mailmove_log_lines_dropped",
            "Log records dropped because the process's log writer was far behind (standard "
            "error not read fast enough), since start.",
            value=dropped_lines(),
        )


def background_error(task: str) -> None:
    """Count an unplanned error a background loop (`task`, a fixed word) survived."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.background_error(task)


def desk_not_told(desk: str, kind: str) -> None:
    """Count a handoff or message left that the desk `desk` (a fixed name) was not shown."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.desks_not_told.labels(desk, kind).inc()


def agent_message_undelivered(channel: str) -> None:
    """Count an agent's message the subscriber's platform finally did not take."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.undelivered_agent_messages.labels(channel).inc()


def bot_reply_undelivered(channel: str) -> None:
    """Count the bot's replies, sent in the background, that the platform did not take."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.undelivered_bot_replies.labels(channel).inc()


def turn_reply_undelivered(channel: str, err: NotDeliveredError) -> None:
    """Count a message answering a turn that the platform did not take, by why."""
    metrics = _CURRENT.get()
    if metrics is not None:
        metrics.undelivered_turn_replies.labels(channel, turn_reply_cause(err)).inc()


def turn_reply_cause(err: NotDeliveredError) -> str:
    """The `cause` label of a send that failed (one of TURN_REPLY_CAUSES)."""
    if err.cause is not None:
        return err.cause
    return "may_have_arrived" if err.may_have_arrived else "refused"


class Observers:
    """Tells several turn observers (metrics, the turn log) about each turn."""

    def __init__(self, *observers: TurnObserver) -> None:
        self._observers = observers

    def turn_finished(self, channel: str, outcome: TurnOutcome, seconds: float) -> None:
        """Pass the turn on to every observer."""
        for observer in self._observers:
            observer.turn_finished(channel, outcome, seconds)
