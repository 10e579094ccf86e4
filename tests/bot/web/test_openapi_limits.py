"""The per-client limits' 429 answers are in both OpenAPI descriptions, and match them."""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest
from starlette.applications import Starlette

from adapters.webchat.api_models import description as webchat_description
from bot.desk.agent_models import description as agent_description
from bot.ops.settings import Settings
from bot.server import build_app
from bot.web.failure_throttle import DEFAULT_LIMIT
from testbed.clock import fixed_clock

CONVERSATIONS = "/api/webchat/conversations"
MESSAGES = "/api/webchat/conversations/{conversation_id}/messages"


def documented_429(document: dict[str, Any], path: str, method: str) -> dict[str, Any]:
    answer: dict[str, Any] = document["paths"][path][method]["responses"]["429"]
    assert "Retry-After" in answer["headers"]
    assert "Retry-After" in answer["description"]
    return answer


def check(document: dict[str, Any], path: str, method: str, response: httpx.Response) -> None:
    """`response` is the documented 429: its body's schema, and a Retry-After in seconds."""
    answer = documented_429(document, path, method)
    schema = answer["content"]["application/json"]["schema"]
    jsonschema.validate(response.json(), {**schema, "components": document["components"]})
    assert int(response.headers["retry-after"]) >= 1


@pytest.mark.parametrize(
    ("path", "method", "words"),
    [
        (CONVERSATIONS, "post", "10 minutes"),
        (MESSAGES, "post", "minute"),
        (MESSAGES, "get", "MAILMOVE_WEBCHAT_READ_LIMIT"),
    ],
)
def test_the_web_chat_documents_its_limits(path: str, method: str, words: str) -> None:
    answer = documented_429(webchat_description(), path, method)
    assert words in answer["description"]


def test_every_agent_api_call_documents_the_token_throttle() -> None:
    document = agent_description()
    operations = [(p, m) for p, item in document["paths"].items() for m in item]
    assert operations
    for path, method in operations:
        assert (
            f"{DEFAULT_LIMIT} refused tokens"
            in documented_429(document, path, method)["description"]
        )


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    app = build_app(
        Settings(
            store_url=f"sqlite:///{tmp_path}/s.sqlite3",
            webchat_conversation_limit=1,
            webchat_message_limit=1,
            agent_tokens=("sato:sato-token-0123456789abcdef",),
        ),
        clock=fixed_clock(),
    )
    async with app.router.lifespan_context(app):
        yield app


def client(app: Starlette) -> httpx.AsyncClient:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.7", 40000))
    return httpx.AsyncClient(transport=transport, base_url="http://test")


async def test_the_web_chat_429s_are_as_documented(app: Starlette) -> None:
    document = webchat_description()
    async with client(app) as one:
        created = await one.post(CONVERSATIONS, json={})
        assert created.status_code == 201
        refused = await one.post(CONVERSATIONS, json={})
        assert refused.status_code == 429
        check(document, CONVERSATIONS, "post", refused)
        url = MESSAGES.format(conversation_id=created.json()["conversation_id"])
        assert (await one.post(url, json={"text": "はい"})).status_code == 200
        refused = await one.post(url, json={"text": "はい"})
        assert refused.status_code == 429
        check(document, MESSAGES, "post", refused)


async def test_the_agent_api_429_is_as_documented(app: Starlette) -> None:
    document = agent_description()
    wrong = {"Authorization": "Bearer not-a-token-at-all-0123456789"}
    async with client(app) as guesser:
        answers = [
            (await guesser.get("/api/agent/conversations", headers=wrong)).status_code
            for _ in range(DEFAULT_LIMIT + 1)
        ]
        assert answers == [401] * DEFAULT_LIMIT + [429]
        refused = await guesser.get("/api/agent/conversations", headers=wrong)
        check(document, "/api/agent/conversations", "get", refused)
