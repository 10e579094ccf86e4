"""The login check's form as a 75-year-old's phone shows it: zoomed to 200 %, or its text at 200 %.

The address field holds the address the chat was given, for the subscriber to check ("correct
it if it is wrong"). A one-line field shows what fits: at 200 % zoom on a 360 × 640 phone
(180 CSS px) 「taro@vp.117.ne.jp」 showed as 「taro@vp.117.n」, and with the text at 200 %
「yamada.taro.1948@vp.117.ne.jp」 lost its end; nobody could tell it was right without moving
inside the field. The hint above the field now names the address, wrapping as it must.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Final

import pytest
from playwright.sync_api import Browser, ViewportSize, expect
from playwright.sync_api import Route as Routed
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import Response
from starlette.routing import Route

from bot.mailcheck.check_page import CheckPage, Submitted
from bot.mailcheck.login_checks import PageStatus, PageView
from bot.ops.settings import Settings
from bot.runtime import build_runtime, login_checks
from testbed.loopback import serving
from tests.accessibility import axe_violations, describe
from tests.browser import chromium

LONG_ADDRESS: Final = "yamada.taro.1948@vp.117.ne.jp"
SCREENS: Final[dict[str, tuple[ViewportSize, int]]] = {
    "360x640 zoomed 200%": ({"width": 180, "height": 320}, 16),
    "360x640 text 200%": ({"width": 360, "height": 640}, 32),
}


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """The real CheckPage's form at /form/{locale} (and asked again at /again/{locale})."""
    folder: Path = tmp_path_factory.mktemp("check-page-large-text")
    runtime = build_runtime(Settings(store_url=f"sqlite:///{folder}/store.sqlite3"))
    page = CheckPage(login_checks(runtime), runtime.catalogs)

    async def form(request: Request) -> Response:
        locale = request.path_params["locale"]
        view = PageView(PageStatus.FORM, locale, LONG_ADDRESS, channel="webchat")
        return page.render(view)

    async def again(request: Request) -> Response:
        locale = request.path_params["locale"]
        view = PageView(PageStatus.FORM, locale, LONG_ADDRESS, channel="webchat")
        typed = Submitted("taro@", "", with_round_trip=False, problem="address_partial")
        return page.render(view, sent=typed)

    routes = [
        Route("/form/{locale}", form, methods=["GET"]),
        Route("/again/{locale}", again, methods=["GET"]),
    ]
    with serving(Starlette(routes=[*routes, *page.routes()])) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_address_from_the_chat_can_be_read_whole(
    browser: Browser, site: str, screen: str, locale: str
) -> None:
    viewport, text_px = SCREENS[screen]
    context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": text_px, "fixed": text_px}})
        page.goto(f"{site}/form/{locale}")
        field = page.locator("#address")
        expect(field).to_have_value(LONG_ADDRESS)
        # The field alone cuts it: what the test is about.
        assert field.evaluate("(f) => f.scrollWidth > f.clientWidth")
        hint = page.locator("#address-hint")
        assert LONG_ADDRESS in hint.inner_text().replace("\n", "")
        assert hint.evaluate(
            "(h) => h.getBoundingClientRect().right <= innerWidth + 0.5"
            " && h.scrollWidth <= h.clientWidth + 1"
        )
        violations = axe_violations(page)
        assert not violations, describe(violations)
    finally:
        context.close()


# The phone's text at 130 % and 200 % on a 320 px phone, and whether a short address fits.
TEXT_SIZES: Final = {"320 text 130%": (21, True), "320 text 200%": (32, False)}
ADDRESS_NAMES: Final = {"ja": "確認するメールアドレス", "en": "Address to check"}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("size", list(TEXT_SIZES))
def test_the_address_in_the_field_is_shown_whole_as_it_is_typed(
    browser: Browser, site: str, size: str, locale: str
) -> None:
    """The hint names the chat's address, but what the subscriber corrects it to, the address
    about to be checked, showed only in the one-line field, which cut 'yamada.taro.family@
    vp.117.ne.jp' at 320 px from 130 % text on. Where the field cuts it, the whole address
    shows above it, wrapped inside the screen, following what is typed; the field keeps its
    name, and an address the field shows whole is not repeated."""
    text_px, short_fits = TEXT_SIZES[size]
    context = browser.new_context(
        viewport={"width": 320, "height": 568}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": text_px, "fixed": text_px}})
        page.goto(f"{site}/form/{locale}")
        field = page.get_by_role("textbox", name=ADDRESS_NAMES[locale], exact=True)
        whole = page.locator("#address-whole .address")
        expect(whole).to_be_visible()
        expect(whole).to_have_text(LONG_ADDRESS)
        typed = "yamada.taro.family@vp.117.ne.jp"
        field.fill(typed)
        assert field.evaluate("(f) => f.scrollWidth > f.clientWidth")
        expect(whole).to_have_text(typed)
        assert whole.evaluate(
            "(w) => [...w.getClientRects()].every((r) => r.left >= 0 && r.right <= innerWidth)"
        )
        assert page.evaluate("() => document.documentElement.scrollWidth <= innerWidth")
        violations = axe_violations(page)
        assert not violations, describe(violations)
        field.fill("taro@vp.117.ne.jp")
        if short_fits:
            expect(whole).to_be_hidden()
        else:
            expect(whole).to_have_text("taro@vp.117.ne.jp")
    finally:
        context.close()


def test_an_address_typed_again_is_not_named_as_the_chat_s(browser: Browser, site: str) -> None:
    context = browser.new_context(viewport={"width": 360, "height": 640})
    try:
        page = context.new_page()
        page.goto(f"{site}/again/ja")
        expect(page.locator("#address")).to_have_value("taro@")
        hint = page.locator("#address-hint").inner_text()
        assert LONG_ADDRESS not in hint.replace("\n", ""), hint
    finally:
        context.close()


# Where the stopped check's words and its 「確認する」 are: both must show (to a pixel's
# rounding: a button scrolled to the view's top edge may sit a fraction above it).
_STOPPED_IN_VIEW: Final = """() => {
  const words = document.getElementById('running').getBoundingClientRect();
  const button = document.querySelector('button[type=submit]').getBoundingClientRect();
  return {
    button: button.top >= -1 && button.bottom <= innerHeight + 1,
    words: words.top >= 0 && words.top + 40 <= innerHeight,
    focused: document.activeElement === document.querySelector('button[type=submit]'),
  };
}"""


@pytest.mark.parametrize(
    "viewport", [{"width": 320, "height": 568}, {"width": 360, "height": 640}], ids=["320", "360"]
)
def test_a_check_stopped_shows_its_words_from_the_start_and_the_button_they_name(
    browser: Browser, site: str, viewport: ViewportSize
) -> None:
    """With the phone's text at 200 %, a form cut on its way, its answer too late, or sent
    offline says so under 「確認する」 in words a screen tall or more, which ask for the button
    again. Scrolled into view by themselves, they pushed the focused button above the view
    (offline, they were not scrolled to at all). The button shows, and the words from their
    beginning under it."""
    context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.clock.install()
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 32}})
        cutting = {"now": False}

        def answer(route: Routed) -> None:
            if route.request.method != "POST":
                route.continue_()
            elif cutting["now"]:
                route.abort("connectionreset")
            # else held: no answer comes

        for locale in ("ja", "en"):
            for how in ("cut", "late", "offline"):
                cutting["now"] = how == "cut"
                form = f"{site}/form/{locale}"
                page.goto(form)
                page.clock.pause_at(page.evaluate("Date.now()") / 1_000 + 0.5)
                page.route(form, answer)
                page.locator("#password").fill("a password")
                context.set_offline(how == "offline")
                page.locator("button[type=submit]").click()
                if how == "late":
                    page.clock.run_for(90_000)
                expect(page.locator(".running--stopped")).to_be_visible()
                expect(page.locator("button[type=submit]")).to_be_enabled()
                seen = page.evaluate(_STOPPED_IN_VIEW)
                assert seen == {"button": True, "words": True, "focused": True}, (
                    locale,
                    how,
                    seen,
                )
                context.set_offline(False)
                page.unroute_all(behavior="ignoreErrors")
    finally:
        context.close()


TO_FORM: Final = {"ja": "入力欄へ進む", "en": "Go to the form"}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_first_screen_leads_down_to_the_address_field(
    browser: Browser, site: str, locale: str
) -> None:
    """A 320 × 568 phone at 200 % text: the address field was 2,042 px down, under the
    introduction (734 px) and the field's hint (544 px), and nothing on the first screen said
    a form followed. A link under the heading says so and lands on the field's label, with
    the field in view under it (the hint now follows the field)."""
    context = browser.new_context(
        viewport={"width": 320, "height": 568}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 32}})
        page.goto(f"{site}/form/{locale}")
        field = page.get_by_role("textbox", name=ADDRESS_NAMES[locale], exact=True)
        expect(field).not_to_be_in_viewport()
        way = page.get_by_role("link", name=TO_FORM[locale], exact=True)
        expect(way).to_be_in_viewport(ratio=1)
        violations = axe_violations(page)
        assert not violations, describe(violations)
        way.tap()
        expect(field).to_be_in_viewport(ratio=1)
        expect(page.locator("#address-label")).to_be_in_viewport(ratio=1)
        expect(field).to_have_value(LONG_ADDRESS)
        # Asked again: the link lands on what was wrong, the field's label under it.
        page.goto(f"{site}/again/{locale}")
        way.tap()
        expect(page.locator("#problem")).to_be_in_viewport()
        assert page.locator("#problem").evaluate("(p) => p.getBoundingClientRect().top") >= 0
    finally:
        context.close()
