"""The login check's link opened on another phone or browser than the chat's.

A subscriber chatting on a tablet sends the check's link to their phone (or a daughter opens
it on hers). There, 「チャットに戻る」 led to "/", which in a browser without the conversation
starts a new one: the greeting and the first question, and no result. In a browser that
keeps no web chat conversation the page says where the chat and its result are instead.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import Browser, Page, ViewportSize, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.mailcheck.check_page import CheckPage
from bot.mailcheck.login_checks import Mark, PageStatus, PageView
from bot.ops.settings import Settings
from bot.runtime import build_runtime, login_checks
from testbed.loopback import serving
from tests.accessibility import axe_violations, describe
from tests.browser import chromium

SMALL: Final[ViewportSize] = {"width": 320, "height": 568}
ADDRESS: Final = "taro@vp.117.ne.jp"
# What the web chat keeps in a browser that holds a conversation (chat.js, STORE_KEY).
A_CHAT: Final = (
    "localStorage.setItem('mailmove.webchat.v1',"
    " JSON.stringify({id: 'c0ffee00c0ffee00c0ffee00c0ffee00', locale: 'ja'}))"
)
ELSEWHERE: Final = {"ja": "この端末", "en": "not in this browser"}


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real CheckPage's form and result at /{screen}/{locale}, with its assets."""
    folder: Path = tmp_path_factory.mktemp("check-second-phone")
    runtime = build_runtime(Settings(store_url=f"sqlite:///{folder}/store.sqlite3"))
    page = CheckPage(login_checks(runtime), runtime.catalogs)

    async def screen(request: Request) -> Response:
        locale = request.path_params["locale"]
        if request.path_params["screen"] == "form":
            return page.render(PageView(PageStatus.FORM, locale, ADDRESS, channel="webchat"))
        marks = (("receive", Mark.PASSED), ("send", Mark.PASSED))
        return page.render(PageView(PageStatus.DONE, locale, ADDRESS, ("OK",), "webchat", marks))

    routes = [Route("/{screen}/{locale}", screen)]
    with serving(Starlette(routes=[*routes, *page.routes()])) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def _open(browser: Browser, url: str, *, with_chat: bool) -> Page:
    context = browser.new_context(viewport=SMALL, has_touch=True)
    page = context.new_page()
    if with_chat:
        # The chat's origin is the page's: a chat kept in this browser is seen from here.
        page.goto(url)
        page.evaluate(A_CHAT)
    page.goto(url)
    return page


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("screen", ["form", "result"])
def test_on_a_phone_without_the_chat_the_page_says_where_it_is(
    browser: Browser, server: str, screen: str, locale: str
) -> None:
    page = _open(browser, f"{server}/{screen}/{locale}", with_chat=False)
    try:
        expect(page.locator("a[data-back-to-chat]")).to_be_hidden()
        elsewhere = page.locator("#chat-elsewhere")
        expect(elsewhere).to_be_visible()
        expect(elsewhere).to_contain_text(ELSEWHERE[locale])
        violations = axe_violations(page)
        assert violations == [], describe(violations)
    finally:
        page.context.close()


@pytest.mark.parametrize("how", ["with_chat", "embedded"])
def test_where_the_chat_is_kept_the_way_back_stays(browser: Browser, server: str, how: str) -> None:
    # Opened from the chat embedded on the provider's site, the conversation is in that
    # site's storage: the link closes this tab, which returns to it.
    suffix = "#embedded" if how == "embedded" else ""
    page = _open(browser, f"{server}/result/ja{suffix}", with_chat=how == "with_chat")
    try:
        expect(page.locator("a[data-back-to-chat]")).to_be_visible()
        expect(page.locator("#chat-elsewhere")).to_be_hidden()
    finally:
        page.context.close()
