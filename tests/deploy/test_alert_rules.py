"""deploy/prometheus/alerts.yaml: the alerts docs/operations.md asks for, on metrics that exist.

An alert on a metric name that /metrics does not serve (a typo, a renamed counter, `_total`
left off) never fires and never says so; a label the metric does not carry matches nothing.
Every name and label in every expression is checked against the app's own registry, and
the operations document's own alert expressions are among the rules.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any, Final

import httpx
import pytest
import yaml  # type: ignore[import-untyped]
from prometheus_client import Counter, Gauge, Histogram
from prometheus_client.metrics import MetricWrapperBase
from prometheus_client.parser import text_string_to_metric_families

from bot.engine import TurnOutcome
from bot.ops.metrics import Metrics
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

ROOT: Final = Path(__file__).resolve().parents[2]
RULES: Final = ROOT / "deploy" / "prometheus" / "alerts.yaml"
# What "Operating it" in docs/operations.md says to alert on.
DOCUMENTED_ALERTS: Final = (
    "rate(mailmove_client_limit_unchecked_total[3m])",
    'mailmove_store_memory_bytes{kind="used"}',
    "mailmove_log_lines_dropped_total",
)
_SELECTOR: Final = re.compile(r"\b(mailmove_[a-z_]+)(\{[^}]*\})?")
_MATCHER: Final = re.compile(r"([a-z_]+)\s*(?:=~|!~|!=|=)")
_SUFFIXES: Final = {Counter: ("_total",), Gauge: ("",)}
_HISTOGRAM: Final = ("_bucket", "_count", "_sum")


def served() -> dict[str, tuple[str, ...]]:
    """Every sample name /metrics can carry, and the labels it carries."""
    names: dict[str, tuple[str, ...]] = {}
    metrics = Metrics()
    for metric in vars(metrics).values():
        if not isinstance(metric, MetricWrapperBase):
            continue
        suffixes = _HISTOGRAM if isinstance(metric, Histogram) else _SUFFIXES[type(metric)]
        for suffix in suffixes:
            extra = ("le",) if suffix == "_bucket" else ()
            names[f"{metric._name}{suffix}"] = (*metric._labelnames, *extra)
    # A turn's count and time are served by a collector of their own (1b60e9b), with series
    # once a turn was counted: read from what the registry serves after one.
    metrics.turn_finished("webchat", TurnOutcome(), 0.01)
    for family in metrics.registry.collect():
        for sample in family.samples:
            names.setdefault(sample.name, tuple(sample.labels))
    # Read at scrape time by a collector of its own, without labels.
    names["mailmove_log_lines_dropped_total"] = ()
    return names


@pytest.fixture(scope="module")
def rules() -> list[dict[str, Any]]:
    loaded = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    return [rule for group in loaded["groups"] for rule in group["rules"]]


def test_every_rule_is_a_named_alert_with_a_summary(rules: list[dict[str, Any]]) -> None:
    assert rules
    names = [rule["alert"] for rule in rules]
    assert len(set(names)) == len(names)
    for rule in rules:
        assert set(rule) <= {"alert", "expr", "for", "labels", "annotations"}, rule["alert"]
        assert rule["annotations"]["summary"], rule["alert"]
        # What to do: the summary says what is wrong, and the comment above a rule never
        # reaches the pager.
        assert rule["annotations"]["description"], rule["alert"]
        assert rule["labels"]["severity"] in {"warning", "critical"}, rule["alert"]
        expr = rule["expr"]
        assert expr.count("(") == expr.count(")"), rule["alert"]
        assert expr.count("{") == expr.count("}"), rule["alert"]


def test_expressions_name_metrics_and_labels_that_exist(rules: list[dict[str, Any]]) -> None:
    exposed = served()
    assert "mailmove_turn_seconds_bucket" in exposed  # the scan itself works
    for rule in rules:
        found = _SELECTOR.findall(rule["expr"])
        assert found, f"{rule['alert']} names no mailmove metric"
        for name, matchers in found:
            assert name in exposed, f"{rule['alert']}: /metrics serves no {name}"
            for label in _MATCHER.findall(matchers):
                assert label in exposed[name], f"{rule['alert']}: {name} has no label {label}"
        for label in re.findall(r"\bby \(([^)]*)\)", rule["expr"]):
            for word in (w.strip() for w in label.split(",")):
                carried = {lab for name, _ in found for lab in exposed[name]}
                assert word in carried, f"{rule['alert']}: no metric of it has label {word}"


def test_the_documented_alerts_are_rules(rules: list[dict[str, Any]]) -> None:
    expressions = " ".join(" ".join(rule["expr"].split()) for rule in rules)
    for alert in DOCUMENTED_ALERTS:
        assert alert in expressions, alert
    operations = (ROOT / "docs" / "operations.md").read_text(encoding="utf-8")
    for alert in DOCUMENTED_ALERTS:
        assert alert in operations, f"docs/operations.md no longer says {alert}"


def test_the_log_lines_an_alert_says_to_read_are_written(rules: list[dict[str, Any]]) -> None:
    # An alert sending the engineer on call to a log line no code writes is a dead end.
    sources = "".join(
        path.read_text(encoding="utf-8")
        for folder in ("bot", "adapters")
        for path in (ROOT / folder).rglob("*.py")
    )
    quoted = [
        (rule["alert"], words)
        for rule in rules
        for words in re.findall(r"`([^`]+)`", rule["annotations"]["description"])
    ]
    assert quoted
    for alert, words in quoted:
        assert words in sources, f"{alert}: no code writes {words!r}"


def _seconds(duration: str) -> int:
    return sum(
        int(n) * {"s": 1, "m": 60, "h": 3600}[unit]
        for n, unit in re.findall(r"(\d+)([smh])", duration)
    )


def test_an_alert_held_for_a_while_fires_for_trouble_that_lasts_not_for_a_blip(
    rules: list[dict[str, Any]],
) -> None:
    # A rate over W held `for` F is true from the first error until W after the last: when
    # W >= F, any trouble longer than one scrape fires F after it began, usually once it is
    # over (MailmoveStoreErrors, rate[5m] for 5m, paged for a 20 s Redis restart; so did
    # the warning MailmoveClientLimitsUnchecked). Trouble must last at least F - W to fire:
    # W at most half of F, for every rule held a while, a warning too.
    held_rules = [rule for rule in rules if "for" in rule]
    assert any(rule["labels"]["severity"] == "critical" for rule in held_rules)
    for rule in held_rules:
        held = _seconds(rule["for"])
        for window in re.findall(r"\[(\w+)\]", rule["expr"]):
            assert 2 * _seconds(window) <= held, f"{rule['alert']}: [{window}] for {held} s"


def test_every_window_holds_three_scrapes_at_prometheus_default_interval(
    rules: list[dict[str, Any]],
) -> None:
    # rate() and increase() need two samples in their window. Prometheus scrapes every
    # minute unless told otherwise (its global scrape_interval, which the pods' annotations
    # do not change), so a [1m] window holds one sample and the rule never fires there:
    # MailmoveStoreErrors' [1m] (3496f31) stayed silent through a whole Redis outage. Three,
    # so that one missed or late scrape leaves two and a rule held `for` a while goes on.
    for rule in rules:
        for window in re.findall(r"\[(\w+)\]", rule["expr"]):
            assert _seconds(window) >= 180, f"{rule['alert']}: [{window}]"


async def test_an_alert_fires_when_no_replica_is_scraped_and_only_then() -> None:
    # Every rule is silent when Prometheus reaches no replica (the NetworkPolicy admits one
    # namespace and label): an absent() rule says so. Its series must be served from the
    # first scrape of a replica that has done nothing yet, or it would fire for ever.
    loaded = yaml.safe_load(RULES.read_text(encoding="utf-8"))
    rules = [rule for group in loaded["groups"] for rule in group["rules"]]
    watched = [
        re.fullmatch(r"absent\((mailmove_[a-z_]+)\)", rule["expr"].strip()) for rule in rules
    ]
    names = [found[1] for found in watched if found]
    assert names, "no rule fires when no replica is scraped"
    app = build_app(Settings(store_url="sqlite:///:memory:"), clock=fixed_clock())
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=httpx.ASGITransport(app=app), base_url="http://m") as client,
    ):
        scraped = (await client.get("/metrics")).text
    samples = {
        sample.name
        for family in text_string_to_metric_families(scraped)
        for sample in family.samples
    }
    for name in names:
        assert name in samples, f"absent({name}) would fire on a replica that serves"
