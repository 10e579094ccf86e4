"""Waiting in the desk's queue: may the subscriber close the page and come back?

An elderly subscriber told 「担当者におつなぎします」 on a phone does not know whether closing
the page loses their place, or whether they will be told when the answer comes. The page
says what is true of this browser: with the conversation kept (localStorage, or the
embedded chat's partitioned cookie) the queue goes on and the same browser shows the answer
later, except in a private window; nothing notifies. Where the browser keeps nothing, the
page asks to stay open.
"""

from __future__ import annotations

from typing import Any, Final

from playwright.sync_api import Page, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import NARROW, NewPage, answer
from tests.adapters.webchat.test_screens import inject

# A browser that refuses the page localStorage (a privacy setting, a sandboxed frame).
NO_LOCAL_STORAGE: Final = (
    "Object.defineProperty(window, 'localStorage', {get() {"
    " throw new DOMException('refused', 'SecurityError'); }});"
)


def waiting(page: Page, holder: dict[str, str]) -> None:
    """The transcript says who has the conversation: `holder`, changed by the test."""

    def say_holder(body: dict[str, Any], _last: int) -> None:
        body.update(holder)

    inject(page, say_holder)
    with page.expect_response(lambda response: "?after=" in response.url):
        page.clock.run_for(3000)


def test_waiting_says_the_page_may_be_closed_and_what_comes_of_it(new_page: NewPage) -> None:
    page = new_page(viewport=NARROW, fake_clock=True)
    answer(page, "はい")
    note = page.locator("#waiting-note")
    expect(note).to_be_hidden()
    holder = {"owner": "queue"}
    waiting(page, holder)
    question = note.get_by_text("このページを閉じてもいいですか？")
    expect(question).to_be_visible()
    # A plain disclosure: closed right after it was opened, it closes at the first press
    # (a double-tap guard once dropped that press as a double tap's second), and opens again.
    question.click()
    expect(note).to_have_attribute("open", "")
    question.click()
    expect(note).not_to_have_attribute("open", "")
    question.click()
    expect(note).to_have_attribute("open", "")
    said = note.inner_text()
    for words in ("閉じても", "同じブラウザ", "通知", "プライベート"):
        assert words in said, said
    # Not in the log: a conversation drawn again from the transcript does not read it out.
    expect(page.locator("#log #waiting-note")).to_have_count(0)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
    # Not on paper: the print is the settings and steps.
    page.emulate_media(media="print")
    expect(note).to_be_hidden()
    page.emulate_media(media="screen")
    # A person took the conversation: the queue's note goes.
    holder.update({"owner": "agent", "agent": "山田"})
    with page.expect_response(lambda response: "?after=" in response.url):
        page.clock.run_for(3000)
    expect(note).to_be_hidden()


def test_a_browser_that_keeps_nothing_is_asked_to_stay_open(new_page: NewPage) -> None:
    page = new_page(viewport=NARROW, fake_clock=True, init_script=NO_LOCAL_STORAGE)
    answer(page, "はい")
    waiting(page, {"owner": "queue"})
    note = page.locator("#waiting-note")
    note.get_by_text("このページを閉じてもいいですか？").click()
    said = note.inner_text()
    assert "開いたまま" in said, said
    assert "同じブラウザ" not in said, said


def test_in_english(new_page: NewPage) -> None:
    page = new_page("/?lang=en", viewport=NARROW, fake_clock=True)
    answer(page, "Yes")
    waiting(page, {"owner": "queue"})
    note = page.locator("#waiting-note")
    note.get_by_text("Can I close this page?").click()
    said = note.inner_text()
    for words in ("same browser", "notif", "private"):
        assert words in said, said
