"""Every endpoint of both OpenAPI descriptions, fuzzed over HTTP: no 5xx, no crash.

Schemathesis reads the descriptions from the running replica (`/api/webchat/openapi.json`,
`/api/agent/openapi.json`) and generates requests that follow them (positive) and that
break them (negative), with random path parameters and with those of a real conversation
so that requests get past the 404. Hypothesis is derandomised: CI runs the same cases.
"""

from __future__ import annotations

import collections
from collections.abc import Iterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest
import requests
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable
from schemathesis import GenerationMode
from schemathesis.core.result import Err

from adapters.webchat.conversation_key import key_of
from testbed.cluster import Replica, report
from testbed.redis_server import RedisServer, running_redis

AGENT_TOKEN: Final = "drill-agent-token-0123456789"
DESCRIPTIONS: Final = ("/api/webchat/openapi.json", "/api/agent/openapi.json")
EXAMPLES: Final = 40  # per operation, generation mode and set of path parameters
# Random path parameters of an operation that is also fuzzed with a real conversation's: they
# find no conversation, so past the parameters' own shapes they reach the same code. Measured
# (coverage.py in the replica, branch arcs of adapters/bot/dialogs): 10 such cases reach every
# arc 40 did (21,083 both), for 570 fewer requests; 20 of EXAMPLES everywhere lost ~490 arcs.
RANDOM_PATH_EXAMPLES: Final = 10


@pytest.fixture(scope="module")
def replica(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Replica]:
    with running_redis() as server:
        yield from _replica(server, tmp_path_factory.mktemp("fuzz"))


def _replica(server: RedisServer, folder: Path) -> Iterator[Replica]:
    started = Replica(
        f"{server.url}?prefix=fuzz:",
        folder / "fuzz.log",
        extra_env={"MAILMOVE_AGENT_TOKENS": AGENT_TOKEN},
    )
    started.start()
    yield started
    started.kill()


def real_path_parameters(replica: Replica) -> dict[str, str]:
    created = httpx.post(f"{replica.url}/api/webchat/conversations", json={}, timeout=10)
    conversation = created.json()["conversation_id"]
    return {
        "conversation_id": conversation,
        "key": key_of(conversation),
        "locale": "en",
        "file": "chat.js",
    }


def any_string(operation: Any) -> bool:
    """Whether every path parameter of `operation` takes any string (no enum, pattern, length)."""
    return all(p.definition.get("schema") == {"type": "string"} for p in operation.path_parameters)


def test_no_endpoint_answers_5xx_or_crashes_the_replica(replica: Replica) -> None:
    statuses: collections.Counter[int] = collections.Counter()
    failures: list[str] = []
    unbreakable: list[str] = []
    real = real_path_parameters(replica)
    session = requests.Session()
    headers = {"Authorization": f"Bearer {AGENT_TOKEN}"}
    operations: list[Any] = []
    for description in DESCRIPTIONS:
        schema = schemathesis.openapi.from_url(f"{replica.url}{description}")
        for result in schema.get_all_operations():
            if isinstance(result, Err):
                raise AssertionError(f"{description} is not a valid description: {result.err()}")
            operations.append(result.ok())
    assert len(operations) >= 10

    for operation in operations:
        names = {p.name for p in operation.path_parameters}
        variants: list[dict[str, str]] = [{}]
        if names:
            variants.append({name: real[name] for name in names if name in real})
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            # Negative cases with the real conversation's parameters first: where they find
            # nothing to break, random ones can break only the path parameters.
            negative = mode is GenerationMode.NEGATIVE
            for fixed in variants[::-1] if negative else variants:
                if (
                    negative
                    and not fixed
                    and unbreakable[-1:] == [operation.label]
                    and any_string(operation)
                ):
                    # Nothing to break: any string is a path segment. Hypothesis found that
                    # out only after some 460 draws that sent nothing (over 2 s, each time).
                    unbreakable.append(operation.label)
                    continue
                examples = RANDOM_PATH_EXAMPLES if len(variants) > 1 and not fixed else EXAMPLES
                strategy = operation.as_strategy(
                    generation_mode=mode, path_parameters=fixed or None, headers=headers
                )

                @settings(
                    max_examples=examples,
                    deadline=None,
                    derandomize=True,
                    database=None,
                    suppress_health_check=list(HealthCheck),
                )
                @given(case=strategy)
                def fuzz(case: Any) -> None:
                    response = case.call(base_url=replica.url, session=session, timeout=10)
                    statuses[response.status_code] += 1
                    if response.status_code >= 500:
                        failures.append(
                            f"{case.method} {case.formatted_path} -> {response.status_code}: "
                            f"{response.text[:200]}"
                        )

                try:
                    fuzz()
                except Unsatisfiable:
                    # An operation with nothing to break (no body, no parameter) has no
                    # negative cases; every operation must have positive ones.
                    if mode is GenerationMode.POSITIVE:
                        raise
                    unbreakable.append(operation.label)

    report(
        "fuzz",
        {
            "operations": len(operations),
            "requests": sum(statuses.values()),
            "statuses": {str(code): n for code, n in sorted(statuses.items())},
            "server_errors": len(failures),
            "without_negative_cases": unbreakable,
        },
    )
    assert not failures, "\n".join(failures[:20])
    assert replica.process is not None
    assert replica.process.poll() is None, "the replica died"
    assert httpx.get(f"{replica.url}/healthz", timeout=5).status_code == 200
    assert "Exception in ASGI application" not in replica.log_path.read_text(encoding="utf-8")
