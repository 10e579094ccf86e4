"""The chat embedded in a provider's page (embed.js) with a phone's keyboard open.

iPhone Safari draws its keyboard over the page (and Chrome on Android does too, unless the
provider's own viewport says `interactive-widget=resizes-content`): the provider's page
keeps its height, and the panel, as tall as the screen, kept the chat's input under the
keyboard. The chat page fits itself (test_keyboard_over_the_page.py), but inside the frame
it cannot see the keyboard: only the provider's page's `visualViewport` shrinks. The snippet
now fits the panel to it.

Chromium has no on-screen keyboard. Where the page is laid out above it (Chrome with
`resizes-content`), the DevTools protocol's device metrics shrink the window, as the keyboard
does. Where it is drawn over the page, `visualViewport` is made to report what Safari's
reports (the visible height, the offset Safari scrolled the view to, scale 1, the window
unchanged) and fires its `resize`, as Safari does.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, ViewportSize, expect

from tests.adapters.webchat.test_embed import NARROW, PHONE, Sites, sites
from tests.browser import chromium

__all__ = ["sites"]  # the module's servers, shared with test_embed.py's fixture

TABLET: Final[ViewportSize] = {"width": 820, "height": 1180}
# About what an iPhone's keyboard takes with its row of suggestions; an iPad's, larger.
KEYBOARD: Final = 300
# visualViewport as Safari reports it: `window.__visible` ({height, offsetTop, scale}) when
# set, in this window only (the chat's frame keeps its own, real one).
SAFARI_VIEWPORT: Final = """
(() => {
  for (const name of ["height", "offsetTop", "scale"]) {
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


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def context(browser: Browser, request: pytest.FixtureRequest) -> Iterator[BrowserContext]:
    viewport: ViewportSize = getattr(request, "param", NARROW)
    context = browser.new_context(viewport=viewport, is_mobile=True, has_touch=True)
    context.add_init_script(SAFARI_VIEWPORT)
    yield context
    context.close()


def open_chat(context: BrowserContext, sites: Sites) -> Page:
    """The provider's page with the chat open and its input tapped (the keyboard's cue)."""
    page = context.new_page()
    page.goto(sites.allowed)
    page.get_by_role("button", name="チャットで相談").click()
    chat = page.frame_locator("#mailmove-embed iframe")
    expect(chat.locator(".turn--bot")).to_have_count(1)
    chat.get_by_role("textbox", name="メッセージ").tap()
    return page


def keyboard(page: Page, height: float | None, offset: float = 0, scale: float = 1) -> None:
    """What the provider's page's visualViewport reports from now on (None: the real one)."""
    page.evaluate(
        "([height, offsetTop, scale]) => {"
        " window.__visible = height === null ? null : {height, offsetTop, scale};"
        " visualViewport.dispatchEvent(new Event('resize')); }",
        [height, offset, scale],
    )


def box(page: Page, selector: str, *, in_chat: bool = False) -> dict[str, float]:
    """Where `selector` is on the provider's screen (inside the chat's frame with in_chat)."""
    where = page.frame_locator("#mailmove-embed iframe") if in_chat else page
    found = where.locator(selector).bounding_box()
    assert found is not None, selector
    return {"top": found["y"], "bottom": found["y"] + found["height"]}


def panel(page: Page) -> dict[str, float]:
    found: dict[str, float] = page.evaluate(
        "(() => { const r = document.getElementById('mailmove-embed').shadowRoot"
        ".querySelector('.panel').getBoundingClientRect();"
        " return {top: r.top, bottom: r.bottom}; })()"
    )
    return found


def assert_in_view(page: Page, top: float, bottom: float) -> None:
    """The chat's input, its conversation and the panel's close bar between top and bottom."""
    composer = box(page, "#composer", in_chat=True)
    assert composer["top"] >= top, (composer, top)
    assert composer["bottom"] <= bottom + 0.5, (composer, bottom)
    close = box(page, "#mailmove-embed .close")
    assert close["top"] >= top - 0.5, (close, top)
    conversation = box(page, "#conversation", in_chat=True)
    assert conversation["bottom"] - conversation["top"] > 40, conversation


@pytest.mark.parametrize("scrolled", [0, 120], ids=["unscrolled", "scrolled-by-safari"])
def test_the_input_stays_above_a_keyboard_drawn_over_the_providers_page(
    context: BrowserContext, sites: Sites, scrolled: float
) -> None:
    page = open_chat(context, sites)
    visible = NARROW["height"] - KEYBOARD

    keyboard(page, visible, offset=scrolled)

    # Fitted in the resize event itself, as Safari fires it: no wait.
    assert panel(page) == {"top": scrolled, "bottom": scrolled + visible}
    assert_in_view(page, scrolled, scrolled + visible)
    chat = page.frame_locator("#mailmove-embed iframe")
    expect(chat.get_by_role("textbox", name="メッセージ")).to_be_focused()

    # The keyboard closed: the whole screen again.
    keyboard(page, NARROW["height"])
    assert panel(page) == {"top": 0, "bottom": NARROW["height"]}


@pytest.mark.parametrize("context", [TABLET], indirect=True, ids=["820x1180"])
def test_the_floating_panel_rises_above_a_keyboard_on_a_tablet(
    context: BrowserContext, sites: Sites
) -> None:
    page = open_chat(context, sites)
    visible = TABLET["height"] - 400

    keyboard(page, visible)

    assert panel(page)["bottom"] == visible - 16
    assert_in_view(page, 0, visible)


def test_a_pinch_zoom_leaves_the_panel_as_it_was(context: BrowserContext, sites: Sites) -> None:
    # Zoomed in, visualViewport is smaller too, by its scale: that is no keyboard.
    page = open_chat(context, sites)

    keyboard(page, NARROW["height"] / 2, scale=2)

    assert panel(page) == {"top": 0, "bottom": NARROW["height"]}


@pytest.mark.parametrize("context", [PHONE], indirect=True, ids=["390x844"])
def test_a_window_laid_out_above_the_keyboard_keeps_the_input_in_view(
    context: BrowserContext, sites: Sites
) -> None:
    # Chrome with `interactive-widget=resizes-content` shrinks the window itself: the
    # DevTools protocol's device metrics do the same. The panel follows the window.
    page = open_chat(context, sites)
    visible = PHONE["height"] - KEYBOARD
    session = context.new_cdp_session(page)
    session.send(
        "Emulation.setDeviceMetricsOverride",
        {"width": PHONE["width"], "height": visible, "deviceScaleFactor": 3, "mobile": True},
    )
    page.wait_for_function("(height) => innerHeight === height", arg=visible)
    assert panel(page) == {"top": 0, "bottom": visible}
    assert_in_view(page, 0, visible)
