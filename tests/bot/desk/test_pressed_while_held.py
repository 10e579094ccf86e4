"""A question's button pressed while a person has the conversation is the subscriber's answer.

The question stays on the subscriber's screen after the handoff; pressing one of its buttons
then was dropped by the web chat as a press for a question answered already (the agent never
saw it), and on the other channels reached the agent as words but did not count: the bot,
given the conversation back, asked the same question again.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import Chat, check, client_for
from tests.bot.desk.test_long_conversations_listed import AGENT, TOKEN

Q2_TEXT = "117net以外のプロバイダや、会社のLANからインターネットに接続していますか？"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        yield client


async def press(chat: Chat, choice: str, question: str) -> dict[str, object]:
    url = f"/api/webchat/conversations/{chat.id}/messages"
    answer = await chat.client.post(url, json={"choice": choice, "question": question})
    assert answer.status_code == 200, answer.text
    body: dict[str, object] = answer.json()
    return body


async def at_q2_with_an_agent(client: httpx.AsyncClient) -> tuple[Chat, str, str]:
    """A subscriber at Q2 who asked for a person, taken by 佐藤: the chat, Q1's and Q2's ids."""
    chat = await Chat.start(client)
    messages = await chat.history()
    q1 = next(str(m["question"]) for m in messages if "question" in m)
    asked = await press(chat, "yes", q1)
    q2 = str(asked["question"])
    await chat.send(text="担当者と話したい")
    url = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
    return chat, q1, q2


async def test_a_press_of_the_open_question_counts_and_the_handback_goes_on_from_it(
    client: httpx.AsyncClient,
) -> None:
    chat, _, q2 = await at_q2_with_an_agent(client)
    pressed = await press(chat, "no", q2)
    # Taken, not dropped as a press for a question answered already; the bot says nothing.
    assert pressed.get("stale") is None
    assert pressed["replies"] == []
    url = f"/api/agent/conversations/{chat.key}"
    read = (await client.get(url, headers=AGENT)).json()
    # The agent sees the answer twice: as the words on the button and among the facts.
    said = [line for line in read["transcript"] if line["author"] == "subscriber"]
    assert said[-1].get("label") == "いいえ"
    assert read["answers"] == {"q1_mail_program": "yes", "q2_other_network": "no"}
    back = await client.post(f"{url}/handback", headers=AGENT, json={})
    assert back.status_code == 200, back.text
    texts = "\n".join(str(reply.get("text", "")) for reply in back.json()["replies"])
    assert Q2_TEXT not in texts
    assert back.json()["stage"] == "ask_address"


async def test_a_press_of_an_older_question_is_the_agents_to_read_and_changes_no_answer(
    client: httpx.AsyncClient,
) -> None:
    # Q1's buttons are still on screen above Q2's: a press of one is words for the agent,
    # not a second answer to Q1 (nor an answer to Q2).
    chat, q1, _ = await at_q2_with_an_agent(client)
    pressed = await press(chat, "no", q1)
    assert pressed.get("stale") is None
    url = f"/api/agent/conversations/{chat.key}"
    read = (await client.get(url, headers=AGENT)).json()
    said = [line for line in read["transcript"] if line["author"] == "subscriber"]
    assert said[-1].get("label") == "いいえ"
    assert read["answers"] == {"q1_mail_program": "yes"}
    back = await client.post(f"{url}/handback", headers=AGENT, json={})
    texts = "\n".join(str(reply.get("text", "")) for reply in back.json()["replies"])
    assert Q2_TEXT in texts


async def test_the_agents_answers_win_over_a_press(client: httpx.AsyncClient) -> None:
    # The agent talked it through with the subscriber and hands back what they found.
    chat, _, q2 = await at_q2_with_an_agent(client)
    await press(chat, "no", q2)
    url = f"/api/agent/conversations/{chat.key}"
    facts = {"answers": {"q2_other_network": "yes"}}
    back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
    assert back.status_code == 200, back.text
    assert back.json()["answers"] == {"q1_mail_program": "yes", "q2_other_network": "yes"}
    assert back.json()["stage"] == "q3_uses_our_smtp"


async def test_a_program_and_a_server_pressed_while_held_count_too(
    client: httpx.AsyncClient,
) -> None:
    # The settings' questions are buttons on screen as the questionnaire's are.
    chat = await Chat.start(client)
    url = f"/api/webchat/conversations/{chat.id}/messages"
    asked = (await client.post(url, json={"choice": "settings"})).json()
    asked = (await client.post(url, json={"text": "taro@vp.117.ne.jp"})).json()
    program_question = str(asked["question"])
    await chat.send(text="担当者と話したい")
    agent_url = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{agent_url}/take", headers=AGENT, json={})).status_code == 200
    await press(chat, "program:thunderbird", program_question)
    read = (await client.get(agent_url, headers=AGENT)).json()
    assert read["program"] == "thunderbird"
    back = await client.post(f"{agent_url}/handback", headers=AGENT, json={})
    assert back.status_code == 200, back.text
    # On from the program: the outgoing server is asked, not the program again.
    assert back.json()["stage"] == "ask_smtp_host"


@pytest.mark.parametrize("asked", ["English please", "Can we speak in English?"])
async def test_english_asked_for_while_held_is_the_hand_backs_language(
    client: httpx.AsyncClient, asked: str
) -> None:
    # The agent answered in English; given the conversation back, the bot greeted in
    # Japanese (the request had reached the agent only).
    chat, _, _ = await at_q2_with_an_agent(client)
    await chat.send(text=asked)
    url = f"/api/agent/conversations/{chat.key}"
    back = await client.post(f"{url}/handback", headers=AGENT, json={})
    assert back.status_code == 200, back.text
    greeting = str(back.json()["replies"][0]["text"])
    assert greeting.startswith("Our support staff have passed you back to me"), greeting
    assert back.json()["locale"] == "en"


async def test_a_press_while_held_names_its_question_in_the_transcript(
    client: httpx.AsyncClient,
) -> None:
    # Beside the agent's own questions a bare 「いいえ」 answers any of them: the console and
    # the agent API name the question, as the Slack thread and the Chatwoot mirror do.
    chat, q1, q2 = await at_q2_with_an_agent(client)
    await press(chat, "no", q2)
    await press(chat, "yes", q1)
    url = f"/api/agent/conversations/{chat.key}"
    read = (await client.get(url, headers=AGENT)).json()
    said = [line for line in read["transcript"] if line["author"] == "subscriber"]
    assert [(x.get("label"), x.get("question")) for x in said[-2:]] == [
        ("いいえ", Q2_TEXT),
        ("はい", "メールの送受信に、メールソフトをお使いですか？"),
    ]
    # Q1's press before the handoff came straight after its question: nothing to name.
    first = next(x for x in said if x.get("label") == "はい")
    assert "question" not in first
    check("/api/agent/conversations/{key}", "get", 200, read)
