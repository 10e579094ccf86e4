"""An address typed while an agent has the address question is the hand-back's address.

The address question stays on the subscriber's screen after the handoff; its answer typed
then reached the agent only, and the bot, given the conversation back, asked for the address
again. Now it is the conversation's address at once, as a pressed answer is: the agent sees
it among the facts (the console's hand-back form starts from it, and can change it, for the
agent may have asked for another), and a hand-back naming no address carries on with it,
saying so to the subscriber.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import Chat, client_for
from tests.bot.desk.test_long_conversations_listed import AGENT, TOKEN

ADDRESS_QUESTION = "メールアドレスを入力してください"
TYPED = "担当者とのやり取りの中でお書きいただいたメールアドレス（taro@vp.117.ne.jp）"


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        yield client


async def at_the_address_with_an_agent(client: httpx.AsyncClient) -> Chat:
    chat = await Chat.start(client)
    url = f"/api/webchat/conversations/{chat.id}/messages"
    asked = (await client.post(url, json={"choice": "settings"})).json()
    assert ADDRESS_QUESTION in asked["replies"][-1]["text"]
    await chat.send(text="担当者と話したい")
    agent_url = f"/api/agent/conversations/{chat.key}"
    assert (await client.post(f"{agent_url}/take", headers=AGENT, json={})).status_code == 200
    return chat


def said(body: dict[str, object]) -> str:
    replies = body["replies"]
    assert isinstance(replies, list)
    return "\n".join(str(reply.get("text", "")) for reply in replies)


async def test_the_address_typed_is_a_fact_and_the_hand_back_goes_on_from_it(
    client: httpx.AsyncClient,
) -> None:
    chat = await at_the_address_with_an_agent(client)
    assert await chat.send(text="ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ です") == []
    url = f"/api/agent/conversations/{chat.key}"
    await client.post(
        f"{url}/messages", headers=AGENT, json={"text": "承知しました。", "event_id": "a1"}
    )
    # The agent sees it as the conversation's address (the console's form starts from it).
    assert (await client.get(url, headers=AGENT)).json()["address"] == "taro@vp.117.ne.jp"
    back = await client.post(f"{url}/handback", headers=AGENT, json={})
    assert back.status_code == 200, back.text
    assert (back.json()["address"], back.json()["stage"]) == ("taro@vp.117.ne.jp", "ask_program")
    words = said(back.json())
    assert ADDRESS_QUESTION not in words
    # Said back to the subscriber, who can see which address the settings are for.
    assert TYPED in words


async def test_the_agents_address_wins(client: httpx.AsyncClient) -> None:
    # The agent asked for another address, or put it right: the hand-back's is the one.
    chat = await at_the_address_with_an_agent(client)
    await chat.send(text="taro@vp.117.ne.jp")
    url = f"/api/agent/conversations/{chat.key}"
    back = await client.post(
        f"{url}/handback", headers=AGENT, json={"address": "hanako@vp.117.ne.jp"}
    )
    assert back.json()["address"] == "hanako@vp.117.ne.jp"
    assert "taro@vp.117.ne.jp" not in said(back.json())


@pytest.mark.parametrize(
    "typed", ["taro@example.com です", "アドレスは後で調べます"], ids=["elsewhere", "none"]
)
async def test_no_address_of_the_migration_is_no_answer(
    client: httpx.AsyncClient, typed: str
) -> None:
    chat = await at_the_address_with_an_agent(client)
    await chat.send(text=typed)
    url = f"/api/agent/conversations/{chat.key}"
    assert (await client.get(url, headers=AGENT)).json()["address"] is None
    back = await client.post(f"{url}/handback", headers=AGENT, json={})
    assert back.json()["stage"] == "ask_address"


async def test_the_address_as_the_last_words_is_not_answered_twice(
    client: httpx.AsyncClient,
) -> None:
    # Nothing written after it: the address is the subscriber's last words, which the bot
    # answers at a hand-back when it can; carrying on from it is the answer.
    chat = await at_the_address_with_an_agent(client)
    await chat.send(text="taro@vp.117.ne.jp")
    url = f"/api/agent/conversations/{chat.key}"
    back = await client.post(f"{url}/handback", headers=AGENT, json={})
    assert back.json()["stage"] == "ask_program"
    words = said(back.json())
    assert words.count("taro@vp.117.ne.jp") == 1
    assert words.endswith("お使いのメールソフトを選んでください。")
    handback = next(
        line["text"]
        for line in (await client.get(url, headers=AGENT)).json()["transcript"]
        if line["text"].startswith("handback:")
    )
    assert "unanswered" not in handback


async def test_the_address_said_back_fits_a_hand_back_to_the_login_check(
    client: httpx.AsyncClient,
) -> None:
    # 「ログイン確認から」: the check's link follows, not the settings.
    chat = await at_the_address_with_an_agent(client)
    await chat.send(text="taro@vp.117.ne.jp")
    url = f"/api/agent/conversations/{chat.key}"
    back = await client.post(f"{url}/handback", headers=AGENT, json={"step": "check"})
    words = said(back.json())
    assert f"{TYPED}で進めます。" in words
    assert "ログイン確認ページを開く" in words


async def test_nothing_is_said_of_the_address_where_nothing_is_to_be_changed(
    client: httpx.AsyncClient,
) -> None:
    # The agent found the subscriber uses webmail alone: 「…アドレスで進めます」 before
    # 「設定の変更は必要ありません」 goes on with nothing.
    chat = await at_the_address_with_an_agent(client)
    await chat.send(text="taro@vp.117.ne.jp")
    url = f"/api/agent/conversations/{chat.key}"
    facts = {"answers": {"q1_mail_program": "no"}}
    back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
    words = said(back.json())
    assert "設定の変更は必要ありません" in words
    assert TYPED not in words
