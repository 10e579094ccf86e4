"""The public URL is set once: the Ingress answers on the host of MAILMOVE_PUBLIC_URL.

The README told the operator to set the host in ingress.yaml, while the links the bot sends
(login-check pages, handoff summaries, configuration files) come from MAILMOVE_PUBLIC_URL in
configmap.yaml: set one and not the other, and every link pointed at mailmove.example.jp.
The kustomization now takes the Ingresses' host and TLS host from the URL. The build is
kustomize's own where kubectl is installed, else the kustomization's replacements applied
as kustomize documents them (`options.delimiter`/`index` pick one part of the value).
"""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path
from typing import Any, Final
from urllib.parse import urlsplit

import yaml  # type: ignore[import-untyped]

from tests.deploy.test_manifests import KUBERNETES

OPERATORS_URL: Final = "https://chat.isp.example.net"


def _documents(folder: Path) -> list[dict[str, Any]]:
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text("utf-8"))
    return [
        document
        for name in kustomization["resources"]
        for document in yaml.safe_load_all((folder / name).read_text("utf-8"))
        if document
    ]


def _at(document: Any, path: str) -> tuple[Any, str | int]:
    """The container of a kustomize field path's last part, and that part."""
    parts: list[str | int] = [int(p) if p.isdigit() else p for p in path.split(".")]
    for part in parts[:-1]:
        document = document[part]
    return document, parts[-1]


def _replaced(folder: Path) -> list[dict[str, Any]]:
    """The kustomization's replacements, applied in Python (no kubectl on this machine)."""
    kustomization = yaml.safe_load((folder / "kustomization.yaml").read_text("utf-8"))
    documents = _documents(folder)
    for replacement in kustomization.get("replacements", []):
        source = replacement["source"]
        [origin] = [
            d
            for d in documents
            if (d["kind"], d["metadata"]["name"]) == (source["kind"], source["name"])
        ]
        holder, key = _at(origin, source["fieldPath"])
        value = holder[key]
        options = source.get("options", {})
        if "delimiter" in options:
            value = value.split(options["delimiter"])[options.get("index", 0)]
        for target in replacement["targets"]:
            select = target["select"]
            for document in documents:
                if (document["kind"], document["metadata"]["name"]) == (
                    select["kind"],
                    select["name"],
                ):
                    for path in target["fieldPaths"]:
                        holder, key = _at(document, path)
                        holder[key] = value
    return documents


def built(folder: Path) -> list[dict[str, Any]]:
    kubectl = shutil.which("kubectl")
    if kubectl is None:
        return _replaced(folder)
    out = subprocess.run(  # noqa: S603 (a fixed command on the repository's own files)
        [kubectl, "kustomize", str(folder)],
        check=True,
        capture_output=True,
        text=True,
        timeout=120,
    ).stdout
    return [d for d in yaml.safe_load_all(out) if d]


def _one(documents: list[dict[str, Any]], kind: str) -> dict[str, Any]:
    [document] = [d for d in documents if d["kind"] == kind]
    return document


def _hosts(documents: list[dict[str, Any]]) -> tuple[str, str, list[str]]:
    """The URL, the one host every Ingress answers on, and the one list of TLS hosts.

    Every Ingress: the webhooks that take larger bodies have Ingresses of their own
    (ingress.yaml), and one left on the example host would answer nowhere.
    """
    url = _one(documents, "ConfigMap")["data"]["MAILMOVE_PUBLIC_URL"]
    ingresses = [d["spec"] for d in documents if d["kind"] == "Ingress"]
    assert ingresses
    rule_hosts = {rule["host"] for ingress in ingresses for rule in ingress["rules"]}
    tls_hosts = {tuple(tls["hosts"]) for ingress in ingresses for tls in ingress["tls"]}
    [host] = rule_hosts
    [tls] = tls_hosts
    return url, host, list(tls)


def test_the_shipped_url_is_https_on_the_ingress_host() -> None:
    url, host, tls_hosts = _hosts(built(KUBERNETES))
    assert urlsplit(url).scheme == "https"  # the Ingress terminates TLS for it
    assert urlsplit(url).hostname == host
    assert tls_hosts == [host]


def test_the_operators_url_moves_the_ingress(tmp_path: Path) -> None:
    copy = tmp_path / "kubernetes"
    shutil.copytree(KUBERNETES, copy)
    configmap = copy / "configmap.yaml"
    text = configmap.read_text("utf-8")
    url = _one(_documents(copy), "ConfigMap")["data"]["MAILMOVE_PUBLIC_URL"]
    configmap.write_text(text.replace(url, OPERATORS_URL), "utf-8")

    written, host, tls_hosts = _hosts(built(copy))

    assert written == OPERATORS_URL
    assert host == "chat.isp.example.net"
    assert tls_hosts == ["chat.isp.example.net"]


def test_the_python_build_agrees_with_kustomize() -> None:
    # The fallback must build what kustomize builds, or the test above proves nothing
    # on a machine without kubectl.
    if shutil.which("kubectl") is None:
        return  # nothing to compare with here; the Python build ran above
    assert _hosts(_replaced(KUBERNETES)) == _hosts(built(KUBERNETES))
