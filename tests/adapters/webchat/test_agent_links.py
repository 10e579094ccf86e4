"""A web address in an agent's words is a link the subscriber can tap, as on LINE or Telegram.

An agent answered 「こちらの手順をご覧ください https://www.117.ne.jp/support/mail/」: LINE,
Telegram and Slack show the address as a link; the web chat showed it as text, which an
older subscriber on a phone cannot select whole to copy.
"""

from __future__ import annotations

import pytest
from playwright.sync_api import Locator, Route, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import NewPage

GUIDE = "https://www.117.ne.jp/support/mail/setting.html?os=win11&app=outlook"
WORDS = f"こちらの手順をご覧ください（{GUIDE}）。\n分からない点があればお書きください😊"


def test_an_agents_web_address_is_a_link_that_opens_a_new_tab(new_page: NewPage) -> None:
    # Paused from the start: left running with real time, the page's first read of the
    # transcript (2 s after the greeting) came on a loaded machine before the route that adds
    # the line, and the read the test waits for (?after=0) never came.
    page = new_page(paused_clock=True)
    injected: list[int] = []

    def add_an_agent_line(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        if not injected:
            last = max((line["seq"] for line in body["messages"]), default=0)
            line = {"seq": last + 1, "author": "agent", "text": WORDS}
            body["messages"].append({**line, "at": "2008-06-01T03:00:05+00:00"})
            injected.append(last + 1)
        route.fulfill(response=response, json=body)

    page.route("**/api/webchat/conversations/*/messages?after=*", add_an_agent_line)
    with page.expect_response(lambda response: "?after=0" in response.url):
        page.clock.run_for(6000)
    agent = page.locator(".turn--agent")
    expect(agent).to_contain_text("分からない点があればお書きください😊")
    link = agent.get_by_role("link")
    expect(link).to_have_count(1)
    # Not the brackets or the full stop around it.
    expect(link).to_have_attribute("href", GUIDE)
    expect(link).to_have_attribute("target", "_blank")
    expect(link).to_have_attribute("rel", "noopener noreferrer")
    expect(link).to_contain_text(GUIDE)
    # The bot's own words are not made links here (its links come as link replies).
    expect(page.locator(".turn:not(.turn--agent) .inline-link")).to_have_count(0)
    # Told from the words around it by more than colour (axe's link-in-text-block).
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_javascript_address_in_an_agents_words_stays_text(new_page: NewPage) -> None:
    page = new_page(paused_clock=True)
    injected: list[int] = []

    def add_an_agent_line(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        if not injected:
            last = max((line["seq"] for line in body["messages"]), default=0)
            line = {"seq": last + 1, "author": "agent", "text": "javascript:alert(1) http:evil"}
            body["messages"].append({**line, "at": "2008-06-01T03:00:05+00:00"})
            injected.append(last + 1)
        route.fulfill(response=response, json=body)

    page.route("**/api/webchat/conversations/*/messages?after=*", add_an_agent_line)
    with page.expect_response(lambda response: "?after=0" in response.url):
        page.clock.run_for(6000)
    agent = page.locator(".turn--agent")
    expect(agent).to_contain_text("javascript:alert(1)")
    expect(agent.get_by_role("link")).to_have_count(0)


def agent_line_shown(new_page: NewPage, words: str) -> Locator:
    """The page with one agent line of these words, and that line's turn."""
    page = new_page(paused_clock=True)
    injected: list[int] = []

    def add_an_agent_line(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        if not injected:
            last = max((line["seq"] for line in body["messages"]), default=0)
            line = {"seq": last + 1, "author": "agent", "text": words}
            body["messages"].append({**line, "at": "2008-06-01T03:00:05+00:00"})
            injected.append(last + 1)
        route.fulfill(response=response, json=body)

    page.route("**/api/webchat/conversations/*/messages?after=*", add_an_agent_line)
    with page.expect_response(lambda response: "?after=0" in response.url):
        page.clock.run_for(6000)
    agent = page.locator(".turn--agent")
    expect(agent).to_have_count(1)
    return agent


# An address is linked whole: a query's value typed in Japanese (it was linked to 「q=」,
# a search for nothing) and a closing parenthesis the address opened (Wikipedia's page
# names; without it, a page that does not exist). Brackets and words around it stay out.
@pytest.mark.parametrize(
    ("words", "linked", "href"),
    [
        (
            "「https://www.google.com/search?q=メール」で検索できます",
            "https://www.google.com/search?q=メール",
            "https://www.google.com/search?q=%E3%83%A1%E3%83%BC%E3%83%AB",
        ),
        (
            "https://www.google.com/search?q=メール+設定&hl=ja をご覧ください",
            "https://www.google.com/search?q=メール+設定&hl=ja",
            "https://www.google.com/search?q=%E3%83%A1%E3%83%BC%E3%83%AB+%E8%A8%AD%E5%AE%9A&hl=ja",
        ),
        (
            "説明は https://ja.wikipedia.org/wiki/Foo_(bar) にあります",
            "https://ja.wikipedia.org/wiki/Foo_(bar)",
            "https://ja.wikipedia.org/wiki/Foo_(bar)",
        ),
        (
            "(see https://en.wikipedia.org/wiki/Port_25_(SMTP)).",
            "https://en.wikipedia.org/wiki/Port_25_(SMTP)",
            "https://en.wikipedia.org/wiki/Port_25_(SMTP)",
        ),
        ("(https://example.jp/help)", "https://example.jp/help", "https://example.jp/help"),
        ("（https://example.jp）をご覧ください", "https://example.jp", "https://example.jp/"),
        (
            "https://example.jp/をご覧ください。",
            "https://example.jp/",
            "https://example.jp/",
        ),
        (
            "https://example.jp/?id=12をご覧ください",
            "https://example.jp/?id=12",
            "https://example.jp/?id=12",
        ),
    ],
)
def test_an_agents_web_address_is_linked_whole(
    new_page: NewPage, words: str, linked: str, href: str
) -> None:
    link = agent_line_shown(new_page, words).get_by_role("link")
    expect(link).to_have_count(1)
    expect(link).to_have_attribute("href", href)
    shown = link.evaluate(
        "node => [...node.childNodes]"
        ".filter(child => !child.classList?.contains('visually-hidden'))"
        ".map(child => child.textContent).join('')"
    )
    assert shown == linked
