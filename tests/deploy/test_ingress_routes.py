"""The shipped Ingress routes every public route of the app, and nothing for operators.

The app is built with every channel switched on (webhook mode: the mode with routes), and
each of its routes must be either matched by a path of `deploy/kubernetes/ingress.yaml`
(Kubernetes' own matching: `Exact`, or `Prefix` element by element) or named below as
for operators only, which the Ingress must then not match. A route added to the app
without a path in the Ingress fails here instead of silently breaking a channel.
"""

from __future__ import annotations

import re
import secrets
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Final

import pytest

# PyYAML ships no type information and the dev extras carry no stubs for it.
import yaml  # type: ignore[import-untyped]
from starlette.applications import Starlette
from starlette.routing import Mount, Route, WebSocketRoute

from bot.channels.registry import available_factories
from bot.ops.settings import MAX_BODY_BYTES, Settings
from bot.server import build_app
from bot.web.body_limit import BodyLimit
from tests.deploy.test_network_policy import allowed, built, in_namespace

INGRESS: Final = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes" / "ingress.yaml"
# Served by every replica, reached only inside the cluster.
OPERATOR_ONLY: Final = {
    # Prometheus scrapes it through the Service (or each pod): counts only, but not for
    # the internet.
    "/metrics",
    # The kubelet probes the pod directly (deployment.yaml); the outside has no use for them.
    "/healthz",
    "/readyz",
}
# Credentials that switch every channel on, webhooks included (not Socket Mode, not polling).
EVERY_CHANNEL: Final = {
    "SLACK_BOT_TOKEN": "xoxb-1-2-test",
    "SLACK_SIGNING_SECRET": secrets.token_hex(16),
    "SLACK_AGENTS_CHANNEL": "C0AGENTS",
    "TELEGRAM_BOT_TOKEN": "123:telegram-token",
    "TELEGRAM_WEBHOOK_SECRET": secrets.token_hex(16),
    "LINE_CHANNEL_SECRET": secrets.token_hex(16),
    "LINE_CHANNEL_ACCESS_TOKEN": secrets.token_hex(20),
    "CHATWOOT_URL": "https://chatwoot.example.jp",
    "CHATWOOT_API_TOKEN": secrets.token_hex(12),
    "CHATWOOT_ACCOUNT_ID": "1",
    "CHATWOOT_WEBHOOK_TOKEN": secrets.token_hex(12),
    "CHATWOOT_DESK_INBOX_ID": "7",
    "CHATWOOT_DESK_INBOX_IDENTIFIER": "xQ4hTn8bWcRkYp2LmZa7Ve3s",
}
# The terminal chat serves no HTTP and is never part of the server.
NOT_SERVED: Final = frozenset({"console"})


BODY_SIZE: Final = "nginx.ingress.kubernetes.io/proxy-body-size"


@dataclass(frozen=True)
class Rule:
    """One path of one of the shipped Ingresses, with that Ingress's body limit."""

    path: str
    kind: str
    ingress: str
    body_bytes: int


def ingress_documents() -> list[dict[str, Any]]:
    """Every Ingress in ingress.yaml (the webhooks that take more have their own)."""
    return [
        document
        for document in yaml.safe_load_all(INGRESS.read_text(encoding="utf-8"))
        if document and document["kind"] == "Ingress"
    ]


def size_in_bytes(size: str) -> int:
    """ingress-nginx's size (nginx's: k and m are 1024 and 1024², no unit is bytes)."""
    units = {"k": 1024, "m": 1024 * 1024}
    return int(size[:-1]) * units[size[-1].lower()] if size[-1].isalpha() else int(size)


def ingress_rules() -> list[Rule]:
    """Every path of every shipped Ingress."""
    return [
        Rule(
            path["path"],
            path["pathType"],
            ingress["metadata"]["name"],
            size_in_bytes(str(ingress["metadata"]["annotations"][BODY_SIZE])),
        )
        for ingress in ingress_documents()
        for rule in ingress["spec"]["rules"]
        for path in rule["http"]["paths"]
    ]


def ingress_paths() -> list[tuple[str, str]]:
    """(path, pathType) of every rule of the shipped Ingresses."""
    return [(rule.path, rule.kind) for rule in ingress_rules()]


def matches(path: str, rule: str, kind: str) -> bool:
    """Whether `rule` of `kind` matches `path`, by Kubernetes' rules.

    `Exact` matches the path alone; `Prefix` matches element by element (`/check` matches
    `/check` and `/check/abc`, not `/checkout`; a trailing slash on either side does not
    count).
    """
    if kind == "Exact":
        return path == rule
    if kind == "Prefix":
        prefix = [part for part in rule.split("/") if part]
        return [part for part in path.split("/") if part][: len(prefix)] == prefix
    raise ValueError(f"{rule}: pathType {kind} has no portable meaning; use Exact or Prefix")


def routed(path: str, paths: list[tuple[str, str]]) -> bool:
    """Whether a request for `path` reaches the app through the Ingress."""
    return any(matches(path, rule, kind) for rule, kind in paths)


def routing_rule(path: str, rules: list[Rule]) -> Rule | None:
    """The rule that takes `path`: the longest that matches, Exact before Prefix at a tie.

    Kubernetes' precedence, which ingress-nginx keeps across the Ingresses of one host (each
    path is its own nginx location, with its own Ingress's client_max_body_size).
    """
    matching = [rule for rule in rules if matches(path, rule.path, rule.kind)]
    if not matching:
        return None
    return max(matching, key=lambda rule: (len(rule.path.rstrip("/")), rule.kind == "Exact"))


def example_path(template: str) -> str:
    """A concrete request path for a route's template (`/check/{token}` → `/check/x1`)."""
    return re.sub(r"\{[^}]+\}", "x1", template)


def served_paths(app: Starlette) -> dict[str, str]:
    """Each route's template and a path it answers (below it, for a mounted folder)."""
    served: dict[str, str] = {}
    for route in app.routes:
        if isinstance(route, Mount):
            served[route.path] = f"{route.path}/style.css"
        elif isinstance(route, Route | WebSocketRoute):
            served[route.path] = example_path(route.path)
        else:
            pytest.fail(f"{route!r}: a kind of route this test cannot place; teach it")
    return served


@pytest.fixture(scope="module")
def app(tmp_path_factory: pytest.TempPathFactory) -> Starlette:
    folder = tmp_path_factory.mktemp("ingress")
    settings = Settings(
        store_url=f"sqlite:///{folder}/store.sqlite3",
        agent_tokens=(f"ops:{secrets.token_hex(24)}",),
        environ=EVERY_CHANNEL,
    )
    return build_app(settings)


def test_the_app_is_built_with_every_channel(app: Starlette) -> None:
    # A channel the credentials above leave off would hide its routes from the test below.
    for name, factory in available_factories().items():
        if name not in NOT_SERVED:
            assert factory(app.state.runtime) is not None, f"{name} is off: add its credentials"


def test_every_route_is_routed_by_the_ingress_or_for_operators_only(app: Starlette) -> None:
    paths = ingress_paths()
    served = served_paths(app)
    unrouted = sorted(
        template
        for template, example in served.items()
        if template not in OPERATOR_ONLY and not routed(example, paths)
    )
    assert not unrouted, (
        f"routes the Ingress does not reach: {unrouted}; add their paths to {INGRESS.name}"
        " (or, for a route only operators use, to OPERATOR_ONLY here)"
    )
    assert set(served) >= OPERATOR_ONLY, "OPERATOR_ONLY names a route the app no longer has"


def test_each_route_gets_at_the_ingress_the_body_limit_it_has_in_the_app(app: Starlette) -> None:
    # The app holds each route to its own limit: 64 KiB, but Slack's agents' events (512 KiB)
    # and Chatwoot's webhook at its token (2 MiB). A smaller limit in front answered 413 to an
    # agent's long reply before the app could refuse it in words (9d7a7fb); a larger one let
    # bodies of up to 2 MiB through on every route, the web chat's and the check page's too,
    # which the app then read and refused itself. ingress-nginx sets the limit per path, so
    # each route gets its own: the Ingress that takes it has the app's limit for it.
    [limits] = [m.kwargs for m in app.user_middleware if m.cls is BodyLimit]
    larger: dict[str, int] = dict(limits["larger"])  # type: ignore[call-overload]
    default = int(limits["max_bytes"])  # type: ignore[call-overload]
    assert default == MAX_BODY_BYTES
    assert larger, "the webhooks that take more are there"
    rules = ingress_rules()
    wrong: list[str] = []
    for template, example in served_paths(app).items():
        if template in OPERATOR_ONLY:
            continue
        # A path the app takes more on, for this route (Chatwoot's names its token).
        pieces = re.split(r"\{[^}]+\}", template)
        pattern = re.compile("[^/]+".join(re.escape(piece) for piece in pieces) + "$")
        in_app = max([default, *(size for path, size in larger.items() if pattern.match(path))])
        rule = routing_rule(example, rules)
        assert rule is not None, template
        if rule.body_bytes != in_app:
            wrong.append(
                f"{template}: {rule.body_bytes} at Ingress {rule.ingress}, {in_app} in the app"
            )
    assert not wrong, wrong


def test_operators_routes_are_not_routed(app: Starlette) -> None:
    paths = ingress_paths()
    assert not routed("/metrics", paths)
    exposed = sorted(route for route in OPERATOR_ONLY if routed(route, paths))
    assert not exposed, f"the Ingress routes {exposed}, which are for the cluster only"


@pytest.mark.parametrize(
    ("path", "rules", "expected"),
    [
        ("/", [("/", "Exact")], True),
        ("/metrics", [("/", "Exact")], False),
        ("/metrics", [("/", "Prefix")], True),
        ("/check/abc", [("/check", "Prefix")], True),
        ("/check", [("/check/", "Prefix")], True),
        ("/checkout", [("/check", "Prefix")], False),
        ("/embed.js", [("/embed.js", "Exact")], True),
        ("/embed.js/x", [("/embed.js", "Exact")], False),
    ],
)
def test_paths_match_as_kubernetes_matches_them(
    path: str, rules: list[tuple[str, str]], expected: bool
) -> None:
    assert routed(path, rules) is expected


def test_the_longest_matching_path_takes_the_request_exact_before_prefix() -> None:
    # Kubernetes' precedence, across the Ingresses of one host as ingress-nginx merges them.
    rules = [
        Rule("/slack", "Prefix", "small", 1),
        Rule("/slack/agents/events", "Exact", "large", 2),
        Rule("/check", "Prefix", "prefix", 3),
        Rule("/check", "Exact", "exact", 4),
    ]
    assert routing_rule("/slack/agents/events", rules) == rules[1]
    assert routing_rule("/slack/agents/actions", rules) == rules[0]
    assert routing_rule("/check", rules) == rules[3]
    assert routing_rule("/check/abc", rules) == rules[2]
    assert routing_rule("/metrics", rules) is None
    assert [size_in_bytes(s) for s in ("64k", "512K", "2m", "100")] == [65536, 524288, 2097152, 100]


def test_metrics_stay_reachable_inside_the_cluster() -> None:
    # Prometheus scrapes the pods (their annotations name /metrics on the app's port), so
    # the NetworkPolicy that closes the bot's pods must let Prometheus in on that port
    # (who else may come in: tests/deploy/test_network_policy.py).
    documents = built()
    [deployment] = [d for d in documents if d["kind"] == "Deployment"]
    template = deployment["spec"]["template"]
    annotations = template["metadata"]["annotations"]
    assert annotations["prometheus.io/path"] == "/metrics"
    ports = {p["containerPort"] for c in template["spec"]["containers"] for p in c["ports"]}
    port = int(annotations["prometheus.io/port"])
    assert port in ports
    prometheus = in_namespace("monitoring", **{"app.kubernetes.io/name": "prometheus"})
    assert allowed(documents, "Ingress", template["metadata"]["labels"], prometheus, port)
