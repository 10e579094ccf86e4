"""「ほかの担当者に渡す」 where every agent signs in with a token of her own.

佐藤 typed 「鈴木さん」, as a Japanese colleague is spoken of: the conversation went to a
name nobody signs in with, the subscriber read 「サポート担当の鈴木さんが引き継いで」, the
console flashed 「鈴木さんさんに渡しました。」, and 鈴木's replies were refused. Now 鈴木 has
it and the flash names her as the API found her; a name nobody signs in with (「すずき」) is
refused in the dialog, naming the colleagues who do, and nothing changes hands.
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
SUZUKI: Final = "e4a19c0b7d2f8356a1c9e7b04d2f6a83"
expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("transfer_named")
    settings = Settings(
        store_url=f"sqlite:///{folder}/transfer.sqlite3",
        agent_tokens=(f"佐藤:{SATO}", f"鈴木:{SUZUKI}"),
    )
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_a_colleague_named_with_san_or_misspelt_is_found_or_refused(
    browser: Browser, base_url: str
) -> None:
    bearer = {"Authorization": f"Bearer {SATO}"}
    with httpx.Client(base_url=base_url) as client:
        chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        key = key_of(chat)
        client.post(f"/api/webchat/conversations/{chat}/messages", json={"text": "送信できません"})
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
            name = dialog.get_by_label("渡す相手の名前（コンソールでサインインしている名前）")
            name.fill("すずき")
            dialog.get_by_role("button", name="渡す", exact=True).click()
            expect(dialog.get_by_role("alert")).to_have_text(
                "この名前でサインインしている担当者はいません。渡す相手の名前は、その人が"
                "サインインするときの名前のとおりに入力してください（鈴木）。"
            )
            expect(console.locator("#reply-form")).to_be_visible()
            name.fill("鈴木さん")
            dialog.get_by_role("button", name="渡す", exact=True).click()
            expect(dialog).to_be_hidden()
            expect(console.locator("#flash")).to_have_text("鈴木さんに渡しました。")
            expect(console.locator("#transcript")).to_contain_text(
                "佐藤が鈴木に対応を引き継ぎました"
            )
            assert not errors, errors
        finally:
            context.close()
        page = client.get(f"/api/webchat/conversations/{chat}/messages").json()
        assert page["agent"] == "鈴木"
        told = [str(line.get("reply")) for line in page["messages"]]
        assert sum("サポート担当の鈴木が引き継いで" in line for line in told) == 1
        assert not any("鈴木さんが" in line for line in told)
        # 鈴木 writes to the subscriber without taking it first.
        body = {"text": "鈴木です。", "event_id": "s1"}
        wrote = client.post(
            f"/api/agent/conversations/{key}/messages",
            headers={"Authorization": f"Bearer {SUZUKI}"},
            json=body,
        )
        assert wrote.status_code == 201, wrote.text
