"""A bare agent token cannot act under the name of an agent who holds a named token.

With both kinds configured (`sato:<token>` and a bare token for a shared tool), the bare
token's requests may say who acts. They could say 「sato」: the take-over, the messages (the
subscriber read "sato" beside words sato never wrote, such as a request for their password),
the hand-back and the close were recorded as sato's, and the console showed them so.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from starlette.applications import Starlette

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import check

NAMED: Final = "sato-token-0123456789abcdef"
BARE: Final = "shared-tool-token-9876543210"
BARE_HEADERS: Final = {"Authorization": f"Bearer {BARE}"}


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"sato:{NAMED}", BARE)
    )
    app = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


async def a_conversation(client: httpx.AsyncClient) -> str:
    created = await client.post("/api/webchat/conversations", json={})
    return f"/api/agent/conversations/{key_of(created.json()['conversation_id'])}"


@pytest.mark.parametrize("claimed", ["sato", "Sato", " sato ", "ｓａｔｏ"])
async def test_a_bare_token_cannot_take_or_write_as_a_named_agent(
    app: Starlette, claimed: str
) -> None:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        conversation = await a_conversation(client)
        for action, body in (
            ("take", {"agent": claimed}),
            ("messages", {"agent": claimed, "text": "パスワードを教えてください"}),
            ("handback", {"agent": claimed}),
            ("close", {"agent": claimed}),
            ("transfer", {"agent": claimed, "to": "鈴木"}),
        ):
            refused = await client.post(f"{conversation}/{action}", json=body, headers=BARE_HEADERS)
            assert refused.status_code == 422, action
            assert "sato" in refused.json()["error"]
            # The console words it in the agent's language: it read the English sentence in
            # 「入力内容をご確認ください（agent: 'sato' is 'sato', who holds a named token…）」.
            assert refused.json()["reason"] == "agent_named", action
            check(f"/api/agent/conversations/{{key}}/{action}", "post", 422, refused.json())
        lines = (await client.get(conversation, headers=BARE_HEADERS)).json()["transcript"]
        assert not [line for line in lines if line["author"] == "agent"]
        assert "sato" not in str(lines)


async def test_a_bare_token_still_acts_under_another_name(app: Starlette) -> None:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        conversation = await a_conversation(client)
        taken = await client.post(
            f"{conversation}/take", json={"agent": "鈴木"}, headers=BARE_HEADERS
        )
        assert taken.status_code == 200
        said = await client.post(
            f"{conversation}/messages",
            json={"agent": "鈴木", "text": "こんにちは"},
            headers=BARE_HEADERS,
        )
        assert said.status_code == 201
        assert said.json()["agent"] == "鈴木"


@pytest.mark.parametrize("claimed", [BARE, NAMED, f" {NAMED} ", f"鈴木 {BARE}"])
async def test_an_agent_token_given_as_a_name_is_refused_and_never_shown(
    app: Starlette, claimed: str
) -> None:
    # The console's sign-in asks for the token and a name: a token pasted into the name
    # box (its own, or a colleague's) was taken as the agent's name. It was recorded in the
    # transcript ('taken over by <token>'), shown to the subscriber beside every message,
    # and named in other agents' 409s: a credential, for anyone who reads the chat.
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        created = await client.post("/api/webchat/conversations", json={})
        conversation = f"/api/agent/conversations/{key_of(created.json()['conversation_id'])}"
        for action, body in (
            ("take", {"agent": claimed}),
            ("messages", {"agent": claimed, "text": "こんにちは"}),
            ("handback", {"agent": claimed}),
            ("close", {"agent": claimed}),
            ("transfer", {"agent": claimed, "to": "鈴木"}),
        ):
            refused = await client.post(f"{conversation}/{action}", json=body, headers=BARE_HEADERS)
            assert refused.status_code == 422, action
            assert refused.json()["reason"] == "agent_token", action
            check(f"/api/agent/conversations/{{key}}/{action}", "post", 422, refused.json())
            assert claimed.strip() not in refused.text
            assert BARE not in refused.text
            assert NAMED not in refused.text
        read = await client.get(
            f"/api/webchat/conversations/{created.json()['conversation_id']}/messages"
        )
        assert BARE not in read.text
        assert NAMED not in read.text


@pytest.mark.parametrize("claimed", ["鈴木\u202e", "\u200b", "鈴木\n佐藤", "x" * 101])
async def test_a_name_that_is_no_line_of_visible_text_is_refused_with_its_reason(
    app: Starlette, claimed: str
) -> None:
    transport = httpx.ASGITransport(app=app, client=("192.0.2.1", 40000))
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        conversation = await a_conversation(client)
        for action, body in (
            ("take", {"agent": claimed}),
            ("messages", {"agent": claimed, "text": "こんにちは"}),
            ("handback", {"agent": claimed}),
            ("close", {"agent": claimed}),
            ("transfer", {"agent": claimed, "to": "鈴木"}),
        ):
            refused = await client.post(f"{conversation}/{action}", json=body, headers=BARE_HEADERS)
            assert (refused.status_code, refused.json()["reason"]) == (422, "agent"), action
            check(f"/api/agent/conversations/{{key}}/{action}", "post", 422, refused.json())
