"""What the agent API refuses however it is asked: found by attacking it as a careless or
hostile tool would (a hand-back after a close, names that are not names)."""

from __future__ import annotations

import hmac
import json
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

BARE: Final = "agent-token-0123456789abcdef"
HEADERS: Final = {"Authorization": f"Bearer {BARE}"}
API: Final = "/api/agent/conversations"


@pytest.fixture
async def app(tmp_path: Path) -> AsyncIterator[Starlette]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(BARE,))
    app = build_app(settings, clock=fixed_clock())
    async with app.router.lifespan_context(app):
        yield app


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client


async def taken(client: httpx.AsyncClient, agent: str = "佐藤") -> tuple[str, str]:
    """A web chat subscriber who asked for a person, taken by `agent`: (id, key)."""
    created = (await client.post("/api/webchat/conversations", json={})).json()
    conversation = created["conversation_id"]
    url = f"/api/webchat/conversations/{conversation}/messages"
    await client.post(url, json={"text": "人と話したいです"})
    key = key_of(conversation)
    took = await client.post(f"{API}/{key}/take", json={"agent": agent}, headers=HEADERS)
    assert took.status_code == 200, took.text
    return conversation, key


async def history(client: httpx.AsyncClient, conversation: str) -> str:
    url = f"/api/webchat/conversations/{conversation}/messages"
    return json.dumps((await client.get(url)).json(), ensure_ascii=False)


async def test_a_closed_conversation_is_not_handed_back(client: httpx.AsyncClient) -> None:
    # The console and the Slack desk offer no hand-back once closed; the API took one (a
    # script, a retry after another tab closed it) and greeted the subscriber again after
    # 「解決しましたか？」.
    conversation, key = await taken(client)
    closed = await client.post(f"{API}/{key}/close", json={}, headers=HEADERS)
    assert closed.status_code == 200, closed.text
    before = await history(client, conversation)

    back = await client.post(f"{API}/{key}/handback", json={}, headers=HEADERS)

    assert back.status_code == 409, back.text
    assert "closed" in back.json()["error"]
    assert await history(client, conversation) == before
    read = (await client.get(f"{API}/{key}", headers=HEADERS)).json()
    assert read["owner"] == "closed"


@pytest.mark.parametrize(
    "name",
    [
        "\u202e藤佐",  # right-to-left override: the subscriber reads another name
        "佐藤\u2066x\u2069",
        "佐藤\n閉じました",
        "佐藤\r",
        "\x1b[2J佐藤",
        "佐藤\x00",
        "\u0085佐藤",
        "   ",
        "\u200b",
    ],
)
@pytest.mark.parametrize("action", ["take", "handback", "messages", "close"])
async def test_a_name_that_is_not_a_line_of_visible_text_is_refused(
    client: httpx.AsyncClient, name: str, action: str
) -> None:
    # A bare token's holder says who they are; that name is shown to the subscriber beside
    # the agent's words and kept in the transcript and the desks' messages.
    conversation, key = await taken(client)
    before = await history(client, conversation)
    body: dict[str, str] = {"agent": name}
    if action == "messages":
        body["text"] = "確認します"

    refused = await client.post(f"{API}/{key}/{action}", json=body, headers=HEADERS)

    assert refused.status_code == 422, refused.text
    assert refused.json()["error"].startswith('"agent" must be one line of visible text')
    assert await history(client, conversation) == before


async def test_an_ordinary_name_still_acts(client: httpx.AsyncClient) -> None:
    conversation, key = await taken(client, agent="佐藤 花子 (Sato)")
    said = await client.post(
        f"{API}/{key}/messages",
        json={"text": "確認します", "agent": "佐藤 花子 (Sato)"},
        headers=HEADERS,
    )
    assert said.status_code == 201, said.text
    assert "佐藤 花子 (Sato)" in await history(client, conversation)


async def test_an_event_id_used_for_other_words_is_refused_not_dropped(
    client: httpx.AsyncClient,
) -> None:
    # A tool's ids repeat (a counter per conversation, two scripts, a take-over by another
    # agent's tool): the second message was answered 200 `duplicate` with its own words and
    # line number 0, as if stored, and never reached the subscriber.
    conversation, key = await taken(client)
    url = f"{API}/{key}/messages"
    first = await client.post(url, json={"text": "確認します", "event_id": "m-1"}, headers=HEADERS)
    assert first.status_code == 201, first.text

    again = await client.post(url, json={"text": "確認します", "event_id": "m-1"}, headers=HEADERS)
    other = await client.post(
        url, json={"text": "届きましたか", "event_id": "m-1"}, headers=HEADERS
    )

    assert again.status_code == 200, again.text
    assert (again.json()["seq"], again.json()["duplicate"]) == (first.json()["seq"], True)
    assert other.status_code == 422, other.text
    assert "event_id" in other.json()["error"]
    said = [m for m in json.loads(await history(client, conversation))["messages"]]
    assert [m["reply"]["text"] for m in said if m["author"] == "agent"] == ["確認します"]


@pytest.mark.parametrize("text", ["a\x00b", "\u200b", "  \n ", "\x1b[2J"])
async def test_a_message_that_shows_nothing_is_refused_in_words(
    client: httpx.AsyncClient, text: str
) -> None:
    _, key = await taken(client)
    refused = await client.post(f"{API}/{key}/messages", json={"text": text}, headers=HEADERS)
    assert refused.status_code == 422, refused.text
    assert refused.json()["error"].startswith('"text" must show at least one character')


@pytest.mark.parametrize("given", ["x", BARE[:-1], BARE + "0", "y" * 200, BARE])
async def test_the_token_check_compares_equal_lengths(
    client: httpx.AsyncClient, monkeypatch: pytest.MonkeyPatch, given: str
) -> None:
    # hmac.compare_digest returns at once on two lengths ("it leaks information about the
    # lengths"): compared as typed, the time of a 401 told a guesser the token's length
    # (attacker9). Whatever is sent, each comparison is of two values of one length.
    lengths: list[tuple[int, int]] = []
    compare = hmac.compare_digest

    def recorded(a: bytes, b: bytes) -> bool:
        lengths.append((len(a), len(b)))
        return compare(a, b)

    monkeypatch.setattr(hmac, "compare_digest", recorded)
    answer = await client.get("/api/agent/me", headers={"Authorization": f"Bearer {given}"})
    assert answer.status_code == (200 if given == BARE else 401)
    assert lengths
    assert all(a == b for a, b in lengths), lengths
