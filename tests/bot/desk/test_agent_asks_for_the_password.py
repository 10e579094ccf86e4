"""An agent asks for the password; the subscriber's answer alone is masked (desk7).

The chat never asks for a password, but an agent may: 「念のため、パスワードを教えていただけます
か？」. The subscriber answers with the password alone (「Zk2mWq9p」), which no password word
names, and it was kept as typed: in the SQLite file, the console's transcript (from which an
agent then copied it back into a reply) and the desks' copies. After such words the next
message is read as after 「パスワードは」: a token alone is masked, a sentence is kept.
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from pathlib import Path

import httpx
import pytest
from starlette.applications import Starlette

from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.redaction import asks_for_a_password
from testbed.clock import fixed_clock
from testbed.disk import files_holding
from tests.bot.desk.test_agent_api import Chat, client_for

SATO = "sato-token-0123456789"
HEADERS = {"Authorization": f"Bearer {SATO}"}


@pytest.fixture
def app(tmp_path: Path) -> Starlette:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", agent_tokens=(f"佐藤:{SATO}",))
    return build_app(settings, clock=fixed_clock())


@pytest.fixture
async def client(app: Starlette) -> AsyncIterator[httpx.AsyncClient]:
    async for client in client_for(app):
        yield client


async def taken(client: httpx.AsyncClient) -> Chat:
    chat = await Chat.start(client)
    await chat.send(text="担当者と話したい")
    answer = await client.post(f"/api/agent/conversations/{chat.key}/take", headers=HEADERS)
    assert answer.status_code == 200, answer.text
    return chat


async def agent_says(client: httpx.AsyncClient, chat: Chat, text: str) -> None:
    url = f"/api/agent/conversations/{chat.key}/messages"
    answer = await client.post(url, headers=HEADERS, json={"text": text})
    assert answer.status_code == 201, answer.text


async def seen_by_the_agent(client: httpx.AsyncClient, chat: Chat) -> list[str]:
    read = await client.get(f"/api/agent/conversations/{chat.key}", headers=HEADERS)
    return [line["text"] for line in read.json()["transcript"] if line["author"] == "subscriber"]


@pytest.mark.parametrize(
    ("asked", "answer", "secret"),
    [
        (
            "念のため、ログインに使っているパスワードを教えていただけますか？",
            "Zk2mWq9p",
            "Zk2mWq9p",
        ),
        ("パスワードは何ですか", "sakura123です", "sakura123"),
        ("Could you tell me your password?", "Hq4tRw8z", "Hq4tRw8z"),
    ],
)
async def test_a_password_sent_alone_after_an_agent_asked_for_it_is_masked(
    app: Starlette,
    client: httpx.AsyncClient,
    tmp_path: Path,
    asked: str,
    answer: str,
    secret: str,
) -> None:
    chat = await taken(client)
    await agent_says(client, chat, asked)
    url = f"/api/webchat/conversations/{chat.id}/messages"
    sent = (await client.post(url, json={"text": answer})).json()
    assert sent["said"] == answer.replace(secret, "********")
    assert (await seen_by_the_agent(client, chat))[-1] == answer.replace(secret, "********")
    # The agent, who cannot read it, cannot paste it back into a reply either.
    store = app.state.runtime.engine.store
    await store.close()
    assert not files_holding(tmp_path, secret.encode())
    await store.open()


async def test_the_password_after_a_word_or_two_is_masked_until_the_agent_writes_again(
    app: Starlette, client: httpx.AsyncClient
) -> None:
    # 「はい」, 「ちょっと待ってください」, then the password: the request still stands.
    chat = await taken(client)
    await agent_says(client, chat, "パスワードを教えていただけますか？")
    for words in ("はい", "え、ここに書いていいんですか？", "0x800CCC92", "Zk2mWq9p"):
        await chat.send(text=words)
    # The agent writes again (asking nothing of a password): a token alone is kept.
    await agent_says(client, chat, "パスワードは再発行になりますので、お電話番号を教えてください。")
    await chat.send(text="09012345678")
    assert (await seen_by_the_agent(client, chat))[-5:] == [
        "はい",
        "え、ここに書いていいんですか？",
        "0x800CCC92",
        "********",
        "09012345678",
    ]
    # Asked again, then handed back: the bot's turns read no agent's request.
    await agent_says(client, chat, "Could you type your password here?")
    back = await client.post(f"/api/agent/conversations/{chat.key}/handback", headers=HEADERS)
    assert back.status_code == 200, back.text
    record = await app.state.runtime.engine.store.load(chat.key)
    assert record is not None
    assert not record.dialog.password_asked


@pytest.mark.parametrize(
    "words",
    [
        "ログインできるか確認したいので、パスワードを教えていただけますでしょうか。",
        "お手数ですが、メールのパスワードをご入力いただけますか",
        "パスワードをお伺いしてもよろしいですか",
        "メールアドレスとパスワードを教えてください",
        "お使いのパスワードを、こちらにご記入ください。",
        "パスワード、教えてもらえますか？",
        "パスワードは覚えていらっしゃいますか？",
        "Please share your login details (email and password).",
        "What password are you using?",
        "May I have your password?",
    ],
)
def test_an_agents_request_for_the_password_is_read_as_one(words: str) -> None:
    assert asks_for_a_password(words)


@pytest.mark.parametrize(
    "words",
    [
        "パスワードは今回の移行で変わりませんので、そのままお使いください。",
        "パスワードは再発行になりますので、お電話番号を教えていただけますか？",
        "パスワードはチャットに書かないでください。",
        "The password is case-sensitive.",
        "パスポートをお持ちですか？",
        "メールアドレスを教えてください。",
    ],
)
def test_words_about_a_password_that_ask_for_none_are_no_request(words: str) -> None:
    assert not asks_for_a_password(words)
