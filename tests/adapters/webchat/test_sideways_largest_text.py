"""A phone held sideways at the largest text, or at 200 % page zoom.

At 200 % text a 568 × 320 phone (an iPhone SE, or a small Android) is 17.75 × 10 em: the
title's row, the language buttons' row, the toolbar's two rows and the input left the
conversation 6 px, and nothing of the greeting or its question showed. 640 × 360 kept 114 px,
667 × 375 129. Sideways at 200 % page zoom (Safari's aA on an iPhone SE: 284 × 160 CSS px)
the page was taller than the screen, the conversation 0 px and the input below its edge.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import ViewportSize, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import NewPage, answer
from tests.adapters.webchat.test_large_text import LARGEST_TEXT

# Viewport, the phone's text at 200 %, the conversation's height at least.
SIDEWAYS: Final[dict[str, tuple[ViewportSize, bool, int]]] = {
    "568x320-text200": ({"width": 568, "height": 320}, True, 110),
    "640x360-text200": ({"width": 640, "height": 360}, True, 150),
    "667x375-text200": ({"width": 667, "height": 375}, True, 165),
    "284x160-zoom200": ({"width": 284, "height": 160}, False, 40),
}


@pytest.mark.parametrize("name", list(SIDEWAYS))
def test_sideways_the_conversation_keeps_room_and_nothing_is_off_the_screen(
    new_page: NewPage, name: str
) -> None:
    viewport, largest_text, at_least = SIDEWAYS[name]
    page = new_page(viewport=viewport)
    if largest_text:
        page.evaluate(LARGEST_TEXT)
    conversation = page.locator("#conversation")
    expect(conversation).to_be_in_viewport()
    height = conversation.evaluate("(s) => s.clientHeight")
    assert height >= at_least, height
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight")
    for control in (
        page.get_by_role("textbox", name="メッセージ"),
        page.get_by_role("button", name="送信", exact=True),
        page.get_by_role("button", name="English", exact=True),
    ):
        expect(control).to_be_in_viewport(ratio=1)
    # The title is read out, not shown.
    expect(page.get_by_role("heading", name="メール設定サポート")).to_be_attached()
    toolbar = page.locator(".toolbar__button")
    if toolbar.first.is_visible():
        tops = {round(box["y"]) for box in (b.bounding_box() for b in toolbar.all()) if box}
        assert len(tops) == 1, tops  # one row
        for button in toolbar.all():
            expect(button).to_be_in_viewport(ratio=1)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # The question's answer is pressed and answered.
    answer(page, "はい")
