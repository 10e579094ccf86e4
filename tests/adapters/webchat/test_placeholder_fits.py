"""The input's hint (its placeholder) on one line, whole, however narrow the input is.

The empty input is one line tall, and at 180 px wide (a 360 × 640 phone at 200 % zoom) its
hint 「メッセージを入力」 wrapped after 「メッセー」: the box showed 「メッセー」 and the top of
「ジを入力」 cut in half. Where the hint does not fit, a shorter one (「メッセージ」, "Message")
takes its place, and where that does not fit either, none.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.adapters.webchat.chat_page import NewPage

LONG: Final = {"ja": "メッセージを入力", "en": "Type a message"}
SHORT: Final = {"ja": "メッセージ", "en": "Message"}
LARGEST_TEXT: Final = "document.documentElement.style.fontSize = '200%'"
SCREENS: Final[dict[str, tuple[ViewportSize, bool]]] = {
    # A 360 × 640 phone at 200 % zoom, and a 320 × 568 one.
    "180x320": ({"width": 180, "height": 320}, False),
    "160x284": ({"width": 160, "height": 284}, False),
    # The phone's largest text on a 360 × 640 phone (Android's font size at 200 %).
    "360x640 text 200%": ({"width": 360, "height": 640}, True),
    "390x844": ({"width": 390, "height": 844}, False),
}


def hint(page: Page) -> dict[str, Any]:
    """The hint shown, its width on one line in the input's font, and the room it has.

    Read after the next frame: the page fits its hint when the input's size is seen (a
    ResizeObserver, called in a frame's rendering), and on a loaded machine a reading made
    at once, before that frame, found the hint of the moment before (fresh clone of 93d2b8b).
    """
    found: dict[str, Any] = page.evaluate(
        """() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(() => {
          const input = document.getElementById('input');
          const style = getComputedStyle(input);
          const probe = document.createElement('span');
          probe.textContent = input.placeholder;
          for (const name of ['font-family', 'font-size', 'font-weight', 'letter-spacing']) {
            probe.style.setProperty(name, style.getPropertyValue(name));
          }
          probe.style.whiteSpace = 'pre';
          probe.style.position = 'absolute';
          document.body.append(probe);
          const width = probe.getBoundingClientRect().width;
          probe.remove();
          const room = input.clientWidth - parseFloat(style.paddingLeft)
            - parseFloat(style.paddingRight);
          done({text: input.placeholder, width, room});
        })))"""
    )
    return found


@pytest.mark.parametrize("lang", ["ja", "en"])
@pytest.mark.parametrize("screen", list(SCREENS))
def test_the_hint_in_the_input_is_never_cut(new_page: NewPage, screen: str, lang: str) -> None:
    viewport, largest_text = SCREENS[screen]
    page = new_page(f"/?lang={lang}", viewport=viewport)
    if largest_text:
        page.evaluate(LARGEST_TEXT)
        page.wait_for_function(
            "() => getComputedStyle(document.getElementById('input')).fontSize === '32px'"
        )
    found = hint(page)
    assert found["width"] <= found["room"] + 0.5, found
    if screen == "390x844":
        assert found["text"] == LONG[lang], found
    else:
        # Still a hint where one fits: 「メッセージ」 fits 180 px, "Message" 160.
        assert found["text"] in {LONG[lang], SHORT[lang], ""}, found
    if screen == "180x320":
        assert found["text"] == SHORT[lang], found


def test_the_hint_follows_the_language_switch(new_page: NewPage) -> None:
    page = new_page(viewport={"width": 180, "height": 320})
    assert hint(page)["text"] == "メッセージ"
    page.get_by_role("button", name="English", exact=True).click()
    page.wait_for_function("() => document.documentElement.lang === 'en'")
    found = hint(page)
    assert found["text"] == "Message", found
    assert found["width"] <= found["room"] + 0.5, found
