"""Two agents reach for one conversation: the console of the one who lost says who has it.

The second agent's take-over lands between the first agent's look and click (a Playwright
route lets it through just before the click's request): the API refuses the click with 409,
and the console must say so in words that fit, not that a reply was refused.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, Route, expect

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.browser import chromium

SATO: Final = "9f3c1e7a5b2d8046c1e9a7f35b2d4e80"
SUZUKI: Final = "4e8a2c6f0b1d9e7352a8c4f60e1b3d97"
expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("two")
    settings = Settings(
        store_url=f"sqlite:///{folder}/two.sqlite3",
        agent_tokens=(f"佐藤:{SATO}", f"鈴木:{SUZUKI}"),
    )
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.mark.parametrize(
    ("locale", "words"),
    [("ja", "鈴木さんが対応中です。"), ("en", "鈴木 is handling this conversation.")],
)
def test_a_take_over_another_agent_won_says_so(
    browser: Browser, base_url: str, locale: str, words: str
) -> None:
    with httpx.Client(base_url=base_url) as client:
        chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        key = key_of(chat)
        client.post(f"/api/webchat/conversations/{chat}/messages", json={"text": "送信できません"})

        def suzuki_first(route: Route) -> None:
            taken = client.post(
                f"/api/agent/conversations/{key}/take",
                headers={"Authorization": f"Bearer {SUZUKI}"},
            )
            assert taken.status_code == 200
            route.continue_()

        context = browser.new_context(base_url=base_url, locale="ja-JP")
        try:
            console = context.new_page()
            errors: list[str] = []
            console.on("pageerror", lambda error: errors.append(str(error)))
            console.goto(f"/agent/#{key}")
            if locale == "en":
                english = console.locator(".lang-toggle__button[data-lang=en]")
                english.click()
                expect(english).to_have_attribute("aria-pressed", "true")
            console.locator("#token").fill(SATO)
            console.locator("#token").press("Enter")
            expect(console.locator("#whoami")).to_be_visible()
            take = console.locator("#take")
            expect(take).to_be_enabled()
            console.route("**/take", suzuki_first)
            take.click()
            expect(console.locator("#problem-text")).to_contain_text(words)
            # The page has caught up: 鈴木 has it, and 佐藤 cannot reply.
            expect(console.locator("#transcript")).to_contain_text("鈴木")
            expect(take).to_be_disabled()
            expect(console.locator("#take-over")).to_be_visible()
            # Reading the conversation again does not wipe why nothing was done.
            expect(console.locator("#problem-text")).to_contain_text(words)
            assert not errors, errors
        finally:
            context.close()


def _sato_has(client: httpx.Client) -> str:
    chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
    key = key_of(chat)
    client.post(f"/api/webchat/conversations/{chat}/messages", json={"text": "送信できません"})
    taken = client.post(
        f"/api/agent/conversations/{key}/take", headers={"Authorization": f"Bearer {SATO}"}
    )
    assert taken.status_code == 200
    return key


def test_another_agents_conversation_is_taken_over_only_when_asked(
    browser: Browser, base_url: str
) -> None:
    with httpx.Client(base_url=base_url) as client:
        key = _sato_has(client)
        context = browser.new_context(base_url=base_url, locale="ja-JP")
        try:
            console = context.new_page()
            errors: list[str] = []
            console.on("pageerror", lambda error: errors.append(str(error)))
            console.goto(f"/agent/#{key}")
            console.locator("#token").fill(SUZUKI)
            console.locator("#token").press("Enter")
            expect(console.locator("#whoami")).to_be_visible()
            # 鈴木 sees who has it, cannot write, hand back or close, and may take it over.
            expect(console.locator("#takeover-text")).to_have_text(
                "佐藤さんが対応中です。返信・ボットに戻す・終了は、「引き継ぐ」を押してからできます。"
            )
            expect(console.locator("#reply-form")).to_be_hidden()
            expect(console.locator("#handback")).to_be_disabled()
            expect(console.locator("#close")).to_be_disabled()
            console.locator("#take-over").click()
            expect(console.locator("#transcript")).to_contain_text(
                "鈴木が佐藤から対応を引き継ぎました"
            )
            expect(console.locator("#takeover")).to_be_hidden()
            expect(console.locator("#reply-form")).to_be_visible()
            read = client.get(
                f"/api/agent/conversations/{key}", headers={"Authorization": f"Bearer {SUZUKI}"}
            ).json()
            assert (read["holder"], read["agent"]) == ("agent", "鈴木")
            assert not errors, errors
        finally:
            context.close()


def test_a_reply_refused_for_a_take_over_meanwhile_says_who_and_offers_it_back(
    browser: Browser, base_url: str
) -> None:
    with httpx.Client(base_url=base_url) as client:
        key = _sato_has(client)

        def suzuki_first(route: Route) -> None:
            taken = client.post(
                f"/api/agent/conversations/{key}/take",
                headers={"Authorization": f"Bearer {SUZUKI}"},
                json={"take_over_from": "佐藤"},
            )
            assert taken.status_code == 200
            route.continue_()

        context = browser.new_context(base_url=base_url, locale="ja-JP")
        try:
            console = context.new_page()
            console.goto(f"/agent/#{key}")
            console.locator("#token").fill(SATO)
            console.locator("#token").press("Enter")
            expect(console.locator("#reply-form")).to_be_visible()
            console.route("**/messages", suzuki_first)
            console.locator("#reply").fill("佐藤です")
            console.locator("#reply").press("Enter")
            expect(console.locator("#takeover-text")).to_contain_text("鈴木さんが対応中です。")
            expect(console.locator("#take-over")).to_be_visible()
            # The words 佐藤 typed are kept: nothing was sent.
            expect(console.locator("#reply")).to_have_value("佐藤です")
            lines = client.get(
                f"/api/agent/conversations/{key}", headers={"Authorization": f"Bearer {SATO}"}
            ).json()["transcript"]
            assert not [x for x in lines if x["text"] == "佐藤です"]
        finally:
            context.close()


@pytest.mark.parametrize(
    ("locale", "words", "badge"),
    [
        ("ja", "表示されたあとで状況が変わりました（現在は「ボット対応中」）。", "ボット対応中"),
        ("en", "This conversation changed after the page showed it (now: Bot).", "Bot"),
    ],
)
def test_a_take_of_what_went_back_to_the_bot_since_the_page_read_it_changes_nothing(
    browser: Browser, base_url: str, locale: str, words: str, badge: str
) -> None:
    with httpx.Client(base_url=base_url) as client:
        chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        key = key_of(chat)
        said = client.post(
            f"/api/webchat/conversations/{chat}/messages", json={"text": "担当者と話したい"}
        )
        assert said.status_code == 200
        context = browser.new_context(base_url=base_url, locale="ja-JP")
        # The page's timers are Playwright's: its next read of the conversation (every 2 s)
        # comes only when the test lets it, as a press within the 2 s would find it.
        context.clock.install()
        try:
            console = context.new_page()
            errors: list[str] = []
            console.on("pageerror", lambda error: errors.append(str(error)))
            console.goto(f"/agent/?lang={locale}#{key}")
            console.locator("#token").fill(SATO)
            console.locator("#token").press("Enter")
            expect(console.locator("#whoami")).to_be_visible()
            take = console.locator("#take")
            expect(take).to_be_enabled()
            console.clock.pause_at(console.evaluate("Date.now()") / 1_000 + 0.5)
            # Between the page's read (waiting for a person) and 佐藤's press, 鈴木 gives it
            # to the bot (in the product, the subscriber's 「自動案内に戻る」 does so).
            back = client.post(
                f"/api/agent/conversations/{key}/handback",
                headers={"Authorization": f"Bearer {SUZUKI}"},
                json={},
            )
            assert back.status_code == 200
            take.click()
            expect(console.locator("#problem-text")).to_contain_text(words)
            # The page shows it as it is now, and still says why nothing was done.
            expect(console.locator("#conversation-owner")).to_have_text(badge)
            expect(console.locator("#problem-text")).to_contain_text(words)
            read = client.get(
                f"/api/agent/conversations/{key}", headers={"Authorization": f"Bearer {SATO}"}
            ).json()
            assert (read["owner"], read["holder"]) == ("bot", "bot")
            assert not [x for x in read["transcript"] if "佐藤" in str(x["text"])]
            assert not errors, errors
        finally:
            context.close()


def test_a_close_of_what_went_back_to_the_bot_since_the_page_read_it_asks_nothing(
    browser: Browser, base_url: str
) -> None:
    with httpx.Client(base_url=base_url) as client:
        chat = client.post("/api/webchat/conversations", json={}).json()["conversation_id"]
        key = key_of(chat)
        said = client.post(
            f"/api/webchat/conversations/{chat}/messages", json={"text": "担当者と話したい"}
        )
        assert said.status_code == 200
        context = browser.new_context(base_url=base_url, locale="ja-JP")
        context.clock.install()
        try:
            console = context.new_page()
            console.goto(f"/agent/#{key}")
            console.locator("#token").fill(SATO)
            console.locator("#token").press("Enter")
            expect(console.locator("#conversation-owner")).to_have_text("対応待ち")
            console.clock.pause_at(console.evaluate("Date.now()") / 1_000 + 0.5)
            console.locator("#close").click()
            # Gone back to the bot while 佐藤 read the dialog: no 「解決しましたか？」 now.
            back = client.post(
                f"/api/agent/conversations/{key}/handback",
                headers={"Authorization": f"Bearer {SUZUKI}"},
                json={},
            )
            assert back.status_code == 200
            console.locator("#close-form button[type=submit]").click()
            expect(console.locator("#close-error")).to_contain_text(
                "表示されたあとで状況が変わりました（現在は「ボット対応中」）。何も変更していません。"
            )
            read = client.get(
                f"/api/agent/conversations/{key}", headers={"Authorization": f"Bearer {SATO}"}
            ).json()
            assert read["owner"] == "bot"
            assert not [x for x in read["transcript"] if str(x["text"]).startswith("closed")]
        finally:
            context.close()
