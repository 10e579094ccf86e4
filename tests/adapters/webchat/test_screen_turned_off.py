"""A phone whose screen went off while a message was on its way.

The phone sleeps: its connection pauses and the message's request is cut (the page still
thinks it is online). The subscriber turns the screen on twenty minutes later and found
「通信が途中で切れてしまいました。「もう一度試す」を押してください。…」 and their message
marked 「未送信」, where a messaging app would have sent it. The page's clock is Playwright's;
the screen is a `document.hidden` switch and its `visibilitychange`.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Route, expect

from tests.adapters.webchat.chat_page import (
    PHONE,
    NewPage,
    answer,
    bot_turns,
    message_bodies,
    pause_clock,
    route_posts,
)

SCREEN: Final = """
Object.defineProperty(document, 'hidden', {configurable: true, get: () => !!window.__off});
window.__screen = (off) => { window.__off = off;
  document.dispatchEvent(new Event('visibilitychange')); };
"""


def test_a_message_cut_while_the_screen_was_off_goes_when_it_is_on_again(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE, init_script=SCREEN, fake_clock=True)
    # An asleep phone runs no timers: the page's own retry, due 10 s after the failure,
    # waits for the screen (a clock run on for 20 minutes would have fired it).
    pause_clock(page)
    answer(page, "はい")
    cut: list[Route] = []

    def cut_the_first(route: Route) -> None:
        if cut:
            route.continue_()
        else:
            cut.append(route)
            route.abort("connectionreset")

    route_posts(page, cut_the_first)
    bodies = message_bodies(page)
    count = bot_turns(page).count()
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("Outlookを使っています")
    box.press("Enter")
    page.evaluate("window.__screen(true)")
    notice = page.get_by_role("log").locator(".notice")
    expect(notice).to_contain_text("通信が途中で切れてしまいました")
    unsent = page.locator(".turn--user").last.locator(".turn__unsent")
    expect(unsent).to_be_visible()
    # Twenty minutes pass on the phone's clock; no timer ran while it slept.
    page.clock.set_system_time(page.evaluate("Date.now()") / 1_000 + 20 * 60)
    assert len(bodies) == 1
    page.evaluate("window.__screen(false)")
    expect(bot_turns(page)).to_have_count(count + 1)
    expect(notice).to_have_count(0)
    expect(page.locator(".bubble--user", has_text="Outlookを使っています")).to_have_count(1)
    expect(unsent).to_have_count(0)
    # The same message again (its event id): answered once, whatever had arrived.
    assert len(bodies) == 2
    assert bodies[0] == bodies[1]


def test_a_server_that_asked_to_wait_is_not_asked_again_early(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, init_script=SCREEN, fake_clock=True)
    route_posts(
        page,
        lambda route: route.fulfill(
            status=503, headers={"Retry-After": "3600"}, json={"detail": "draining"}
        ),
    )
    bodies = message_bodies(page)
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("Outlookを使っています")
    box.press("Enter")
    notice = page.get_by_role("log").locator(".notice")
    expect(notice).to_contain_text("混み合っています")
    page.evaluate("window.__screen(true)")
    page.clock.run_for(60_000)
    page.evaluate("window.__screen(false)")
    # A read of the transcript goes at once, as on every return; the message waits its hour.
    page.evaluate("0")
    assert len(bodies) == 1
    expect(notice).to_contain_text("混み合っています")
