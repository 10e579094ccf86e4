"""A button of the open question's older copy answers it.

A hand-back asks again the question the agent interrupted, and an aside answered (「パスワード
は変わりますか？」) asks the question again under its answer: the first copy, still on the
subscriber's screen (LINE, Slack, Telegram keep its buttons), was refused with 「この質問には、
すでにお答えいただいています」, a question nobody had answered. Once it is answered, either
copy pressed again changes nothing, as before.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import HEADERS, Chat, client_for, settings_for

Q3 = "117netのメールサーバーを設定して、メールを送信していますか？"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(build_app(settings_for(tmp_path), clock=fixed_clock())):
        yield client


async def press(chat: Chat, choice: str, question: str) -> list[dict[str, object]]:
    url = f"/api/webchat/conversations/{chat.id}/messages"
    response = await chat.client.post(url, json={"choice": choice, "question": question})
    assert response.status_code == 200
    replies: list[dict[str, object]] = response.json()["replies"]
    return replies


async def asked_second(client: httpx.AsyncClient) -> tuple[Chat, str]:
    """A web chat at the second question; the tag its buttons carry."""
    chat = await Chat.start(client)
    url = f"/api/webchat/conversations/{chat.id}/messages"
    answered = await client.post(url, json={"choice": "yes"})
    return chat, str(answered.json()["question"])


async def test_the_first_copy_answers_the_question_a_hand_back_asked_again(
    client: httpx.AsyncClient,
) -> None:
    chat, first = await asked_second(client)
    await chat.send(text="担当者と話したい")
    url = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{url}/take", headers=HEADERS)).status_code == 200
    assert (await client.post(f"{url}/handback", headers=HEADERS, json={})).status_code == 200
    assert (await chat.history())[-1]["reply"]["text"].startswith("117net以外のプロバイダ")  # type: ignore[index]
    replies = await press(chat, "yes", first)
    assert any(str(r["text"]).startswith(Q3) for r in replies), replies
    read = (await client.get(url, headers=HEADERS)).json()
    assert read["answers"] == {"q1_mail_program": "yes", "q2_other_network": "yes"}
    # Answered: the first copy pressed again is an old question's button.
    assert await press(chat, "no", first) == []


async def test_the_first_copy_answers_the_question_asked_again_after_an_aside(
    client: httpx.AsyncClient,
) -> None:
    chat, first = await asked_second(client)
    aside = await chat.send(text="パスワードは変わりますか？")
    assert str(aside[-1]["text"]).endswith("を選んでください。")
    replies = await press(chat, "yes", first)
    assert any(str(r["text"]).startswith(Q3) for r in replies), replies


async def test_a_copy_of_an_answered_question_changes_nothing(client: httpx.AsyncClient) -> None:
    chat, first = await asked_second(client)
    await chat.send(text="いいえ")
    assert await press(chat, "yes", first) == []
