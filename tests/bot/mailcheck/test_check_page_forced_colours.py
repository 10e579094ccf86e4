"""The login check page in forced colours (Windows' high contrast themes), which drop
backgrounds: 「確認する」, a blue bar with border 0, was bare words under the form, not to be
told from the text around it. Every button and button-like link has an edge there.
"""

from __future__ import annotations

from playwright.sync_api import Page, expect

from tests.bot.mailcheck.test_check_page_browser import browser, context, gallery, page, tab

__all__ = ["browser", "context", "gallery", "page", "tab"]  # the fixtures, shared


def test_in_forced_colours_every_button_has_an_edge(page: Page, gallery: str) -> None:
    page.emulate_media(forced_colors="active")
    page.goto(f"{gallery}/screen/ja/form")
    expect(page.get_by_role("button", name="確認する")).to_be_visible()
    bare = page.evaluate(
        """() => [...document.querySelectorAll('button, a.button')]
            .filter(el => el.getClientRects().length > 0)
            .filter(el => { const s = getComputedStyle(el);
                            return !(parseFloat(s.borderTopWidth) >= 1
                                     && s.borderTopStyle !== 'none'); })
            .map(el => el.textContent.trim())"""
    )
    assert bare == []
