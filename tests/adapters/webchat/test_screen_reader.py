"""What a screen reader hears of the conversation: each new message once, never the whole
log again.

The log (`role=log`, `aria-live=polite`) is read aloud as lines are added to it. A screen
reader announces what is added inside a live region that is already on the page, and not
the content of a region that arrives with its content, nor of one marked `aria-busy`. The
tests record, with a MutationObserver, every node added inside such a region.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Page, Route, expect

from tests.adapters.webchat.chat_page import (
    PHONE,
    NewPage,
    answer,
    bot_turns,
    choice_in_latest_turn,
    pause_clock,
    route_posts,
    wait_for_held,
)

# Installed before the page's own script: from the first element on, every node added
# inside an element that is then a live region (`aria-live` other than "off", or a role that
# implies it) and not busy, as the region's id and the node's first words.
_HEARD: Final = """
  window.heard = [];
  const LIVE_ROLES = ['log', 'status', 'alert'];
  function liveRegion(el) {
    for (; el && el.getAttribute; el = el.parentElement) {
      const live = el.getAttribute('aria-live');
      if (live === 'off') return null;
      if (live || LIVE_ROLES.includes(el.getAttribute('role'))) {
        return el.getAttribute('aria-busy') === 'true' ? null : el;
      }
    }
    return null;
  }
  new MutationObserver((records) => {
    for (const record of records) {
      const region = liveRegion(record.target);
      if (!region) continue;
      for (const node of record.addedNodes) {
        const words = (node.textContent || '').trim();
        if (words) window.heard.push(`${region.id}: ${words.slice(0, 30)}`);
      }
    }
  }).observe(document, {childList: true, subtree: true});
"""


def _heard(page: Page) -> list[str]:
    """What the log's live region announced since the last call."""
    heard: list[str] = page.evaluate("window.heard.splice(0).filter(h => h.startsWith('log:'))")
    return heard


def test_a_reload_does_not_read_the_whole_conversation_again(new_page: NewPage) -> None:
    """A reload (or the next day's visit) drew every earlier line into the live log one by
    one: a screen reader read the whole conversation out again, greeting first, before the
    subscriber could go on. Each new answer is still heard, once."""
    page = new_page(viewport=PHONE, init_script=_HEARD)
    heard = _heard(page)
    assert len(heard) == 1, heard
    assert "こんにちは" in heard[0]
    answer(page, "はい")
    heard = _heard(page)
    # The subscriber's own answer, then the next question: each once.
    assert [line.split(": ")[1] for line in heard] == ["あなた", "サポート"], heard
    answer(page, "はい")
    _heard(page)
    page.reload()
    expect(bot_turns(page)).to_have_count(3)
    expect(bot_turns(page).last.locator(".choice:enabled").first).to_be_visible()
    assert _heard(page) == []
    answer(page, "はい")
    heard = _heard(page)
    assert [line.split(": ")[1] for line in heard] == ["あなた", "サポート"], heard


def test_a_conversation_drawn_again_is_not_read_again(new_page: NewPage) -> None:
    """A message given up after 10 s reached the server after all, and the subscriber
    answered the next question instead: the page draws the conversation again in the
    server's order (test_phone). The answer on screen was heard already; the redraw read
    the whole conversation out once more."""
    page = new_page(viewport=PHONE, fake_clock=True, init_script=_HEARD)
    # Paused: left running with real time, the page's next read of the transcript came on a
    # loaded machine before the subscriber's answer, and drew the conversation again early.
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
    expect(page.locator("#log .notice--error")).to_be_visible()
    held[0].fetch()  # ... but the server did get it
    held[0].abort("timedout")
    _heard(page)
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("わからない")
    field.press("Enter")
    expect(bot_turns(page)).to_have_count(2)
    heard = _heard(page)
    assert [line.split(": ")[1] for line in heard] == ["あなた", "サポート"], heard
    page.clock.run_for(2_000)  # the next read of the transcript: drawn again
    expect(page.locator(".bubble--user")).to_have_text(["はい", "わからない"])
    expect(bot_turns(page)).to_have_count(3)
    assert _heard(page) == []


def test_an_answer_given_in_another_tab_is_heard_once(new_page: NewPage) -> None:
    """The subscriber answered in a second tab of the same conversation: the first tab
    draws the conversation again when it reads the transcript, and the new question is heard
    there, once, and nothing before it."""
    page = new_page(viewport=PHONE, fake_clock=True, init_script=_HEARD)
    # The greeting, heard as the page opened. Not cleared again later: the installed clock
    # also runs with real time, so the first tab may read the transcript at any moment after
    # the other tab's answer (a clear after it lost that announcement once in CI).
    _heard(page)
    other = page.context.new_page()
    other.goto("/")
    expect(bot_turns(other)).to_have_count(1)
    answer(other, "はい")
    page.clock.run_for(10_000)  # the first tab's next reads of the transcript
    expect(bot_turns(page)).to_have_count(2)
    heard = _heard(page)
    assert len(heard) == 1, heard
    assert "117net以外のプロバイダ" in heard[0]


def test_a_conversation_drawn_again_keeps_the_focus_in_it(new_page: NewPage) -> None:
    """The focus was on an answer button (a keyboard or screen reader user) when the
    conversation was drawn again: the button went with the old log and the focus fell to
    the page's start, from where a screen reader reads the page again from its title. It
    goes to the new question's first answer."""
    page = new_page(viewport=PHONE, fake_clock=True)
    choice_in_latest_turn(page, "はい").focus()
    other = page.context.new_page()
    other.goto("/")
    expect(bot_turns(other)).to_have_count(1)
    answer(other, "はい")
    page.clock.run_for(10_000)  # the first tab's next reads of the transcript
    expect(bot_turns(page)).to_have_count(2)
    expect(choice_in_latest_turn(page, "はい")).to_be_focused()


def test_a_bubble_masked_for_a_password_is_not_read_again(new_page: NewPage) -> None:
    """A password typed into the chat by mistake is masked on the subscriber's own bubble
    when the answer comes (`said`): the bubble was drawn anew inside the log, and a screen
    reader read the subscriber's message out a second time before the answer."""
    page = new_page(viewport=PHONE, init_script=_HEARD)
    _heard(page)
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("パスワードは Zq9xK2pw77 です")
    field.press("Enter")
    expect(page.locator(".bubble--user")).to_have_text("パスワードは ******** です")
    expect(bot_turns(page)).to_have_count(2)
    heard = _heard(page)
    assert [line.split(": ")[1] for line in heard] == ["あなた", "サポート"], heard


def test_a_question_reopened_after_a_refusal_is_not_read_again(new_page: NewPage) -> None:
    """A message refused as too long (413, 422) comes back into the box and the question
    before it takes answers again: that question was drawn anew inside the log, and a
    screen reader read it out once more after the refusal's notice. Only the notice is new."""
    page = new_page(viewport=PHONE, init_script=_HEARD)
    route_posts(
        page, lambda route: route.fulfill(status=413, json={"error": "request body too large"})
    )
    _heard(page)
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("よろしくお願いします")
    field.press("Enter")
    expect(page.locator("#log .notice")).to_contain_text("このメッセージは送信できませんでした")
    expect(choice_in_latest_turn(page, "はい")).to_be_enabled()
    heard = _heard(page)
    assert [line.split(": ")[1][:4] for line in heard] == ["あなた", "申し訳あ"], heard


def test_the_waiting_status_is_heard_once_not_at_every_poll(new_page: NewPage) -> None:
    """Waiting for a person, the page reads the transcript every half second, and each read
    wrote the header's status line (a live region, `role=status`) again with the same
    words: a screen reader said 「担当者におつなぎしています。順番にお返事いたします」 twice a
    second for as long as the subscriber waited. It is heard when it changes, once."""
    page = new_page(viewport=PHONE, fake_clock=True, init_script=_HEARD)
    owner = {"owner": "queue"}
    polls: list[int] = []

    def in_the_queue(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        body.update(owner)
        polls.append(1)
        route.fulfill(response=response, json=body)

    page.route("**/api/webchat/conversations/*/messages?after=*", in_the_queue)
    page.evaluate("window.heard.splice(0)")
    status = page.locator("#owner")
    while len(polls) < 6:
        page.clock.run_for(2_000)
    expect(status).to_contain_text("担当者におつなぎしています")
    heard: list[str] = page.evaluate("window.heard.splice(0)")
    assert [line for line in heard if line.startswith("owner:")] == [
        "owner: 担当者におつなぎしています。順番にお返事いたします"
    ], heard
    owner.update({"owner": "agent", "agent": "山田"})
    while len(polls) < 12:
        page.clock.run_for(2_000)
    expect(status).to_contain_text("山田")
    heard = page.evaluate("window.heard.splice(0)")
    assert len([line for line in heard if line.startswith("owner:")]) == 1, heard


def test_a_question_answered_first_in_another_tab_leaves_the_focus_on_the_next_one(
    new_page: NewPage,
) -> None:
    """Two tabs of one conversation (the chat opened twice): answered in one, the question
    is pressed again in the other, which still shows it. That press counts for nothing (the
    server says so) and the conversation is drawn again in the server's order, heard as its
    next question; but the focus, on the pressed button as it closed, fell to the page's
    start, where a screen reader goes on reading from the top. It is on the next question's
    first button now, as after an answer of this tab's own."""
    first = new_page(viewport=PHONE, init_script=_HEARD)
    second = first.context.new_page()
    # The second tab's reads of the transcript fail until its press: one that went through
    # first would show it the next question, and the press would answer that one.
    reads = {"cut": True}
    second.route(
        "**/api/webchat/conversations/*/messages?after=*",
        lambda route: route.abort("connectionreset") if reads["cut"] else route.continue_(),
    )
    second.goto("/")
    expect(bot_turns(second)).to_have_count(1)
    answer(first, "はい")
    reads["cut"] = False
    _heard(second)
    choice_in_latest_turn(second, "いいえ").click()
    expect(bot_turns(second)).to_have_count(2)
    expect(second.locator(".bubble--user")).to_have_text(["はい"])
    expect(choice_in_latest_turn(second, "はい")).to_be_focused()
    # The press's own bubble as it was pressed, then the question: each once.
    heard = _heard(second)
    assert [line.split(": ")[1] for line in heard] == ["あなた", "サポート"], heard


def test_the_buttons_are_heard_under_their_question_not_its_whole_explanation(
    new_page: NewPage,
) -> None:
    """A screen reader says a group's name as the focus enters it: the answers were named by
    the whole bubble, so 「はい」 came after the question and its lines of explanation read a
    second time. They are named by the question, the bubble's first line, alone."""
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    question = "117net以外のプロバイダや、会社のLANからインターネットに接続していますか？"
    expect(bot_turns(page).last.get_by_role("group")).to_have_accessible_name(question)
