"""Words sent while the bot's answer is on its way go right after it, as in a messaging app.

A subscriber who types fast (or taps Send twice) presses Send before the answer to their last
message is back. The page sends one message at a time, so that answers never cross: those
words wait in the box, and go by themselves once the answer is on screen. Before, the press
did nothing, and to someone who did not notice the lighter button Send looked broken.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Browser, Route, expect

from tests.adapters.webchat.chat_page import (
    NewPage,
    bot_turns,
    choice_in_latest_turn,
    holding_the_first,
    message_bodies,
    route_posts,
    wait_for_held,
)


@pytest.mark.parametrize("with_enter", [True, False], ids=["enter", "send-button"])
def test_words_sent_while_the_answer_is_on_its_way_go_right_after_it(
    new_page: NewPage, with_enter: bool
) -> None:
    page = new_page()
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)
    expect(page.locator("#typing")).to_be_visible()  # the answer to はい is on its way

    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("わからない")
    if with_enter:
        box.press("Enter")
    else:
        page.get_by_role("button", name="送信", exact=True).click()
    # Nothing crosses the answer still on its way: the words wait in the box.
    expect(box).to_have_value("わからない")
    expect(page.locator(".bubble--user")).to_have_text(["はい"])

    held[0].continue_()
    # The answer to はい, then the words, then the answer to them: in the order they were said.
    expect(page.locator(".bubble--user")).to_have_text(["はい", "わからない"])
    expect(box).to_have_value("")
    expect(bot_turns(page)).to_have_count(3)
    # Still in the input they typed in (the answer to a button puts focus on the next
    # question's buttons, and the words just sent have closed those).
    expect(box).to_be_focused()
    expect(page.locator("#typing")).to_be_hidden()
    assert [body.get("choice") or body.get("text") for body in bodies] == ["yes", "わからない"]


def test_words_sent_while_an_answer_fails_stay_in_the_box(new_page: NewPage) -> None:
    page = new_page()
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("わからない")
    box.press("Enter")

    held[0].fulfill(status=500, body="Internal Server Error")
    # The failure is said, with its retry; the words are not sent behind it, nor lost.
    notice = page.locator("#log .notice--error")
    expect(notice.get_by_role("button", name="もう一度試す")).to_be_visible()
    expect(box).to_have_value("わからない")
    notice.get_by_role("button", name="もう一度試す").click()
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".bubble--user")).to_have_text(["はい"])
    expect(box).to_have_value("わからない")
    assert [body.get("choice") or body.get("text") for body in bodies] == ["yes", "yes"]


def test_typing_while_the_answer_arrives_keeps_the_focus_in_the_input(new_page: NewPage) -> None:
    # After a button, the focus goes to the next question's buttons, for those who answer
    # with the keyboard. Someone already typing in the input keeps it there: their next
    # keys, and their Enter, must not land on (and press) the new question's first button.
    page = new_page()
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)
    box = page.get_by_role("textbox", name="メッセージ")
    box.click()
    page.keyboard.type("わから")

    held[0].continue_()
    expect(bot_turns(page)).to_have_count(2)
    expect(box).to_be_focused()
    page.keyboard.type("ない")
    page.keyboard.press("Enter")
    expect(page.locator(".bubble--user")).to_have_text(["はい", "わからない"])
    expect(bot_turns(page)).to_have_count(3)
    assert [body.get("choice") or body.get("text") for body in bodies] == ["yes", "わからない"]


def test_words_typed_while_a_message_is_refused_are_kept_beside_it(new_page: NewPage) -> None:
    # A refused message (422, 413) comes back into the box to be edited. Words typed during
    # the wait were in the box already: they were replaced by it, and lost.
    page = new_page()
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("送信できません")
    box.press("Enter")
    wait_for_held(page, held)
    box.fill("Outlookです")

    held[0].fulfill(status=422, content_type="application/json", body='{"error": "text: refused"}')
    expect(page.locator("#log .notice")).to_be_visible()
    expect(box).to_have_value("送信できません\nOutlookです")
    expect(page.locator(".bubble--user")).to_have_count(0)


def test_words_sent_before_the_greeting_go_right_after_it(browser: Browser, base_url: str) -> None:
    """On a slow connection the page's words load before the conversation is started, and
    the box shows seconds before the greeting (2 s of a 7 s first load on slow 3G). Send
    pressed then did nothing: the press was dropped, and the words waited for a second one.
    They go by themselves once the greeting is on screen, as during any answer's wait."""
    context = browser.new_context(base_url=base_url, locale="ja-JP")
    try:
        page = context.new_page()
        held: list[Route] = []
        page.route("**/api/webchat/conversations", lambda route: held.append(route))
        bodies = message_bodies(page)
        page.goto("/")
        wait_for_held(page, held)
        box = page.get_by_role("textbox", name="メッセージ")
        box.fill("メールが送れません")
        box.press("Enter")
        expect(box).to_have_value("メールが送れません")
        held[0].continue_()
        expect(page.locator(".bubble--user")).to_have_text(["メールが送れません"])
        expect(bot_turns(page)).to_have_count(2)
        expect(box).to_have_value("")
        expect(box).to_be_focused()
        assert [body.get("text") for body in bodies] == ["メールが送れません"]
    finally:
        context.close()
