"""The settings card and the steps after it, as a screen reader reads them.

A blind or low-vision subscriber moves from heading to heading. The steps' title
(「Thunderbirdでの設定手順」) was a bold paragraph: seen as a heading, heard as none, so the
steps could be reached only by reading the card through, row by row.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.accessibility import axe_violations
from tests.adapters.webchat.chat_page import ADDRESS, PHONE, NewPage, reach_settings


def test_the_steps_title_is_a_heading_after_the_card_in_reading_and_visual_order(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    card = reach_settings(page, address=ADDRESS)
    steps = page.get_by_role("heading", name="Thunderbirdでの設定手順", exact=True)
    expect(steps).to_have_count(1)
    expect(steps).to_be_visible()
    # A peer of the card's own title, not under it.
    assert steps.evaluate("h => h.tagName") == "H2"
    assert card.get_by_role("heading").evaluate("h => h.tagName") == "H2"
    # Heard in the order seen: every heading of the page, top to bottom.
    tops = page.evaluate(
        "[...document.querySelectorAll('h1, h2, h3, [role=heading]')]"
        ".filter(h => h.getClientRects().length > 0)"
        ".map(h => h.getBoundingClientRect().top + scrollY"
        " + document.getElementById('conversation').scrollTop)"
    )
    assert tops[1:] == sorted(tops[1:])
    # The list of steps comes right after its title, and looks as it did: no gap of its own.
    assert steps.evaluate("h => h.nextElementSibling.tagName") == "OL"
    styles = steps.evaluate(
        "h => { const s = getComputedStyle(h); return [s.fontSize, s.marginBottom]; }"
    )
    assert styles == ["16px", "0px"]
    assert axe_violations(page) == []
