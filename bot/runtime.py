"""The runtime one process runs: the engine wired to its store, desks, links and metrics.

`build_runtime` is the one place that decides which store, which desks and which link
secret a process uses; the web app and the terminal chat both start from it, and every
channel receives the `Runtime` it returns.
"""

from __future__ import annotations

import asyncio
import datetime as dt
import logging
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.delivery import Delivery
from bot.desk.changed_mind import ChangedMind
from bot.desk.console_desk import ConsoleDesk
from bot.desk.handoff import Desk, Handoffs
from bot.desk.ownership import decides_holder, in_queue, message_waiting_since
from bot.desk.undelivered_replies import UndeliveredReplies
from bot.desk.webhook_desk import WebhookDesk
from bot.engine import Clock, Engine, system_clock
from bot.mailcheck.check_links import CheckLinks
from bot.mailcheck.login_checks import CheckSettings, LoginChecks
from bot.mailcheck.target import CheckTarget
from bot.ops.background import BackgroundTasks
from bot.ops.catalogs import Catalogs
from bot.ops.logging_setup import TurnLog
from bot.ops.metrics import Metrics, Observers
from bot.ops.profile_loader import load_profile
from bot.ops.profile_texts import check_questionnaire_texts
from bot.ops.settings import Settings
from bot.store.conversation_store import ConversationStore
from bot.store.desk_notices import desk_notices_for
from bot.store.observed_store import ObservedStore
from bot.store.rate_limit import RateLimiter
from bot.store.store_url import events_remembered, rate_limiter_for, store_from_url

_LOGGER: Final = logging.getLogger(__name__)

Pause = Callable[[float], Awaitable[None]]
"""How a channel waits before it sends again (a platform's Retry-After, a back-off)."""


@dataclass(frozen=True, slots=True)
class Runtime:
    """What the runtime lends every channel."""

    settings: Settings
    engine: Engine
    catalogs: Catalogs
    tasks: BackgroundTasks
    delivery: Delivery
    metrics: Metrics = field(default_factory=Metrics)
    links: CheckLinks | None = None
    handoffs: Handoffs | None = None
    # Injected as the clock is: a test records the pause asked for instead of waiting it.
    pause: Pause = asyncio.sleep

    @property
    def events_remembered(self) -> dt.timedelta:
        """How far back a delivery seen before is told from a new one (its id remembered)."""
        retention = dt.timedelta(days=self.settings.retention_days)
        return events_remembered(self.engine.store, retention)

    @property
    def environ(self) -> Mapping[str, str]:
        """The environment the channel reads its credentials from."""
        return self.settings.environ

    def limiter(self, limit: int, window: float) -> RateLimiter:
        """At most `limit` attempts per key in `window` s, shared by every replica on Redis.

        On SQLite (one process) the counts stay in this process.
        """
        return rate_limiter_for(self.engine.store, limit, window)


def build_runtime(
    settings: Settings,
    *,
    clock: Clock = system_clock,
    store: ConversationStore | None = None,
    metrics: Metrics | None = None,
    pause: Pause = asyncio.sleep,
) -> Runtime:
    """Load the profile and catalogs, and wire the engine to its store and its metrics."""
    metrics = metrics or Metrics()
    profile = load_profile(settings.profile_path)
    # A profile the notice's words do not fit everywhere (a new password) has its own twins.
    catalogs = Catalogs.load().with_variants(profile.text_variants)
    check_questionnaire_texts(profile, catalogs, settings.profile_path)
    # Links are random tokens the store maps to their conversation: every replica on the
    # same store opens them, with no secret to share.
    links = CheckLinks(settings.base_url)
    retention = dt.timedelta(days=settings.retention_days)
    engine = Engine(
        ObservedStore(
            store or store_from_url(settings.store_url, retention=retention),
            metrics.store_error,
        ),
        profile,
        catalogs,
        clock,
        observer=Observers(metrics, TurnLog()),
        links=links,
    )
    tasks = BackgroundTasks()
    delivery = Delivery(tasks)
    desks: list[Desk] = []
    if settings.desk_webhook_url:
        desks.append(WebhookDesk(settings.desk_webhook_url, settings.desk_webhook_secret))
    handoffs = Handoffs(
        engine.store,
        delivery,
        catalogs,
        desks,
        settings.base_url,
        profile,
        tasks,
        message_waiting=message_waiting_since,
        in_queue=in_queue,
        holder_line=decides_holder,
        # Agents who hold tokens and have no other desk work from the console's queue.
        alone=ConsoleDesk() if settings.agent_tokens else None,
        # Retries of desks still to be told are kept beside the conversations: any replica,
        # or this one after a restart, makes them.
        notices=desk_notices_for(engine.store),
        now=engine.now,
    )
    engine.handoff = handoffs
    # The bot's background replies a platform refuses are marked and shown to the desks.
    delivery.when_undelivered(UndeliveredReplies(engine.store, catalogs, handoffs, tasks))
    # 「最初から」「ボットに戻りたい」 typed in the queue take the subscriber back to the bot.
    ChangedMind(engine, handoffs, delivery)
    return Runtime(
        settings=settings,
        engine=engine,
        catalogs=catalogs,
        tasks=tasks,
        metrics=metrics,
        delivery=delivery,
        links=links,
        handoffs=handoffs,
        pause=pause,
    )


def login_checks(
    runtime: Runtime,
    check: CheckSettings | None = None,
    *,
    stopping: asyncio.Event | None = None,
) -> LoginChecks:
    """The live login check against the profile's servers (tests pass loopback ones).

    `stopping` is set when the server drains: a round trip then stops waiting.
    """
    settings = runtime.settings
    return LoginChecks(
        runtime.engine,
        runtime.delivery,
        # Shared by every replica when the store is Redis, else kept in this process.
        rate_limiter_for(runtime.engine.store, settings.check_limit, float(settings.check_window)),
        check
        or CheckSettings(
            target=CheckTarget.from_profile(runtime.engine.profile),
            timeout=float(settings.check_timeout),
        ),
        stopping,
    )
