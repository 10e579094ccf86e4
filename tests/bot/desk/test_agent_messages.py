"""Agents write to subscribers: every refusal, one stored line per event id, names, plain text.

Responses are checked against the agent API's description and the web chat's.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import jsonschema  # type: ignore[import-untyped]
import pytest

from adapters.webchat.api_models import description as webchat_description
from bot.desk.agent_models import MAX_MESSAGE
from bot.ops.catalogs import Catalogs
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.bot.desk.test_agent_api import Chat, Desk, check, client_for

SATO = "sato-token-0123456789"
BARE = "bare-token-0123456789"
MESSAGES = "/api/agent/conversations/{key}/messages"
WEBCHAT = webchat_description()


def as_agent(token: str) -> dict[str, str]:
    return {"Authorization": f"Bearer {token}"}


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(
        store_url=f"sqlite:///{tmp_path}/s.sqlite3",
        agent_tokens=(f"佐藤:{SATO}", BARE),
    )
    async for client in client_for(build_app(settings, clock=fixed_clock())):
        yield client


async def taken(client: httpx.AsyncClient, token: str = SATO) -> Chat:
    chat = await Chat.start(client)
    response = await client.post(
        f"/api/agent/conversations/{chat.key}/take", headers=as_agent(token)
    )
    assert response.status_code == 200
    return chat


async def post(
    client: httpx.AsyncClient, key: str, body: object, token: str | None = SATO
) -> httpx.Response:
    headers = as_agent(token) if token else {}
    return await client.post(MESSAGES.format(key=key), headers=headers, json=body)


def webchat_transcript_is_documented(body: object) -> None:
    schema = WEBCHAT["paths"]["/api/webchat/conversations/{conversation_id}/messages"]["get"]
    documented = schema["responses"]["200"]["content"]["application/json"]["schema"]
    jsonschema.validate(body, {**documented, "components": WEBCHAT["components"]})


async def test_a_message_is_stored_as_the_named_agents_line_and_shown_in_the_web_chat(
    client: httpx.AsyncClient,
) -> None:
    chat = await taken(client)
    response = await post(client, chat.key, {"text": "パスワードは変わりません。"})
    assert response.status_code == 201, response.text
    check(MESSAGES, "post", 201, response.json())
    line = response.json()
    assert (line["author"], line["agent"], line["text"]) == (
        "agent",
        "佐藤",
        "パスワードは変わりません。",
    )
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=as_agent(SATO))).json()
    check("/api/agent/conversations/{key}", "get", 200, read)
    assert read["transcript"][-1]["seq"] == line["seq"]
    assert read["transcript"][-1]["agent"] == "佐藤"
    assert any(x["text"] == "taken over by 佐藤" for x in read["transcript"])
    page = (await client.get(f"/api/webchat/conversations/{chat.id}/messages")).json()
    webchat_transcript_is_documented(page)
    assert (page["owner"], page["agent"]) == ("agent", "佐藤")
    shown = page["messages"][-1]
    assert shown["author"] == "agent"
    assert shown["agent"] == "佐藤"
    assert shown["reply"] == {"type": "text", "text": "パスワードは変わりません。"}


async def test_a_named_token_decides_who_acts_and_a_bare_one_may_say(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    url = f"/api/agent/conversations/{chat.key}"
    # The holder of a named token cannot act under another name.
    await client.post(f"{url}/take", headers=as_agent(SATO), json={"agent": "鈴木"})
    await client.post(f"{url}/close", headers=as_agent(SATO))
    other = await Chat.start(client)
    await client.post(
        f"/api/agent/conversations/{other.key}/take", headers=as_agent(BARE), json={"agent": "田中"}
    )
    unnamed = await Chat.start(client)
    await client.post(f"/api/agent/conversations/{unnamed.key}/take", headers=as_agent(BARE))
    posted = await post(client, unnamed.key, {"text": "こんにちは"}, token=BARE)
    lines = {
        c.key: [
            x["text"]
            for x in (
                await client.get(f"/api/agent/conversations/{c.key}", headers=as_agent(SATO))
            ).json()["transcript"]
            if x["author"] == "system"
        ]
        for c in (chat, other, unnamed)
    }
    assert "taken over by 佐藤" in lines[chat.key]
    assert "closed by 佐藤" in lines[chat.key]
    assert "taken over by 田中" in lines[other.key]
    assert "taken over by agent" in lines[unnamed.key]
    assert posted.json()["agent"] == "agent"


async def test_the_same_event_id_stores_the_message_once(client: httpx.AsyncClient) -> None:
    chat = await taken(client)
    body = {"text": "確認いたします。", "event_id": "desk-42"}
    first = await post(client, chat.key, body)
    again = await post(client, chat.key, body)
    assert (first.status_code, again.status_code) == (201, 200)
    check(MESSAGES, "post", 200, again.json())
    assert again.json()["duplicate"] is True
    assert again.json()["seq"] == first.json()["seq"]
    history = await chat.history()
    assert sum(1 for m in history if m["author"] == "agent") == 1
    # Without an event id each request is a new message.
    await post(client, chat.key, {"text": "確認いたします。"})
    assert sum(1 for m in await chat.history() if m["author"] == "agent") == 2


@pytest.mark.parametrize(
    ("body", "status", "words"),
    [
        ({}, 422, "text"),
        ({"text": ""}, 422, "text"),
        ({"text": " \n\t "}, 422, "text"),
        # Control characters: nothing to read, and platforms refuse them (a NUL in LINE's
        # or Slack's JSON), so the subscriber would get an empty bubble or nothing at all.
        ({"text": "\x00"}, 422, "text"),
        ({"text": "\x1b\x07 \x7f"}, 422, "text"),
        ({"text": "お待ちください\x00"}, 422, "text"),
        # Only invisible characters (zero-width space, joiner, BOM): an empty bubble too.
        ({"text": "\u200b"}, 422, "text"),
        ({"text": "\u200b\ufeff \u2060\u200d"}, 422, "text"),
        ({"text": "x" * (MAX_MESSAGE + 1)}, 422, "text"),
        ({"text": "ok", "html": "<b>"}, 422, "html"),
        ({"text": 5}, 422, "text"),
        ([], 422, ""),
    ],
)
async def test_a_bad_body_is_refused_and_stores_nothing(
    client: httpx.AsyncClient, body: object, status: int, words: str
) -> None:
    chat = await taken(client)
    before = len(await chat.history())
    response = await post(client, chat.key, body)
    assert response.status_code == status, response.text
    check(MESSAGES, "post", status, response.json())
    assert words in response.json()["error"]
    assert len(await chat.history()) == before


async def test_the_longest_message_is_taken(client: httpx.AsyncClient) -> None:
    chat = await taken(client)
    assert (await post(client, chat.key, {"text": "あ" * MAX_MESSAGE})).status_code == 201


async def test_lines_and_tabs_are_kept(client: httpx.AsyncClient) -> None:
    chat = await taken(client)
    text = "受信サーバー:\tvpop.117.ne.jp\r\n送信サーバー:\tvsmtp.117.ne.jp"
    response = await post(client, chat.key, {"text": text})
    assert response.status_code == 201, response.text
    assert response.json()["text"] == text


async def test_refusals_for_who_holds_it_and_what_exists(client: httpx.AsyncClient) -> None:
    bots = await Chat.start(client)
    refused = await post(client, bots.key, {"text": "hi"})
    assert refused.status_code == 409
    check(MESSAGES, "post", 409, refused.json())
    assert "take it over" in refused.json()["error"]
    closed = await taken(client)
    await client.post(f"/api/agent/conversations/{closed.key}/close", headers=as_agent(SATO))
    assert (await post(client, closed.key, {"text": "hi"})).status_code == 409
    missing = await post(client, "webchat:" + "0" * 32, {"text": "hi"})
    assert missing.status_code == 404
    check(MESSAGES, "post", 404, missing.json())
    for token in (None, "wrong-token-0123456789"):
        response = await post(client, bots.key, {"text": "hi"}, token=token)
        assert response.status_code == 401
        check(MESSAGES, "post", 401, response.json())
    assert all(m["author"] != "agent" for m in await bots.history())


async def test_a_handoff_waits_in_the_queue_until_someone_takes_it(tmp_path: Path) -> None:
    receiver = Desk()
    with serving(receiver.app()) as url:
        settings = Settings(
            store_url=f"sqlite:///{tmp_path}/s.sqlite3",
            agent_tokens=(f"佐藤:{SATO}",),
            desk_webhook_url=f"{url}/hook",
            desk_webhook_secret=b"desk-secret-0123456789",
        )
        app = build_app(settings, clock=fixed_clock())
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(choice="human")
            await app.state.runtime.tasks.idle()
            assert len(receiver.received) == 1
            page_url = f"/api/webchat/conversations/{chat.id}/messages"
            queued = (await client.get(page_url)).json()
            assert (queued["owner"], queued["agent"]) == ("queue", None)
            # Waiting in the queue, a message is already welcome: the desk has it.
            assert (
                await post(client, chat.key, {"text": "少々お待ちください。"})
            ).status_code == 201
            assert (await client.get(page_url)).json()["owner"] == "agent"


@pytest.mark.parametrize(
    "probe",
    [
        "<script>alert(1)</script>",
        '<img src=x onerror="alert(1)">',
        "{agent} {text} %s {0}",
        "&lt;b&gt; &amp;",
    ],
)
async def test_agent_text_is_kept_exactly_as_written(client: httpx.AsyncClient, probe: str) -> None:
    chat = await taken(client)
    response = await post(client, chat.key, {"text": probe})
    assert response.status_code == 201
    assert response.json()["text"] == probe
    shown = (await chat.history())[-1]
    assert shown["reply"] == {"type": "text", "text": probe}


async def test_the_transcript_shows_the_words_on_a_pressed_button(
    client: httpx.AsyncClient,
) -> None:
    chat = await Chat.start(client)
    greeting: Any = (await chat.history())[-1]["reply"]
    offered = {c["id"]: c["label"] for c in greeting["choices"]}
    await chat.send(choice="yes")
    await chat.send(text="わかりません")
    read = await client.get(f"/api/agent/conversations/{chat.key}", headers=as_agent(SATO))
    check("/api/agent/conversations/{key}", "get", 200, read.json())
    said = [x for x in read.json()["transcript"] if x["author"] == "subscriber"]
    assert said[0]["text"] == "[yes]"
    assert said[0]["label"] == offered["yes"]
    assert "label" not in said[1]
    assert read.json()["holder"] == "bot"


async def handed_back(client: httpx.AsyncClient, chat: Chat) -> str:
    back = await client.post(
        f"/api/agent/conversations/{chat.key}/handback", headers=as_agent(SATO), json={}
    )
    assert back.status_code == 200
    return " ".join(str(r.get("text", "")) for r in back.json()["replies"])


async def test_a_hand_back_answers_the_question_the_agent_left_unanswered(
    client: httpx.AsyncClient, catalogs: Catalogs
) -> None:
    chat = await taken(client)
    assert await chat.send(text="古いメールはどうなりますか？") == []
    said = await handed_back(client, chat)
    assert said.startswith(catalogs.raw("ja", "handback.greeting"))
    assert "「古いメールはどうなりますか？」についてお答えします" in said
    assert "新しいサーバー" in said or "古いサーバー" in said or "従来" in said


async def test_a_forgotten_password_left_unanswered_is_answered_with_where_to_ask(
    client: httpx.AsyncClient, catalogs: Catalogs
) -> None:
    # 「パスワードを忘れてしまいました」 to an agent who gave the chat back without a word: the
    # bot said nothing about it and asked Q1. Now what it says to the question anywhere, and
    # where to reach the desk, without handing the chat straight back to the desk.
    chat = await taken(client)
    await chat.send(text="パスワードを忘れてしまいました")
    said = await handed_back(client, chat)
    assert said.count("「パスワードを忘れてしまいました」についてお答えします") == 1
    assert catalogs.raw("ja", "topic.forgotten_password.answer") in said
    assert "担当者へのお問い合わせは、" in said
    assert catalogs.raw("ja", "q1.question") in said  # carries on where it was
    read = await client.get(f"/api/agent/conversations/{chat.key}", headers=as_agent(SATO))
    assert read.json()["owner"] == "bot"


@pytest.mark.parametrize("question", ["はい", "担当者と話したい"])
async def test_an_answer_to_the_agent_or_a_request_for_a_person_is_left_alone(
    client: httpx.AsyncClient, catalogs: Catalogs, question: str
) -> None:
    chat = await taken(client)
    await chat.send(text=question)
    said = await handed_back(client, chat)
    assert "についてお答えします" not in said
    assert catalogs.raw("ja", "q1.question") in said  # carries on where it was


async def test_a_question_the_agent_answered_is_not_answered_again(
    client: httpx.AsyncClient,
) -> None:
    chat = await taken(client)
    await chat.send(text="古いメールはどうなりますか？")
    await post(client, chat.key, {"text": "古いサーバーに残ります。"})
    assert "についてお答えします" not in await handed_back(client, chat)
