"""The checked address on the login check's result, on a small phone: copied by hand and
read at the phone's largest text.

A subscriber copies the address from the result (to tell an agent, to type it into the mail
program) with a long press, as the chat's settings card allows: to the browser's word breaker
「yamada.taro.1948@vp.117.ne.jp」 is several words, and a long press gave "yamada". Chromium
selects with the same word rules for a double click, so the test double-clicks.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import Browser, Page, ViewportSize
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.mailcheck.check_page import CheckPage
from bot.mailcheck.login_checks import Mark, PageStatus, PageView
from bot.ops.settings import Settings
from bot.runtime import build_runtime, login_checks
from testbed.loopback import serving
from tests.browser import chromium

SMALL: Final[ViewportSize] = {"width": 320, "height": 568}
PHONE: Final[ViewportSize] = {"width": 375, "height": 667}
LONG_ADDRESS: Final = "yamada.taro.1948@vp.117.ne.jp"
LINE: Final = "受信（POP）：サーバー（vpop.117.ne.jp）のポート110番に接続できませんでした。"
# Android's largest font size doubles the text; every rem of the page follows the root's.
LARGEST_TEXT: Final = "document.documentElement.style.fontSize = '200%'"


@pytest.fixture(scope="module")
def server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real CheckPage's result for LONG_ADDRESS at /result/{locale}, with its assets."""
    folder: Path = tmp_path_factory.mktemp("check-address")
    runtime = build_runtime(Settings(store_url=f"sqlite:///{folder}/store.sqlite3"))
    page = CheckPage(login_checks(runtime), runtime.catalogs)

    async def result(request: Request) -> Response:
        locale = request.path_params["locale"]
        marks = (("receive", Mark.PASSED), ("send", Mark.PASSED))
        view = PageView(PageStatus.DONE, locale, LONG_ADDRESS, (LINE,), "webchat", marks)
        return page.render(view)

    routes = [Route("/result/{locale}", result)]
    with serving(Starlette(routes=[*routes, *page.routes()])) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def _open(browser: Browser, url: str, viewport: ViewportSize) -> Page:
    context = browser.new_context(viewport=viewport, device_scale_factor=2, has_touch=True)
    page = context.new_page()
    page.goto(url)
    return page


def _selected_by_a_long_press(page: Page, word: str) -> str:
    """What a long press on `word`'s second character, in the address, selects."""
    point = page.locator(".address").evaluate(
        """(el, word) => {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at + 1);
            range.setEnd(node, at + 2);
            const r = range.getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2};
          }
          return null;
        }""",
        word,
    )
    assert point is not None, word
    page.mouse.dblclick(point["x"], point["y"])
    selected: str = page.evaluate("getSelection().toString()")
    return selected


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_long_press_on_the_checked_address_selects_all_of_it(
    browser: Browser, server: str, locale: str
) -> None:
    page = _open(browser, f"{server}/result/{locale}", SMALL)
    try:
        for word in ("yamada", "117"):
            assert _selected_by_a_long_press(page, word) == LONG_ADDRESS, word
    finally:
        page.context.close()


def _lines(page: Page) -> list[str]:
    """The address's text as it is laid out, one string per line on screen."""
    lines: list[str] = page.evaluate(
        """() => {
          const lines = [];
          const el = document.querySelector('.address');
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          let top = null;
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            for (let i = 0; i < node.data.length; i += 1) {
              const range = document.createRange();
              range.setStart(node, i);
              range.setEnd(node, i + 1);
              const rect = range.getClientRects()[0];
              if (!rect) continue;
              if (top === null || rect.top > top + 2) { lines.push(''); top = rect.top; }
              lines[lines.length - 1] += node.data[i];
            }
          }
          return lines;
        }"""
    )
    return lines


@pytest.mark.parametrize("viewport", [SMALL, PHONE], ids=["320", "375"])
def test_a_long_address_wraps_before_its_domain_at_the_largest_text(
    browser: Browser, server: str, viewport: ViewportSize
) -> None:
    page = _open(browser, f"{server}/result/ja", viewport)
    try:
        page.evaluate(LARGEST_TEXT)
        lines = _lines(page)
        assert "".join(lines) == LONG_ADDRESS
        # The domain is never cut ("vp.117.ne." / "jp"), and no line is a lone piece.
        assert "vp.117.ne.jp" in lines[-1], lines
        assert all(len(line) > 3 for line in lines), lines
        assert page.evaluate("document.documentElement.scrollWidth <= innerWidth")
    finally:
        page.context.close()


@pytest.mark.parametrize(
    ("locale", "address", "host"),
    [
        (
            "ja",
            "y a m a d a ドット t a r o ドット 1 9 4 8",
            "v p o p ドット 1 1 7 ドット n e ドット j p",
        ),
        ("en", "y a m a d a dot t a r o dot 1 9 4 8", "v p o p dot 1 1 7 dot n e dot j p"),
    ],
)
def test_a_screen_reader_hears_the_address_and_host_names_spelled_out(
    browser: Browser, server: str, locale: str, address: str, host: str
) -> None:
    """Read as written, 「vpop」 was said as a word and 「yamada」 as a name, not as letters
    to type; on screen and in a copy they stay as written."""
    page = _open(browser, f"{server}/result/{locale}", SMALL)
    try:
        heard = page.locator(".result").aria_snapshot()
        assert address in heard, heard
        assert host in heard, heard
        assert "vpop" not in heard, heard
        assert "yamada" not in heard, heard
        assert page.locator(".address").inner_text() == LONG_ADDRESS
        assert "vpop.117.ne.jp" in page.locator(".result").inner_text()
    finally:
        page.context.close()
