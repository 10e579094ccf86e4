"""A JSON body that names a key twice is refused with 400, and documented so.

JSON leaves a repeated key's meaning open (most parsers keep the last value, some the
first), so `{"text": "a", "text": "b"}` could mean one thing to a proxy or a log reader
and another to the bot. The platforms' signed webhooks are covered by the channel
contract (tests/adapters/channel_contract.py).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any, Final

import httpx
import pytest

from adapters.webchat.api_models import description as webchat_description
from bot.desk.agent_models import description as agent_description
from bot.ops.settings import Settings
from bot.server import build_app
from bot.web.openapi import DuplicateKeyError, TooDeepError, refuse_duplicate_keys
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import Chat, client_for

TOKEN: Final = "duplicate-keys-token-0123456789"
JSON: Final = {"content-type": "application/json"}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(TOKEN,))
    async for client in client_for(build_app(settings, clock=fixed_clock())):
        yield client


@pytest.mark.parametrize(
    "body",
    [
        '{"text": "a", "text": "b"}',
        '{"a": [{"x": 1}, {"y": 2, "y": 3}]}',
        '{"a": {"b": {"c": null, "c": null}}}',
    ],
)
def test_a_key_twice_at_any_depth_is_found(body: str) -> None:
    with pytest.raises(DuplicateKeyError):
        refuse_duplicate_keys(body)


@pytest.mark.parametrize(
    "body",
    [
        b' \r\n{"text": "a", "text": "b"}',
        '\ufeff{"text": "a", "text": "b"}'.encode(),
        *('{"text": "a", "text": "b"}'.encode(code) for code in ("utf-16", "utf-16-le", "utf-32")),
    ],
)
def test_a_key_twice_is_found_in_bytes_as_json_loads_reads_them(body: bytes) -> None:
    # White space first, a UTF-8 byte order mark, UTF-16 and UTF-32 with and without one.
    with pytest.raises(DuplicateKeyError):
        refuse_duplicate_keys(body)


@pytest.mark.parametrize(
    "body", ['{"text": "a", "Text": "b"}', "[1, 1]", "not json", "{", '{"a": 1} {"b": 1, "b": 2}']
)
def test_anything_else_is_left_to_the_callers_parser(body: str) -> None:
    refuse_duplicate_keys(body)


async def test_a_web_chat_message_with_text_twice_is_refused_and_not_stored(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    url = f"/api/webchat/conversations/{chat.id}/messages"
    body = '{"text": "はい", "text": "いいえ"}'
    refused = await client.post(url, content=body, headers=JSON)
    assert refused.status_code == 400
    assert refused.json() == {"error": "the key 'text' appears twice in one object"}
    assert all(m["author"] != "subscriber" for m in await chat.history())
    # The same words once are a message.
    assert (await client.post(url, content='{"text": "はい"}', headers=JSON)).status_code == 200


@pytest.mark.parametrize("depth", [990, 5000])
def test_a_body_nested_beyond_pythons_parser_is_refused(depth: int) -> None:
    # json's RecursionError is no ValueError: let through, it was a 500 at every caller.
    with pytest.raises(TooDeepError):
        refuse_duplicate_keys('{"a":' * depth + "1" + "}" * depth)


async def test_a_web_chat_message_nested_too_deep_gets_a_4xx(client: httpx.AsyncClient) -> None:
    chat = await Chat.start(client)
    url = f"/api/webchat/conversations/{chat.id}/messages"
    deep = '{"text": "はい", "x": ' + "[" * 5000 + "]" * 5000 + "}"
    refused = await client.post(url, content=deep, headers=JSON)
    assert refused.status_code == 400
    assert all(m["author"] != "subscriber" for m in await chat.history())


async def test_an_agents_hand_back_with_an_answer_twice_is_refused(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    agent = {"Authorization": f"Bearer {TOKEN}", **JSON}
    base = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{base}/take", headers=agent)).status_code == 200
    body = '{"answers": {"Q2": "yes", "Q2": "no"}}'
    refused = await client.post(f"{base}/handback", content=body, headers=agent)
    assert refused.status_code == 400
    read = (await client.get(base, headers=agent)).json()
    assert read["owner"] == "agent"


@pytest.mark.parametrize("description", [webchat_description, agent_description])
def test_every_operation_with_a_body_documents_the_400(description: Any) -> None:
    document = description()
    for path, operations in document["paths"].items():
        for method, operation in operations.items():
            if "requestBody" in operation:
                assert "400" in operation["responses"], f"{method.upper()} {path}"
