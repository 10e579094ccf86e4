"""A toolbar button or a language button tapped while the bot's answer is on its way.

Send already works during the wait (test_typing_ahead.py); the toolbar's buttons and the
language buttons did nothing then. An elderly subscriber who tapped 「担当者と話す」 or
「English」 while the answer to 「はい」 was loading saw no change, and nothing was ever sent:
the tap was lost, and the button seemed broken. The press now waits, as typed words do, and
is done once the answer is on screen (the latest press, if several); when the answer fails,
the press is dropped with it, and the failure's notice says what to do.
"""

from __future__ import annotations

from playwright.sync_api import Route, expect

from tests.adapters.webchat.chat_page import (
    NewPage,
    bot_turns,
    choice_in_latest_turn,
    holding_the_first,
    message_bodies,
    route_posts,
    wait_for_held,
)


def test_a_toolbar_button_tapped_during_the_wait_is_pressed_after_the_answer(
    new_page: NewPage,
) -> None:
    page = new_page()
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)
    expect(page.locator("#typing")).to_be_visible()

    toolbar = page.get_by_role("navigation", name="よく使う操作")
    toolbar.get_by_role("button", name="担当者と話す", exact=True).click()
    # Nothing crosses the answer still on its way.
    expect(page.locator(".bubble--user")).to_have_text(["はい"])

    held[0].continue_()
    expect(page.locator(".bubble--user")).to_have_text(["はい", "担当者と話す"])
    expect(bot_turns(page)).to_have_count(3)
    expect(page.locator("#typing")).to_be_hidden()
    assert [body.get("choice") for body in bodies] == ["yes", "human"]


def test_the_language_switched_during_the_wait_is_switched_after_the_answer(
    new_page: NewPage,
) -> None:
    page = new_page()
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)

    page.get_by_role("button", name="English", exact=True).click()
    held[0].continue_()
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_role("button", name="English", exact=True)).to_have_attribute(
        "aria-pressed", "true"
    )
    expect(bot_turns(page)).to_have_count(3)
    expect(bot_turns(page).last).to_have_attribute("lang", "en")
    assert [body.get("choice") for body in bodies] == ["yes", "lang:en"]


def test_only_the_latest_press_of_the_wait_is_done(new_page: NewPage) -> None:
    page = new_page()
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)

    toolbar = page.get_by_role("navigation", name="よく使う操作")
    toolbar.get_by_role("button", name="担当者と話す", exact=True).click()
    toolbar.get_by_role("button", name="メニュー", exact=True).click()
    held[0].continue_()
    expect(page.locator(".bubble--user")).to_have_text(["はい", "メニュー"])
    expect(page.locator("#typing")).to_be_hidden()
    assert [body.get("choice") for body in bodies] == ["yes", "menu"]


def test_a_press_during_an_answer_that_fails_is_dropped(new_page: NewPage) -> None:
    page = new_page()
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)

    toolbar = page.get_by_role("navigation", name="よく使う操作")
    toolbar.get_by_role("button", name="メニュー", exact=True).click()
    held[0].fulfill(status=500, body="")
    expect(page.get_by_role("button", name="もう一度試す")).to_be_visible()
    page.evaluate("0")
    expect(page.locator(".bubble--user")).to_have_text(["はい"])
    assert [body.get("choice") for body in bodies] == ["yes"]
