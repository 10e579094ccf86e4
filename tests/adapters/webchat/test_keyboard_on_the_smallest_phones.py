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


# A 640 × 360 phone held sideways at 200 %: 320 × 180 CSS px, under 15 em with no keyboard.
SIDEWAYS_AT_200: Final[ViewportSize] = {"width": 320, "height": 180}


def test_sideways_at_200_percent_the_toolbar_shows_until_the_input_has_the_focus(
    new_page: NewPage,
) -> None:
    """By height alone the header and the toolbar were hidden with no keyboard open at all:
    「メニュー」「最初から」「担当者と話す」 and the language buttons could not be reached."""
    page = new_page(viewport=SIDEWAYS_AT_200)
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    for label in ("メニュー", "最初から", "担当者と話す"):
        expect(toolbar.get_by_role("button", name=label, exact=True)).to_be_visible()
    expect(page.get_by_role("button", name="English", exact=True)).to_be_visible()
    assert axe_violations(page) == []
    box = page.get_by_role("textbox", name="メッセージ")
    box.focus()
    expect(toolbar).to_be_hidden()
    box.blur()
    expect(toolbar).to_be_visible()


def test_a_press_that_takes_the_focus_from_the_input_lands_where_it_was_aimed(
    new_page: NewPage,
) -> None:
    """Typing on the short screen, the header and toolbar are aside; pressing an answer takes
    the focus from the input, and the header coming back at once (the mousedown) moved the
    answer from under the pointer before its release: the press answered nothing."""
    page = new_page(viewport=SIDEWAYS_AT_200)
    box = page.get_by_role("textbox", name="メッセージ")
    box.focus()
    toolbar = page.locator(".toolbar")
    expect(toolbar).to_be_hidden()
    answer(page, "はい")
    expect(toolbar).to_be_visible()
