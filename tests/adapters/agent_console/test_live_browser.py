"""The console's poll of the open conversation asks whether it changed, not for all of it.

At thousands of lines a whole read every 2 s is the server's work for nothing: the console
sends the version of its last read (`If-None-Match`) and gets 304 while nothing changed;
a subscriber's new words still appear without a reload.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, Response, expect

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.adapters.agent_console.test_browser import Subscriber, row_for, sign_in, transcript
from tests.browser import chromium

TOKEN: Final = "agent-token-0123456789"
AGENT: Final = {"Authorization": f"Bearer {TOKEN}"}
# console.js's LIVE_MS: the time between two reads of the open conversation. A page on
# Playwright's clock is moved on by this much instead of waiting it out.
LIVE_MS: Final = 2_000

expect.set_options(timeout=10_000)


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("live")
    settings = Settings(store_url=f"sqlite:///{folder}/live.sqlite3", agent_tokens=(TOKEN,))
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def test_an_unchanged_conversation_is_not_read_again(browser: Browser, base_url: str) -> None:
    subscriber = Subscriber(base_url)
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", base_url=base_url)
    # The page's timers are Playwright's: they still run as real time passes, and the test
    # moves them on to the next poll with run_for.
    context.clock.install()
    try:
        page = context.new_page()
        page.goto("/agent/")
        sign_in(page)
        page.get_by_role("radio", name="すべて").check()
        row_for(page, subscriber.key).click()
        page.get_by_role("button", name="対応を引き継ぐ").click()
        expect(page.locator("#conversation-owner")).to_have_text("担当者対応中")
        path = f"/api/agent/conversations/{subscriber.key.replace(':', '%3A')}"

        def polled(status: int) -> Callable[[Response], bool]:
            def matches(response: Response) -> bool:
                return response.url.endswith(path) and response.status == status

            return matches

        with page.expect_response(polled(304)):
            page.clock.run_for(LIVE_MS)  # the next poll: nothing changed since the take-over
        assert subscriber.say("まだ送れません") == []
        with page.expect_response(polled(200)):
            page.clock.run_for(LIVE_MS)
        said = transcript(page).locator(".line--subscriber .line__text")
        expect(said.last).to_have_text("まだ送れません")
    finally:
        context.close()
        subscriber.close()


def test_a_handback_to_the_login_check_reads_as_a_handback(browser: Browser, base_url: str) -> None:
    # The audit line names the step when it is the login check (`step=check`), which the
    # console showed as its raw text.
    subscriber = Subscriber(base_url)
    with httpx.Client(base_url=base_url, headers=AGENT) as api:
        url = f"/api/agent/conversations/{subscriber.key}"
        assert api.post(f"{url}/take", json={"agent": "佐藤"}).status_code == 200
        facts = {"agent": "佐藤", "address": "taro@vp.117.ne.jp", "step": "check"}
        assert api.post(f"{url}/handback", json=facts).status_code == 200
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/agent/")
        sign_in(page)
        page.get_by_role("radio", name="すべて").check()
        row_for(page, subscriber.key).click()
        expect(transcript(page)).to_contain_text("佐藤がボットに戻しました")
        expect(transcript(page)).not_to_contain_text("step=check")
    finally:
        context.close()
        subscriber.close()


def test_a_full_width_address_is_handed_back_from_the_console(
    browser: Browser, base_url: str
) -> None:
    # An agent pastes the address as the subscriber typed it, in full width: the API
    # refused it (「入力内容をご確認ください」); it is the subscriber's address.
    subscriber = Subscriber(base_url)
    context = browser.new_context(locale="ja-JP", timezone_id="Asia/Tokyo", base_url=base_url)
    try:
        page = context.new_page()
        page.goto("/agent/")
        sign_in(page)
        page.get_by_role("radio", name="すべて").check()
        row_for(page, subscriber.key).click()
        page.get_by_role("button", name="対応を引き継ぐ").click()
        expect(page.locator("#conversation-owner")).to_have_text("担当者対応中")
        page.get_by_role("button", name="ボットに戻す").click()
        dialog = page.get_by_role("dialog", name="ボットに戻す")
        dialog.get_by_label("メールアドレス", exact=True).fill("ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ")
        dialog.get_by_role("button", name="ボットに戻す").click()
        expect(dialog).to_be_hidden()
        expect(page.locator(".conversation__address")).to_have_text("taro@vp.117.ne.jp")
    finally:
        context.close()
        subscriber.close()
