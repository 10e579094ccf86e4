"""The web chat on a phone zoomed in: Safari's page zoom (aA) and the browser's zoom lay the
page out in fewer CSS pixels, 195 px wide for a 390 px iPhone at 200 %. Nothing may then
stick out sideways: the conversation scrolls up and down only.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.adapters.webchat.chat_page import NewPage, answer, type_message

ZOOMED_PHONES: Final[dict[str, ViewportSize]] = {
    "390x844-at-200%": {"width": 195, "height": 422},
    "320x568-at-150%": {"width": 213, "height": 378},
}


def _sticking_out(page: Page) -> list[dict[str, Any]]:
    """Elements whose right edge is past the conversation's, and whether it scrolls sideways."""
    found: list[dict[str, Any]] = page.evaluate(
        """() => {
          const scroller = document.getElementById('conversation');
          const edge = scroller.getBoundingClientRect().right;
          const out = [...scroller.querySelectorAll('*')]
            .filter(el => el.getClientRects().length > 0 && !el.closest('.visually-hidden'))
            .filter(el => el.getBoundingClientRect().right > edge + 0.5)
            .map(el => ({text: el.textContent.trim().slice(0, 30),
                         right: el.getBoundingClientRect().right}));
          if (scroller.scrollWidth > scroller.clientWidth) {
            out.push({scrollWidth: scroller.scrollWidth, clientWidth: scroller.clientWidth});
          }
          return out;
        }"""
    )
    return found


@pytest.mark.parametrize("name", list(ZOOMED_PHONES))
def test_zoomed_in_nothing_sticks_out_sideways(new_page: NewPage, name: str) -> None:
    """「iPhone/iPadのメール」, one phrase to the line breaker, made its button 142 px wide in a
    105 px bubble: the conversation scrolled sideways at 195 px."""
    page = new_page(viewport=ZOOMED_PHONES[name])
    for _ in range(4):
        answer(page, "はい")
    type_message(page, "taro@vp.117.ne.jp")
    expect(page.get_by_role("button", name="iPhone/iPadのメール")).to_be_visible()
    assert _sticking_out(page) == []
    answer(page, "Thunderbird")
    answer(page, "はい")
    expect(page.locator(".card--settings")).to_be_visible()
    assert _sticking_out(page) == []
