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
# A shared tool's token, with no name of its own.
BARE: Final = "b81f0c6d2e9a4735c1d8e0f6a2b9c437"
expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("transfer")
    settings = Settings(
        store_url=f"sqlite:///{folder}/transfer.sqlite3", agent_tokens=(f"佐藤:{SATO}", BARE)
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


CLOSED_SAID: Final = (
    "この会話は終了しています。何も変更していません。続けて対応するときは、「対応を引き継ぐ」を"
    "押してください（お客様には、担当者が引き続きご案内することをお伝えします）。"
)


def _held_by_sato(client: httpx.Client) -> str:
    chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
    client.post(f"/api/webchat/conversations/{chat}/messages", json={"text": "送信できません"})
    key = key_of(chat)
    bearer = {"Authorization": f"Bearer {SATO}"}
    assert client.post(f"/api/agent/conversations/{key}/take", headers=bearer).is_success
    return key


def test_a_refused_transfer_or_hand_back_says_why_in_the_agents_language(
    browser: Browser, base_url: str
) -> None:
    # Each read 「入力内容をご確認ください（to: name the colleague who takes the
    # conversation）」, and a hand-back of a conversation closed meanwhile
    # 「この会話はすでにボットに戻っています」.
    bearer = {"Authorization": f"Bearer {SATO}"}
    with httpx.Client(base_url=base_url) as client:
        key = _held_by_sato(client)
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
            alert = dialog.get_by_role("alert")
            for typed, said in (
                (
                    "agent",
                    "この名前では、だれに渡すのかわかりません。渡す相手がコンソールでサインイン"
                    "している名前を、改行などを含めずに入力してください。",
                ),
                (
                    f"鈴木 {BARE}",
                    "渡す相手の名前の欄に、担当者トークンが含まれています。トークンではなく、"
                    "相手がコンソールでサインインしている名前を入力してください。",
                ),
            ):
                name.fill(typed)
                dialog.get_by_role("button", name="渡す", exact=True).click()
                expect(alert).to_have_text(said)
            # Closed by someone else while the dialog was open.
            closed = client.post(f"/api/agent/conversations/{key}/close", headers=bearer)
            assert closed.is_success
            name.fill("鈴木")
            dialog.get_by_role("button", name="渡す", exact=True).click()
            expect(alert).to_have_text(CLOSED_SAID)
            dialog.get_by_role("button", name="キャンセル").click()
            other = _held_by_sato(client)
            console.goto(f"/agent/#{other}")
            console.get_by_role("button", name="ボットに戻す").click()
            handback = console.get_by_role("dialog", name="ボットに戻す")
            expect(handback).to_be_visible()
            assert client.post(f"/api/agent/conversations/{other}/close", headers=bearer).is_success
            handback.locator('button[type="submit"]').click()
            expect(handback.get_by_role("alert")).to_have_text(CLOSED_SAID)
            assert not errors, errors
        finally:
            context.close()


def test_a_shared_token_under_a_named_agents_name_is_told_why_in_english(
    browser: Browser, base_url: str
) -> None:
    # It read 'Please check what you entered (agent: '佐藤' is '佐藤', who holds a named
    # token; a bare token cannot act as them).'
    with httpx.Client(base_url=base_url) as client:
        chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        client.post(f"/api/webchat/conversations/{chat}/messages", json={"text": "hello"})
    context = browser.new_context(base_url=base_url, locale="en-GB")
    try:
        console = context.new_page()
        errors: list[str] = []
        console.on("pageerror", lambda error: errors.append(str(error)))
        console.goto(f"/agent/?lang=en#{key_of(chat)}")
        console.get_by_label("Agent token").fill(BARE)
        console.get_by_label("Your name (shown in the transcript)").fill("佐藤")
        console.get_by_role("button", name="Sign in", exact=True).click()
        console.get_by_role("button", name="Take over", exact=True).click()
        expect(console.locator("#problem-text")).to_have_text(
            '"佐藤" is the name of an agent who has a token of their own: a shared token cannot '
            "act under it. Sign out, then sign in again with your own name. If you are 佐藤, "
            "sign in with your own token."
        )
        assert not errors, errors
    finally:
        context.close()
