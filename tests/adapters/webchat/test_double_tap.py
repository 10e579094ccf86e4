"""A double tap on the toolbar, and on the settings card's and the links' buttons, is one press.

Elderly subscribers tap twice when the first tap seems to do nothing. On a fast connection
the answer to the first was on screen before the second, and the second was sent too:
「担当者と話す」 twice (the subscriber's words twice, and the same answer twice), 「メニュー」
twice, and 「最初から」 started two new conversations, one of them left behind. The
toolbar's buttons stay where they are, so the second tap lands on the same one.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Page, Route, expect

from tests.adapters.webchat.chat_page import (
    NARROW,
    NewPage,
    answer,
    bot_turns,
    holding_the_first,
    latest_bot_turn,
    message_bodies,
    pause_clock,
    reach_settings,
    route_posts,
    stored_id,
    wait_for_held,
)
from tests.adapters.webchat.test_print import COUNT_PRINTS

# Everything the page's announcer says (a status region), in order.
_COUNT_ANNOUNCED: Final = """
window.__announced = [];
document.addEventListener('DOMContentLoaded', () => {
  new MutationObserver(() => {
    const words = document.getElementById('announcer').textContent;
    if (words) window.__announced.push(words);
  }).observe(document.getElementById('announcer'), {childList: true, characterData: true,
                                                     subtree: true});
});
"""


def test_a_second_tap_of_the_same_toolbar_button_at_once_is_not_sent_again(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=NARROW, fake_clock=True)
    # The page's clock stands still: no time between the taps tells a double tap.
    pause_clock(page)
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    person = toolbar.get_by_role("button", name="担当者と話す", exact=True)
    # Each click counts 1, as every tap does in iPhone Safari.
    person.click()
    expect(bot_turns(page)).to_have_count(2)
    person.click()  # the second tap, after the answer came (a fast connection)
    menu = toolbar.get_by_role("button", name="メニュー", exact=True)
    menu.click()  # another button is another press
    expect(bot_turns(page)).to_have_count(3)
    menu.click()  # the menu it asked for is the latest thing on screen: not asked again
    page.evaluate("0")
    expect(bot_turns(page)).to_have_count(3)
    # It is shown instead: its first button has the focus, and a screen reader says so.
    expect(latest_bot_turn(page).locator(".choice").first).to_be_focused()
    expect(page.locator(".turn--user")).to_have_count(2)
    # A button of the question on screen works at once, and after it the toolbar's again,
    # however soon: the subscriber did something in between.
    answer(page, "質問に戻る")
    menu.click()
    expect(bot_turns(page)).to_have_count(5)


def test_a_double_tap_while_the_answer_is_on_its_way_is_one_press(new_page: NewPage) -> None:
    # On an ordinary connection the second tap came while the first was being answered: it
    # waited for that answer, as a press then does, and was sent after it.
    page = new_page(viewport=NARROW)
    bodies = message_bodies(page)
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    person = toolbar.get_by_role("button", name="担当者と話す", exact=True)
    person.click()
    wait_for_held(page, held)
    person.click()
    held[0].continue_()
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator("#typing")).to_be_hidden()
    page.evaluate("0")
    assert [body.get("choice") for body in bodies] == ["human"]
    expect(page.locator(".turn--user")).to_have_count(1)


def test_start_over_tapped_twice_starts_one_conversation(new_page: NewPage) -> None:
    page = new_page(viewport=NARROW, fake_clock=True)
    pause_clock(page)
    old = stored_id(page)
    started: list[str] = []
    page.on(
        "request",
        lambda r: (
            started.append(r.url)
            if r.method == "POST" and r.url.endswith("/api/webchat/conversations")
            else None
        ),
    )
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    restart = toolbar.get_by_role("button", name="最初から", exact=True)
    restart.click()
    # Forgotten, then the new one kept: nothing is kept for a moment between the two.
    page.wait_for_function(
        "old => { const saved = JSON.parse(localStorage.getItem('mailmove.webchat.v1'));"
        " return !!saved && saved.id !== old; }",
        arg=old,
    )
    expect(bot_turns(page)).to_have_count(1)
    restart.click()
    page.evaluate("0")
    expect(bot_turns(page)).to_have_count(1)
    assert len(started) == 1, started


def test_a_double_tap_on_print_copy_or_a_link_is_one_press(new_page: NewPage) -> None:
    # Print, copy and the links (the login check's page, a download) stay where they are too,
    # and the second tap came after the first had done its work: the print dialog opened
    # again once the first was closed, 「コピーしました」 was said twice, and the login check
    # opened in two tabs, one of them left with a link the other used up.
    page = new_page(
        viewport=NARROW,
        init_script=COUNT_PRINTS + _COUNT_ANNOUNCED,
        permissions=("clipboard-read", "clipboard-write"),
    )
    card = reach_settings(page, address="taro@vp.117.ne.jp")
    printing = card.get_by_role("button", name="設定と手順を印刷")
    printing.dblclick()
    copying = card.locator('tr[data-key="smtp_server"]').get_by_role("button")
    copying.dblclick()
    page.wait_for_function("() => document.getElementById('announcer').textContent !== ''")
    assert page.evaluate("window.__prints") == 1
    assert page.evaluate("window.__announced") == ["コピーしました"]
    # Where the clipboard refuses (a page served without HTTPS), the copy goes through a
    # hidden text field, which takes the focus for a moment: still one press.
    page.evaluate(
        "() => { navigator.clipboard.writeText = () => Promise.reject(new Error('no')); }"
    )
    card.locator('tr[data-key="smtp_port"]').get_by_role("button").dblclick()
    page.wait_for_function("() => window.__announced.length >= 2")
    page.evaluate("0")
    assert page.evaluate("window.__announced") == ["コピーしました", "コピーしました"]
    # Two taps that each count 1, as iPhone Safari counts them: one press too.
    printing.click()
    printing.click()
    assert page.evaluate("window.__prints") == 2
    # Pressed again after doing something else (here, a tap on the card's title): a press of
    # its own, however soon.
    card.locator(".card__title").click()
    printing.click()
    assert page.evaluate("window.__prints") == 3
    opened: list[Page] = []
    page.context.on("page", lambda tab: opened.append(tab))
    count = bot_turns(page).count()
    latest_bot_turn(page).get_by_role("button", name="ログインを確認する", exact=True).click()
    expect(bot_turns(page)).to_have_count(count + 1)
    link = latest_bot_turn(page).get_by_role("link")
    with page.context.expect_page():
        link.dblclick()
    # The second tab, had it been asked for, is asked for by the same click's task.
    page.evaluate("0")
    assert len(opened) == 1
