"""A subscriber who starts over leaves the old conversation: the desk stops waiting for them.

`POST /api/webchat/conversations/{id}/close` (the page calls it on 「最初から」) closes a
conversation the desk's queue or an agent has, with a line saying the subscriber left; the
desk's queue and its Slack message follow as after an agent's close. Run through the real
app with the Slack agents' desk against the fake Slack API (tests/adapters/slack/test_desk).
"""

from __future__ import annotations

import uuid
from typing import Any, Final

import httpx
import pytest

from bot.desk.closing import SUBSCRIBER_LEFT
from bot.store.conversation_store import Owner
from tests.adapters.slack.test_desk import (
    AGENT_TOKEN,
    Chat,
    Desk,
    desk,  # noqa: F401 -- the fixture, shared with the Slack desk's tests
    fake,  # noqa: F401 -- the fixture desk needs
    handed_off,
)
from tests.adapters.webchat.test_api_contract import check_response

CLOSE: Final = "/api/webchat/conversations/{conversation_id}/close"
AGENT_API: Final = {"Authorization": f"Bearer {AGENT_TOKEN}"}
ENDED: Final = "この会話はすでに終了しています。"


async def leave(chat: Chat, **options: Any) -> httpx.Response:
    options.setdefault("json", {})
    response = await chat.client.post(CLOSE.format(conversation_id=chat.id), **options)
    check_response(response, CLOSE, "post")
    return response


async def desk_keys(running: Desk) -> set[str]:
    listed = await running.client.get("/api/agent/conversations?desk=true", headers=AGENT_API)
    assert listed.status_code == 200, listed.text
    return {row["key"] for row in listed.json()["conversations"]}


async def test_leaving_a_queued_conversation_closes_it_and_the_desk_follows(
    desk: Desk,  # noqa: F811 -- the imported fixture
) -> None:
    chat = await handed_off(desk)
    assert chat.key in await desk_keys(desk)

    response = await leave(chat)

    assert (response.status_code, response.json()) == (200, {"owner": "closed"})
    assert await desk.owner(chat.key) is Owner.CLOSED
    lines = await desk.transcript(chat.key)
    assert lines[-1] == SUBSCRIBER_LEFT
    # Nobody is asked whether it was solved: nobody is there to answer.
    assert "解決しましたか" not in await chat.history()
    await desk.settle()
    assert ENDED in desk.shown().words()
    assert desk.shown().buttons() == {}
    assert chat.key not in await desk_keys(desk)
    history = await chat.client.get(f"/api/webchat/conversations/{chat.id}/messages")
    assert history.json()["owner"] == "closed"

    # Idempotent: again, the same answer, and nothing more is written or posted.
    updates = len(desk.updates())
    again = await leave(chat)
    assert (again.status_code, again.json()) == (200, {"owner": "closed"})
    assert await desk.transcript(chat.key) == lines
    await desk.settle()
    assert len(desk.updates()) == updates


async def test_leaving_a_conversation_an_agent_has_closes_it(
    desk: Desk,  # noqa: F811 -- the imported fixture
) -> None:
    chat = await handed_off(desk)
    taken = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/take", json={"agent": "佐藤"}, headers=AGENT_API
    )
    assert taken.status_code == 200, taken.text

    response = await leave(chat)

    assert response.json() == {"owner": "closed"}
    read = await desk.client.get(f"/api/agent/conversations/{chat.key}", headers=AGENT_API)
    assert read.json()["owner"] == "closed"
    assert read.json()["transcript"][-1]["text"] == SUBSCRIBER_LEFT
    # The agent can no longer write to someone who has gone.
    posted = await desk.client.post(
        f"/api/agent/conversations/{chat.key}/messages",
        json={"text": "お待たせしました。"},
        headers=AGENT_API,
    )
    assert posted.status_code == 409


async def test_leaving_a_conversation_the_bot_answers_leaves_it_as_it_is(
    desk: Desk,  # noqa: F811 -- the imported fixture
) -> None:
    chat = await desk.chat()
    await chat.send(choice="yes")
    before = await desk.transcript(chat.key)

    response = await leave(chat)

    assert (response.status_code, response.json()) == (200, {"owner": "bot"})
    assert await desk.owner(chat.key) is Owner.BOT
    assert await desk.transcript(chat.key) == before


# A fixed id for the random one: the test's name must be the same in every process (xdist).
@pytest.mark.parametrize(
    "conversation_id",
    [pytest.param(uuid.uuid4().hex, id="unknown"), "not-an-id", "A" * 32],
)
async def test_leaving_an_unknown_conversation_is_404(
    desk: Desk,  # noqa: F811 -- the imported fixture
    conversation_id: str,
) -> None:
    response = await leave(Chat(desk.client, conversation_id))

    assert response.status_code == 404


@pytest.mark.parametrize(
    ("options", "status"),
    [
        pytest.param({"content": b"{}", "headers": {"content-type": "text/plain"}}, 415, id="text"),
        pytest.param(
            {"content": b"", "headers": {"content-type": "application/json"}}, 422, id="empty"
        ),
        pytest.param({"json": {"reason": "bye"}}, 422, id="unknown-field"),
        pytest.param({"json": []}, 422, id="not-an-object"),
    ],
)
async def test_only_the_empty_json_object_leaves(
    desk: Desk,  # noqa: F811 -- the imported fixture
    options: dict[str, Any],
    status: int,
) -> None:
    chat = await handed_off(desk)

    response = await leave(chat, **options)

    assert response.status_code == status
    assert await desk.owner(chat.key) is Owner.AGENT
