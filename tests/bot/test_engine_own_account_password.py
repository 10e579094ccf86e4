"""A password beside the subscriber's own account name is stored masked, and refused of agents.

「taro:Kq7xyz99」「taro / Kq7xyz99」 after the subscriber gave 「taro@vp.117.ne.jp」 were kept in
the transcript as typed, whoever had the conversation; an agent could send them too.
"""

from __future__ import annotations

import dataclasses
from pathlib import Path

import pytest

from bot.engine import Engine
from bot.ops.settings import Settings
from bot.server import build_app
from bot.store.conversation_store import Change, ConversationRecord, Owner, record_key
from bot.store.sqlite_store import SQLiteStore
from dialogs.questionnaire import Stage
from testbed.clock import fixed_clock
from testbed.disk import files_holding
from tests.bot.desk.test_agent_api import Chat, client_for
from tests.bot.desk.test_long_conversations_listed import AGENT, TOKEN
from tests.bot.engine_turns import typed

ADDRESS = "taro@vp.117.ne.jp"


async def with_address(store: SQLiteStore, key: str, owner: Owner | None = None) -> None:
    """The conversation's record as if the subscriber had given `ADDRESS` (and `owner` has it)."""
    record = await store.load(key)
    assert record is not None
    dialog = dataclasses.replace(record.dialog, address=ADDRESS, stage=Stage.Q1_MAIL_PROGRAM)
    changed = dataclasses.replace(record, dialog=dialog, owner=owner or record.owner)

    def put(_: ConversationRecord | None) -> Change[None]:
        return Change(changed, [], None)

    await store.transact(key, None, put)


@pytest.mark.parametrize("owner", [None, Owner.AGENT])
@pytest.mark.parametrize("text", ["taro:Kq7xyz99", "taro / Kq7xyz99"])
async def test_the_password_beside_the_account_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, text: str, owner: Owner | None
) -> None:
    await engine.handle(typed("e1", "hi"))
    key = record_key("test", "c1")
    await with_address(store, key, owner)
    outcome = await engine.handle(typed("e2", text))
    lines = await store.transcript(key)
    stored = [line.text for line in lines if line.author == "subscriber"][-1]
    assert stored == text.replace("Kq7xyz99", "********")
    if owner is None:
        assert any("パスワード" in getattr(reply, "text", "") for reply in outcome.replies)
    else:
        assert outcome.for_agent == stored
    await store.close()
    assert not files_holding(tmp_path, b"Kq7xyz99")
    await store.open()


@pytest.mark.parametrize("text", ["taro: 10:30 に電話します", "taro: vpop.117.ne.jp:995"])
async def test_a_time_or_a_host_beside_the_account_is_kept(
    engine: Engine, store: SQLiteStore, text: str
) -> None:
    await engine.handle(typed("e1", "hi"))
    key = record_key("test", "c1")
    await with_address(store, key)
    await engine.handle(typed("e2", text))
    lines = await store.transcript(key)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == text


@pytest.mark.parametrize(
    ("text", "status"),
    [
        ("taro:Kq7xyz99", 422),
        ("taro / Kq7xyz99", 422),
        ("ｔａｒｏ：Ｋｑ７ｘｙｚ９９", 422),
        ("taro: 10:30 にお電話します", 201),
    ],
)
async def test_an_agent_is_refused_the_password_beside_the_account(
    tmp_path: Path, text: str, status: int
) -> None:
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        await with_address(app.state.runtime.engine.store, chat.key)
        sent = await client.post(f"{url}/messages", headers=AGENT, json={"text": text})
        assert sent.status_code == status, sent.text
        read = (await client.get(url, headers=AGENT)).json()
        stored = [line["text"] for line in read["transcript"] if line["author"] == "agent"]
        assert stored == ([text] if status == 201 else [])
        if status == 422:
            assert sent.json()["reason"] == "password"


async def test_an_address_given_in_the_message_names_the_account(
    engine: Engine, store: SQLiteStore, tmp_path: Path
) -> None:
    # The dialog knows no address yet: the message gives it, then the login written down.
    await engine.handle(typed("e1", "hi"))
    await engine.handle(typed("e2", "taro@vp.117.ne.jp です。taro / Kq7xyz99 で設定しています"))
    lines = await store.transcript(record_key("test", "c1"))
    stored = [line.text for line in lines if line.author == "subscriber"][-1]
    assert stored == "taro@vp.117.ne.jp です。taro / ******** で設定しています"
    await store.close()
    assert not files_holding(tmp_path, b"Kq7xyz99")
    await store.open()


async def test_an_agent_is_refused_a_login_written_beside_its_address(tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        text = "taro@vp.117.ne.jp のログインは taro / Kq7xyz99 です"
        sent = await client.post(f"{url}/messages", headers=AGENT, json={"text": text})
        assert sent.status_code == 422, sent.text
        assert sent.json()["reason"] == "password"


@pytest.mark.parametrize("first", ["taro /", "taro:", "ログインは taro@vp.117.ne.jp /"])
async def test_a_password_sent_after_the_account_and_a_slash_is_stored_masked(
    engine: Engine, store: SQLiteStore, tmp_path: Path, first: str
) -> None:
    # Sent in two messages, as 「パスワードは」 then the password: the name began the pair.
    await engine.handle(typed("e1", "hi"))
    key = record_key("test", "c1")
    await with_address(store, key)
    await engine.handle(typed("e2", first))
    await engine.handle(typed("e3", "Kq7xyz99"))
    lines = await store.transcript(key)
    assert [line.text for line in lines if line.author == "subscriber"][-2:] == [first, "********"]
    await store.close()
    assert not files_holding(tmp_path, b"Kq7xyz99")
    await store.open()


@pytest.mark.parametrize(
    ("first", "then"), [("taro:", "Outlook2016"), ("私の名前はtaro、", "Kq7xyz99")]
)
async def test_an_answer_after_the_account_alone_is_kept(
    engine: Engine, store: SQLiteStore, first: str, then: str
) -> None:
    await engine.handle(typed("e1", "hi"))
    key = record_key("test", "c1")
    await with_address(store, key)
    await engine.handle(typed("e2", first))
    await engine.handle(typed("e3", then))
    lines = await store.transcript(key)
    assert [line.text for line in lines if line.author == "subscriber"][-1] == then
