"""A phone's connection comes and goes: what the subscriber sees, and that nothing is lost.

A message that did not go says so on its own bubble (as LINE's 「未送信」 does), also once the
subscriber has moved on and sent something else; the connection dropping while nothing is
being sent (waiting for an agent) is said, and its return fetches what arrived at once
instead of after the polling's back-off.
"""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from typing import Any, Final

from playwright.sync_api import Page, Route, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import (
    PHONE,
    SAID_BY_THE_LOG,
    NewPage,
    bot_turns,
    choice_in_latest_turn,
    latest_bot_turn,
    message_bodies,
    pause_clock,
    route_posts,
    type_message,
)

TRANSCRIPT_URL: Final = "**/api/webchat/conversations/*/messages?after=*"

# Seconds for three polls to fail offline: the end of the wait, not its length.
OFFLINE_POLLS_TIMEOUT: Final = 30.0


def fail_first_post(page: Page) -> None:
    """The page's next message is lost on the way (a connection reset); later ones go."""
    failures = [1]

    def handle(route: Route) -> None:
        if failures:
            failures.pop()
            route.abort("connectionreset")
        else:
            route.continue_()

    route_posts(page, handle)


def cut_until_let_through(page: Page) -> Callable[[], None]:
    """The page's messages are lost on the way until the returned function is called.

    For a test that reads the failure with axe before it presses 「もう一度試す」 with the
    page's clock still running: the page's own retry, due 10 s after the failure, may come
    meanwhile on a loaded machine. Cut too, it leaves the failure as it was. Call it with the
    page's clock paused (pause_clock), then press. (axe also runs on a paused clock since
    tests/accessibility.py runs it in a world of its own.)
    """
    cutting = [True]

    def handle(route: Route) -> None:
        if cutting[0]:
            route.abort("connectionreset")
        else:
            route.continue_()

    def let_through() -> None:
        cutting[0] = False

    route_posts(page, handle)
    return let_through


def test_a_message_that_did_not_go_is_marked_on_its_bubble_until_it_goes(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE, fake_clock=True)
    let_through = cut_until_let_through(page)
    choice_in_latest_turn(page, "はい").click()
    expect(page.locator("#log .notice--error")).to_be_visible()
    bubble = page.locator(".turn--user").last
    expect(bubble.locator(".turn__unsent")).to_have_text("未送信")
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    pause_clock(page)
    let_through()
    page.locator("#log .notice--error").get_by_role("button", name="もう一度試す").click()
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".turn__unsent")).to_have_count(0)


def test_a_message_that_did_not_go_stays_marked_when_the_subscriber_moves_on(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    bodies = message_bodies(page)
    fail_first_post(page)
    choice_in_latest_turn(page, "はい").click()
    expect(page.locator("#log .notice--error")).to_be_visible()
    # Instead of 「もう一度試す」 the subscriber types an answer: that one is answered, and
    # the screen does not pretend the first one was said.
    type_message(page, "いいえ")
    expect(latest_bot_turn(page)).to_contain_text("変更不要")
    users = page.locator(".turn--user")
    expect(users).to_have_count(2)
    expect(users.first).to_contain_text("はい")
    expect(users.first.locator(".turn__unsent")).to_have_text("未送信")
    expect(users.last.locator(".turn__unsent")).to_have_count(0)
    # Sent once each: the lost one was not sent again behind the subscriber's back.
    assert [body.get("choice") or body.get("text") for body in bodies] == ["yes", "いいえ"]


def test_in_english_the_mark_says_not_sent(new_page: NewPage) -> None:
    page = new_page("/?lang=en", viewport=PHONE)
    fail_first_post(page)
    choice_in_latest_turn(page, "Yes").click()
    expect(page.locator(".turn--user .turn__unsent")).to_have_text("Not sent")


def test_offline_while_waiting_is_said_and_its_return_fetches_replies_at_once(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE, fake_clock=True)
    queued = {"owner": "queue"}

    def waiting(route: Route) -> None:
        response = route.fetch()
        body: dict[str, Any] = response.json()
        body.update(queued)
        route.fulfill(response=response, json=body)

    page.route(TRANSCRIPT_URL, waiting)
    with page.expect_response(lambda response: "?after=" in response.url):
        page.clock.run_for(3000)
    expect(page.locator("#owner")).to_contain_text("担当者におつなぎしています")

    page.context.set_offline(True)
    notice = page.locator("#log .notice")
    expect(notice).to_contain_text("インターネットにつながっていないようです")
    expect(notice).to_have_attribute("data-failure", "offline")
    # Said, not shouted: the subscriber may be typing, the focus stays where it was. Said
    # once, as a line of the log (polite): a status of its own inside the log was heard twice.
    assert notice.evaluate(SAID_BY_THE_LOG)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # Offline, the polls fail and back off (2 s, 4 s, 8 s, 16 s, …). Counted by a listener:
    # one minute of the fake clock can hold several failures, and one can arrive between
    # two waits for the event, so waiting for one event per minute raced.
    failed: list[Any] = []
    page.on("requestfailed", lambda request: failed.append(request))
    deadline = time.monotonic() + OFFLINE_POLLS_TIMEOUT
    while len(failed) < 3:
        assert time.monotonic() < deadline, f"{len(failed)} polls failed while offline"
        page.clock.run_for(60_000)  # a round trip too: the failures that came are counted

    # Back online: the transcript is read at once, without waiting out the back-off.
    with page.expect_request(lambda request: "?after=" in request.url, timeout=5000):
        page.context.set_offline(False)
    expect(notice).to_have_count(0)


def test_a_reply_that_came_while_offline_shows_once_back(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, fake_clock=True)
    page.context.set_offline(True)
    expect(page.locator("#log .notice")).to_have_attribute("data-failure", "offline")
    written: list[dict[str, Any]] = []

    def agent_wrote(route: Route) -> None:
        response = route.fetch()
        body: dict[str, Any] = response.json()
        after = int(route.request.url.rsplit("after=", 1)[1])
        last = max([after, *(line["seq"] for line in body["messages"])])
        if not written:
            line = {"seq": last + 1, "author": "agent", "text": "担当の山田です。"}
            written.append(line)
            body["messages"].append(line)
            body.update({"owner": "agent", "agent": "山田"})
        route.fulfill(response=response, json=body)

    page.route(TRANSCRIPT_URL, agent_wrote)
    page.context.set_offline(False)
    expect(page.locator(".turn--agent")).to_contain_text("担当の山田です。")
    expect(page.locator(".turn--agent")).to_have_count(1)


def test_after_a_retry_by_keyboard_the_focus_is_in_the_input_not_lost(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    fail_first_post(page)
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("よろしくお願いします")
    box.press("Enter")
    retry = page.locator("#log .notice--error").get_by_role("button", name="もう一度試す")
    expect(retry).to_be_focused()
    retry.press("Enter")
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".turn__unsent")).to_have_count(0)
    # Not on the page's start, where a screen reader would begin reading again.
    expect(box).to_be_focused()


def test_a_reload_gives_back_a_typed_message_that_did_not_go(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    bodies = message_bodies(page)
    page.route(
        "**/api/webchat/conversations/*/messages",
        lambda route: (
            route.abort("connectionreset") if route.request.method == "POST" else route.continue_()
        ),
    )
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("Outlookを使っています")
    box.press("Enter")
    expect(page.locator(".turn__unsent")).to_have_text("未送信")
    # What many people do when something seems stuck: reload. The words are not lost.
    page.unroute_all()
    page.reload()
    expect(bot_turns(page)).to_have_count(1)
    expect(box).to_have_value("Outlookを使っています")
    expect(page.locator("#log .notice")).to_contain_text("入力欄に戻しました")
    expect(page.locator(".turn--user")).to_have_count(0)
    box.press("Enter")
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".turn--user")).to_have_text([re.compile("Outlookを使っています")])
    # Given back once: another reload leaves the input empty.
    page.reload()
    expect(bot_turns(page)).to_have_count(2)
    expect(box).to_have_value("")
    assert [body.get("text") for body in bodies] == ["Outlookを使っています"] * 2


def test_a_reload_does_not_give_back_a_message_that_arrived_after_all(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)

    def arrives_but_answer_lost(route: Route) -> None:
        route.fetch()
        route.abort("connectionreset")

    route_posts(page, arrives_but_answer_lost)
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("Outlookを使っています")
    box.press("Enter")
    expect(page.locator(".turn__unsent")).to_have_text("未送信")
    page.unroute_all()
    page.reload()
    # The transcript has it, and its answer: nothing to give back, nothing to send twice.
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".turn--user")).to_have_count(1)
    expect(box).to_have_value("")
    expect(page.locator("#log .notice")).to_have_count(0)


def test_a_connection_cut_while_online_says_what_to_do_and_blames_no_one(
    new_page: NewPage,
) -> None:
    """A connection reset while the phone thinks it is online (a weak signal, the phone
    moving from Wi-Fi to mobile data) was said as 「ただいまサーバーにつながりにくくなっています。
    少し時間をおいて…」: the server's fault, to be waited out. The page cannot tell which side
    cut it; what helps is pressing 「もう一度試す」 now (the same event id: never answered
    twice) and, when it keeps happening, a better signal or the Wi-Fi."""
    by_itself = {
        "ja": "10秒ほどたつと、自動でやり直します",
        "en": "automatically in about 10 seconds",
    }
    for lang, retry in (("ja", "もう一度試す"), ("en", "Try again")):
        page = new_page(f"/?lang={lang}", viewport=PHONE, fake_clock=True)
        let_through = cut_until_let_through(page)
        latest_bot_turn(page).get_by_role("button").first.click()
        notice = page.locator("#log .notice--error")
        expect(notice).to_have_attribute("data-failure", "unknown")
        words = notice.locator(".notice__text").inner_text()
        assert retry in words, words
        assert by_itself[lang] in words, words
        assert "Wi-Fi" in words, words
        assert "サーバー" not in words, words
        assert "server" not in words, words
        violations = axe_violations(page)
        assert violations == [], describe(violations)
        pause_clock(page)
        let_through()
        notice.get_by_role("button", name=retry).click()
        expect(bot_turns(page)).to_have_count(2)
