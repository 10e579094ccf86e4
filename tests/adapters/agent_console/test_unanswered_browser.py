"""Back from lunch, the console shows which held conversation has a subscriber waiting.

Two conversations 佐藤 had answered before lunch; one subscriber wrote 「まだですか？」 since.
Both rows read 「1時間以上待ち」 (the wait since each handoff), and the one nobody waits on
came first as the latest active. The row of the subscriber who waits says how long since
they wrote and comes first; the other shows the time of its latest line.
"""

from __future__ import annotations

import datetime as dt

import httpx
from playwright.sync_api import Browser, expect

from tests.adapters.agent_console.test_shift_browser import (
    CLOCK,
    TOKEN,
    Subscriber,
    base_url,
    browser,
    console,
    row_for,
)

__all__ = ["base_url", "browser"]


def answered(base_url: str, subscriber: Subscriber, n: int) -> None:
    subscriber.taken_by_agent()
    sent = httpx.post(
        f"{base_url}/api/agent/conversations/{subscriber.key}/messages",
        headers={"Authorization": f"Bearer {TOKEN}"},
        json={"text": "確認いたします。", "event_id": f"lunch-{n}"},
        timeout=10,
    )
    assert sent.status_code == 201


def test_the_subscriber_who_waits_on_the_agent_is_shown_waiting(
    browser: Browser, base_url: str
) -> None:
    errors: list[str] = []
    start = CLOCK.now
    waiting, answered_last = Subscriber(base_url), Subscriber(base_url)
    try:
        for n, subscriber in enumerate((waiting, answered_last)):
            subscriber.say("担当者と話したい")
            answered(base_url, subscriber, n)
        CLOCK.now = start + dt.timedelta(minutes=5)
        answered_last.say("ありがとうございます")
        answered(base_url, answered_last, 2)
        CLOCK.now = start + dt.timedelta(minutes=10)
        waiting.say("まだですか？")
        CLOCK.now = start + dt.timedelta(minutes=55)
        page = console(browser, base_url, errors, zone="Asia/Tokyo")
        expect(row_for(page, waiting.key).locator(".conversation-link__time")).to_have_text(
            "45分待ち"
        )
        other = row_for(page, answered_last.key).locator(".conversation-link__time")
        expect(other).not_to_contain_text("待ち")
        links = page.locator(".conversation-link")
        keys = [
            str(href).removeprefix("#")
            for href in links.evaluate_all(
                "links => links.map(link => decodeURIComponent(link.getAttribute('href')))"
            )
        ]
        assert keys.index(waiting.key) < keys.index(answered_last.key)
    finally:
        CLOCK.now = start
    assert not errors, f"uncaught script errors: {errors}"
    page.context.close()
