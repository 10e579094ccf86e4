"""An answer that takes long is said to be on its way, in words an elderly reader sees.

The indicator of a reply on its way was three dots (its words are for screen readers only),
still dots under reduced motion: after a few seconds of them a subscriber took the page for
stuck and pressed Send again, or left. The page's own clock (Playwright's) is moved on; the
message's request is held, as a slow server holds it.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Route, expect

from tests.accessibility import axe_violations
from tests.adapters.webchat.chat_page import (
    PHONE,
    NewPage,
    bot_turns,
    message_bodies,
    pause_clock,
    route_posts,
    wait_for_held,
)

SLOW = {
    "ja": "お返事に少し時間がかかっています。このままお待ちください。",
    "en": "This is taking a little longer than usual. Please wait a moment.",
}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_slow_answer_says_it_is_on_its_way_and_is_sent_once(
    new_page: NewPage, locale: str
) -> None:
    page = new_page(f"/?lang={locale}", viewport=PHONE, fake_clock=True)
    # Paused: left running with real time, the page's 4 s before its words came early on a
    # loaded machine (1.5 s between the send and the first run_for showed them at "3 s"),
    # and its 10 s limit gave the held message up while the test looked.
    pause_clock(page)
    held: list[Route] = []
    route_posts(page, held.append)
    bodies = message_bodies(page)
    box = page.locator("#input")
    box.fill("Outlook")
    box.press("Enter")
    wait_for_held(page, held)
    typing = page.locator("#typing")
    expect(typing).to_be_visible()
    slow = page.locator("#typing-slow")
    expect(slow).to_be_hidden()
    page.clock.run_for(3_000)
    expect(slow).to_be_hidden()
    page.clock.run_for(2_000)
    expect(slow).to_be_visible()
    expect(slow).to_have_text(SLOW[locale])
    # Inside the indicator, a status: heard once, when it appears.
    expect(typing).to_have_attribute("role", "status")
    assert axe_violations(page) == []
    # The subscriber who presses Send again sends nothing more.
    page.locator("#send").click()
    count = bot_turns(page).count()
    held[0].continue_()
    expect(bot_turns(page)).to_have_count(count + 1)
    expect(typing).to_be_hidden()
    assert len(bodies) == 1
    # The next answer starts with the dots alone again.
    box.fill("Thunderbird")
    box.press("Enter")
    wait_for_held(page, held, 2)
    expect(typing).to_be_visible()
    expect(slow).to_be_hidden()
    held[1].continue_()
    expect(bot_turns(page)).to_have_count(count + 2)


def test_the_words_of_a_slow_answer_are_in_view_on_the_smallest_phone_at_200_percent(
    new_page: NewPage,
) -> None:
    # A 320 × 568 phone at 200 %: the conversation keeps some 60 px above the input.
    page = new_page(viewport={"width": 160, "height": 284}, fake_clock=True)
    pause_clock(page)
    held: list[Route] = []
    route_posts(page, held.append)
    box = page.locator("#input")
    box.fill("Outlook")
    box.press("Enter")
    wait_for_held(page, held)
    page.clock.run_for(5_000)
    slow = page.locator("#typing-slow")
    expect(slow).to_be_visible()
    expect(slow).to_be_in_viewport()
    at_end = page.evaluate(
        "(() => { const s = document.getElementById('conversation');"
        " return s.scrollHeight - s.clientHeight - s.scrollTop <= 1; })()"
    )
    assert at_end
    held[0].continue_()


GIVEN_UP = {
    "ja": "申し訳ありません、応答に時間がかかっています。10秒ほどたつと、自動でやり直します。"
    "すぐにやり直すときは「もう一度試す」を押してください。",
    "en": "Sorry, this is taking too long. We will try again automatically in about 10 seconds;"
    ' to try now, press "Try again".',
}
RETRY = {"ja": "もう一度試す", "en": "Try again"}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_answer_given_up_names_the_button_that_sends_it_again(
    new_page: NewPage, locale: str
) -> None:
    # 「もう一度お試しください」 beside a bubble marked 「未送信」 left the way open to typing the
    # message again, a second message; the button sends the same one (its event id).
    page = new_page(f"/?lang={locale}", viewport=PHONE, fake_clock=True)
    # Paused: the page's own retry, 10 s after it gave up, must not come before the focus is
    # read on a loaded machine.
    pause_clock(page)
    held: list[Route] = []
    route_posts(page, held.append)
    box = page.locator("#input")
    box.fill("Outlook")
    box.press("Enter")
    wait_for_held(page, held)
    page.clock.run_for(10_500)
    notice = page.get_by_role("log").locator(".notice")
    expect(notice.locator(".notice__text")).to_have_text(GIVEN_UP[locale])
    expect(notice.get_by_role("button", name=RETRY[locale], exact=True)).to_be_focused()
