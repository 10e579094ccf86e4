"""The connection back while a request was still failing: the page does it again by itself.

A phone in a tunnel or a lift: the message goes out, the connection drops, comes back, and
only then does the request fail. The page's `online` handler had run while the request was
still on its way and found nothing to retry; the failure came after it, and the subscriber
was left with 「未送信」 and a 「もう一度試す」 to find, though the connection was fine again.
"""

from __future__ import annotations

from playwright.sync_api import Route, expect

from tests.adapters.webchat.chat_page import (
    PHONE,
    NewPage,
    bot_turns,
    holding_the_first,
    message_bodies,
    route_posts,
    wait_for_held,
)


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
