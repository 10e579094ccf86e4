"""An operator switches a channel on by filling in the deployment files, not by editing them.

`deploy/kubernetes/secret.yaml` is "filled in" and compose passes the operator's environment
through: a channel variable that neither names cannot be set without changing the
manifests, so the Chatwoot desk or the Slack agents' desk (whose webhooks the Ingress routes)
could not be switched on. Secrets belong in the Secret, not the ConfigMap. And the files as
shipped, their empty values included, must start the bot: the web chat on, every other
channel off, nothing refused.
"""

from __future__ import annotations

import io
import logging
import re
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import pytest
import structlog
import yaml  # type: ignore[import-untyped]

from bot.ops.logging_setup import configure_logging, stop_logging
from bot.ops.settings import Settings
from bot.ops.startup_summary import AGENT_CONSOLE, collecting_channel_lines
from bot.server import build_app
from tests.deploy.test_manifests import COMPOSE, bot_services, channel_modules, kubernetes_documents
from tests.deploy.test_manifests import module_strings as env_names
from tests.deploy.test_profile_mount import compose_configs

# Not for operators: the fakes' endpoints in the tests, and long polling, which allows one
# poller per bot (Telegram answers 409 to a second getUpdates), so never two replicas.
NOT_OFFERED: Final = frozenset(
    {"SLACK_API_URL", "TELEGRAM_API_URL", "LINE_API_URL", "TELEGRAM_POLLING"}
)
_SECRET_WORDS: Final = re.compile(r"TOKEN|SECRET|PASSWORD")
_DEFAULT: Final = re.compile(r"\$\{[A-Z0-9_]+(?::?-([^}]*))?\}")


def channel_variables() -> set[str]:
    names: set[str] = set()
    for path in channel_modules():
        names |= env_names(path)
    return names - NOT_OFFERED


def kubernetes_env() -> tuple[dict[str, str], dict[str, str]]:
    """The bot's ConfigMap data and Secret stringData."""
    by_kind = {
        (d["kind"], d["metadata"]["name"]): d for d in kubernetes_documents() if "metadata" in d
    }
    config: dict[str, str] = by_kind[("ConfigMap", "mailmove")]["data"]
    secret: dict[str, str] = by_kind[("Secret", "mailmove")]["stringData"]
    return config, secret


def compose_env() -> dict[str, dict[str, str]]:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    return {name: service["environment"] for name, service in bot_services(loaded).items()}


def test_the_scan_finds_the_channels_variables() -> None:
    assert {"CHATWOOT_URL", "SLACK_AGENTS_CHANNEL", "LINE_CHANNEL_SECRET"} <= channel_variables()


def test_kubernetes_offers_every_channel_variable() -> None:
    config, secret = kubernetes_env()
    missing = sorted(channel_variables() - set(config) - set(secret))
    assert not missing, f"neither the ConfigMap nor the Secret names {missing}"


def test_credentials_are_in_the_secret_not_the_configmap() -> None:
    config, secret = kubernetes_env()
    exposed = sorted(name for name in config if _SECRET_WORDS.search(name))
    assert not exposed, f"the ConfigMap (readable by anyone who may read the pod) holds {exposed}"
    for name in channel_variables():
        if _SECRET_WORDS.search(name):
            assert name in secret, name


def test_compose_passes_every_channel_variable_through() -> None:
    for service, environment in compose_env().items():
        missing = sorted(channel_variables() - set(environment))
        assert not missing, f"compose service {service} does not pass {missing}"


# Set by the image or the compose file itself, or not for replicas on Redis (a preview).
_COMPOSE_FIXES: Final = frozenset(
    {"MAILMOVE_HOST", "MAILMOVE_PORT", "MAILMOVE_STORE", "MAILMOVE_PROFILE", "MAILMOVE_AS_OF"}
)


def test_compose_passes_every_setting_through() -> None:
    # A limit set in .env (the operations guide's advice to lower
    # MAILMOVE_WEBCHAT_MESSAGE_LIMIT) never reached the bots: compose hands a container only
    # the variables its file names, and the bot cannot note one it never saw.
    settings = set(Settings.variables().values()) - _COMPOSE_FIXES
    for service, environment in compose_env().items():
        missing = sorted(settings - set(environment))
        assert not missing, f"compose service {service} does not pass {missing}"
        for name in settings:
            assert str(environment[name]).startswith(f"${{{name}:-"), name  # the shell's


def _resolved(environment: dict[str, str]) -> dict[str, str]:
    """compose's `${VAR:-default}` with nothing exported: the default."""
    return {name: _DEFAULT.sub(lambda m: m[1] or "", str(v)) for name, v in environment.items()}


def _channels_started(environ: dict[str, str], store: Path) -> list[str]:
    settings = Settings.from_env({**environ, "MAILMOVE_STORE": f"sqlite:///{store}"})
    with collecting_channel_lines() as report:
        build_app(settings)
    # The agents' console page is always served (without a token nobody signs in).
    return [name for name in report.on if name != AGENT_CONSOLE]


@pytest.fixture
def log() -> Iterator[io.StringIO]:
    """A logging set-up as `serve` has: the channels' on/off lines need a handler to filter."""
    root = logging.getLogger()
    saved = (list(root.handlers), root.level)
    stream = io.StringIO()
    configure_logging("json", stream=stream, queued=False)
    yield stream
    stop_logging()
    root.handlers[:] = saved[0]
    root.setLevel(saved[1])
    structlog.reset_defaults()


@pytest.mark.usefixtures("log")
def test_the_manifests_as_shipped_start_the_web_chat_alone(tmp_path: Path) -> None:
    config, secret = kubernetes_env()
    assert _channels_started({**config, **secret}, tmp_path / "k8s.sqlite3") == ["webchat"]
    mounted = {target: str(path) for target, path in compose_configs().items()}
    for environment in compose_env().values():
        # The mounted profile's path inside the container is its file here.
        values = {name: mounted.get(v, v) for name, v in _resolved(environment).items()}
        started = _channels_started(values, tmp_path / "compose.sqlite3")
        assert started == ["webchat"]
