"""A deployment serves the operator's own migration profile without a new image.

Compose mounts the profile as a config (a bind mount in Compose v2), the seed's file
unless MIGRATION_PROFILE_FILE names another, and points MAILMOVE_PROFILE at it.

The profile is the migration ("the next migration is a new profile, not new code"), yet the
manifests had no way to put one in the pods: every replica served the seed's profile unless
the image was rebuilt. The Deployment mounts the optional ConfigMap `mailmove-profile`;
configmap.yaml names, commented out, the path `MAILMOVE_PROFILE` takes, and that path is
the key the documented `kubectl create configmap` command writes, under the mount.
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any, Final

import yaml  # type: ignore[import-untyped]

from bot.ops.profile_loader import load_profile
from bot.ops.settings import Settings
from tests.deploy.test_manifests import COMPOSE, KUBERNETES, bot_services, kubernetes_documents

ROOT: Final = Path(__file__).resolve().parents[2]
PROFILE_MAP: Final = "mailmove-profile"
_DEFAULT_FILE: Final = re.compile(r"^\$\{(?P<name>[A-Z0-9_]+):-(?P<default>[^}]+)\}$")
_COMMENTED: Final = re.compile(r"^\s*#\s*(MAILMOVE_PROFILE:.*)$", re.MULTILINE)
_CREATE: Final = re.compile(
    rf"kubectl -n mailmove create configmap {PROFILE_MAP} --from-file=(?P<key>[\w.-]+)=\S+"
)


def _bot_pod() -> dict[str, Any]:
    [deployment] = [d for d in kubernetes_documents() if d["kind"] == "Deployment"]
    pod: dict[str, Any] = deployment["spec"]["template"]["spec"]
    return pod


def _mount_path() -> str:
    pod = _bot_pod()
    [volume] = [v for v in pod["volumes"] if v.get("configMap", {}).get("name") == PROFILE_MAP]
    # Optional: a cluster that has not made the ConfigMap still starts, on the seed's profile.
    assert volume["configMap"]["optional"] is True
    [container] = [c for c in pod["containers"] if c["name"] == "mailmove"]
    [mount] = [m for m in container["volumeMounts"] if m["name"] == volume["name"]]
    assert mount["readOnly"] is True
    return str(mount["mountPath"])


def _documented_profile_path() -> str:
    text = (KUBERNETES / "configmap.yaml").read_text(encoding="utf-8")
    [line] = _COMMENTED.findall(text)
    value: str = yaml.safe_load(line)["MAILMOVE_PROFILE"]
    return value


def test_the_pods_mount_the_optional_profile_configmap() -> None:
    assert _mount_path() == "/etc/mailmove"


def test_the_documented_path_is_the_key_the_documented_command_writes() -> None:
    created = _CREATE.search((KUBERNETES / "deployment.yaml").read_text(encoding="utf-8"))
    assert created is not None, "deployment.yaml does not say how to create the ConfigMap"
    assert _documented_profile_path() == f"{_mount_path()}/{created['key']}"


def test_a_profile_mounted_there_is_the_one_served(tmp_path: Path) -> None:
    # The mount, as the kubelet fills it from the ConfigMap, under tmp_path.
    mounted = tmp_path / _documented_profile_path().lstrip("/")
    mounted.parent.mkdir(parents=True)
    shutil.copy(ROOT / "examples" / "tls-migration.toml", mounted)

    settings = Settings.from_env({"MAILMOVE_PROFILE": str(mounted)})

    assert settings.profile_path == mounted
    served = load_profile(settings.profile_path)
    assert served == load_profile(ROOT / "examples" / "tls-migration.toml")
    assert served != load_profile(None)


def compose_configs() -> dict[str, Path]:
    """Each config target of compose's bot services and the file behind it by default."""
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    files: dict[str, Path] = {}
    for service in bot_services(loaded).values():
        for config in service.get("configs", []):
            source = loaded["configs"][config["source"]]["file"]
            default = _DEFAULT_FILE.match(source)
            written = default["default"] if default else source
            files[config["target"]] = (COMPOSE.parent / written).resolve()
    return files


def test_compose_points_the_bots_at_the_mounted_profile() -> None:
    loaded: dict[str, Any] = yaml.safe_load(COMPOSE.read_text(encoding="utf-8"))
    configs = compose_configs()
    for name, service in bot_services(loaded).items():
        assert service["environment"]["MAILMOVE_PROFILE"] in configs, name
    source = loaded["configs"]["profile"]["file"]
    default = _DEFAULT_FILE.match(source)
    assert default is not None, "the profile's file is not the operator's to choose"
    # Not a MAILMOVE_ name: compose reads it, mailmove never does.
    assert not default["name"].startswith("MAILMOVE_")
    assert load_profile(configs["/etc/mailmove/profile.toml"]) == load_profile(None)
