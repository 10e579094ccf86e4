"""The web chat on a small phone zoomed to 200 %: a 360 × 640 phone is 180 × 320 CSS px.

Chrome on Android follows the phone's font size with its page zoom, and Safari's aA zooms
the page: at 200 % a 360 × 640 phone lays the page out in 180 × 320 CSS pixels, a 320 × 568
one in 160 × 284. The header, the toolbar (three rows, one button each) and the input left
the conversation 21 px at 180 × 320, and none at 160 × 284, where the page was taller than
the screen; the settings card's 「アカウント名（ユーザー名）」 was cut at its edge
(「（ユーザー名）」 one phrase to the line breaker, wider than the card's column).
"""

from __future__ import annotations

from typing import Any, Final

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import NewPage, answer, type_message

AT_200: Final[dict[str, ViewportSize]] = {
    "360x640": {"width": 180, "height": 320},
    "320x568": {"width": 160, "height": 284},
}
# Two lines of a question at least (the English 「Start over」 takes two lines at 160 px).
CONVERSATION_AT_LEAST: Final = 50


def layout(page: Page) -> dict[str, Any]:
    found: dict[str, Any] = page.evaluate(
        """() => {
          const box = (el) => el.getBoundingClientRect();
          const buttons = [...document.querySelectorAll('.toolbar__button')].map(box);
          const gaps = [];
          for (const [i, a] of buttons.entries()) {
            for (const b of buttons.slice(i + 1)) {
              const apart = Math.max(b.left - a.right, a.left - b.right, b.top - a.bottom,
                                     a.top - b.bottom);
              gaps.push(Math.round(apart));
            }
          }
          return {
            page: document.documentElement.scrollHeight,
            sideways: document.documentElement.scrollWidth,
            conversation: Math.round(document.getElementById('conversation').clientHeight),
            buttons: buttons.map((b) => [Math.round(b.width), Math.round(b.height),
                                         b.top >= 0 && b.bottom <= innerHeight]),
            gaps,
          };
        }"""
    )
    return found


def cut_in_the_card(page: Page) -> list[str]:
    """What in the settings card reaches past its edges (the card clips it)."""
    cut: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('.card--settings')].flatMap((card) => {
            const edge = card.getBoundingClientRect();
            return [...card.querySelectorAll('*')]
              .filter((el) => el.getClientRects().length && !el.closest('.visually-hidden'))
              .filter((el) => {
                const box = el.getBoundingClientRect();
                const out = box.right > edge.right + 0.5 || box.left < edge.left - 0.5;
                return box.width > 1 && out;
              })
              .map((el) => `${el.className}: ${el.textContent.trim().slice(0, 20)}`);
          })"""
    )
    return cut


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("phone", list(AT_200))
def test_a_small_phone_at_200_percent_zoom_leaves_the_conversation_room(
    new_page: NewPage, phone: str, lang: str
) -> None:
    viewport = AT_200[phone]
    page = new_page(f"/?lang={lang}", viewport=viewport)
    found = layout(page)
    assert found["page"] <= viewport["height"], found
    assert found["sideways"] <= viewport["width"], found
    assert found["conversation"] >= CONVERSATION_AT_LEAST, found
    # The toolbar's three buttons stay, on the screen, 44 × 44 px and 8 px apart.
    assert len(found["buttons"]) == 3, found
    for width, height, on_screen in found["buttons"]:
        assert width >= 44, found
        assert height >= 44, found
        assert on_screen, found
    assert min(found["gaps"]) >= 8, found
    # Where the toolbar keeps its labels whole: no button breaks inside a word.
    for button in page.locator(".toolbar__button").all():
        assert button.evaluate("(b) => b.scrollWidth <= b.clientWidth"), button.inner_text()
        lines = button.evaluate(
            "(b) => Math.round(b.getBoundingClientRect().height"
            " / parseFloat(getComputedStyle(b).lineHeight))"
        )
        assert lines <= 2, button.inner_text()
    violations = axe_violations(page)
    assert not violations, describe(violations)


@pytest.mark.parametrize("phone", list(AT_200))
def test_the_settings_card_at_200_percent_zoom_cuts_nothing(new_page: NewPage, phone: str) -> None:
    page = new_page(viewport=AT_200[phone])
    for _ in range(4):
        answer(page, "はい")
    type_message(page, "yamada.taro.1948@vp.117.ne.jp")
    answer(page, "Thunderbird")
    answer(page, "はい")
    expect(page.locator(".card--settings")).to_be_visible()
    cut = cut_in_the_card(page)
    assert cut == [], "\n".join(cut)
    violations = axe_violations(page)
    assert not violations, describe(violations)
