"""A double tap on the toolbar is one press.

Elderly subscribers tap twice when the first tap seems to do nothing. On a fast connection
the answer to the first was on screen before the second, and the second was sent too:
「担当者と話す」 twice (the subscriber's words twice, and the same answer twice), 「メニュー」
twice, and 「最初から」 started two new conversations, one of them left behind. The
toolbar's buttons stay where they are, so the second tap lands on the same one.
"""

from __future__ import annotations

from playwright.sync_api import expect

from tests.adapters.webchat.chat_page import NARROW, NewPage, bot_turns, pause_clock, stored_id


def test_a_second_tap_of_the_same_toolbar_button_at_once_is_not_sent_again(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=NARROW, fake_clock=True)
    # The page's clock stands still between the two taps: they are one double tap.
    pause_clock(page)
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    person = toolbar.get_by_role("button", name="担当者と話す", exact=True)
    person.click()
    expect(bot_turns(page)).to_have_count(2)
    person.click()
    menu = toolbar.get_by_role("button", name="メニュー", exact=True)
    menu.click()  # another button is another press
    expect(bot_turns(page)).to_have_count(3)
    expect(page.locator(".turn--user")).to_have_count(2)
    # A second press a moment later is a press of its own.
    page.clock.run_for(1_500)
    menu.click()
    expect(bot_turns(page)).to_have_count(4)


def test_start_over_tapped_twice_starts_one_conversation(new_page: NewPage) -> None:
    page = new_page(viewport=NARROW, fake_clock=True)
    pause_clock(page)
    old = stored_id(page)
    started: list[str] = []
    page.on(
        "request",
        lambda r: (
            started.append(r.url)
            if r.method == "POST" and r.url.endswith("/api/webchat/conversations")
            else None
        ),
    )
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    restart = toolbar.get_by_role("button", name="最初から", exact=True)
    restart.click()
    # Forgotten, then the new one kept: nothing is kept for a moment between the two.
    page.wait_for_function(
        "old => { const saved = JSON.parse(localStorage.getItem('mailmove.webchat.v1'));"
        " return !!saved && saved.id !== old; }",
        arg=old,
    )
    expect(bot_turns(page)).to_have_count(1)
    restart.click()
    page.evaluate("0")
    expect(bot_turns(page)).to_have_count(1)
    assert len(started) == 1, started
