"""A request that failed on a working connection: the page does it again by itself.

A phone in a tunnel or a lift: the message goes out, the connection drops, comes back, and
only then does the request fail. The page's `online` handler had run while the request was
still on its way and found nothing to retry; the failure came after it, and the subscriber
was left with 「未送信」 and a 「もう一度試す」 to find, though the connection was fine again.

A weak signal: the request is given up after 10 s, or cut, and the phone never went offline,
so no `online` event comes. The subscriber waited for an answer that needed a button found
first; the page now sends the same message again (its event id: answered once) after a
back-off that grows while it keeps failing. The page's clock is Playwright's, paused, so
that what has not happened yet is known not to have happened.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Locator, Page, Route, expect

from tests.adapters.webchat.chat_page import (
    NARROW,
    PHONE,
    NewPage,
    bot_turns,
    choice_in_latest_turn,
    holding_the_first,
    latest_bot_turn,
    message_bodies,
    pause_clock,
    route_posts,
    wait_for_held,
)
from tests.adapters.webchat.test_screen_reader import _HEARD as HEARD
from tests.adapters.webchat.test_screen_reader import _heard as heard

TRANSCRIPT_URL: Final = "**/api/webchat/conversations/*/messages?after=*"


def starts_in_view(notice: Locator) -> bool:
    """Whether the notice's first line shows in the conversation, and it is taller than it."""
    found: list[bool] = notice.evaluate(
        """(n) => { const r = n.getBoundingClientRect();
            const view = document.getElementById('conversation').getBoundingClientRect();
            return [r.top >= view.top && r.top + 40 <= view.bottom, r.height > view.height]; }"""
    )
    return all(found)


def in_view(node: Locator) -> bool:
    """Whether the whole of `node` shows in the conversation's view."""
    shown: bool = node.evaluate(
        """(n) => { const r = n.getBoundingClientRect();
            const view = document.getElementById('conversation').getBoundingClientRect();
            return r.top >= view.top && r.bottom <= view.bottom; }"""
    )
    return shown


def heard_anywhere(page: Page) -> list[str]:
    """What every live region (the log, a status, an alert) announced since the last call."""
    heard: list[str] = page.evaluate("window.heard.splice(0)")
    return heard


def lines_of(notice: Locator, word: str) -> int:
    """On how many lines `word` shows in the notice (in one of its text nodes)."""
    count: int = notice.evaluate(
        """(n, word) => {
          const walker = document.createTreeWalker(n, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.textContent.indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at);
            range.setEnd(node, at + word.length);
            return new Set([...range.getClientRects()].map((r) => Math.round(r.top))).size;
          }
          return 0;
        }""",
        word,
    )
    return count


def test_a_message_that_fails_after_the_connection_came_back_is_sent_again(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill("メールが送れません")
    page.get_by_role("button", name="送信", exact=True).click()
    wait_for_held(page, held)

    page.context.set_offline(True)
    page.context.set_offline(False)  # back while the message is still on its way
    page.evaluate("0")  # the page has run its `online` handler
    held[0].abort("internetdisconnected")  # and only now does the request fail

    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".turn__unsent")).to_have_count(0)
    expect(page.locator("#log .notice--error")).to_have_count(0)
    sent = [body for body in bodies if body.get("text") == "メールが送れません"]
    assert len(sent) == 2  # the same message again, not a new one
    assert sent[0]["event_id"] == sent[1]["event_id"]


def test_an_answer_given_up_after_10_s_is_asked_for_again_by_itself_and_shown_once(
    new_page: NewPage,
) -> None:
    """The message reached the server; its answer did not come back within 10 s. The
    answer the retry brings is heard by a screen reader, once."""
    page = new_page(viewport=PHONE, fake_clock=True, init_script=HEARD)
    pause_clock(page)
    bodies = message_bodies(page)
    lost: list[Route] = []

    def answer_lost(route: Route) -> None:
        if lost:
            route.continue_()
        else:
            lost.append(route)
            route.fetch()  # the server takes the turn; its answer never reaches the page

    route_posts(page, answer_lost)
    # The transcript's reads fail too (the same weak signal) until the retry is due: one
    # that got through would show the answer without it (as it should), untested here.
    signal = {"weak": True}
    page.route(
        TRANSCRIPT_URL,
        lambda route: route.abort("connectionreset") if signal["weak"] else route.continue_(),
    )
    choice_in_latest_turn(page, "はい").click()
    wait_for_held(page, lost)
    page.clock.run_for(10_500)
    notice = page.locator("#log .notice--error")
    expect(notice).to_have_attribute("data-failure", "timeout")
    expect(notice).to_contain_text("10秒ほどたつと、自動でやり直します")
    expect(notice.get_by_role("button", name="もう一度試す")).to_be_focused()
    page.clock.run_for(9_000)
    assert len(bodies) == 1
    signal["weak"] = False
    heard(page)  # the greeting, the subscriber's bubble, 「未送信」 and the failure
    # The retry's request event is waited for: read at once, under load it had not yet
    # reached the list when its answer was already on screen (1 == 2 in a fresh clone).
    with page.expect_request(
        lambda request: request.method == "POST" and request.url.endswith("/messages")
    ):
        page.clock.run_for(1_500)
    expect(bot_turns(page)).to_have_count(2)
    said = heard(page)
    assert len(said) == 1, said
    assert "117net以外のプロバイダ" in said[0], said
    expect(latest_bot_turn(page)).to_contain_text("117net以外のプロバイダ")
    expect(notice).to_have_count(0)
    expect(page.locator(".turn__unsent")).to_have_count(0)
    expect(page.locator(".bubble--user", has_text="はい")).to_have_count(1)
    assert len(bodies) == 2
    assert bodies[0]["event_id"] == bodies[1]["event_id"]
    # The retry was a duplicate to the server: one answer in the transcript, shown once.
    page.reload()
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator(".bubble--user")).to_have_count(1)


def test_failures_in_a_row_wait_longer_and_leave_the_words_being_typed_alone(
    new_page: NewPage,
) -> None:
    """Cut three times (a connection reset, the phone still online), then through.

    On a 320 × 568 phone with its text at 200 %, where the failure's words take three
    screens: they are read from their beginning (the screen showed their end only), and
    their focused 「もう一度試す」 shows at the view's lower edge without scrolling that
    beginning away (it was two screens below). A screen reader hears the failure once, not
    again at each of the page's own retries that fails (once a minute in a long outage),
    and then the answer.
    """
    page = new_page(viewport=NARROW, fake_clock=True, init_script=HEARD)
    pause_clock(page)
    page.evaluate("document.documentElement.style.fontSize = '200%'")
    bodies = message_bodies(page)
    cuts = [3]

    def cut_three(route: Route) -> None:
        if cuts[0]:
            cuts[0] -= 1
            route.abort("connectionreset")
        else:
            route.continue_()

    route_posts(page, cut_three)
    heard_anywhere(page)  # the greeting
    choice_in_latest_turn(page, "はい").click()
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text("10秒ほどたつと")
    assert starts_in_view(notice)
    assert lines_of(notice, "Wi-Fi") == 1
    retry = notice.get_by_role("button", name="もう一度試す")
    expect(retry).to_be_focused()
    assert in_view(retry)
    assert starts_in_view(notice)
    # Heard once, as a line of the log: no alert or status of its own inside the log (a
    # screen reader may read such a region and the log both).
    expect(page.locator("#log [role=alert], #log [role=status]")).to_have_count(0)
    said = [words for words in heard_anywhere(page) if "申し訳ありません" in words]
    assert len(said) == 1, said
    assert said[0].startswith("log: "), said
    # The subscriber starts on their next words meanwhile.
    box = page.locator("#input")
    box.click()
    box.press_sequentially("Outlook")
    page.clock.run_for(10_000)
    expect(notice).to_contain_text("20秒ほどたつと")
    assert starts_in_view(notice)
    assert len(bodies) == 2
    # The page's own retry failed again: the focus (a phone's keyboard) stays put.
    expect(box).to_be_focused()
    expect(box).to_have_value("Outlook")
    page.clock.run_for(19_000)
    assert len(bodies) == 2
    page.clock.run_for(1_000)
    expect(notice).to_contain_text("40秒ほどたつと")
    # Nothing was heard of the two retries that failed, or of the notice saying them (the
    # header's line of who answers is written once, at the first read of the transcript).
    assert [h for h in heard_anywhere(page) if not h.startswith("owner: ")] == []
    page.clock.run_for(40_000)
    expect(bot_turns(page)).to_have_count(2)
    expect(notice).to_have_count(0)
    assert len(bodies) == 4
    assert len({body["event_id"] for body in bodies}) == 1
    expect(box).to_have_value("Outlook")
    said = heard_anywhere(page)  # the fix: the answer, and nothing else
    assert len(said) == 1, said
    assert said[0].startswith("log: "), said
    assert "117net以外のプロバイダ" in said[0], said


def test_try_again_pressed_while_the_page_retries_by_itself_goes_at_once_and_once(
    new_page: NewPage,
) -> None:
    """The page's own retry hangs on a weak signal (given up only after 10 s): the
    subscriber presses 「もう一度試す」, twice. The press did nothing while the page's retry
    was on its way; now that request is given up and the message sent again at once, one
    more time only, with the same event id: answered once."""
    page = new_page(viewport=PHONE, fake_clock=True)
    pause_clock(page)
    bodies = message_bodies(page)
    held: list[Route] = []

    def cut_then_hang(route: Route) -> None:
        if not bodies[:-1]:
            route.abort("connectionreset")  # the first send
        elif len(bodies) == 2:
            held.append(route)  # the page's own retry: no answer
        else:
            route.continue_()

    route_posts(page, cut_then_hang)
    choice_in_latest_turn(page, "はい").click()
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text("10秒ほどたつと")
    page.clock.run_for(10_000)
    wait_for_held(page, held)
    expect(notice).to_contain_text("ただいま、やり直しています")

    notice.get_by_role("button", name="もう一度試す").dblclick()

    expect(bot_turns(page)).to_have_count(2)
    expect(latest_bot_turn(page)).to_contain_text("117net以外のプロバイダ")
    expect(notice).to_have_count(0)
    expect(page.locator(".turn__unsent")).to_have_count(0)
    expect(page.locator("#input")).to_be_focused()
    assert len(bodies) == 3
    assert len({body["event_id"] for body in bodies}) == 1
    # Nothing more is sent when the clock moves on past the page's own retry's 10 s.
    page.clock.run_for(20_000)
    assert len(bodies) == 3
    expect(page.locator(".bubble--user", has_text="はい")).to_have_count(1)


def test_a_reload_read_again_by_itself_says_once_that_the_conversation_is_back(
    new_page: NewPage,
) -> None:
    """The reload's read of the conversation was cut; the page's own retry 10 s later got it
    and drew the conversation in silence (read out again, it would be read whole). The
    failure was heard, and then nothing: a screen reader user could not tell that the page
    was back. One line says so now, once."""
    page = new_page(viewport=PHONE, fake_clock=True, init_script=HEARD)
    choice_in_latest_turn(page, "はい").click()
    expect(bot_turns(page)).to_have_count(2)
    reads: list[str] = []

    def cut_the_first_read(route: Route) -> None:
        if route.request.method == "GET" and not reads:
            reads.append(route.request.url)
            route.abort("connectionreset")
        else:
            route.continue_()

    page.route("**/api/webchat/conversations/*/messages", cut_the_first_read)
    page.reload()
    pause_clock(page)
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text("10秒ほどたつと")
    heard_anywhere(page)  # the failure, as a line of the log
    page.clock.run_for(10_000)
    expect(bot_turns(page)).to_have_count(2)
    expect(notice).to_have_count(0)
    page.clock.run_for(100)  # the announcer writes at the next frame
    expect(page.locator("#announcer")).to_have_text(
        "会話を読み込みました。続きからお使いいただけます。"
    )
    said = [h for h in heard_anywhere(page) if not h.startswith("owner: ")]
    assert said == ["announcer: 会話を読み込みました。続きからお使いいただけます。"], said
    page.clock.run_for(30_000)  # the polls that follow say nothing more
    assert [h for h in heard_anywhere(page) if not h.startswith("owner: ")] == []
