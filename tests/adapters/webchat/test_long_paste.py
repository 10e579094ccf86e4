"""A long paste into the message box: an error log, a whole mail. The box takes 2,000
characters (`maxlength`, as the server does); the browser cut the rest off without a word,
and the subscriber sent half of what they meant to, not knowing. The page says so, and
how to send the rest.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Page, expect

from tests.adapters.webchat.chat_page import PHONE, SAID_BY_THE_LOG, NewPage, route_posts

ERROR_LINE: Final = "送信エラー 0x800CCC0F サーバーとの接続が予期せず中断されました。"
NOTICE: Final = "はじめの2000文字"


def _paste(page: Page, text: str) -> None:
    """A real paste (the system clipboard, Ctrl+V), which `maxlength` cuts; a script's fill
    would not be."""
    page.evaluate("(text) => navigator.clipboard.writeText(text)", text)
    page.get_by_role("textbox", name="メッセージ").press("Control+V")


def test_a_paste_cut_to_fit_the_box_is_said(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, permissions=("clipboard-read", "clipboard-write"))
    field = page.get_by_role("textbox", name="メッセージ")
    field.click()
    _paste(page, ERROR_LINE * 80)  # 3,040 characters
    expect(field).to_have_value((ERROR_LINE * 80)[:2000])
    notice = page.locator("#log .notice")
    expect(notice).to_contain_text(NOTICE)
    assert notice.evaluate(SAID_BY_THE_LOG)
    expect(field).to_be_focused()
    # Sent, the notice has done its work.
    field.press("Enter")
    expect(page.locator(".bubble--user")).to_have_count(1)
    expect(notice).to_have_count(0)


def test_a_paste_that_fits_says_nothing(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, permissions=("clipboard-read", "clipboard-write"))
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("エラーは")
    _paste(page, ERROR_LINE * 10)
    expect(field).to_have_value("エラーは" + ERROR_LINE * 10)
    expect(page.locator("#log .notice")).to_have_count(0)


def test_a_cut_paste_leaves_a_failed_messages_retry_alone(new_page: NewPage) -> None:
    """A notice of its own would have taken the place of the failure's, and with it the
    retry that was waiting: the cut is then said to a screen reader only."""
    page = new_page(viewport=PHONE, permissions=("clipboard-read", "clipboard-write"))
    route_posts(page, lambda route: route.fulfill(status=500, body="down"))
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("はい")
    field.press("Enter")
    retry = page.get_by_role("button", name="もう一度試す")
    expect(retry).to_be_visible()
    field.click()
    _paste(page, ERROR_LINE * 80)
    expect(page.locator("#announcer")).to_contain_text(NOTICE)
    expect(retry).to_be_visible()
