"""Behind the Ingress, each subscriber is their own client for the per-client limits.

Every request reaches the pods from the ingress controller: without
`MAILMOVE_CLIENT_IP_HEADER` the limits count the controller's address, so all subscribers
together get one client's allowance (60 new conversations per 10 minutes, 10 refused agent
tokens a minute, 20 login checks an hour), and one stranger using it up locks everybody out.
ingress-nginx sets `X-Forwarded-For` (the client's address, last) on every request it passes.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import httpx
import yaml  # type: ignore[import-untyped]

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

KUBERNETES: Final = Path(__file__).resolve().parents[2] / "deploy" / "kubernetes"
INGRESS_POD: Final = "10.42.0.7"


def _documents() -> Iterator[dict[str, Any]]:
    for path in sorted(KUBERNETES.glob("*.yaml")):
        yield from (d for d in yaml.safe_load_all(path.read_text("utf-8")) if d)


def _config_map() -> dict[str, str]:
    [config] = [d for d in _documents() if d["kind"] == "ConfigMap"]
    data: dict[str, str] = config["data"]
    return data


def test_the_manifests_name_the_header_the_ingress_sets() -> None:
    # Every Ingress (the webhooks that take larger bodies have their own) is ingress-nginx's.
    ingresses = [d for d in _documents() if d["kind"] == "Ingress"]
    assert ingresses
    assert {ingress["spec"]["ingressClassName"] for ingress in ingresses} == {"nginx"}
    assert Settings.from_env(_config_map()).client_ip_header == "X-Forwarded-For"


async def test_subscribers_through_the_ingress_have_their_own_allowances(
    tmp_path: Path,
) -> None:
    environ = _config_map() | {
        "MAILMOVE_STORE": f"sqlite:///{tmp_path}/s.sqlite3",
        "MAILMOVE_WEBCHAT_CONVERSATION_LIMIT": "2",
    }
    app = build_app(Settings.from_env(environ), clock=fixed_clock())
    transport = httpx.ASGITransport(app=app, client=(INGRESS_POD, 40000))
    async with (
        app.router.lifespan_context(app),
        httpx.AsyncClient(transport=transport, base_url="http://test") as ingress,
    ):

        async def start(subscriber: str) -> int:
            forwarded = {"X-Forwarded-For": subscriber}
            answer = await ingress.post("/api/webchat/conversations", json={}, headers=forwarded)
            return answer.status_code

        assert [await start("203.0.113.5") for _ in range(3)] == [201, 201, 429]
        # Somebody else, through the same controller, still gets in.
        assert await start("198.51.100.20") == 201
