"""The axe-core helper itself: it runs under a strict CSP and finds what it should."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import pytest
from playwright.sync_api import Browser, Page, Route

from tests.accessibility import axe_violations, describe
from tests.browser import chromium

ORIGIN: Final = "http://axe-check.test"
STRICT_CSP: Final = "default-src 'self'; frame-ancestors 'none'; base-uri 'none'"


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def serve(page: Page, body: str) -> None:
    """`body` as a page at ORIGIN behind the same kind of CSP the app sends."""

    def fulfill(route: Route) -> None:
        route.fulfill(
            status=200,
            content_type="text/html; charset=utf-8",
            headers={"Content-Security-Policy": STRICT_CSP},
            body=f'<!doctype html><html lang="ja"><head><meta charset="utf-8">'
            f"<title>axe</title></head><body><main>{body}</main></body></html>",
        )

    page.route(f"{ORIGIN}/**", fulfill)
    page.goto(f"{ORIGIN}/")


def test_axe_finds_planted_violations_behind_a_strict_csp(browser: Browser) -> None:
    page = browser.new_page()
    try:
        serve(page, '<button type="button"></button><input type="text"><h2></h2>')
        # The CSP really forbids inline script on this page ...
        assert page.evaluate("document.querySelectorAll('script').length") == 0
        found = {violation["id"] for violation in axe_violations(page)}
        # ... and axe still ran: an unnamed button and an unlabelled input (WCAG rules; the
        # empty heading is a best practice, outside the tags asked for).
        assert {"button-name", "label"} <= found
        assert "empty-heading" not in found
    finally:
        page.close()


def test_axe_passes_a_clean_page_and_can_look_at_one_part(browser: Browser) -> None:
    page = browser.new_page()
    try:
        serve(
            page,
            '<h1>メール設定</h1><div id="good"><button type="button">送信</button></div>'
            '<div id="bad"><button type="button"></button></div>',
        )
        assert axe_violations(page, context="#good") == []
        bad = axe_violations(page, context="#bad")
        assert [violation["id"] for violation in bad] == ["button-name"], describe(bad)
    finally:
        page.close()


@pytest.mark.timeout(60)
def test_axe_runs_on_a_page_whose_clock_is_paused(browser: Browser) -> None:
    # axe resolves its run through setTimeout: in the page's own world, on a Playwright clock
    # paused (chat_page.pause_clock), it never finished, and a test had to let the page's
    # timers run with real time while axe looked (the races pause_clock is there to stop).
    page = browser.new_page()
    try:
        page.clock.install()
        serve(page, '<h1>メール設定</h1><button type="button"></button>')
        page.clock.pause_at(page.evaluate("Date.now()") / 1_000 + 0.5)
        found = [violation["id"] for violation in axe_violations(page)]
        assert found == ["button-name"]
        # Its own world: the page's scripts see no axe.
        assert page.evaluate("typeof window.axe") == "undefined"
    finally:
        page.close()
