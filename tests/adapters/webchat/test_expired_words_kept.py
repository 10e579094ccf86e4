"""Words sent into a conversation the server no longer has are not lost.

A page left open past the retention (a phone put away for days, a tab kept open) sends the
subscriber's next message into a conversation that is gone: the page starts a new one and
says so. The words they typed went with the old conversation's screen; an elderly subscriber
who typed a long description of the problem had to type it all again.
"""

from __future__ import annotations

from playwright.sync_api import Route, expect

from tests.accessibility import axe_violations
from tests.adapters.webchat.chat_page import PHONE, NewPage, answer, route_posts, stored_id

TYPED = "Outlookでメールが送れなくなりました。エラーの番号は0x800CCC0Fです。"
KEPT = (
    "前回の会話は保存期間が過ぎて終了していたため、新しい会話を始めました。"
    "お書きになった文章は入力欄に残してありますので、そのまま「送信」を押してお送りください。"
)


def test_typed_words_sent_to_an_expired_conversation_come_back_into_the_box(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    old = stored_id(page)
    gone: list[Route] = []

    def handle(route: Route) -> None:
        if gone:
            route.continue_()
        else:
            gone.append(route)
            route.fulfill(status=404, json={"detail": "no such conversation"})

    route_posts(page, handle)
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill(TYPED)
    box.press("Enter")
    notice = page.get_by_role("log").locator(".notice")
    expect(notice).to_have_text(KEPT)
    expect(box).to_have_value(TYPED)
    assert stored_id(page) != old
    assert axe_violations(page) == []
    # Sent again, it goes into the new conversation and is answered there.
    count = page.locator(".turn--bot").count()
    page.get_by_role("button", name="送信", exact=True).click()
    expect(page.locator(".turn--bot")).to_have_count(count + 1)
    expect(box).to_have_value("")


def test_words_being_typed_when_the_phone_reloads_an_expired_conversation_are_kept(
    new_page: NewPage,
) -> None:
    # The phone put the tab away for days and loads it again: the conversation is gone.
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    old = stored_id(page)
    box = page.get_by_role("textbox", name="メッセージ")
    box.fill(TYPED)
    page.route(
        f"**/api/webchat/conversations/{old}/messages*",
        lambda route: route.fulfill(status=404, json={"detail": "no such conversation"}),
    )
    page.reload()
    expect(page.get_by_role("log").locator(".notice")).to_have_text(KEPT)
    expect(box).to_have_value(TYPED)
    assert stored_id(page) != old
    # Kept for the new conversation: another reload still has them.
    page.reload()
    expect(box).to_have_value(TYPED)
