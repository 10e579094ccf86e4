"""What the web chat's browser tests share: viewports, and a subscriber's moves on the page.

Synchronisation is Playwright's own auto-waiting (`expect`, actionability checks): no sleeps.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any, Final

from playwright.sync_api import Locator, Page, Request, Route, ViewportSize, expect

PHONE: Final[ViewportSize] = {"width": 390, "height": 844}
SMALL_PHONE: Final[ViewportSize] = {"width": 360, "height": 740}
NARROW: Final[ViewportSize] = {"width": 320, "height": 568}
# 1280 × 900 at 200 % zoom: the page sees half the CSS pixels.
ZOOMED: Final[ViewportSize] = {"width": 640, "height": 450}
DESKTOP: Final[ViewportSize] = {"width": 1280, "height": 900}
COLUMN_MAX: Final = 760
ADDRESS: Final = "taro@vp.117.ne.jp"
MESSAGES_URL: Final = "**/api/webchat/conversations/*/messages"

# The first answer of a cold page includes loading the catalogs and the greeting.
expect.set_options(timeout=10_000)

# Opens the chat in a fresh browser profile (the `new_page` fixture).
NewPage = Callable[..., Page]

# Seconds a held request may take to reach its handler: the end of the wait, not its length.
HELD_TIMEOUT: Final = 10.0


# Whether a notice (`evaluate`d on it) is heard once, as a line of the conversation: the log
# (role=log, aria-live=polite) is the live region it is in, with no live role of its own (an
# alert or a status inside the log may be read by both), and not silenced (aria-live=off).
SAID_BY_THE_LOG: Final = """(n) => n.closest('[aria-live]') === document.getElementById('log')
  && !n.closest('#log [role]')"""


def pause_clock(page: Page) -> None:
    """The page's timers (a page opened with `fake_clock=True`) move only with run_for.

    An installed clock still runs as real time passes: a failure's retry, due 10 s after it
    (chat.js RETRY_BACKOFF_S), came by itself on a loaded machine before a test pressed it.
    Paused half a second on (the timers due by then fire): a number is Unix time in
    seconds to Playwright's Python clock, and the page's milliseconds jumped to the year
    58,000, firing every timer once.
    """
    page.clock.pause_at(page.evaluate("Date.now()") / 1_000 + 0.5)


def bot_turns(page: Page) -> Locator:
    return page.locator(".turn--bot")


def latest_bot_turn(page: Page) -> Locator:
    return bot_turns(page).last


def choice_in_latest_turn(page: Page, label: str) -> Locator:
    return latest_bot_turn(page).get_by_role("button", name=label, exact=True)


def answer(page: Page, label: str) -> None:
    """Press `label` on the bot's latest question and wait for its answer."""
    count = bot_turns(page).count()
    button = choice_in_latest_turn(page, label)
    button.click()
    expect(bot_turns(page)).to_have_count(count + 1)


def type_message(page: Page, text: str, *, with_enter: bool = True) -> None:
    count = bot_turns(page).count()
    page.get_by_role("textbox", name="メッセージ").fill(text)
    if with_enter:
        page.get_by_role("textbox", name="メッセージ").press("Enter")
    else:
        page.get_by_role("button", name="送信", exact=True).click()
    expect(bot_turns(page)).to_have_count(count + 1)


def reach_settings(page: Page, *, address: str | None, with_enter: bool = True) -> Locator:
    """Answer the questionnaire with "yes" throughout, then ask for Thunderbird's settings."""
    for _ in range(4):
        answer(page, "はい")
    if address is None:
        answer(page, "入力せずに進む")
    else:
        type_message(page, address, with_enter=with_enter)
    answer(page, "Thunderbird")
    answer(page, "はい")  # the outgoing server today is vs.117.ne.jp
    card = page.locator(".card--settings")
    expect(card).to_be_visible()
    return card


def settings_value(card: Locator, key: str) -> Locator:
    return card.locator(f'tr[data-key="{key}"] .settings__value')


def route_posts(page: Page, handler: Callable[[Route], None]) -> None:
    """Hand the page's message POSTs to `handler`; its transcript reads go through untouched."""

    def dispatch(route: Route) -> None:
        if route.request.method == "POST":
            handler(route)
        else:
            route.continue_()

    page.route(MESSAGES_URL, dispatch)


def holding_the_first(held: list[Route]) -> Callable[[Route], None]:
    """A route handler that holds the first message's request and lets the others through."""

    def handle(route: Route) -> None:
        if held:
            route.continue_()
        else:
            held.append(route)

    return handle


def wait_for_held(page: Page, held: list[Route], count: int = 1) -> None:
    """Wait until `count` requests have reached a route handler that holds them in `held`.

    The page can show that it sent (a typing indicator) before Playwright has run the
    handler: handlers run only while the test waits on Playwright, so each round trip here
    lets the ones that arrived run. Bounded, and no sleep.
    """
    deadline = time.monotonic() + HELD_TIMEOUT
    while len(held) < count:
        if time.monotonic() > deadline:
            raise AssertionError(f"{len(held)} of {count} requests reached the route")
        page.evaluate("0")


def stored_id(page: Page, storage: str = "localStorage") -> str:
    """The conversation id the page keeps in `storage`."""
    value = page.evaluate(f"JSON.parse({storage}.getItem('mailmove.webchat.v1')).id")
    assert isinstance(value, str)
    return value


def message_bodies(page: Page) -> list[dict[str, Any]]:
    """Collects the JSON body of every message the page posts from now on."""
    bodies: list[dict[str, Any]] = []

    def record(request: Request) -> None:
        if request.method == "POST" and request.url.endswith("/messages"):
            bodies.append(json.loads(request.post_data or "null"))

    page.on("request", record)
    return bodies
