"""The deployment files, checked as far as a machine without Docker or Kubernetes allows.

They parse; the image is multi-stage, runs as a non-root user, has a health check, and its
command is the CLI's own `mailmove serve`; compose runs two bot replicas on one Redis;
Kubernetes runs at least two replicas with readiness and liveness probes on the server's
real routes, resource limits, a Service, an Ingress and a Secret; and every environment
variable any of them hands the bot is one that the settings model or a channel's package reads.
"""

from __future__ import annotations

import ast
import fnmatch
import json
import os
import re
import shlex
import shutil
import subprocess
import tomllib
from collections.abc import Iterator
from importlib import util
from pathlib import Path
from typing import Any, Final

import pytest

# PyYAML ships no type information and the dev extras carry no stubs for it.
import yaml  # type: ignore[import-untyped]

from bot.cli import _parser

ROOT: Final = Path(__file__).resolve().parents[2]
DEPLOY: Final = ROOT / "deploy"
DOCKERFILE: Final = DEPLOY / "Dockerfile"
COMPOSE: Final = DEPLOY / "compose.yaml"
KUBERNETES: Final = DEPLOY / "kubernetes"
# Read by the Python runtime or the image, not by mailmove.
# REDIS_PASSWORD: the bot's pod reads it only to compose MAILMOVE_STORE in the manifest.
NOT_OURS: Final = frozenset(
    {"PATH", "PYTHONUNBUFFERED", "PYTHONDONTWRITEBYTECODE", "REDIS_PASSWORD"}
)
_ENV_NAME: Final = re.compile(r"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")


def module_strings(path: Path) -> set[str]:
    """Every string constant in a module that looks like an environment variable's name."""
    tree = ast.parse(path.read_text(encoding="utf-8"))
    return {
        node.value
        for node in ast.walk(tree)
        if isinstance(node, ast.Constant)
        and isinstance(node.value, str)
        and _ENV_NAME.match(node.value)
    }


def channel_modules() -> list[Path]:
    """Every module of every channel's package in the `mailmove.channels` entry-point group.

    The whole package, not only the entry point's module: a channel may read its variables
    in a module of its own (`adapters/slack/config.py`).
    """
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    targets = pyproject["project"]["entry-points"]["mailmove.channels"].values()
    folders = set()
    for target in targets:
        spec = util.find_spec(target.split(":", 1)[0])
        assert spec is not None, f"channel module {target} is missing"
        assert spec.origin is not None, f"channel module {target} has no source file"
        folders.add(Path(spec.origin).parent)
    return sorted(path for folder in folders for path in folder.rglob("*.py"))


@pytest.fixture(scope="module")
def known_settings() -> set[str]:
    from bot.ops.settings import Settings

    # The settings model names its variables (prefix and field names or aliases); the channels
    # name theirs as string constants.
    names = set(Settings.variables().values())
    for path in channel_modules():
        names |= module_strings(path)
    assert {"MAILMOVE_STORE", "MAILMOVE_PORT", "SLACK_BOT_TOKEN"} <= names  # the scan itself works
    return names


def assert_known(names: set[str], known: set[str], where: str) -> None:
    unknown = sorted(names - known - NOT_OURS)
    assert not unknown, f"{where} sets {unknown}, which nothing in mailmove reads"


# -- the image ------------------------------------------------------------------------------


def dockerfile_instructions() -> list[tuple[str, str]]:
    """(INSTRUCTION, arguments) with continuation lines joined and comments dropped."""
    joined = re.sub(r"\\\n", " ", DOCKERFILE.read_text(encoding="utf-8"))
    instructions = []
    for line in joined.splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            keyword, _, rest = line.partition(" ")
            instructions.append((keyword.upper(), rest.strip()))
    return instructions


def final_stage() -> list[tuple[str, str]]:
    instructions = dockerfile_instructions()
    last_from = max(i for i, (keyword, _) in enumerate(instructions) if keyword == "FROM")
    return instructions[last_from:]


def image_env() -> dict[str, str]:
    env: dict[str, str] = {}
    for keyword, rest in final_stage():
        if keyword == "ENV":
            for pair in shlex.split(rest):
                name, _, value = pair.partition("=")
                env[name] = value
    return env


def test_the_image_is_built_in_stages_and_runs_unprivileged() -> None:
    instructions = dockerfile_instructions()
    stages = [rest for keyword, rest in instructions if keyword == "FROM"]
    assert len(stages) >= 2
    assert " AS " in stages[0].upper()
    final = final_stage()
    assert any(k == "COPY" and "--from=" in rest for k, rest in final)
    users = [rest for keyword, rest in final if keyword == "USER"]
    assert users, "the final stage must switch to a non-root user"
    user = users[-1].split(":")[0]
    assert user not in ("root", "0")


def test_the_image_command_is_the_cli() -> None:
    commands = [rest for keyword, rest in final_stage() if keyword == "CMD"]
    assert len(commands) == 1
    command = json.loads(commands[0])  # exec form: SIGTERM reaches mailmove, not a shell
    assert command[:2] == ["mailmove", "serve"]
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    assert pyproject["project"]["scripts"]["mailmove"] == "bot.cli:main"
    parsed = _parser().parse_args(command[1:])
    assert parsed.command == "serve"


def test_the_image_checks_its_health_on_the_servers_route() -> None:
    checks = [rest for keyword, rest in final_stage() if keyword == "HEALTHCHECK"]
    assert len(checks) == 1
    assert "/healthz" in checks[0]
    port = image_env()["MAILMOVE_PORT"]
    exposed = [rest for keyword, rest in final_stage() if keyword == "EXPOSE"]
    assert exposed == [port]
    assert image_env()["MAILMOVE_HOST"] == "0.0.0.0"  # noqa: S104 - inside a container


def test_the_image_sets_only_known_settings(known_settings: set[str]) -> None:
    assert_known(set(image_env()), known_settings, "the Dockerfile")


def test_the_build_context_keeps_what_the_image_copies() -> None:
    ignored = (DEPLOY / "Dockerfile.dockerignore").read_text(encoding="utf-8").splitlines()
    copies = [rest.split() for k, rest in dockerfile_instructions() if k == "COPY"]
    sources = [
        name.rstrip("/") for words in copies if "--from" not in words[0] for name in words[:-1]
    ]
    assert "bot" in sources
    for source in sources:
        assert f"!{source}" in ignored or f"!{source}/**" in ignored, source


# -- compose ---------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def compose() -> dict[str, Any]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return loaded


def bot_services(compose: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {
        name: service
        for name, service in compose["services"].items()
        if service.get("build", {}).get("dockerfile") == "deploy/Dockerfile"
    }


def test_compose_runs_two_replicas_on_one_redis(compose: dict[str, Any]) -> None:
    bots = bot_services(compose)
    assert len(bots) >= 2
    assert "redis" in compose["services"]
    for service in bots.values():
        assert service["environment"]["MAILMOVE_STORE"].startswith("redis://redis:")
        assert service["depends_on"]["redis"]["condition"] == "service_healthy"
        assert (ROOT / service["build"]["context"].replace("..", ".")).resolve() == ROOT
    published = [port for service in bots.values() for port in service["ports"]]
    assert len(set(published)) == len(published)  # two replicas cannot share a host port


def test_compose_hands_the_bot_only_known_settings(
    compose: dict[str, Any], known_settings: set[str]
) -> None:
    for name, service in bot_services(compose).items():
        environment = service["environment"]
        assert_known(set(environment), known_settings, f"compose service {name}")
        # ${VAR...} interpolations read the operator's shell: they must be settings too.
        interpolated = {
            match
            for value in environment.values()
            for match in re.findall(r"\$\{([A-Z0-9_]+)", str(value))
        }
        assert_known(interpolated, known_settings, f"compose service {name} (interpolated)")


# -- Kubernetes -------------------------------------------------------------------------------


def kubernetes_documents() -> Iterator[dict[str, Any]]:
    for path in sorted(KUBERNETES.glob("*.yaml")):
        for document in yaml.safe_load_all(path.read_text(encoding="utf-8")):
            if document:
                yield document


@pytest.fixture(scope="module")
def manifests() -> dict[tuple[str, str], dict[str, Any]]:
    found: dict[tuple[str, str], dict[str, Any]] = {}
    for document in kubernetes_documents():
        assert {"apiVersion", "kind"} <= set(document), document
        if document["kind"] == "Kustomization":
            continue
        key = (document["kind"], document["metadata"]["name"])
        assert key not in found, f"{key} defined twice"
        found[key] = document
    return found


def test_kustomization_lists_every_manifest() -> None:
    kustomization = yaml.safe_load((KUBERNETES / "kustomization.yaml").read_text("utf-8"))
    listed = set(kustomization["resources"])
    present = {p.name for p in KUBERNETES.glob("*.yaml")} - {"kustomization.yaml"}
    assert listed == present


def bot_container(manifests: dict[tuple[str, str], dict[str, Any]]) -> dict[str, Any]:
    containers = manifests[("Deployment", "mailmove")]["spec"]["template"]["spec"]["containers"]
    [container] = [c for c in containers if c["name"] == "mailmove"]
    return dict(container)


def test_the_deployment_runs_several_probed_limited_replicas(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    deployment = manifests[("Deployment", "mailmove")]
    assert deployment["spec"]["replicas"] >= 2
    pod = deployment["spec"]["template"]["spec"]
    assert pod["securityContext"]["runAsNonRoot"] is True
    container = bot_container(manifests)
    assert container["readinessProbe"]["httpGet"]["path"] == "/readyz"
    assert container["livenessProbe"]["httpGet"]["path"] == "/healthz"
    limits = container["resources"]["limits"]
    assert {"cpu", "memory"} <= set(limits)
    assert {"cpu", "memory"} <= set(container["resources"]["requests"])
    # The image's command stays in charge: `mailmove serve`.
    assert "command" not in container
    assert "args" not in container
    # preStop plus the server's own drain must fit in the grace period.
    from bot.server import SHUTDOWN_GRACE

    pre_stop = int(container["lifecycle"]["preStop"]["exec"]["command"][-1])
    assert pre_stop + SHUTDOWN_GRACE <= pod["terminationGracePeriodSeconds"]


def test_a_replica_that_is_still_starting_is_not_killed_by_its_liveness_probe(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    # The server answers nothing, /healthz included, until its channels have started, and
    # the web chat's start-up moves conversations kept under the subscribers' ids: 19,920
    # of them took 14 s on Redis with one replica and 22 s with two starting at once (on
    # a 2-core machine, loopback Redis). The liveness probe alone (10 s, then 3 misses 10 s
    # apart) killed a replica 30 s in, mid-move, over and over. A startup probe holds the
    # liveness probe off for five minutes instead, and still restarts a replica that hangs.
    container = bot_container(manifests)
    startup = container["startupProbe"]
    assert startup["httpGet"]["path"] == "/healthz"
    assert startup["periodSeconds"] * startup["failureThreshold"] >= 300
    assert startup.get("timeoutSeconds", 1) <= 5


def test_a_busy_replica_is_not_failed_by_a_probe_that_waits_for_its_turn(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    # A probe's request waits on the event loop behind the turns in flight. Under
    # `make bench`'s load on one core (operator13, bench.webchat_throughput's server and
    # subscribers) /healthz and /readyz took up to 1.4 s with 50 subscribers at once and up
    # to 1.7 s with 100 (a quarter of the probes past 1 s), 2-4 ms idle. Kubernetes' default
    # timeoutSeconds is 1: such a replica was taken out of the Service, and three misses in
    # a row killed it, its load moving to the others. At least 5 s (about three times the
    # slowest answer measured), and no longer than the period, so probes do not pile up.
    container = bot_container(manifests)
    slowest_measured = 1.74
    for kind in ("startupProbe", "readinessProbe", "livenessProbe"):
        probe = container[kind]
        timeout = probe.get("timeoutSeconds", 1)
        assert timeout >= 2.5 * slowest_measured, kind
        assert timeout <= probe["periodSeconds"], kind
    # Killed only after half a minute without an answer, never for one slow moment.
    liveness = container["livenessProbe"]
    assert liveness["failureThreshold"] >= 3
    assert liveness["periodSeconds"] * liveness["failureThreshold"] >= 30


def test_probes_hit_routes_the_server_serves(tmp_path: Path) -> None:
    from starlette.routing import Route

    from bot.ops.settings import Settings
    from bot.server import build_app

    app = build_app(Settings(store_url=f"sqlite:///{tmp_path}/probe.sqlite3"))
    paths = {route.path for route in app.routes if isinstance(route, Route)}
    assert {"/healthz", "/readyz", "/metrics"} <= paths


def test_service_and_ingress_reach_the_bots_port(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    deployment = manifests[("Deployment", "mailmove")]
    labels = deployment["spec"]["template"]["metadata"]["labels"]
    service = manifests[("Service", "mailmove")]
    assert service["spec"]["selector"].items() <= labels.items()
    assert deployment["spec"]["selector"]["matchLabels"].items() <= labels.items()
    port_names = {p["name"] for p in bot_container(manifests)["ports"]}
    assert all(p["targetPort"] in port_names for p in service["spec"]["ports"])
    service_ports = {p["name"] for p in service["spec"]["ports"]}
    # Every Ingress: the webhooks that take larger bodies have their own (ingress.yaml).
    ingresses = [doc for (kind, _), doc in manifests.items() if kind == "Ingress"]
    assert manifests[("Ingress", "mailmove")] in ingresses
    for ingress in ingresses:
        backends = [
            path["backend"]["service"]
            for rule in ingress["spec"]["rules"]
            for path in rule["http"]["paths"]
        ]
        for backend in backends:
            assert backend["name"] == "mailmove"
            assert backend["port"]["name"] in service_ports
        assert ingress["spec"]["tls"], ingress["metadata"]["name"]


def test_the_ingress_waits_for_the_check_pages_longest_answer(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    # The check page answers once the check is over, and its script waits for it as long as
    # CheckSettings.longest says (270 s with the optional round trip at the default timeout):
    # a proxy that gives up sooner answers the subscriber 504 while the check runs on, and
    # the page says the check failed where it would have said it is still running.
    from bot.mailcheck.login_checks import CheckSettings
    from bot.mailcheck.target import CheckTarget
    from bot.ops.settings import DEFAULT_CHECK_TIMEOUT
    from dialogs.profile import Security

    # Where it connects does not change how long it may take.
    target = CheckTarget(
        "smtp.example", 587, Security.STARTTLS, "pop.example", 995, Security.TLS, False
    )
    settings = CheckSettings(target=target, timeout=DEFAULT_CHECK_TIMEOUT)
    longest = settings.longest(with_round_trip=True)
    annotations = manifests[("Ingress", "mailmove")]["metadata"]["annotations"]
    assert int(annotations["nginx.ingress.kubernetes.io/proxy-read-timeout"]) >= longest


def test_the_ingress_keeps_no_access_log_of_the_credentials_in_its_paths(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    # The web chat's API names the conversation by the id that is its subscriber's only
    # credential, in the path of every request; a check link's path is its token. The
    # README said to keep the proxy's access log of them off, and the shipped Ingress (the
    # one routing those paths) kept ingress-nginx's default: every id in the controller's
    # log, good for reading and writing the conversation for the whole retention.
    ingress = manifests[("Ingress", "mailmove")]
    paths = {path["path"] for rule in ingress["spec"]["rules"] for path in rule["http"]["paths"]}
    assert {"/api/webchat", "/check"} <= paths
    # Every Ingress routing mailmove's paths: Chatwoot's has its token in every path.
    for (kind, name), document in manifests.items():
        if kind == "Ingress":
            annotations = document["metadata"]["annotations"]
            access_log = annotations.get("nginx.ingress.kubernetes.io/enable-access-log")
            assert access_log == "false", name


def test_credentials_come_from_a_secret_and_hold_no_real_value(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    container = bot_container(manifests)
    sources = {
        next(iter(source)): source[next(iter(source))]["name"] for source in container["envFrom"]
    }
    secret = manifests[("Secret", sources["secretRef"])]
    assert "MAILMOVE_AGENT_TOKENS" in secret["stringData"]
    # No default that works: every credential ships empty, the Redis password included.
    for document in (secret, manifests[("Secret", "redis")]):
        for name, value in document["stringData"].items():
            assert value == "", f"{name} ships a value that would work for anyone"
    env = {entry["name"]: entry for entry in container["env"]}
    assert env["REDIS_PASSWORD"]["valueFrom"]["secretKeyRef"]["name"] == "redis"
    assert env["MAILMOVE_STORE"]["value"] == "redis://:$(REDIS_PASSWORD)@redis:6379/0"
    configmap = manifests[("ConfigMap", sources["configMapRef"])]
    assert not {"MAILMOVE_AGENT_TOKENS", "SLACK_BOT_TOKEN"} & set(configmap["data"])


def redis_command(manifests: dict[tuple[str, str], dict[str, Any]]) -> list[str]:
    [container] = manifests[("StatefulSet", "redis")]["spec"]["template"]["spec"]["containers"]
    return list(container["command"])


def test_redis_refuses_to_start_without_a_password(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    command = redis_command(manifests)
    assert command[:2] == ["sh", "-c"]
    shell = shutil.which("sh")
    assert shell is not None
    ran = subprocess.run(  # noqa: S603 - the manifest's own command, with an empty password
        [shell, "-c", command[2]],
        env={"PATH": os.environ.get("PATH", ""), "REDIS_PASSWORD": ""},
        capture_output=True,
        text=True,
        timeout=10,
        check=False,
    )
    assert ran.returncode == 1
    assert "REDIS_PASSWORD is empty" in ran.stderr


def test_a_full_redis_refuses_writes_instead_of_evicting_conversations(
    manifests: dict[tuple[str, str], dict[str, Any]], compose: dict[str, Any]
) -> None:
    assert "--maxmemory-policy noeviction" in redis_command(manifests)[2]
    command = compose["services"]["redis"]["command"]
    policy = command[command.index("--maxmemory-policy") + 1]
    assert policy == "noeviction"


def test_only_mailmoves_pods_reach_redis(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    policy = manifests[("NetworkPolicy", "redis")]["spec"]
    redis_labels = manifests[("StatefulSet", "redis")]["spec"]["template"]["metadata"]["labels"]
    assert policy["podSelector"]["matchLabels"].items() <= redis_labels.items()
    assert policy["policyTypes"] == ["Ingress"]
    [rule] = policy["ingress"]
    [source] = rule["from"]
    bot_labels = manifests[("Deployment", "mailmove")]["spec"]["template"]["metadata"]["labels"]
    assert source["podSelector"]["matchLabels"].items() <= bot_labels.items()
    assert rule["ports"] == [{"protocol": "TCP", "port": 6379}]


def test_kubernetes_hands_the_bot_only_known_settings(
    manifests: dict[tuple[str, str], dict[str, Any]], known_settings: set[str]
) -> None:
    container = bot_container(manifests)
    names = {entry["name"] for entry in container.get("env", [])}
    for source in container["envFrom"]:
        kind, ref = next(iter(source.items()))
        document = manifests[("ConfigMap" if kind == "configMapRef" else "Secret", ref["name"])]
        names |= set(document.get("data", {})) | set(document.get("stringData", {}))
    assert_known(names, known_settings, "the Kubernetes manifests")


def test_the_port_is_one_setting_everywhere(
    manifests: dict[tuple[str, str], dict[str, Any]],
) -> None:
    configmap = manifests[("ConfigMap", "mailmove")]
    container_port = bot_container(manifests)["ports"][0]["containerPort"]
    assert str(container_port) == configmap["data"]["MAILMOVE_PORT"] == image_env()["MAILMOVE_PORT"]


def test_the_package_ships_every_data_file() -> None:
    # The image installs the package, not the source tree: a data file the code reads
    # (a catalog, an OpenAPI description, the page) must be declared package data.
    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    declared = pyproject["tool"]["setuptools"]["package-data"]
    missing = []
    for package in ("bot", "dialogs", "adapters"):
        for path in sorted((ROOT / package).rglob("*")):
            if path.is_dir() or path.suffix in (".py", ".pyc") or "__pycache__" in path.parts:
                continue
            inside = path.relative_to(ROOT / package).as_posix()
            if not any(fnmatch.fnmatch(inside, pattern) for pattern in declared.get(package, [])):
                missing.append(f"{package}/{inside}")
    assert not missing, f"not package data, so not in the image: {missing}"
