"""What a process that an attacker takes over inside a container can reach: as little as can be.

Every pod of the manifests runs as a non-root user without the service account's API token
(mailmove and Redis never call the Kubernetes API; mounted, the token was the first thing a
foothold in either would read), with a read-only root file system, no privilege escalation,
no capabilities and resource limits. Compose's containers cannot gain privileges and have
memory, CPU and process limits (without them one replica, or Redis, could take the host); the
bots drop every capability too.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest

# PyYAML ships no type information and the dev extras carry no stubs for it.
import yaml  # type: ignore[import-untyped]

DEPLOY: Final = Path(__file__).resolve().parents[2] / "deploy"
WORKLOADS: Final = frozenset({"Deployment", "StatefulSet", "DaemonSet", "Job", "CronJob"})


def pod_templates() -> Iterator[tuple[str, dict[str, Any]]]:
    for path in sorted((DEPLOY / "kubernetes").glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document and document.get("kind") in WORKLOADS:
                name = f"{document['kind']}/{document['metadata']['name']}"
                yield name, document["spec"]["template"]["spec"]


PODS: Final = dict(pod_templates())


def test_the_manifests_have_pods() -> None:
    assert {"Deployment/mailmove", "StatefulSet/redis"} <= set(PODS)


@pytest.mark.parametrize("name", sorted(PODS))
def test_no_pod_holds_an_api_token(name: str) -> None:
    assert PODS[name].get("automountServiceAccountToken") is False, name


@pytest.mark.parametrize("name", sorted(PODS))
def test_every_container_runs_unprivileged_and_limited(name: str) -> None:
    pod = PODS[name]
    assert pod["securityContext"]["runAsNonRoot"] is True
    assert pod["securityContext"]["seccompProfile"]["type"] == "RuntimeDefault"
    assert not {"hostNetwork", "hostPID", "hostIPC"} & set(pod)
    for container in pod["containers"] + pod.get("initContainers", []):
        context = container["securityContext"]
        assert context["allowPrivilegeEscalation"] is False, container["name"]
        assert context["readOnlyRootFilesystem"] is True, container["name"]
        assert context["capabilities"]["drop"] == ["ALL"], container["name"]
        assert "add" not in context["capabilities"], container["name"]
        assert context.get("privileged", False) is False, container["name"]
        assert {"cpu", "memory"} <= set(container["resources"]["limits"]), container["name"]


def _probe_commands(container: dict[str, Any]) -> Iterator[str]:
    for probe in ("readinessProbe", "livenessProbe", "startupProbe"):
        command = container.get(probe, {}).get("exec", {}).get("command")
        if command:
            yield " ".join(command)


@pytest.mark.parametrize("name", sorted(PODS))
def test_no_probe_puts_a_password_on_its_command_line(name: str) -> None:
    # A probe runs every few seconds, and its arguments are in the pod's process list:
    # `redis-cli -a "$REDIS_PASSWORD"` showed Redis' password to anything that can list it.
    # redis-cli reads REDISCLI_AUTH from its environment instead.
    for container in PODS[name]["containers"]:
        for command in _probe_commands(container):
            assert " -a " not in command, (name, command)
            assert "--pass" not in command, (name, command)


def compose_services() -> dict[str, dict[str, Any]]:
    loaded = yaml.safe_load((DEPLOY / "compose.yaml").read_text(encoding="utf-8"))
    services: dict[str, dict[str, Any]] = loaded["services"]
    return services


@pytest.mark.parametrize("name", sorted(compose_services()))
def test_no_compose_container_gains_privileges_or_takes_the_host(name: str) -> None:
    service = compose_services()[name]
    assert "no-new-privileges:true" in service.get("security_opt", []), name
    assert service.get("privileged", False) is False, name
    assert service.get("network_mode") != "host", name
    for limit in ("mem_limit", "cpus", "pids_limit"):
        assert limit in service, f"{name} has no {limit}"


def test_the_compose_bots_drop_every_capability_on_a_read_only_root() -> None:
    bots = {
        name: service
        for name, service in compose_services().items()
        if service.get("build", {}).get("dockerfile") == "deploy/Dockerfile"
    }
    assert len(bots) >= 2
    for name, service in bots.items():
        assert service["cap_drop"] == ["ALL"], name
        assert "cap_add" not in service, name
        assert service["read_only"] is True, name


def test_the_bot_gets_no_variables_from_the_namespace_services() -> None:
    # With service links on, Kubernetes gives the pod MAILMOVE_PORT=tcp://<ip>:80 (and
    # MAILMOVE_SERVICE_HOST…) for the Service named mailmove: the bot's own port setting,
    # hidden only while configmap.yaml sets MAILMOVE_PORT itself. Deleting that line (the
    # image sets 8080) made every pod refuse to start: "MAILMOVE_PORT='tcp://…' is not a
    # whole number".
    assert PODS["Deployment/mailmove"].get("enableServiceLinks") is False
