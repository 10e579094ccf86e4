"""An agent closes: the subscriber is asked 「解決しましたか？」, and the answer is counted.

Through the agent API and the web chat, as the console and the page use them; the answers
show in `mailmove stats` and `/metrics`.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Any

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.stats import collect, render_table
from bot.server import build_app
from dialogs import feedback
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.bot.desk.test_agent_api import HEADERS, Chat, Desk, check, client_for, settings_for

CLOSE = "/api/agent/conversations/{key}/close"
THANKS = "お答えいただき、ありがとうございます。解決してよかったです。"


@pytest.fixture
def app(tmp_path: Path) -> Starlette:
    return build_app(settings_for(tmp_path), clock=fixed_clock())


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(app):
        yield client


async def closed(client: httpx.AsyncClient) -> tuple[Chat, dict[str, Any]]:
    """A web chat an agent took over and closed; the question the page shows last."""
    chat = await Chat.start(client)
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    response = await client.post(CLOSE.format(key=chat.key), headers=HEADERS)
    assert response.status_code == 200
    check("/api/agent/conversations/{key}/close", "post", 200, response.json())
    assert response.json()["owner"] == "closed"
    last: dict[str, Any] = (await chat.history())[-1]
    return chat, last


async def test_closing_asks_the_subscriber_whether_it_was_solved(
    client: httpx.AsyncClient,
) -> None:
    chat, asked = await closed(client)
    assert asked["author"] == "bot"
    reply = asked["reply"]
    assert reply["type"] == "choices"
    assert reply["text"].endswith("解決しましたか？")
    assert [(c["id"], c["label"]) for c in reply["choices"]] == [
        (feedback.SOLVED, "解決した"),
        (feedback.UNSOLVED, "解決しない"),
    ]
    # The page knows which question its buttons answer.
    assert asked["question"]
    read = await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)
    assert read.json()["holder"] == "closed"
    assert read.json()["transcript"][-2]["text"] == "closed by agent"


async def test_a_press_is_answered_once_and_counted(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    chat, asked = await closed(client)
    replies = await chat.send(choice=feedback.SOLVED, question=asked["question"], event_id="f-1")
    assert [r["text"] for r in replies] == [THANKS]
    # A second tap on the same button changes nothing.
    again = await chat.send(choice=feedback.SOLVED, question=asked["question"], event_id="f-2")
    assert again == []
    day = dt.date(2008, 6, 1)
    figures = await collect(app.state.runtime.engine.store, day, day, "Asia/Tokyo")
    assert (figures.solved, figures.unsolved) == (1, 0)
    assert figures.to_json()["solved"] == 1
    table = render_table(figures).splitlines()
    assert any(row.startswith("answered solved") and row.endswith(" 1") for row in table)
    assert any(row.startswith("answered not solved") and row.endswith(" 0") for row in table)
    exposition = (await client.get("/metrics")).text
    assert 'mailmove_feedback_total{answer="solved",channel="webchat"} 1.0' in exposition


async def test_not_solved_after_a_close_offers_a_person_again(tmp_path: Path) -> None:
    receiver = Desk()
    with serving(receiver.app()) as url:
        app = build_app(settings_for(tmp_path, f"{url}/hook"), clock=fixed_clock())
        async for client in client_for(app):
            chat, asked = await closed(client)
            await chat.send(choice=feedback.UNSOLVED, question=asked["question"])
            await app.state.runtime.tasks.idle()
            page = (await client.get(f"/api/webchat/conversations/{chat.id}/messages")).json()
            # Handed to the desk again: a person answers next.
            assert page["owner"] == "queue"
            assert len(receiver.received) == 1
            said = json.dumps(page["messages"][-4:], ensure_ascii=False)
            assert "お役に立てず、申し訳ありません。" in said
            # Why, as the desk reads it: not 「設定変更後も「うまくいかない」とのこと」, said of
            # a subscriber who may never have had the settings.
            assert json.loads(receiver.received[0][0])["reason"] == (
                "担当者が会話を終了した後、お客様が「解決しない」と回答した"
            )
            listed = await client.get("/api/agent/conversations?desk=true", headers=HEADERS)
            check("/api/agent/conversations", "get", 200, listed.json())
            assert [c["reason"] for c in listed.json()["conversations"]] == ["unsolved_after_close"]


async def test_not_solved_after_a_close_hands_over_what_the_subscriber_told(
    tmp_path: Path,
) -> None:
    # A close starts the next message afresh: 「解決しない」 reached the agent as
    # 「メールアドレス未確認」 with no answers, and a hand-back asked the first question again.
    receiver = Desk()
    with serving(receiver.app()) as url:
        app = build_app(settings_for(tmp_path, f"{url}/hook"), clock=fixed_clock())
        async for client in client_for(app):
            chat = await Chat.start(client)
            await chat.send(choice="yes")
            await chat.send(choice="no")
            await chat.send(text="taro@vp.117.ne.jp")
            await chat.send(choice="program:thunderbird")
            await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
            assert (await client.post(CLOSE.format(key=chat.key), headers=HEADERS)).is_success
            asked: dict[str, Any] = (await chat.history())[-1]
            await chat.send(choice=feedback.UNSOLVED, question=asked["question"])
            await app.state.runtime.tasks.idle()
            told = {
                "address": "taro@vp.117.ne.jp",
                "program": "thunderbird",
                "answers": {"q1_mail_program": "yes", "q2_other_network": "no"},
                "receiving": "required",
                "sending": "recommended",
            }
            read = await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)
            assert {k: read.json()[k] for k in told} == told
            # The earlier lines are the same conversation's, for the agent to read.
            assert any(line["text"] == "taro@vp.117.ne.jp" for line in read.json()["transcript"])
            hook = json.loads(receiver.received[0][0])
            assert {k: hook[k] for k in told} == told
            # Handed back with nothing more: carried on from where they were, not from Q1.
            await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
            handed = await client.post(
                f"/api/agent/conversations/{chat.key}/handback", headers=HEADERS, json={}
            )
            assert handed.json()["stage"] == "ask_smtp_host"
            said = json.dumps(handed.json()["replies"], ensure_ascii=False)
            assert "メールの送受信に" not in said
            assert "プロバイダや" not in said


@pytest.mark.parametrize("typed", ["担当者と話したい", "まだです"])
async def test_a_person_asked_for_after_a_close_is_handed_what_the_subscriber_told(
    client: httpx.AsyncClient, typed: str
) -> None:
    # 「担当者と話したい」 under the close's 「解決しましたか？」 greeted a new conversation and
    # handed it over empty: the agent saw 「メールアドレス未確認」 and no answers.
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    await chat.send(text="taro@vp.117.ne.jp")
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    assert (await client.post(CLOSE.format(key=chat.key), headers=HEADERS)).is_success
    await chat.send(text=typed)
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
    assert read["holder"] == "queue"
    assert (read["address"], read["answers"]) == ("taro@vp.117.ne.jp", {"q1_mail_program": "yes"})


async def test_a_person_asked_for_after_the_subscriber_left_starts_afresh(
    client: httpx.AsyncClient,
) -> None:
    # A close that asked nothing (the subscriber left: the web chat's 「最初から」, Telegram
    # blocked) forgets what was said: the next conversation's agent is not shown it.
    chat = await Chat.start(client)
    await chat.send(choice="yes")
    await chat.send(text="taro@vp.117.ne.jp")
    await chat.send(text="担当者と話したい")
    left = await client.post(f"/api/webchat/conversations/{chat.id}/close", json={})
    assert left.is_success, left.text
    await chat.send(text="担当者と話したい")
    read = (await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)).json()
    assert read["holder"] == "queue"
    assert (read["address"], read["answers"]) == (None, {})


async def test_the_settings_end_with_the_question_in_the_web_chat(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    chat = await Chat.start(client)
    await chat.send(choice="settings")
    await chat.send(choice="skip")
    replies = await chat.send(choice="program:thunderbird")
    if not any(r["type"] == "settings" for r in replies):
        replies = await chat.send(choice="yes")
    kinds = [r["type"] for r in replies]
    assert "settings" in kinds
    # The last word, alone: 「ほかにお手伝い…」 comes once it is answered.
    asked = replies[-1]
    assert asked["text"] == "解決しましたか？"
    answered = await chat.send(text="できました")
    assert answered[0]["text"] == THANKS
    day = dt.date(2008, 6, 1)
    figures = await collect(app.state.runtime.engine.store, day, day, "Asia/Tokyo")
    assert figures.solved == 1


@pytest.mark.parametrize("answer", [feedback.SOLVED, feedback.UNSOLVED])
async def test_an_answer_after_a_close_is_not_a_new_conversation(
    app: Starlette, client: httpx.AsyncClient, answer: str
) -> None:
    chat, asked = await closed(client)
    await chat.send(choice=answer, question=asked["question"])
    day = dt.date(2008, 6, 1)
    figures = await collect(app.state.runtime.engine.store, day, day, "Asia/Tokyo")
    # The one chat started once; its answer to 「解決しましたか？」 is counted as an answer.
    assert figures.started == 1
    assert (figures.solved, figures.unsolved) == ((1, 0) if answer == feedback.SOLVED else (0, 1))


@pytest.mark.parametrize(
    ("typed", "solved"),
    [("はい", True), ("解決しました", True), ("いいえ", False), ("まだです", False)],
)
async def test_an_answer_typed_after_a_close_answers_the_question(
    app: Starlette, client: httpx.AsyncClient, typed: str, solved: bool
) -> None:
    # On LINE or Telegram a subscriber types as often as they press: 「はい」 under the
    # close's 「解決しましたか？」 was greeted as a new conversation and asked the first
    # question, the answer uncounted.
    chat, _ = await closed(client)
    replies = await chat.send(text=typed)
    said = [r["text"] for r in replies]
    if solved:
        assert said == [THANKS]
    else:
        assert said[0] == "お役に立てず、申し訳ありません。"
    day = dt.date(2008, 6, 1)
    figures = await collect(app.state.runtime.engine.store, day, day, "Asia/Tokyo")
    assert (figures.started, figures.solved, figures.unsolved) == (1, int(solved), int(not solved))
    # Answered: the next words are the conversation's, not another answer.
    again = [r["text"] for r in await chat.send(text="はい")]
    assert THANKS not in again


@pytest.mark.parametrize("answer", [{"choice": feedback.SOLVED}, {"text": "yes"}])
async def test_an_english_chat_is_answered_in_english_after_a_close(
    client: httpx.AsyncClient, answer: dict[str, str]
) -> None:
    # The subscriber chose English; the agent's close asked 「Did this solve your problem?」
    # in English, and the answer was thanked in Japanese (the new conversation took the
    # platform's language, or the default), as was their next message.
    chat = await Chat.start(client)
    await chat.send(text="English please")
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    assert (await client.post(CLOSE.format(key=chat.key), headers=HEADERS)).status_code == 200
    asked: dict[str, Any] = (await chat.history())[-1]
    assert asked["reply"]["text"].endswith("Did this solve your problem?")
    pressed = {"question": str(asked["question"])} if "choice" in answer else {}
    replies = await chat.send(**answer, **pressed)
    assert [r["text"] for r in replies] == ["Thank you for telling us. We are glad it is solved."]
    after = await chat.send(text="hello")
    assert after[0]["text"] == "Hello. I can help you change your mail settings."


@pytest.mark.parametrize("handed", [True, False], ids=["from the queue", "the bot's"])
async def test_a_close_no_agent_wrote_in_tells_of_no_exchange_with_one(
    app: Starlette, client: httpx.AsyncClient, handed: bool
) -> None:
    # Closed from the queue, or a conversation the bot still had, it said
    # 「担当者とのやり取りは以上です」: the subscriber never heard from a person.
    chat = await Chat.start(client)
    if handed:
        await chat.send(text="担当者と話したい")
    assert (await client.post(CLOSE.format(key=chat.key), headers=HEADERS)).status_code == 200
    await app.state.runtime.tasks.idle()
    asked: dict[str, Any] = (await chat.history())[-1]
    text = asked["reply"]["text"]
    assert text.startswith("このお問い合わせは、サポート窓口にて終了いたしました。")
    assert "担当者とのやり取り" not in text
    assert text.endswith("解決しましたか？")


async def test_a_close_after_an_agent_wrote_ends_the_exchange_with_them(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    chat = await Chat.start(client)
    await chat.send(text="English please")
    await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    written = await client.post(
        f"/api/agent/conversations/{chat.key}/messages",
        headers=HEADERS,
        json={"text": "Your settings look right now."},
    )
    assert written.status_code == 201
    assert (await client.post(CLOSE.format(key=chat.key), headers=HEADERS)).status_code == 200
    await app.state.runtime.tasks.idle()
    asked: dict[str, Any] = (await chat.history())[-1]
    assert asked["reply"]["text"].startswith("The agent has closed this conversation.")
    # Taken again to follow it up and closed without a word: no exchange this time.
    assert (
        await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    ).status_code == 200
    assert (await client.post(CLOSE.format(key=chat.key), headers=HEADERS)).status_code == 200
    await app.state.runtime.tasks.idle()
    again: dict[str, Any] = (await chat.history())[-1]
    assert again["reply"]["text"].startswith("Our support desk has closed this conversation.")
