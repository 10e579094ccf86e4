"""Where the bot carries on after a hand-back, through the agent API on the web chat."""

from __future__ import annotations

from pathlib import Path
from typing import Final

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


# An agent writes about passwords all day; read as a subscriber's words, the word after
# "password" was masked ('case-sensitive', 'anywhere') and such messages were refused.
ABOUT_PASSWORDS: Final = (
    "パスワードは変わりません。今のパスワードをそのままお使いください。",
    "パスワードの再発行は https://www.117.ne.jp/support/ からお願いします。",
    "The password is case-sensitive.",
    "Do not type your password anywhere but in your mail program.",
    "The password is the app password issued on the member page.",
    "Your password isn't changing.",
    "パスワードは「さくら」ではなく、会員証に記載のものです。",
    "パスワードはマイページ(https://www.117.ne.jp/mypage)から再設定できます。",
    "Your new password (set it first on the member page) goes in the Password field.",
    # The provider's name beside the word (the running profile's) was taken for a password.
    "パスワードは117netのマイページで再設定できます。",
    # A state asked about, and a noun said of a password (privacy4's look-alikes).
    "パスワードはそのままでいいですか？",
    "パスワードは半角英数字です。",
    # Another service's server named after the word, a password written with dots (desk5).
    "パスワードは mail.google.com では使えません。",
)
# A password typed to the subscriber was stored in the transcript as written (and sent): the
# chat never carries one, the agent's words no more than the subscriber's.
GIVING_ONE: Final = (
    "仮パスワードは Abc12345 です",
    "新しいパスワード: Kq7xyz99",
    "Your temporary password is KqXyzAb",
    "password: abc!def",
    # Letters alone, handed over (they were sent, and kept in the transcript).
    "仮パスワードは sakuraabc です",
    "Your temporary password is sakuraabc.",
    # Kana said back or handed over (privacy3: sent, and kept as written).
    "パスワードは「さくら」ですね？",
    "パスワードはさくらもちですね",
    # Asked back, and a kanji common noun (privacy4: sent, and kept as written).
    "パスワードははなこで合っていますか？",
    "パスワードは桜ですね",
    "仮パスワードは sakura.mochi.jp です",
)


@pytest.mark.parametrize(
    ("text", "status"),
    [*((text, 201) for text in ABOUT_PASSWORDS), *((text, 422) for text in GIVING_ONE)],
)
async def test_an_agents_message_is_refused_only_when_it_gives_a_password(
    text: str, status: int, tmp_path: Path
) -> None:
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        sent = await client.post(f"{url}/messages", headers=AGENT, json={"text": text})
        assert sent.status_code == status, sent.text
        read = (await client.get(url, headers=AGENT)).json()
        stored = [line["text"] for line in read["transcript"] if line["author"] == "agent"]
        assert stored == ([text] if status == 201 else [])
        if status == 422:
            assert "password" in sent.json()["error"]
            assert sent.json()["reason"] == "password"


@pytest.mark.parametrize("step", ["settings", "check"])
async def test_webmail_only_with_the_settings_is_refused(step: str, tmp_path: Path) -> None:
    # Q1 「いいえ」 (webmail only: nothing to change) with the settings or the login check
    # was taken silently: the stored verdict became "change required" for receiving and
    # sending, and the bot sent a webmail user the new settings.
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        facts = {"answers": {"q1_mail_program": "no"}, "step": step, "program": "thunderbird"}
        back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
        assert back.status_code == 422, back.text
        assert back.json()["reason"] == "answers_step"
        assert "q1_mail_program" in back.json()["error"]
        read = (await client.get(url, headers=AGENT)).json()
        assert read["owner"] == "agent"
        assert read["receiving"] is None


async def test_webmail_only_with_the_questionnaire_rests_on_it(tmp_path: Path) -> None:
    # The same answer with the default step is consistent: the bot says nothing changes.
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        facts = {"answers": {"q1_mail_program": "no"}}
        back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
        assert back.status_code == 200, back.text
        assert back.json()["receiving"] == "not_needed"
        assert back.json()["stage"] == "webmail_only"


async def test_the_subscribers_own_webmail_answer_with_the_settings_is_refused(
    tmp_path: Path,
) -> None:
    # The subscriber answered Q1 「いいえ」 themselves; the agent hands back to the settings
    # without answers: the same contradiction, until the agent says Q1 「はい」.
    store = f"sqlite:///{tmp_path}/s.sqlite3"
    app = build_app(Settings(store_url=store, agent_tokens=(f"佐藤:{TOKEN}",)), clock=fixed_clock())
    async for client in client_for(app):
        chat = await Chat.start(client)
        await chat.send(choice="no")
        await chat.send(text="担当者と話したい")
        url = f"/api/agent/conversations/{chat.key}"
        assert (await client.post(f"{url}/take", headers=AGENT, json={})).status_code == 200
        assert (await client.get(url, headers=AGENT)).json()["answers"] == {"q1_mail_program": "no"}
        facts: dict[str, object] = {"step": "settings", "program": "thunderbird"}
        back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
        assert back.status_code == 422, back.text
        assert back.json()["reason"] == "answers_step"
        facts["answers"] = {"q1_mail_program": "yes"}
        back = await client.post(f"{url}/handback", headers=AGENT, json=facts)
        assert back.status_code == 200, back.text
        assert back.json()["receiving"] == "required"
