"""An agent hands a conversation to a named colleague from the console (「ほかの担当者に渡す」).

佐藤 has the conversation; the button asks for the colleague's name and hands it on: the page
shows 鈴木 as the holder and the line 「佐藤が鈴木に対応を引き継ぎました」, 佐藤's reply box goes
(a take-over would be needed now), and the subscriber's chat says who takes over.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, expect

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.browser import chromium

SATO: Final = "7c2e9a4f1b8d3065e2c7a9f14b8d3e61"
expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("transfer")
    settings = Settings(
        store_url=f"sqlite:///{folder}/transfer.sqlite3", agent_tokens=(f"佐藤:{SATO}",)
    )
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_the_console_hands_a_conversation_to_a_named_colleague(
    browser: Browser, base_url: str
) -> None:
    with httpx.Client(base_url=base_url) as client:
        chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        key = key_of(chat)
        client.post(f"/api/webchat/conversations/{chat}/messages", json={"text": "送信できません"})
        bearer = {"Authorization": f"Bearer {SATO}"}
        assert client.post(f"/api/agent/conversations/{key}/take", headers=bearer).is_success
        context = browser.new_context(base_url=base_url, locale="ja-JP")
        try:
            console = context.new_page()
            errors: list[str] = []
            console.on("pageerror", lambda error: errors.append(str(error)))
            console.goto(f"/agent/#{key}")
            console.locator("#token").fill(SATO)
            console.locator("#token").press("Enter")
            expect(console.locator("#whoami")).to_be_visible()
            console.get_by_role("button", name="ほかの担当者に渡す").click()
            dialog = console.get_by_role("dialog", name="ほかの担当者に渡しますか？")
            expect(dialog).to_be_visible()
            name = dialog.get_by_label("渡す相手の名前（コンソールでサインインしている名前）")
            expect(name).to_be_focused()
            # No name: said in the dialog, nothing sent.
            dialog.get_by_role("button", name="渡す", exact=True).click()
            expect(dialog.get_by_role("alert")).to_have_text("渡す相手の名前を入力してください。")
            name.fill("鈴木")
            dialog.get_by_role("button", name="渡す", exact=True).click()
            expect(dialog).to_be_hidden()
            expect(console.locator("#flash")).to_have_text("鈴木さんに渡しました。")
            expect(console.locator("#transcript")).to_contain_text(
                "佐藤が鈴木に対応を引き継ぎました"
            )
            # 鈴木's now: 佐藤 may take it back, not write to it.
            expect(console.locator("#take-over")).to_be_visible()
            expect(console.locator("#reply-form")).to_be_hidden()
            expect(console.get_by_role("button", name="ほかの担当者に渡す")).to_be_disabled()
            assert not errors, errors
        finally:
            context.close()
        page = client.get(f"/api/webchat/conversations/{chat}/messages").json()
        assert page["agent"] == "鈴木"
        assert "サポート担当の鈴木が引き継いで" in str(page["messages"])
