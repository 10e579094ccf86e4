"""The on-screen keyboard opening and closing under the conversation.

Android lays the page out above its keyboard (`interactive-widget=resizes-content`), so the
conversation's box loses the keyboard's height at its bottom. Its scroll position stayed
where it was: the question just answered, at the end of the conversation, and its buttons
went under the input. As in a messaging app, a conversation scrolled to its end stays at
its end; one scrolled elsewhere (a long answer read from its beginning) stays where it is.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.adapters.webchat.chat_page import PHONE, NewPage, answer, bot_turns, latest_bot_turn

# About what a phone's keyboard takes, with its row of suggestions.
KEYBOARD: Final = 300


def _end_gap(page: Page) -> float:
    """How far the conversation is scrolled short of its end, in CSS pixels."""
    gap: float = page.locator("#conversation").evaluate(
        "el => el.scrollHeight - el.clientHeight - el.scrollTop"
    )
    return gap


def _start_of_latest_answer_shown(page: Page) -> bool:
    shown: bool = page.evaluate(
        """() => {
          const turn = [...document.querySelectorAll('.turn--bot')].pop().getBoundingClientRect();
          const view = document.getElementById('conversation').getBoundingClientRect();
          return turn.top >= view.top - 1 && turn.top < view.bottom - 20;
        }"""
    )
    return shown


def _keyboard(page: Page, viewport: ViewportSize, *, shown: bool) -> None:
    height = viewport["height"] - KEYBOARD if shown else viewport["height"]
    page.set_viewport_size({"width": viewport["width"], "height": height})


@pytest.mark.parametrize(
    "viewport",
    [PHONE, {"width": 412, "height": 915}],
    ids=["390x844", "412x915"],
)
def test_the_question_just_answered_stays_above_the_keyboard(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    answer(page, "はい")
    assert _end_gap(page) <= 1
    field = page.get_by_role("textbox", name="メッセージ")
    field.click()
    _keyboard(page, viewport, shown=True)
    expect(field).to_be_in_viewport()
    expect(latest_bot_turn(page).locator(".choice").last).to_be_in_viewport()
    assert _end_gap(page) <= 1
    # The keyboard closes: the conversation grows upwards, its end still in view.
    _keyboard(page, viewport, shown=False)
    expect(latest_bot_turn(page).locator(".choice").last).to_be_in_viewport()
    assert _end_gap(page) <= 1


def test_a_keyboard_that_opens_in_steps_leaves_the_end_in_view(new_page: NewPage) -> None:
    """A keyboard may take the screen in several steps (one frame each): the view was read
    at each scroll, after the next step had already shrunk the box, and it was left a
    keyboard's height short of the end."""
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    assert _end_gap(page) <= 1
    field = page.get_by_role("textbox", name="メッセージ")
    field.click()
    for height in range(PHONE["height"] - 50, PHONE["height"] - KEYBOARD - 1, -50):
        page.set_viewport_size({"width": PHONE["width"], "height": height})
        page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(null)))")
    expect(field).to_be_in_viewport()
    expect(latest_bot_turn(page).locator(".choice").last).to_be_in_viewport()
    assert _end_gap(page) <= 1


def test_a_long_answer_read_from_its_beginning_stays_there(new_page: NewPage) -> None:
    """A long answer is shown from its beginning, not scrolled to its end: the keyboard
    opening and closing leave its beginning where it is. A tap on the input to type then
    brings the question it ends with into view (test_tapped_to_type), and the keyboard
    opening keeps that question in view."""
    page = new_page(viewport=PHONE)
    field = page.get_by_role("textbox", name="メッセージ")
    field.click()
    _keyboard(page, PHONE, shown=True)
    for _ in range(4):
        answer(page, "はい")
    expect(bot_turns(page)).to_have_count(5)
    assert _start_of_latest_answer_shown(page)
    assert _end_gap(page) > 1
    _keyboard(page, PHONE, shown=False)
    expect(field).to_be_in_viewport()
    assert _start_of_latest_answer_shown(page)
    field.click()
    _keyboard(page, PHONE, shown=True)
    expect(field).to_be_in_viewport()
    expect(latest_bot_turn(page).locator(".bubble--question")).to_be_in_viewport(ratio=1)
