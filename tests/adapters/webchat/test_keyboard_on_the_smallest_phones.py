"""The on-screen keyboard open on the smallest phones at 200 %.

A 360 × 640 phone zoomed to 200 % is laid out in 180 × 320 CSS px, a 320 × 568 one in
160 × 284; their keyboards take some 300 device pixels, 150 CSS px, and Android lays the page
out above them (`interactive-widget=resizes-content`): 180 × 170 and 160 × 134 are left.
Under 15 em of height the header and the toolbar step aside, so that the conversation and the
input show. Narrow as well, the toolbar stayed: the narrow screen's two-row toolbar came after
that rule and put it back, and the conversation kept 3 px at 180 × 170 (none at 160 × 134):
the question being answered could not be seen while typing its answer.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import ViewportSize, expect

from tests.accessibility import axe_violations
from tests.adapters.webchat.chat_page import NewPage, answer

# CSS pixels a phone's keyboard takes at 200 %: about 300 device pixels.
KEYBOARD: Final = 150


@pytest.mark.parametrize(
    "screen",
    [{"width": 180, "height": 320}, {"width": 160, "height": 284}],
    ids=["360x640-at-200", "320x568-at-200"],
)
def test_the_keyboard_leaves_the_conversation_and_the_input(
    new_page: NewPage, screen: ViewportSize
) -> None:
    page = new_page(viewport=screen)
    answer(page, "はい")
    toolbar = page.locator(".toolbar")
    expect(toolbar).to_be_visible()
    box = page.get_by_role("textbox", name="メッセージ")
    box.focus()
    page.set_viewport_size({"width": screen["width"], "height": screen["height"] - KEYBOARD})
    expect(toolbar).to_be_hidden()
    conversation = page.locator("#conversation").bounding_box()
    assert conversation is not None
    # The rest of the screen is the conversation's, but for the input's row (46 px + 16).
    assert conversation["height"] >= screen["height"] - KEYBOARD - 64
    expect(box).to_be_in_viewport()
    expect(box).to_be_focused()
    assert axe_violations(page) == []
    # The keyboard closed, the toolbar is back.
    box.blur()
    page.set_viewport_size(screen)
    expect(toolbar).to_be_visible()
