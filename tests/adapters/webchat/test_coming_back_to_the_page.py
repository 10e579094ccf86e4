"""Coming back to the chat on a small phone: after a reload, and a day later in English.

A phone reloads a tab it put away (an hour in the mail app, the screen off), and people press
reload. The page drew the conversation again and went to its end: on a 320 × 568 phone at
200 % the question asked last was taller than the view, and what showed was its buttons
(「はい」「いいえ」「わからない」) under the tail of its explanation, the question itself two
screens up. When it was asked, the page had shown it from its beginning.
"""

from __future__ import annotations

import re
from typing import Final

import pytest
from playwright.sync_api import Page, ViewportSize, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import PHONE, NewPage, answer, latest_bot_turn

# A 320 × 568 and a 360 × 640 phone zoomed to 200 % (Chrome on Android follows the phone's
# font size with its page zoom).
AT_200: Final[dict[str, ViewportSize]] = {
    "320x568": {"width": 160, "height": 284},
    "360x640": {"width": 180, "height": 320},
}


def _turn_in_view(page: Page) -> dict[str, float]:
    """Where the latest bot turn's top is, from the conversation's top, and their heights."""
    found: dict[str, float] = latest_bot_turn(page).evaluate(
        """(turn) => {
          const view = document.getElementById('conversation');
          return {top: turn.getBoundingClientRect().top - view.getBoundingClientRect().top,
                  height: turn.offsetHeight, view: view.clientHeight};
        }"""
    )
    return found


@pytest.mark.parametrize("phone", list(AT_200))
def test_a_reload_shows_the_question_from_its_beginning_as_it_was_asked(
    new_page: NewPage, phone: str
) -> None:
    page = new_page(viewport=AT_200[phone])
    answer(page, "はい")
    answer(page, "はい")
    asked = _turn_in_view(page)
    # The question is taller than the view: it was shown from its beginning.
    assert asked["height"] > asked["view"], asked
    assert 0 <= asked["top"] <= 16, asked
    page.reload()
    expect(latest_bot_turn(page).get_by_role("button", name="はい", exact=True)).to_be_enabled()
    back = _turn_in_view(page)
    assert 0 <= back["top"] <= 16, back
    assert latest_bot_turn(page).get_by_text("メールを送信していますか").first.is_visible()
    violations = axe_violations(page)
    assert not violations, describe(violations)


def test_a_short_question_after_a_reload_still_shows_the_end(new_page: NewPage) -> None:
    """A question that fits the view is shown at the conversation's end, as it was asked."""
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    page.reload()
    expect(latest_bot_turn(page).get_by_role("button", name="はい", exact=True)).to_be_enabled()
    at_end: bool = page.evaluate(
        "(() => { const v = document.getElementById('conversation');"
        " return v.scrollHeight - v.clientHeight - v.scrollTop <= 1; })()"
    )
    assert at_end


# "1 Jun, 03:00": the month in words. "01/06, 03:00" (en-GB's numbers) is the 6th of January
# to a reader used to the month first.
ENGLISH_WITH_DATE: Final = re.compile(r"^\d{1,2} [A-Z][a-z]{2,3}, \d{2}:\d{2}$")


def test_an_english_date_names_its_month(new_page: NewPage) -> None:
    page = new_page("/?lang=en", viewport=PHONE, fake_clock=True)
    answer(page, "Yes")
    said = page.locator(".turn--user time")
    expect(said).to_have_text([re.compile(r"^\d{2}:\d{2}$")])
    page.clock.fast_forward("24:00:00")
    page.evaluate("document.dispatchEvent(new Event('visibilitychange'))")
    expect(said).to_have_text([ENGLISH_WITH_DATE])
