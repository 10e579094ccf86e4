"""Where the bot carries on after a hand-back, through the agent API on the web chat."""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.desk.test_agent_api import Chat, client_for
from tests.bot.desk.test_long_conversations_listed import AGENT, TOKEN


async def test_a_handback_to_the_login_check_sends_the_check_link(tmp_path: Path) -> None:
    # 「ログイン確認から」: the bot sent the settings card and the whole guide, as for
    # 「設定のご案内から」, with the check as one button among five.
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        facts = {
            "address": "taro@vp.117.ne.jp",
            "program": "thunderbird",
            "smtp_host": "old",
            "step": "check",
        }
        back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
        assert back.status_code == 200
        kinds = [reply["type"] for reply in back.json()["replies"]]
        assert "settings" not in kinds
        assert "link" in kinds
        read = (await client.get(url, headers=AGENT)).json()
        lines = [line["text"] for line in read["transcript"] if line["author"] == "system"]
        assert "handback: agent=佐藤 step=check" in lines


@pytest.mark.parametrize(
    "typed", ["ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ", "taro＠vp.117.ne.jp", "Taro@VP.117.ne.jp"]
)
async def test_an_address_handed_back_is_read_as_the_chat_reads_it(
    typed: str, tmp_path: Path
) -> None:
    # Copied from a subscriber's full-width words, it was refused ('address must be one
    # e-mail address and nothing else'); in capitals it was kept so, where the chat keeps
    # the address as its grammar reads it (the card's login name, the login check's).
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        back = await client.post(f"{url}/handback", headers=AGENT, json={"address": typed})
        assert back.status_code == 200, back.text
        assert back.json()["address"] == "taro@vp.117.ne.jp"


@pytest.mark.parametrize(
    "typed", ["taro@vp.117.ne.jp です", "taro@vp.117.ne.jp\r\nRCPT TO:<x@example.com>"]
)
async def test_an_address_with_anything_else_is_still_refused(typed: str, tmp_path: Path) -> None:
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        back = await client.post(f"{url}/handback", headers=AGENT, json={"address": typed})
        assert back.status_code == 422


@pytest.mark.parametrize(
    "text",
    [
        "The password is case-sensitive.",
        "Do not type your password anywhere but in your mail program.",
        "The password is the app password issued on the member page.",
        "Your password isn't changing.",
        "パスワードは「さくら」ではなく、会員証に記載のものです。",
        "パスワードはマイページ(https://www.117.ne.jp/mypage)から再設定できます。",
        "Your new password (set it first on the member page) goes in the Password field.",
    ],
)
async def test_an_agent_may_write_about_passwords(text: str, tmp_path: Path) -> None:
    # Read as a subscriber's words, each of these masked an ordinary word after "password"
    # ('case-sensitive', 'anywhere'), and the agent's message was refused with 422.
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        sent = await client.post(f"{url}/messages", headers=AGENT, json={"text": text})
        assert sent.status_code == 201, sent.text


@pytest.mark.parametrize(
    "text",
    [
        "仮パスワードは Abc12345 です",
        "新しいパスワード: Kq7xyz99",
        "Your temporary password is KqXyzAb",
        "password: abc!def",
    ],
)
async def test_an_agents_message_with_a_password_is_refused(text: str, tmp_path: Path) -> None:
    # A password typed to the subscriber was stored in the transcript as written (and sent):
    # the chat never carries a password, the agent's words no more than the subscriber's.
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        sent = await client.post(f"{url}/messages", headers=AGENT, json={"text": text})
        assert sent.status_code == 422
        assert "password" in sent.json()["error"]
        read = (await client.get(url, headers=AGENT)).json()
        assert not [line for line in read["transcript"] if line["author"] == "agent"]
        ordinary = "パスワードは変わりません。今お使いのパスワードをそのままお使いください。"
        fine = await client.post(f"{url}/messages", headers=AGENT, json={"text": ordinary})
        assert fine.status_code == 201
        # Where to reset one is no password: the page's address is sent.
        reset = "パスワードの再発行は https://www.117.ne.jp/support/ からお願いします。"
        page = await client.post(f"{url}/messages", headers=AGENT, json={"text": reset})
        assert page.status_code == 201, page.text
