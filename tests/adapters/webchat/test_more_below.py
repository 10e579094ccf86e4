"""「▼ 続きを読む」: the conversation says when it goes on below the view, and takes the
subscriber down a screen at a press.

On a 320 × 568 phone at the largest text (200 %) the first screen showed 308 px of the
greeting, 「こんにちは。117netの / メールサーバー移 / 行について / ご案内します。」, and
nothing said that more was below: the first question's 「はい」 was 2,589 px down, 8.4 views,
and an elderly subscriber who does not know to swipe a page that shows no scroll bar waited
for the chat to say something. A button over the view's lower right says 「▼ 続きを読む」
while there is more below, and moves the view down by what it showed, less the strip it
stood over (a swipe still works). It steps aside from a button it would cover: the program
question's 「Thunderbird」 was under it (test_elderly_phone's spacing). In a view a few
lines high (200 % zoom, 160 × 284 and 180 × 320; a phone sideways) it is the arrow alone.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import Locator, Page, ViewportSize, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import (
    NARROW,
    NewPage,
    answer,
    latest_bot_turn,
    type_message,
)
from tests.adapters.webchat.test_large_text import LARGEST_TEXT
from tests.adapters.webchat.test_page_zoom_small_phone import AT_200

SIDEWAYS: Final[ViewportSize] = {"width": 640, "height": 360}
_NEXT_FRAME: Final = "() => new Promise((done) => requestAnimationFrame(() => done(null)))"


def more_below(page: Page, name: str = "続きを読む") -> Locator:
    return page.get_by_role("button", name=name, exact=True)


def view(page: Page) -> dict[str, float]:
    found: dict[str, float] = page.evaluate(
        """() => { const s = document.getElementById('conversation');
                   return {top: s.scrollTop, height: s.clientHeight,
                           below: s.scrollHeight - s.clientHeight - s.scrollTop}; }"""
    )
    return found


def press_once(page: Page) -> None:
    """Press 「続きを読む」: the view moves down by half of it at least (or to the end), and
    the strip the button stood over is still in view, at its top: nothing is skipped."""
    button = more_below(page)
    expect(button).to_be_in_viewport(ratio=1)
    before = view(page)
    covered: float = button.evaluate(
        "(b) => document.getElementById('conversation').getBoundingClientRect().bottom"
        " - b.getBoundingClientRect().top"
    )
    button.click()
    page.wait_for_function(
        "(top) => document.getElementById('conversation').scrollTop !== top", arg=before["top"]
    )
    after = view(page)
    moved = after["top"] - before["top"]
    assert after["below"] <= 2 or moved >= before["height"] / 2 - 1, (before, moved)
    most = max(before["height"] - covered, before["height"] / 2)
    assert moved <= most + 1, (before, moved, covered)
    # Whether it steps aside is drawn with the frame after the scroll.
    page.evaluate(_NEXT_FRAME)


def press_while_shown(page: Page, most: int) -> int:
    """Press 「続きを読む」 while it shows; it goes at the end, or beside a button it would
    cover, which then shows what to do: the latest question's buttons are in view."""
    presses = 0
    while more_below(page).is_visible():
        assert presses < most, view(page)
        press_once(page)
        presses += 1
    shown = (
        latest_bot_turn(page)
        .locator(".choice")
        .evaluate_all(
            """(buttons) => { const v = document.getElementById('conversation')
                                      .getBoundingClientRect();
            return buttons.filter((b) => { const r = b.getBoundingClientRect();
                                           return r.bottom > v.top + 8 && r.top < v.bottom - 8; })
                          .map((b) => b.textContent); }"""
        )
    )
    assert shown, view(page)
    return presses


# The conversation's buttons and links within 8 px of 「続きを読む」, shown.
_CROWDING: Final = """() => { const b = document.getElementById('more-below');
            if (b.hidden) return [];
            const box = b.getBoundingClientRect();
            const v = document.getElementById('conversation').getBoundingClientRect();
            return [...document.querySelectorAll('#log button, #log a[href]')]
              .filter((c) => [...c.getClientRects()].some((r) =>
                 r.top < v.bottom && r.bottom > v.top && r.right > box.left - 8
                 && r.left < box.right + 8 && r.bottom > box.top - 8 && r.top < box.bottom + 8))
              .map((c) => c.textContent.trim()); }"""


def crowding(page: Page) -> list[str]:
    """The conversation's buttons and links within 8 px of 「続きを読む」, shown."""
    found: list[str] = page.evaluate(_CROWDING)
    return found


@pytest.mark.parametrize("lang", ["ja", "en"])
def test_the_first_screen_at_the_largest_text_says_there_is_more_and_leads_to_the_question(
    new_page: NewPage, lang: str
) -> None:
    page = new_page(f"/?lang={lang}", viewport=NARROW)
    page.evaluate(LARGEST_TEXT)
    button = more_below(page, {"ja": "続きを読む", "en": "Read more"}[lang])
    expect(button).to_be_in_viewport(ratio=1)
    # The words, not the arrow alone, 44 px at least, over the conversation's lower edge.
    expect(button).to_contain_text({"ja": "続きを読む", "en": "Read more"}[lang])
    box = button.bounding_box()
    conversation = page.locator("#conversation").bounding_box()
    assert box is not None
    assert conversation is not None
    assert box["height"] >= 44
    assert box["width"] >= 120, box
    assert box["y"] >= conversation["y"], (box, conversation)
    assert box["y"] + box["height"] <= conversation["y"] + conversation["height"] + 0.5
    if lang == "en":
        return
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    presses = press_while_shown(page, most=15)
    assert presses >= 3, presses  # 8.4 views: a screen at a time
    # At the end of the conversation it is gone: there is nothing more to read.
    page.locator("#conversation").evaluate("(s) => { s.scrollTop = s.scrollHeight; }")
    expect(button).to_be_hidden()
    # Read back up, and it is there again.
    page.locator("#conversation").evaluate("(s) => { s.scrollTop = 0; }")
    expect(button).to_be_visible()
    answer(page, "はい")


def test_it_never_covers_a_button_on_the_way_through_the_questions(new_page: NewPage) -> None:
    """Over the program question's 「Thunderbird」 on a 320 × 568 phone, a press meant for
    the answer scrolled instead. It steps aside wherever a button comes near it."""
    page = new_page(viewport=NARROW)
    page.evaluate(LARGEST_TEXT)
    for _ in range(4):
        answer(page, "はい")
    type_message(page, "taro@vp.117.ne.jp")
    # Every 40 px down the whole conversation (some 300 views), each view two frames after
    # its scroll, when the button has stepped aside; in one round trip, and without waiting
    # for the frames of a view with no button or link in it, which nothing can crowd: a
    # Playwright call and two frames per view made this the suite's slowest test (20 s).
    crowded: dict[str, list[str]] = page.locator("#conversation").evaluate(
        f"""async (s) => {{ const crowding = {_CROWDING};
              const frame = {_NEXT_FRAME};
              const controls = [...document.querySelectorAll('#log button, #log a[href]')];
              const crowded = {{}};
              for (let top = 0; top < s.scrollHeight; top += 40) {{
                s.scrollTop = top;
                const v = s.getBoundingClientRect();
                if (!controls.some((c) => [...c.getClientRects()].some((r) =>
                      r.top < v.bottom && r.bottom > v.top))) continue;
                await frame();
                await frame();
                const near = crowding();
                if (near.length) crowded[top] = near;
              }}
              return crowded; }}"""
    )
    assert crowded == {}


@pytest.mark.parametrize("phone", list(AT_200))
def test_on_a_zoomed_small_phone_it_is_a_small_round_button_in_a_corner(
    new_page: NewPage, phone: str
) -> None:
    """At 200 % page zoom the view is 63 px (160 × 284) or 99 px (180 × 320): the words
    would cover most of it. The arrow alone, 44 px, at its lower right; still named."""
    page = new_page(viewport=AT_200[phone])
    button = more_below(page)
    expect(button).to_be_in_viewport(ratio=1)
    box = button.bounding_box()
    assert box is not None
    assert 44 <= box["width"] <= 48, box
    assert 44 <= box["height"] <= 48, box
    # A view of a few lines is a press for each few lines.
    press_while_shown(page, most=80)


def test_sideways_at_the_largest_text_it_is_round_and_takes_the_subscriber_down(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=SIDEWAYS)
    page.evaluate(LARGEST_TEXT)
    box = more_below(page).bounding_box()
    assert box is not None
    assert box["width"] <= 48, box
    press_while_shown(page, most=30)


def test_where_everything_fits_there_is_no_button(new_page: NewPage) -> None:
    page = new_page()  # 1280 × 900: the greeting and its question fit
    expect(latest_bot_turn(page).get_by_role("button", name="はい", exact=True)).to_be_in_viewport()
    assert view(page)["below"] <= 2
    expect(more_below(page)).to_be_hidden()
