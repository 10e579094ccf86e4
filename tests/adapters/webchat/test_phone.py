"""The web chat as a subscriber meets it on a phone: the Japanese input method, the virtual
keyboard, and a server that asks to wait (a rate limit, a replica draining)."""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import Page, Route, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import (
    NARROW,
    PHONE,
    NewPage,
    bot_turns,
    choice_in_latest_turn,
    latest_bot_turn,
    message_bodies,
    pause_clock,
    route_posts,
    wait_for_held,
)

SECOND_QUESTION: Final = "117net以外のプロバイダ"


def _input(page: Page) -> None:
    page.get_by_role("textbox", name="メッセージ").click()


def test_enter_that_confirms_a_kana_conversion_sends_nothing(new_page: NewPage) -> None:
    """やまだ → Enter picks 山田 in the input method; only the next Enter sends."""
    page = new_page(viewport=PHONE)
    bodies = message_bodies(page)
    _input(page)
    ime = page.context.new_cdp_session(page)
    ime.send("Input.imeSetComposition", {"text": "やまだ", "selectionStart": 3, "selectionEnd": 3})
    page.keyboard.press("Enter")  # keydown with isComposing: the conversion's own Enter
    ime.send("Input.insertText", {"text": "山田"})  # the conversion is confirmed
    # Safari ends the composition before its keydown, which then says only keyCode 229.
    page.get_by_role("textbox", name="メッセージ").evaluate(
        """input => {
          const late = new KeyboardEvent("keydown", { key: "Enter", bubbles: true,
                                                      cancelable: true });
          Object.defineProperty(late, "keyCode", { value: 229 });
          input.dispatchEvent(late);
        }"""
    )
    expect(bot_turns(page)).to_have_count(1)
    assert bodies == []
    expect(page.get_by_role("textbox", name="メッセージ")).to_have_value("山田\n")
    page.keyboard.press("Enter")
    expect(bot_turns(page)).to_have_count(2)
    assert [body["text"] for body in bodies] == ["山田"]
    expect(page.locator(".bubble--user")).to_have_text(["山田"])


def test_the_virtual_keyboard_shrinks_the_page_and_the_input_stays_in_view(
    new_page: NewPage,
) -> None:
    """Android lays the page out above its keyboard only when the page asks for it
    (`interactive-widget=resizes-content`); otherwise the keyboard covers the page's lower
    part, and the question being answered goes under it. Chromium without a keyboard: the
    viewport shrinks as the keyboard would make it."""
    page = new_page(viewport=PHONE)
    viewport = page.locator('meta[name="viewport"]').get_attribute("content") or ""
    assert "interactive-widget=resizes-content" in viewport.replace(" ", "")
    choice_in_latest_turn(page, "はい").click()
    expect(bot_turns(page)).to_have_count(2)
    _input(page)
    page.set_viewport_size({"width": PHONE["width"], "height": 844 - 336})
    field = page.get_by_role("textbox", name="メッセージ")
    expect(field).to_be_in_viewport()
    expect(field).to_be_focused()
    expect(latest_bot_turn(page).locator(".bubble").first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")


@pytest.mark.parametrize(
    ("status", "wait"),
    [(429, "3"), (503, "1")],
    ids=["rate-limited", "draining"],
)
def test_a_server_that_asks_to_wait_gets_the_message_again_by_itself(
    new_page: NewPage, status: int, wait: str
) -> None:
    """The page says it is busy and for how long, in Japanese, and sends the same message
    again once the wait is over, without a press: answered once."""
    page = new_page(viewport=NARROW, fake_clock=True)
    # Paused: left running with real time, the page's retry after the server's 1 s came on a
    # loaded machine before the notice and the unsent mark were read.
    pause_clock(page)
    bodies = message_bodies(page)
    refused: list[Route] = []

    def refuse_once(route: Route) -> None:
        if refused:
            route.continue_()
            return
        refused.append(route)
        route.fulfill(
            status=status,
            headers={"Retry-After": wait},
            json={"detail": "too many requests (webchat messages); retry later"},
        )

    route_posts(page, refuse_once)
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, refused)
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text("混み合っています")
    expect(notice).to_contain_text(f"{wait}秒ほど")
    expect(notice.get_by_role("button", name="もう一度試す")).to_be_visible()
    expect(page.locator(".turn--user").last).to_contain_text("未送信")
    violations = axe_violations(page)
    assert not violations, describe(violations)
    page.clock.run_for(int(wait) * 1000)
    expect(bot_turns(page)).to_have_count(2)
    expect(latest_bot_turn(page)).to_contain_text(SECOND_QUESTION)
    expect(notice).to_have_count(0)
    expect(page.locator(".turn--user").last).not_to_contain_text("未送信")
    assert len(bodies) == 2
    assert bodies[0]["event_id"] == bodies[1]["event_id"]


def test_a_password_typed_into_the_chat_is_masked_on_the_screen_too(new_page: NewPage) -> None:
    """The bot says it masked the password: the subscriber's own bubble must not still show
    it to whoever looks at the phone, as it would not after a reload."""
    page = new_page(viewport=PHONE)
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("パスワードは ｈｉｍｉｔｓｕ１２３ です")
    field.press("Enter")
    expect(bot_turns(page)).to_have_count(2)
    expect(latest_bot_turn(page)).to_contain_text("伏せ字にしました")
    bubble = page.locator(".bubble--user").last
    expect(bubble).to_contain_text("パスワードは")
    expect(bubble).not_to_contain_text("ｈｉｍｉｔｓｕ")
    expect(bubble).not_to_contain_text("himitsu")
    page.reload()
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".bubble--user").last).not_to_contain_text("himitsu")


def test_a_message_that_timed_out_but_arrived_keeps_its_place(new_page: NewPage) -> None:
    """A slow line: 「はい」 gives up after 10 s, yet reached the server. The subscriber answers
    the next thing instead of retrying; the transcript then holds the first answer before
    theirs. The page shows the conversation in the server's order: the question on screen
    last is the one the bot is really asking, and 「はい」 is not marked 未送信."""
    page = new_page(viewport=PHONE, fake_clock=True)
    # Paused: the page's own retry of 「はい」, 10 s after it gave up, must not come before the
    # subscriber's next words on a loaded machine.
    pause_clock(page)
    held: list[Route] = []

    def hold_the_first(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    route_posts(page, hold_the_first)
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, held)
    page.clock.run_for(10_000)  # the page gives up on it
    expect(page.locator("#log .notice--error")).to_contain_text("時間がかかっています")
    held[0].fetch()  # ... but the server did get it
    held[0].abort("timedout")
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("わからない")
    field.press("Enter")
    expect(bot_turns(page)).to_have_count(2)
    page.clock.run_for(2_000)  # the next read of the transcript
    expect(page.locator(".bubble--user")).to_have_text(["はい", "わからない"])
    expect(page.locator(".turn__unsent")).to_have_count(0)
    expect(bot_turns(page)).to_have_count(3)
    expect(latest_bot_turn(page)).to_contain_text("117netのメールサーバーを設定して")
    expect(bot_turns(page).nth(1)).to_contain_text(SECOND_QUESTION)


def test_sideways_with_the_keyboard_open_the_conversation_keeps_room_to_read(
    new_page: NewPage,
) -> None:
    """A phone held sideways (844 × 390) with its keyboard open leaves about 190 px, which
    the header and the toolbar took whole: the question being answered was not on screen.
    On so short a screen only the conversation and the input show; the keyboard closed, the
    header and the toolbar are back."""
    page = new_page(viewport={"width": 844, "height": 390})
    choice_in_latest_turn(page, "はい").click()
    expect(bot_turns(page)).to_have_count(2)
    _input(page)
    page.set_viewport_size({"width": 844, "height": 190})
    field = page.get_by_role("textbox", name="メッセージ")
    expect(field).to_be_in_viewport()
    conversation = page.locator("#conversation")
    assert conversation.evaluate("c => c.clientHeight") >= 100
    expect(latest_bot_turn(page).locator(".bubble").first).to_be_in_viewport()
    assert page.evaluate("document.documentElement.scrollHeight <= innerHeight")
    page.set_viewport_size({"width": 844, "height": 390})
    expect(page.get_by_role("heading", level=1)).to_be_visible()
    expect(page.get_by_role("button", name="担当者と話す", exact=True)).to_be_visible()
