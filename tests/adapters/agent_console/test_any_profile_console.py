"""The console's hand-back offers the running profile's questions, not the seed's four.

With `examples/imap-move.toml` (two questions, its own ids and button words), in real
headless Chromium against the real server on loopback; Playwright's auto-waiting, no sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, expect

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.adapters.agent_console.test_browser import DESKTOP, TOKEN, owner_badge, sign_in
from tests.browser import chromium

PROFILE: Final = Path(__file__).resolve().parents[3] / "examples" / "imap-move.toml"

expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("console-imap")
    settings = Settings(
        store_url=f"sqlite:///{folder}/console.sqlite3",
        agent_tokens=(TOKEN,),
        profile_path=PROFILE,
    )
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_the_handback_dialog_asks_the_profiles_questions(browser: Browser, base_url: str) -> None:
    with httpx.Client(base_url=base_url, timeout=10) as chat:
        conversation = chat.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        said = chat.post(
            f"/api/webchat/conversations/{conversation}/messages", json={"choice": "yes"}
        )
        assert said.status_code == 200
    key = key_of(conversation)
    context = browser.new_context(viewport=DESKTOP, locale="ja-JP", base_url=base_url)
    errors: list[str] = []
    try:
        page = context.new_page()
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.goto(f"/agent/#{key}")
        sign_in(page)
        expect(owner_badge(page)).to_have_text("ボット対応中")
        # The profile's label for its first question, answered by the subscriber.
        expect(page.locator("#facts")).to_contain_text("Q1 はい")
        page.get_by_role("button", name="対応を引き継ぐ").click()
        expect(owner_badge(page)).to_have_text("担当者対応中")
        page.get_by_role("button", name="ボットに戻す").click()
        dialog = page.get_by_role("dialog", name="ボットに戻す")
        expect(dialog).to_be_visible()
        selects = dialog.locator("#hb-answers select")
        expect(selects).to_have_count(2)
        first = dialog.get_by_label("Q1 メールの受信に")
        expect(first).to_have_value("yes")  # what the subscriber answered
        second = dialog.get_by_label("Q2 メールソフトの送信サーバーに")
        # The subscriber's own button words, from the profile.
        expect(second.locator("option")).to_have_text(
            ["未回答", "みなとケーブルのサーバー", "ほかの会社のサーバー", "わからない"]
        )
        second.select_option(label="ほかの会社のサーバー")
        dialog.get_by_role("button", name="ボットに戻す").click()
        expect(dialog).to_be_hidden()
        expect(owner_badge(page)).to_have_text("ボット対応中")
        # One a line (a profile without `fact` names its questions by label).
        expect(page.locator("#facts")).to_contain_text("Q1 はい Q2 いいえ")
    finally:
        context.close()
    read = httpx.get(
        f"{base_url}/api/agent/conversations/{key}",
        headers={"Authorization": f"Bearer {TOKEN}"},
        timeout=10,
    ).json()
    assert read["answers"] == {"uses_mail_program": "yes", "sends_through_us": "no"}
    # This profile's verdict for them: receiving changes, sending stays.
    assert (read["receiving"], read["sending"]) == ("required", "not_needed")
    assert not errors, f"uncaught script errors: {errors}"
