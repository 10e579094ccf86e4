"""The counters alerts watch for a single event are served from 0 once the server is up.

Prometheus' increase() needs two samples of a series: one that first appears already at 1
(the first undelivered agent message, the first desk that missed a handoff, the first
background error since the replica started) increases by nothing, and its alert
(MailmoveAgentMessagesUndelivered, MailmoveDeskNotTold, MailmoveBackgroundErrors) did not
fire for it, nor for anything else that happened only once. Each series whose labels are
known at start-up now exists at 0 from then on.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import yaml  # type: ignore[import-untyped]
from prometheus_client import CollectorRegistry

from bot.mailcheck.outcomes import Outcome
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

ALERTS: Final = Path(__file__).resolve().parents[3] / "deploy" / "prometheus" / "alerts.yaml"


def value(registry: CollectorRegistry, name: str, **labels: str) -> float | None:
    return registry.get_sample_value(name, labels)


async def test_the_single_event_counters_start_at_zero(tmp_path: Path) -> None:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        desk_webhook_url="http://127.0.0.1:9/hook",
        desk_webhook_secret=b"desk-secret-0123456789",
    )
    app = build_app(settings, clock=fixed_clock())
    registry = app.state.metrics.registry
    async with app.router.lifespan_context(app):
        for task in ("expiry", "desk_notices", "desk", "spawned"):
            assert value(registry, "mailmove_background_errors_total", task=task) == 0
        for kind in ("handoff", "message_left"):
            assert value(registry, "mailmove_desk_not_told_total", desk="webhook", kind=kind) == 0
        assert value(registry, "mailmove_undelivered_agent_messages_total", channel="webchat") == 0


def _server_failing_outcomes() -> list[str]:
    """The outcomes MailmoveLoginCheckServerFailing's expression names in its regex."""
    groups = yaml.safe_load(ALERTS.read_text(encoding="utf-8"))["groups"]
    (expr,) = [
        rule["expr"]
        for group in groups
        for rule in group["rules"]
        if rule.get("alert") == "MailmoveLoginCheckServerFailing"
    ]
    match = re.search(r'outcome=~"([^"]+)"', expr)
    assert match, expr
    return match.group(1).split("|")


async def test_the_login_check_outcomes_the_server_failing_alert_watches_start_at_zero(
    tmp_path: Path,
) -> None:
    # The first check a broken new server failed after a restart (one unreachable, one
    # untrusted certificate) appeared at 1 and MailmoveLoginCheckServerFailing stayed quiet.
    outcomes = _server_failing_outcomes()
    assert set(outcomes) <= {outcome.value for outcome in Outcome}
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3")
    app = build_app(settings, clock=fixed_clock())
    registry = app.state.metrics.registry
    async with app.router.lifespan_context(app):
        for outcome in outcomes:
            assert value(registry, "mailmove_login_checks_total", outcome=outcome) == 0, outcome
