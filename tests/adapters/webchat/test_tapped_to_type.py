"""Tapped to type, the input brings the latest question into view.

A long answer is read from its beginning: after four 「はい」 on a 320 × 568 phone at 200 %
text the view showed the result card from its top, and the question asking for the mail
address started 2,978 px below it. Tapping the input and the keyboard opening kept that view:
the subscriber typed without seeing what was asked. Now the question's start comes to the
view's top at the tap, and the keyboard opening keeps it there.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.adapters.webchat.chat_page import NARROW, PHONE, NewPage, answer, latest_bot_turn
from tests.adapters.webchat.test_keyboard_over_the_page import SAFARI_VIEWPORT, _visible
from tests.adapters.webchat.test_large_text import LARGEST_TEXT

# What an iPhone SE's keyboard takes with its row of suggestions, in CSS px.
KEYBOARD: Final = 250


def question_start(page: Page) -> float:
    """How far below the conversation view's top the latest question starts."""
    start: float = (
        latest_bot_turn(page)
        .locator(".bubble--question")
        .evaluate(
            "(q) => q.getBoundingClientRect().top"
            " - document.getElementById('conversation').getBoundingClientRect().top"
        )
    )
    return start


def view_height(page: Page) -> float:
    height: float = page.locator("#conversation").evaluate("(s) => s.clientHeight")
    return height


def the_address_is_asked(page: Page) -> None:
    page.evaluate(LARGEST_TEXT)
    for _ in range(4):
        answer(page, "はい")
    # The result card from its top; the question far below the view.
    expect(page.locator(".card--verdict")).to_be_in_viewport()
    assert question_start(page) > view_height(page), question_start(page)


@pytest.mark.parametrize("viewport", [NARROW, {"width": 360, "height": 640}], ids=str)
def test_tapping_the_input_shows_the_question_above_the_keyboard(
    new_page: NewPage, viewport: ViewportSize
) -> None:
    page = new_page(viewport=viewport)
    the_address_is_asked(page)
    field = page.get_by_role("textbox", name="メッセージ")
    field.click()
    # Android lays the page out above its keyboard.
    page.set_viewport_size({"width": viewport["width"], "height": viewport["height"] - KEYBOARD})
    expect(field).to_be_focused()
    expect(field).to_be_in_viewport()
    # Its start at the view's top, its first lines shown.
    assert 0 <= question_start(page) <= 24, question_start(page)
    expect(latest_bot_turn(page).locator(".bubble--question")).to_be_in_viewport()
    expect(page.get_by_role("button", name="続きを読む", exact=True)).to_be_visible()


def test_tapping_the_input_under_a_keyboard_drawn_over_the_page(new_page: NewPage) -> None:
    """iPhone Safari draws its keyboard over the page; the page then takes the height left."""
    page = new_page(viewport=NARROW, init_script=SAFARI_VIEWPORT)
    the_address_is_asked(page)
    field = page.get_by_role("textbox", name="メッセージ")
    field.click()
    _visible(page, NARROW["height"] - KEYBOARD)
    expect(page.locator(".app")).to_have_js_property("offsetHeight", NARROW["height"] - KEYBOARD)
    assert 0 <= question_start(page) <= 24, question_start(page)
    expect(field).to_be_in_viewport()


def test_a_question_in_sight_stays_where_it_is(new_page: NewPage) -> None:
    """The subscriber reading the question's last lines (or its start) keeps that view."""
    page = new_page(viewport=NARROW)
    the_address_is_asked(page)
    conversation = page.locator("#conversation")
    # Its end at the view's bottom, its start above the view.
    conversation.evaluate("(s) => { s.scrollTop = s.scrollHeight; }")
    assert question_start(page) < 0
    before = conversation.evaluate("(s) => s.scrollTop")
    page.get_by_role("textbox", name="メッセージ").click()
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(null)))")
    assert conversation.evaluate("(s) => s.scrollTop") == before


def test_the_question_comes_up_to_the_end_where_it_fits(new_page: NewPage) -> None:
    """On a larger phone the question fits: the view goes to the conversation's end."""
    page = new_page(viewport=PHONE)
    for _ in range(4):
        answer(page, "はい")
    question = latest_bot_turn(page).locator(".bubble--question")
    expect(question).not_to_be_in_viewport()
    page.get_by_role("textbox", name="メッセージ").click()
    expect(question).to_be_in_viewport(ratio=1)


def test_sideways_the_header_stepping_aside_does_not_take_the_question_away(
    new_page: NewPage,
) -> None:
    """A phone sideways at 200 % text: the tap's focus sets the header and the toolbar aside,
    and the conversation's box, grown, put back the view read before the tap (the result
    card, the question 1,488 px below)."""
    page = new_page(viewport={"width": 640, "height": 360})
    the_address_is_asked(page)
    page.get_by_role("textbox", name="メッセージ").click()
    expect(page.locator(".toolbar")).to_be_hidden()
    page.evaluate("() => new Promise((done) => requestAnimationFrame(() => done(null)))")
    assert 0 <= question_start(page) <= 24, question_start(page)
