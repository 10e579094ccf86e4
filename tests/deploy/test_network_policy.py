"""Who may talk to mailmove's pods, and to whom they may talk, as the manifests say.

The manifests are read as `kubectl apply -k` would apply them: built by kustomize where
kubectl is installed, else by reading the kustomization's resources and namespace the same
way. A small evaluator then answers "is this connection allowed?" as NetworkPolicy defines
it (a pod selected by a policy of a direction admits only what one of its rules allows; a
rule allows a peer that one of its `from`/`to` entries matches, on one of its ports).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from dataclasses import dataclass, field
from typing import Any, Final

import pytest

# PyYAML ships no type information and the dev extras carry no stubs for it.
import yaml  # type: ignore[import-untyped]

from bot.ops.profile_loader import load_profile
from tests.deploy.test_manifests import KUBERNETES

NAMESPACE: Final = "mailmove"
MAIL_PORTS: Final = frozenset({110, 995, 143, 993, 587, 465, 25})


def built() -> list[dict[str, Any]]:
    """The documents `kubectl apply -k deploy/kubernetes` would apply."""
    kubectl = shutil.which("kubectl")
    if kubectl is not None:
        out = subprocess.run(  # noqa: S603 (a fixed command on the repository's own files)
            [kubectl, "kustomize", str(KUBERNETES)],
            check=True,
            capture_output=True,
            text=True,
            timeout=120,
        ).stdout
        return [d for d in yaml.safe_load_all(out) if d]
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text("utf-8"))
    documents = []
    for name in kustomization["resources"]:
        for document in yaml.safe_load_all((KUBERNETES / name).read_text("utf-8")):
            if document and document["kind"] != "Namespace":
                document["metadata"].setdefault("namespace", kustomization["namespace"])
            if document:
                documents.append(document)
    return documents


@pytest.fixture(scope="module")
def documents() -> list[dict[str, Any]]:
    return built()


def one(documents: list[dict[str, Any]], kind: str, name: str) -> dict[str, Any]:
    [document] = [d for d in documents if (d["kind"], d["metadata"]["name"]) == (kind, name)]
    return document


@dataclass(frozen=True)
class Peer:
    """The other end: a pod (its namespace's labels and its own) or an outside address."""

    namespace: dict[str, str] = field(default_factory=dict)
    labels: dict[str, str] | None = None  # None: an address outside the cluster


def in_namespace(name: str, **labels: str) -> Peer:
    return Peer({"kubernetes.io/metadata.name": name}, labels)


OUTSIDE: Final = Peer()


def _selects(selector: dict[str, Any], labels: dict[str, str]) -> bool:
    return bool(selector.get("matchLabels", {}).items() <= labels.items())


def _matches(entry: dict[str, Any], peer: Peer) -> bool:
    if "ipBlock" in entry:
        return peer.labels is None
    if peer.labels is None:
        return False
    if "namespaceSelector" in entry:
        in_ns = _selects(entry["namespaceSelector"], peer.namespace)
    else:  # a podSelector alone: pods of the policy's own namespace
        in_ns = peer.namespace.get("kubernetes.io/metadata.name") == NAMESPACE
    return in_ns and _selects(entry.get("podSelector", {}), peer.labels)


def _port(rule_port: dict[str, Any], named: dict[str, int]) -> int:
    port = rule_port["port"]
    return named[port] if isinstance(port, str) else int(port)


def allowed(
    documents: list[dict[str, Any]],
    direction: str,
    pod: dict[str, str],
    peer: Peer,
    port: int,
    protocol: str = "TCP",
) -> bool:
    """Whether the policies let `pod` (labels, in the namespace) talk with `peer` on `port`."""
    policies = [
        d["spec"]
        for d in documents
        if d["kind"] == "NetworkPolicy" and _selects(d["spec"]["podSelector"], pod)
    ]
    policies = [p for p in policies if direction in p["policyTypes"]]
    if not policies:
        return True
    # Named ports are the selected pod's container ports.
    named = {
        p["name"]: p["containerPort"]
        for d in documents
        if d["kind"] in ("Deployment", "StatefulSet")
        and _selects({"matchLabels": d["spec"]["template"]["metadata"]["labels"]}, pod)
        for c in d["spec"]["template"]["spec"]["containers"]
        for p in c.get("ports", [])
        if "name" in p
    }
    peers = "from" if direction == "Ingress" else "to"
    for policy in policies:
        for rule in policy.get(direction.lower(), []):
            if peers in rule and not any(_matches(e, peer) for e in rule[peers]):
                continue
            ports = rule.get("ports")
            if ports is None or any(
                _port(p, named) == port and p.get("protocol", "TCP") == protocol for p in ports
            ):
                return True
    return False


def bot_labels(documents: list[dict[str, Any]]) -> dict[str, str]:
    labels: dict[str, str] = one(documents, "Deployment", "mailmove")["spec"]["template"][
        "metadata"
    ]["labels"]
    return labels


def web_port(documents: list[dict[str, Any]]) -> int:
    template = one(documents, "Deployment", "mailmove")["spec"]["template"]
    return int(template["metadata"]["annotations"]["prometheus.io/port"])


def test_every_policy_lands_in_mailmoves_namespace(documents: list[dict[str, Any]]) -> None:
    policies = [d for d in documents if d["kind"] == "NetworkPolicy"]
    assert {p["metadata"]["name"] for p in policies} == {"redis", "mailmove"}
    assert {p["metadata"]["namespace"] for p in policies} == {NAMESPACE}


def test_the_ingress_controller_reaches_the_web_port_and_nothing_else_does(
    documents: list[dict[str, Any]],
) -> None:
    bot, port = bot_labels(documents), web_port(documents)
    controller = in_namespace("ingress-nginx", **{"app.kubernetes.io/name": "ingress-nginx"})
    assert allowed(documents, "Ingress", bot, controller, port)
    assert not allowed(documents, "Ingress", bot, controller, port + 1)
    # Any other pod, in the cluster or in mailmove's own namespace, and the outside: refused.
    for stranger in (
        in_namespace("default", app="shell"),
        in_namespace(NAMESPACE, **{"app.kubernetes.io/name": "redis"}),
        OUTSIDE,
    ):
        assert not allowed(documents, "Ingress", bot, stranger, port), stranger


def test_prometheus_scrapes_the_metrics_port(documents: list[dict[str, Any]]) -> None:
    bot, port = bot_labels(documents), web_port(documents)
    prometheus = in_namespace("monitoring", **{"app.kubernetes.io/name": "prometheus"})
    assert allowed(documents, "Ingress", bot, prometheus, port)
    assert not allowed(documents, "Ingress", bot, in_namespace("monitoring", app="grafana"), port)


def test_the_bot_reaches_redis_dns_the_mail_servers_and_https(
    documents: list[dict[str, Any]],
) -> None:
    bot = bot_labels(documents)
    redis_labels = one(documents, "StatefulSet", "redis")["spec"]["template"]["metadata"]["labels"]
    redis = Peer({"kubernetes.io/metadata.name": NAMESPACE}, redis_labels)
    assert allowed(documents, "Egress", bot, redis, 6379)
    # Redis admits the bot in turn (its own policy).
    assert allowed(documents, "Ingress", redis_labels, Peer(redis.namespace, bot), 6379)
    dns = in_namespace("kube-system", **{"k8s-app": "kube-dns"})
    assert allowed(documents, "Egress", bot, dns, 53, "UDP")
    assert allowed(documents, "Egress", bot, dns, 53, "TCP")
    assert all(allowed(documents, "Egress", bot, OUTSIDE, port) for port in MAIL_PORTS)
    assert allowed(documents, "Egress", bot, OUTSIDE, 443)
    for closed in (22, 80, 6379, 5432):
        assert not allowed(documents, "Egress", bot, OUTSIDE, closed), closed


def test_the_managed_redis_example_lets_the_bot_reach_it(documents: list[dict[str, Any]]) -> None:
    # redis.yaml says a managed Redis works by pointing MAILMOVE_STORE at it, but the store's
    # rule admits only the in-cluster pod: the replicas could not reach it and were never
    # ready. networkpolicy.yaml carries the rule to uncomment; uncommented, it does that.
    text = (KUBERNETES / "networkpolicy.yaml").read_text("utf-8")
    lines = text.splitlines()
    start = next(n for n, line in enumerate(lines) if "# A managed Redis" in line)
    first = next(n for n in range(start, len(lines)) if lines[n] == "    # - to:")
    block = list(range(first, len(lines)))
    # The rule's lines: commented YAML, each "# " followed by "-" or the rule's indent.
    block = block[: next(i for i, n in enumerate(block) if lines[n][6:7] not in ("-", " "))]
    assert block, "no commented rule after the managed Redis note"
    for n in block:
        lines[n] = "    " + lines[n][len("    # ") :]
    uncommented = [d for d in yaml.safe_load_all("\n".join(lines)) if d]
    for d in uncommented:
        d["metadata"].setdefault("namespace", NAMESPACE)
    others = [d for d in documents if d["kind"] != "NetworkPolicy"]
    bot = bot_labels(documents)
    port = int(re.findall(r"port: (\d+)", "\n".join(lines[n] for n in block))[-1])
    assert not allowed(documents, "Egress", bot, OUTSIDE, port)
    assert allowed([*others, *uncommented], "Egress", bot, OUTSIDE, port)


def test_the_profiles_mail_ports_are_open() -> None:
    profile = load_profile()
    ports = {
        *(p.number for p in profile.incoming.ports),
        *(p.number for p in profile.outgoing.ports),
        profile.outgoing.old_port,
    }
    assert ports <= MAIL_PORTS
