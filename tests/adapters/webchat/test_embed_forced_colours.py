"""The snippet's launcher and panel on a provider's page in forced colours (Windows' high
contrast themes), which drop backgrounds and shadows: the launcher, a blue pill with no
border, was bare words in the page's corner, not to be told from the text around it, and
the floating panel had no edge against the page.
"""

from __future__ import annotations

from playwright.sync_api import Browser, Locator, expect

from tests.adapters.webchat.test_embed import DESKTOP, PHONE, Sites, browser, sites

__all__ = ["browser", "sites"]  # the fixtures, shared with test_embed


def _edge(element: Locator) -> tuple[str, float]:
    style: list[str] = element.evaluate(
        "el => { const s = getComputedStyle(el); return [s.borderTopStyle, s.borderTopWidth]; }"
    )
    return style[0], float(style[1].removesuffix("px"))


def test_in_forced_colours_the_launcher_and_the_panel_have_an_edge(
    browser: Browser, sites: Sites
) -> None:
    for viewport in (PHONE, DESKTOP):
        context = browser.new_context(viewport=viewport)
        try:
            page = context.new_page()
            page.emulate_media(forced_colors="active")
            page.goto(f"{sites.allowed}/")
            launcher = page.get_by_role("button", name="チャットで相談")
            expect(launcher).to_be_visible()
            style, width = _edge(launcher)
            assert style != "none"
            assert width >= 1
            launcher.click()
            panel = page.get_by_role("dialog")
            expect(panel).to_be_visible()
            style, width = _edge(panel)
            assert style != "none"
            assert width >= 1
        finally:
            context.close()
