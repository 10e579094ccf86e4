"""The embedded chat (embed.js) on small screens: a phone zoomed to 200 %, a phone held sideways.

A 360 × 640 phone zoomed to 200 % is 180 × 320 CSS px.
The panel fills the screen, and its close bar (a row of its own holding 「閉じる」) took 56 px
of the 320 above the chat's header, toolbar and input: the conversation kept 41 px, less than
one line of a bubble with its padding (the chat page alone keeps 99). On a short full-screen
panel the chat now draws 「閉じる」 in its own toolbar, and the bar steps aside once the chat
says it shows it: a frame that never loads (refused, offline) leaves the bar and its button.

An iPhone SE held sideways (667 × 375) got the floating panel of a wide screen, 420 × 343 in
16 px margins beside the page, and the conversation kept 114 px; the panel now fills a screen
under 480 px high too, with 「閉じる」 at the end of the chat's toolbar row.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import pytest
from playwright.sync_api import Browser, BrowserContext, FrameLocator, Page, ViewportSize, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.test_embed import SHADOW, Sites, chat_frame, focused, sites
from tests.adapters.webchat.test_screens import shoot
from tests.browser import chromium

__all__ = ["sites"]  # the module's servers, shared with test_embed.py's fixture

AT_200: Final[dict[str, ViewportSize]] = {
    "360x640": {"width": 180, "height": 320},
    "320x568": {"width": 160, "height": 284},
}
# It kept 41 px at 180 × 320 (59 at 160 × 284, where the chat hid its header and its language
# buttons); the chat page alone keeps 99 and 63.
ROOM: Final[dict[str, int]] = {"360x640": 95, "320x568": 58}
LAUNCHER: Final = {"ja": "チャットで相談", "en": "Chat with us"}
CLOSE: Final = {"ja": "閉じる", "en": "Close"}


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    viewport: ViewportSize = AT_200[getattr(request, "param", "360x640")]
    context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True)
    yield context
    context.close()


def opened(context: BrowserContext, site: str, lang: str) -> tuple[Page, FrameLocator]:
    page = context.new_page()
    page.goto(f"{site}/?lang={lang}")
    page.get_by_role("button", name=LAUNCHER[lang]).click()
    chat = page.frame_locator("#mailmove-embed iframe")
    return page, chat


def bar_height(page: Page) -> float:
    return float(page.evaluate(f"{SHADOW}.querySelector('.bar').getBoundingClientRect().height"))


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("context", list(AT_200), indirect=True)
def test_the_panel_at_200_percent_zoom_leaves_the_conversation_room_to_read(
    context: BrowserContext, sites: Sites, lang: str, request: pytest.FixtureRequest
) -> None:
    phone = request.node.callspec.params["context"]
    page, chat = opened(context, sites.allowed, lang)
    close = chat.get_by_role("button", name=CLOSE[lang], exact=True)
    expect(close).to_be_visible()
    expect(chat.locator(".turn--bot")).to_have_count(1)
    assert bar_height(page) == 0
    # The language buttons stay (at 160 × 284 the chat, 58 px shorter, had hidden them).
    expect(chat.locator(".lang-toggle__button")).to_have_count(2)
    for button in chat.locator(".lang-toggle__button").all():
        expect(button).to_be_visible()
    shoot(page, f"embed-200-percent-{phone}-{lang}")
    frame = chat_frame(page)
    room = frame.evaluate("document.getElementById('conversation').clientHeight")
    assert room >= ROOM[phone], room
    # Nothing is pushed off the frame: the page is no taller or wider than the panel.
    assert frame.evaluate(
        "document.documentElement.scrollHeight <= innerHeight"
        " && document.documentElement.scrollWidth <= innerWidth"
    )
    box = close.bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) >= 44
    violations = axe_violations(frame)
    assert not violations, describe(violations)
    close.tap()
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert focused(page) == "button.launcher"


def test_a_frame_that_never_loads_keeps_the_bar_and_its_close_button(
    context: BrowserContext, sites: Sites
) -> None:
    page, _ = opened(context, sites.refused, "ja")
    close = page.get_by_role("button", name="閉じる", exact=True)
    expect(close).to_be_visible()
    close.tap()
    expect(page.get_by_role("dialog")).to_be_hidden()


def test_on_a_tall_phone_the_bar_keeps_the_close_button(browser: Browser, sites: Sites) -> None:
    context = browser.new_context(
        viewport={"width": 390, "height": 844}, is_mobile=True, has_touch=True
    )
    try:
        page, chat = opened(context, sites.allowed, "ja")
        expect(chat.locator(".turn--bot")).to_have_count(1)
        expect(page.get_by_role("button", name="閉じる", exact=True)).to_be_visible()
        expect(chat.get_by_role("button", name="閉じる", exact=True)).to_have_count(0)
        violations = axe_violations(page, context="#mailmove-embed")
        assert not violations, describe(violations)
    finally:
        context.close()


def test_a_phone_held_sideways_gets_the_whole_screen(browser: Browser, sites: Sites) -> None:
    screen: ViewportSize = {"width": 667, "height": 375}  # an iPhone SE held sideways
    context = browser.new_context(viewport=screen, is_mobile=True, has_touch=True)
    try:
        page, chat = opened(context, sites.allowed, "ja")
        expect(chat.locator(".turn--bot")).to_have_count(1)
        close = chat.get_by_role("button", name="閉じる", exact=True)
        expect(close).to_be_visible()
        assert page.get_by_role("dialog").bounding_box() == {"x": 0, "y": 0, **screen}
        assert bar_height(page) == 0
        frame = chat_frame(page)
        room = frame.evaluate("document.getElementById('conversation').clientHeight")
        assert room >= 180, room
        # The toolbar keeps one row: 「閉じる」 at its end, not a row of its own.
        rows = frame.evaluate(
            "new Set([...document.querySelectorAll('.toolbar > *')]"
            ".filter((b) => b.getClientRects().length)"
            ".map((b) => Math.round(b.getBoundingClientRect().top))).size"
        )
        assert rows == 1, rows
        violations = axe_violations(frame)
        assert not violations, describe(violations)
        close.tap()
        expect(page.get_by_role("dialog")).to_be_hidden()
        assert focused(page) == "button.launcher"
    finally:
        context.close()


def page_behind_in_the_accessibility_tree(page: Page) -> list[str]:
    """The provider's own heading and link as a screen reader finds them (not ignored)."""
    session = page.context.new_cdp_session(page)
    try:
        nodes = session.send("Accessibility.getFullAXTree")["nodes"]
    finally:
        session.detach()
    return [
        f"{node['role']['value']}: {node['name']['value']}"
        for node in nodes
        if not node.get("ignored")
        and node.get("role", {}).get("value") in {"heading", "link"}
        and node.get("name", {}).get("value") in {"Support", "Top"}
    ]


@pytest.mark.parametrize("context", ["360x640"], indirect=True)
def test_a_screen_reader_stays_in_the_full_screen_panel(
    context: BrowserContext, sites: Sites
) -> None:
    """aria-modal alone left the page behind in Chromium's accessibility tree, which TalkBack
    reads: a swipe past the chat's last button went on to the provider's heading and links,
    hidden under the panel. The rest of the page is inert while the panel fills the screen."""
    page, chat = opened(context, sites.allowed, "ja")
    expect(chat.locator(".turn--bot")).to_have_count(1)
    assert page_behind_in_the_accessibility_tree(page) == []
    chat.get_by_role("button", name="閉じる", exact=True).tap()
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert page_behind_in_the_accessibility_tree(page) == ["heading: Support", "link: Top"]


def test_on_a_wide_screen_the_page_beside_the_panel_stays_readable(
    browser: Browser, sites: Sites
) -> None:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    try:
        page, chat = opened(context, sites.allowed, "ja")
        expect(chat.locator(".turn--bot")).to_have_count(1)
        assert page_behind_in_the_accessibility_tree(page) == ["heading: Support", "link: Top"]
    finally:
        context.close()


def test_the_launcher_follows_the_browser_s_text_size(browser: Browser, sites: Sites) -> None:
    """The snippet's words were 18 px whatever the text size the subscriber chose (the
    browser's default font size, 32 px at 200 %): 「チャットで相談」 stayed small beside a page
    and a chat drawn at twice the size. They follow it now, and 18 px stays the least."""
    context = browser.new_context(
        viewport={"width": 360, "height": 640}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 32}})
        page.goto(sites.allowed)
        launcher = page.get_by_role("button", name="チャットで相談")
        expect(launcher).to_be_in_viewport(ratio=1)
        size = launcher.evaluate("(b) => parseFloat(getComputedStyle(b).fontSize)")
        assert size >= 32, size
        box = launcher.bounding_box()
        assert box is not None
        assert box["x"] >= 0, box
        # Text no larger than the page's own default: 18 px, as before.
        session.send("Page.setFontSizes", {"fontSizes": {"standard": 16, "fixed": 13}})
        page.reload()
        size = page.get_by_role("button", name="チャットで相談").evaluate(
            "(b) => parseFloat(getComputedStyle(b).fontSize)"
        )
        assert size == 18, size
    finally:
        context.close()


def test_at_the_largest_text_on_a_small_phone_the_launcher_breaks_between_words(
    browser: Browser, sites: Sites
) -> None:
    """At 200 % text (32 px) on a 320 px phone the launcher's words take two lines, and broke
    inside 「相談」: 「チャットで相」 above 「談」. They break between the phrases now."""
    context = browser.new_context(
        viewport={"width": 320, "height": 568}, is_mobile=True, has_touch=True
    )
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": 32, "fixed": 32}})
        page.goto(sites.allowed)
        launcher = page.get_by_role("button", name="チャットで相談", exact=True)
        expect(launcher).to_be_in_viewport(ratio=1)
        # The line each character is drawn on, by the top of its box.
        lines: list[int] = launcher.evaluate(
            """(b) => {
              const words = b.querySelector('span');
              const text = [...words.childNodes].filter(n => n.nodeType === Node.TEXT_NODE);
              return text.flatMap(node => [...node.data].map((_, i) => {
                const range = document.createRange();
                range.setStart(node, i);
                range.setEnd(node, i + 1);
                return Math.round(range.getBoundingClientRect().top);
              }));
            }"""
        )
        assert len(lines) == len("チャットで相談"), lines
        assert len(set(lines)) == 2, lines  # two lines at this size
        assert lines[:5] == [lines[0]] * 5, lines  # チャットで
        assert lines[5] == lines[6] != lines[4], lines  # 相談 together, on the next line
    finally:
        context.close()


def test_sideways_at_130_percent_text_the_toolbar_and_close_show(
    browser: Browser, sites: Sites
) -> None:
    """With the bar above it, the frame on an iPhone SE held sideways at 130 % text was 314 px
    high, just under 15 em (315): the chat hid its header and toolbar, as it does with the
    keyboard open, so it never showed 「閉じる」 and the bar never went, keyboard or not. The
    snippet now tries once without the bar: the frame is 373 px high, and all of it shows."""
    screen: ViewportSize = {"width": 667, "height": 375}
    context = browser.new_context(viewport=screen, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Page.enable")
        session.send("Page.setFontSizes", {"fontSizes": {"standard": 21, "fixed": 21}})
        page.goto(sites.allowed)
        page.get_by_role("button", name="チャットで相談").click()
        chat = page.frame_locator("#mailmove-embed iframe")
        expect(chat.locator(".turn--bot")).to_have_count(1)
        expect(chat.get_by_role("button", name="閉じる", exact=True)).to_be_visible()
        expect(chat.get_by_role("button", name="担当者と話す", exact=True)).to_be_visible()
        expect(chat.get_by_role("button", name="English", exact=True)).to_be_visible()
        assert bar_height(page) == 0
    finally:
        context.close()
