"""The phone's largest text setting (200 %) on an ordinary and a small phone.

WCAG 1.4.4 asks for text resized to 200 % without loss of content. At 200 % on a 360 × 640
phone the page was 479 px wide (the send button and the ends of the bot's lines off the
screen), and the header and the input left the conversation 154 px (40 px at 320 × 568).
"""

from __future__ import annotations

from typing import Any, Final

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import NARROW, NewPage, answer, type_message
from tests.adapters.webchat.test_screens import (
    LONG_ADDRESS,
    assert_fits_the_screen,
    cut_off,
    inject,
    shoot,
    small_text,
    undersized_buttons,
)

# Android's largest font size (Settings → Display → Font size, Android 14) doubles the text,
# as does the browser's own text scaling; every rem in chat.css follows the root's size.
LARGEST_TEXT: Final = "document.documentElement.style.fontSize = '200%';"
PHONE_640: Final[ViewportSize] = {"width": 360, "height": 640}
# What the conversation keeps of the screen's height, at least.
CONVERSATION_SHARE: Final = 0.4


def outside_the_screen(page: Page) -> list[str]:
    """Shown elements reaching past the screen's edges (cut off by a card or the screen)."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('.app *')]
            .filter(el => el.getClientRects().length > 0 && !(el instanceof SVGElement))
            .filter(el => !el.closest('.visually-hidden'))
            .filter(el => { const r = el.getBoundingClientRect();
                            return r.left < -0.5 || r.right > innerWidth + 0.5; })
            .map(el => `${el.className}: ${el.textContent.trim().slice(0, 30)}`)"""
    )
    return found


@pytest.mark.parametrize(
    ("name", "viewport"),
    [
        pytest.param("360x640", PHONE_640, id="360x640"),
        pytest.param("320x568", NARROW, id="320x568"),
    ],
)
def test_the_largest_text_still_fits_and_leaves_room_to_read(
    new_page: NewPage, name: str, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    page.evaluate(LARGEST_TEXT)
    for _ in range(4):
        answer(page, "はい")
    type_message(page, LONG_ADDRESS)
    answer(page, "Thunderbird")
    answer(page, "はい")
    expect(page.locator(".card--settings")).to_be_visible()
    assert_fits_the_screen(page)
    assert cut_off(page) == []
    assert outside_the_screen(page) == []
    assert undersized_buttons(page) == []
    assert small_text(page) == []
    # Everything a subscriber presses to go on is on the screen, not beside it.
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    for control in (
        page.get_by_role("button", name="送信", exact=True),
        page.get_by_role("textbox", name="メッセージ"),
        toolbar.get_by_role("button", name="メニュー", exact=True),
        toolbar.get_by_role("button", name="最初から", exact=True),
        toolbar.get_by_role("button", name="担当者と話す", exact=True),
        page.get_by_role("button", name="English", exact=True),
    ):
        expect(control).to_be_in_viewport(ratio=1)
    conversation = page.locator("#conversation").bounding_box()
    assert conversation is not None
    assert conversation["height"] >= CONVERSATION_SHARE * viewport["height"], conversation
    # The empty input is one line: the placeholder does not take a second from the log.
    lines = page.evaluate(
        "(() => { const box = document.getElementById('input');"
        " return box.clientHeight / parseFloat(getComputedStyle(box).lineHeight); })()"
    )
    assert lines < 2, lines
    # The header and the input stay put while the conversation scrolls under them.
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    shoot(page, f"large-text-{name}")
    # The login check's link: 「ログイン確認ページを」, one phrase to the line breaker, went
    # past its bubble and the screen, and the conversation scrolled sideways.
    answer(page, "ログインを確認する")
    expect(page.get_by_role("link", name="ログイン確認ページを開く")).to_be_attached()
    assert outside_the_screen(page) == []
    assert (
        page.evaluate(
            "(s => s.scrollWidth - s.clientWidth)(document.getElementById('conversation'))"
        )
        <= 0
    )


def test_in_english_the_verdict_badges_wrap_inside_their_card(new_page: NewPage) -> None:
    page = new_page("/?lang=en", viewport=NARROW)
    page.evaluate(LARGEST_TEXT)
    for _ in range(4):
        answer(page, "Yes")
    badges = page.locator(".card--verdict .badge")
    expect(badges).to_have_text(["Change required", "Change required"])
    assert_fits_the_screen(page)
    assert outside_the_screen(page) == []


@pytest.mark.parametrize(
    ("owner", "agent", "status"),
    [
        pytest.param("queue", None, "担当者におつなぎしています", id="waiting"),
        pytest.param("agent", "山田", "山田", id="agent"),
    ],
)
def test_with_a_person_the_status_line_leaves_the_conversation_its_room(
    new_page: NewPage, owner: str, agent: str | None, status: str
) -> None:
    """Waiting for a person on a 320 × 568 phone at the largest text, the header's status
    line (「担当者におつなぎしています。順番にお返事いたします」) took four lines: the
    conversation kept 82 px of the screen, one line of the bot's answer. On a short screen it
    is read out but not shown, as the subtitle is; the conversation says the same."""
    page = new_page(viewport=NARROW, fake_clock=True)
    page.evaluate(LARGEST_TEXT)

    def with_a_person(body: dict[str, Any], last: int) -> None:
        body["owner"] = owner
        if agent:
            body["agent"] = agent

    inject(page, with_a_person)
    page.clock.run_for(3000)  # the next read of the transcript
    line = page.locator("#owner")
    expect(line).to_have_attribute("data-owner", owner)
    expect(page.get_by_role("status").filter(has_text=status)).to_have_count(1)
    conversation = page.locator("#conversation").bounding_box()
    assert conversation is not None
    assert conversation["height"] >= CONVERSATION_SHARE * NARROW["height"], conversation
    assert_fits_the_screen(page)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


@pytest.mark.parametrize(
    "viewport",
    [pytest.param(PHONE_640, id="360x640"), pytest.param(NARROW, id="320x568")],
)
def test_a_notice_at_the_largest_text_wraps_inside_the_screen(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    """The phone's connection lost on a small phone at the largest text: the notice
    (「お使いの端末がインターネットにつながっていないようです。…」) was as wide as its longest
    phrase to the line breaker, 444 px on a 320 px phone, and its words were cut off at both
    sides of the screen (「ながっていないようです」). It wraps inside the conversation now."""
    page = new_page(viewport=viewport)
    page.evaluate(LARGEST_TEXT)
    page.context.set_offline(True)
    page.locator(".turn--bot").last.get_by_role("button", name="はい", exact=True).click()
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text("インターネットにつながっていないようです")
    assert outside_the_screen(page) == []
    assert_fits_the_screen(page)
    page.context.set_offline(False)
    expect(notice).to_have_count(0)


def test_the_load_failure_notice_fits_at_the_largest_text(browser: Any, base_url: str) -> None:
    """The page's words failed to load on a 320 × 568 phone at the largest text: the notice's
    「再読み込み / Reload」 button, its words flex items that never wrapped, was 328 px wide and
    reached past both edges of the screen."""
    context = browser.new_context(viewport=NARROW, locale="ja-JP", base_url=base_url)
    try:
        page = context.new_page()
        page.route("**/api/webchat/texts/*", lambda route: route.fulfill(status=500, body="no"))
        page.goto("/")
        failed = page.locator("#load-failed")
        expect(failed).to_be_visible()
        page.evaluate(LARGEST_TEXT)
        expect(failed.get_by_role("button")).to_contain_text("Reload")
        assert outside_the_screen(page) == []
        assert_fits_the_screen(page)
    finally:
        context.close()
