"""A double tap on a button is two taps, never a zoom, on the chat, the check page and the
snippet's buttons.

iPhone Safari taps at once, without double-tap zoom, only while the page is at scale 1: once
a subscriber has pinch-zoomed in to read (and not all the way back), two quick taps on 「はい」
or 「確認する」 zoom the page instead of pressing (WebKit, "New Interaction Behaviors in iOS
10"). `touch-action: manipulation` keeps pinch zoom and scrolling and drops double-tap zoom
on the element, whatever the scale. Chromium never zooms on a double tap on a page with
`width=device-width`, so the tests read what the page asks of the browser: the computed
`touch-action` of everything a subscriber taps.

iPhone Safari also zooms in on a field focused with text under 16 px, and stays zoomed once
the keyboard closes: the chat's input and the check page's address and password fields are
read for their computed size, which Chromium cannot show by zooming either.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Browser, Page, expect

from tests.adapters.webchat.chat_page import NARROW, NewPage, answer
from tests.bot.mailcheck.test_check_page_browser import check_link

# Every shown control and its touch-action, where that is not manipulation.
_ZOOMING: Final = """(root) => [...(root || document).querySelectorAll(
    'a[href], button, input, textarea, label, summary')]
  .filter((el) => el.getClientRects().length)
  .map((el) => [el.id || el.className || el.tagName, getComputedStyle(el).touchAction])
  .filter(([, action]) => action !== 'manipulation')"""


def zooming(page: Page) -> list[list[str]]:
    found: list[list[str]] = page.evaluate(_ZOOMING)
    return found


# Every shown field a keyboard types into whose text is under 16 px: Safari zooms to it.
_ZOOMING_ON_FOCUS: Final = """() => [...document.querySelectorAll('input, textarea, select')]
  .filter((el) => el.getClientRects().length && !['checkbox', 'radio'].includes(el.type))
  .map((el) => [el.id || el.tagName, parseFloat(getComputedStyle(el).fontSize)])
  .filter(([, size]) => size < 16)"""


def zooming_on_focus(page: Page) -> list[list[object]]:
    found: list[list[object]] = page.evaluate(_ZOOMING_ON_FOCUS)
    return found


def test_the_chats_controls_take_a_double_tap_as_taps(new_page: NewPage) -> None:
    page = new_page(viewport=NARROW)
    assert zooming(page) == []
    assert page.locator("#input").is_visible()
    assert zooming_on_focus(page) == []
    answer(page, "はい")
    assert zooming(page) == []


def test_the_check_pages_controls_take_a_double_tap_as_taps(
    browser: Browser, base_url: str
) -> None:
    _, path = check_link(base_url)
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(f"{base_url}{path}")
        expect(page.locator("#password")).to_be_visible()
        assert zooming(page) == []
        assert zooming_on_focus(page) == []
        # Shown as text, the password is the same field.
        page.get_by_role("button", name="パスワードを表示").click()
        expect(page.locator("#password")).to_have_attribute("type", "text")
        assert zooming_on_focus(page) == []
    finally:
        context.close()


def test_the_snippets_buttons_take_a_double_tap_as_taps(browser: Browser, base_url: str) -> None:
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        # The snippet on a provider's page: the launcher and the panel's bar are drawn there.
        page.set_content('<!doctype html><html lang="ja"><body><h1>Support</h1></body></html>')
        page.add_script_tag(url=f"{base_url}/embed.js")
        launcher = page.get_by_role("button", name="チャットで相談")
        expect(launcher).to_be_visible()
        shadow = "document.getElementById('mailmove-embed').shadowRoot"
        assert page.evaluate(f"({_ZOOMING})({shadow})") == []
        launcher.click()
        expect(page.get_by_role("button", name="閉じる")).to_be_visible()
        assert page.evaluate(f"({_ZOOMING})({shadow})") == []
    finally:
        context.close()
