"""An on-screen keyboard that covers the page instead of resizing it (iPhone Safari).

Android lays the page out above its keyboard (`interactive-widget=resizes-content`); iPhone
Safari ignores that and draws its keyboard over the page, whose layout stays as tall as the
screen: only `visualViewport` says how much of it is left. The input, at the page's bottom,
went under the keyboard. The page now takes the visible height while a keyboard covers it.

Chromium has no on-screen keyboard, so the test has `visualViewport` report what Safari's
reports with its keyboard open (the visible height, scale 1, the layout viewport unchanged)
and fires its `resize` event, as Safari does.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.adapters.webchat.chat_page import NARROW, NewPage, answer

SMALL: Final[ViewportSize] = {"width": 375, "height": 667}
# About what an iPhone's keyboard takes, with its row of suggestions.
KEYBOARD: Final = 300
# visualViewport as Safari reports it: `window.__visible` ({height, scale}) when set.
SAFARI_VIEWPORT: Final = """
(() => {
  for (const name of ["height", "scale"]) {
    const real = Object.getOwnPropertyDescriptor(VisualViewport.prototype, name).get;
    Object.defineProperty(VisualViewport.prototype, name, {
      configurable: true,
      get() {
        const visible = window.__visible;
        return visible ? visible[name] : real.call(this);
      },
    });
  }
})();
"""


def _visible(page: Page, height: float | None, scale: float = 1) -> None:
    """What visualViewport reports from now on (None: the real values), and its resize."""
    page.evaluate(
        "([height, scale]) => { window.__visible = height === null ? null : {height, scale};"
        " visualViewport.dispatchEvent(new Event('resize')); }",
        [height, scale],
    )


def _bottom(page: Page, selector: str) -> float:
    bottom: float = page.locator(selector).evaluate("el => el.getBoundingClientRect().bottom")
    return bottom


@pytest.mark.parametrize("viewport", [NARROW, SMALL], ids=["320x568", "375x667"])
def test_the_input_and_the_question_stay_above_a_keyboard_drawn_over_the_page(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport, init_script=SAFARI_VIEWPORT)
    answer(page, "はい")
    field = page.get_by_role("textbox", name="メッセージ")
    field.click()
    above_the_keyboard = viewport["height"] - KEYBOARD

    _visible(page, above_the_keyboard)

    # The input went under the keyboard: the page stayed as tall as the screen.
    expect(page.locator(".app")).to_have_js_property("offsetHeight", above_the_keyboard)
    assert _bottom(page, "#composer") <= above_the_keyboard
    assert page.evaluate("document.documentElement.scrollHeight") <= viewport["height"]
    # The conversation keeps a part of the screen above the input, as with Android's.
    assert _bottom(page, "#conversation") <= above_the_keyboard
    assert page.locator("#conversation").evaluate("el => el.clientHeight") > 0
    expect(field).to_be_focused()

    # The keyboard closed: the whole screen again.
    _visible(page, viewport["height"])
    expect(page.locator(".app")).to_have_js_property("offsetHeight", viewport["height"])


def test_a_pinch_zoom_leaves_the_page_as_tall_as_the_screen(new_page: NewPage) -> None:
    # Zoomed in, visualViewport is smaller too, by its scale: that is no keyboard, and the
    # page shrunk to a quarter would only get in the way of reading.
    page = new_page(viewport=SMALL, init_script=SAFARI_VIEWPORT)

    _visible(page, SMALL["height"] / 2, scale=2)

    expect(page.locator(".app")).to_have_js_property("offsetHeight", SMALL["height"])
