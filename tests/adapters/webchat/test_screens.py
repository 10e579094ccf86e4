"""Every screen of the chat page, as an elderly subscriber on a phone meets it.

axe-core (WCAG 2.1 A/AA) on each screen: first load, loading, words failed, offline, server
down, mid-questionnaire, settings cards, waiting for an agent, an agent's message, English.
At 320, 390 and 1280 px (and 200 % zoom) the document is never taller or wider than the
screen, text is big enough, every button is a 44 × 44 target, and addresses wrap only
between their parts. Screenshots land in build/screenshots/ for a person to look at.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any, Final

import pytest
from playwright.sync_api import Page, Route, ViewportSize, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import (
    DESKTOP,
    NARROW,
    PHONE,
    ZOOMED,
    NewPage,
    answer,
    bot_turns,
    choice_in_latest_turn,
    latest_bot_turn,
    route_posts,
    type_message,
    wait_for_held,
)
from tests.browser import SCREENSHOTS

LONG_ADDRESS: Final = "yamada.taro.1948@vp.117.ne.jp"
TRANSCRIPT_URL: Final = "**/api/webchat/conversations/*/messages?after=*"
MIN_TARGET: Final = 44
MIN_TEXT_PX: Final = 14
BODY_TEXT_PX: Final = 16


def assert_no_violations(page: Page, screen: str) -> None:
    violations = axe_violations(page)
    assert violations == [], f"{screen}:\n{describe(violations)}"


def shoot(page: Page, name: str) -> None:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(SCREENSHOTS / f"{name}.png"))


# -- measuring the layout ---------------------------------------------------------------------


def assert_fits_the_screen(page: Page) -> None:
    """The document is never taller or wider than the viewport: only the log scrolls."""
    size = page.evaluate(
        "() => ({height: document.scrollingElement.scrollHeight, width:"
        " document.scrollingElement.scrollWidth, innerHeight, innerWidth})"
    )
    assert size["height"] <= size["innerHeight"], size
    assert size["width"] <= size["innerWidth"], size


def assert_header_and_input_stay(page: Page) -> None:
    """A wheel over the header scrolls nothing away: the header and input stay in view."""
    viewport = page.viewport_size
    assert viewport is not None
    header = page.locator(".app-header")
    header.hover()
    page.mouse.wheel(0, 2000)
    page.locator(".composer").hover()
    page.mouse.wheel(0, 2000)
    assert page.evaluate("document.scrollingElement.scrollTop") == 0
    for part in (header, page.get_by_role("textbox")):
        box = part.bounding_box()
        assert box is not None
        assert box["y"] >= 0
        assert box["y"] + box["height"] <= viewport["height"]


def undersized_buttons(page: Page) -> list[dict[str, Any]]:
    """Visible buttons and links (outside running text) smaller than 44 × 44 CSS px."""
    found: list[dict[str, Any]] = page.evaluate(
        """(min) => [...document.querySelectorAll('button, a.file, a.link, [role=button]')]
            .filter(el => el.getClientRects().length > 0 && !el.closest('[hidden]'))
            .map(el => { const r = el.getBoundingClientRect();
                         return {text: el.textContent.trim() || el.getAttribute('aria-label'),
                                 width: r.width, height: r.height}; })
            .filter(b => b.width < min - 0.5 || b.height < min - 0.5)""",
        MIN_TARGET,
    )
    return found


def small_text(page: Page) -> list[dict[str, Any]]:
    """Visible text set under 14 px, and bubble text under 16 px."""
    found: list[dict[str, Any]] = page.evaluate(
        """([min, body]) => {
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!node.textContent.trim() || !el || el.closest('.visually-hidden, [hidden]')) {
              continue;
            }
            if (el.getClientRects().length === 0) continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            const inBubble = el.closest('.bubble .text, .bubble .steps, .bubble--user');
            if (size < min || (inBubble && size < body)) {
              out.push({text: node.textContent.trim().slice(0, 30), size});
            }
          }
          return out;
        }""",
        [MIN_TEXT_PX, BODY_TEXT_PX],
    )
    return found


def cut_off(page: Page) -> list[str]:
    """Buttons that stick out of the viewport or are clipped by their own box."""
    found: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('button')]
            .filter(el => el.getClientRects().length > 0)
            .filter(el => { const r = el.getBoundingClientRect();
                            return r.left < 0 || r.right > innerWidth + 0.5
                                || el.scrollWidth > el.clientWidth + 1; })
            .map(el => el.textContent.trim())"""
    )
    return found


def broken_values(page: Page) -> list[str]:
    """Pieces of host names and addresses split across lines inside a piece (`.j/p`)."""
    found: list[str] = page.evaluate(
        """() => {
          const out = [];
          for (const value of document.querySelectorAll('.settings__value.is-code')) {
            for (const node of value.childNodes) {
              if (node.nodeType !== Node.TEXT_NODE) continue;
              const range = document.createRange();
              range.selectNodeContents(node);
              const lines = new Set([...range.getClientRects()].map(r => Math.round(r.top)));
              if (lines.size > 1) out.push(node.textContent);
            }
          }
          return out;
        }"""
    )
    return found


def fill_the_log(page: Page) -> None:
    """Four answers and an address: far more than one screen of conversation."""
    for _ in range(4):
        answer(page, "はい")
    type_message(page, LONG_ADDRESS)


# -- layout at each width ---------------------------------------------------------------------


# The phone's large-text setting raises the browser's default font size, which every rem
# in chat.css follows; 150 % is Android's largest step short of its accessibility sizes.
LARGE_TEXT: Final = "document.documentElement.style.fontSize = '150%';"


@pytest.mark.parametrize(
    ("name", "viewport", "large_text"),
    [
        ("narrow", NARROW, False),
        ("phone", PHONE, False),
        ("desktop", DESKTOP, False),
        ("zoomed", ZOOMED, False),
        ("large-text", PHONE, True),
    ],
)
def test_the_page_fits_the_screen_with_big_text_and_big_targets(
    new_page: NewPage, name: str, viewport: ViewportSize, large_text: bool
) -> None:
    page = new_page(viewport=viewport)
    if large_text:
        page.evaluate(LARGE_TEXT)
    fill_the_log(page)
    answer(page, "Thunderbird")
    answer(page, "はい")
    expect(page.locator(".card--settings")).to_be_visible()
    assert_fits_the_screen(page)
    assert_header_and_input_stay(page)
    assert undersized_buttons(page) == []
    assert small_text(page) == []
    assert cut_off(page) == []
    assert broken_values(page) == []
    username = page.locator('tr[data-key="username"] .settings__value')
    expect(username).to_have_text(LONG_ADDRESS)
    # The subscriber's words sit on the right, the bot's on the left.
    log = page.locator("#log").bounding_box()
    mine = page.locator(".bubble--user").last.bounding_box()
    theirs = page.locator(".bubble--bot").first.bounding_box()
    assert log is not None
    assert mine is not None
    assert theirs is not None
    assert mine["x"] + mine["width"] >= log["x"] + log["width"] - 2
    assert theirs["x"] < mine["x"]
    # The body text of the conversation is at least 16 px.
    size = page.evaluate("parseFloat(getComputedStyle(document.querySelector('.bubble')).fontSize)")
    assert size >= BODY_TEXT_PX
    page.evaluate("document.fonts.ready.then(() => true)")
    shoot(page, f"screens-{name}-settings")


def test_on_a_small_phone_the_header_and_input_leave_room_for_the_conversation(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=NARROW)
    header = page.locator(".app-header").bounding_box()
    composer = page.locator(".composer").bounding_box()
    assert header is not None
    assert composer is not None
    # Under 40 % of a 568 px screen (it was 223 px with 34 px buttons).
    assert header["height"] + composer["height"] <= 0.4 * NARROW["height"]
    toolbar = page.get_by_role("navigation", name="よく使う操作")
    for label in ("メニュー", "最初から", "担当者と話す"):
        expect(toolbar.get_by_role("button", name=label, exact=True)).to_be_in_viewport(ratio=1)


def test_on_a_small_phone_waiting_for_a_person_the_header_stays_small(
    new_page: NewPage,
) -> None:
    # The status line's words beside the language buttons took four lines under the title,
    # broken inside a word (「おつなぎしていま」 / 「す。」): the header grew from 66 px to 127,
    # and the header and input took half the screen. The first sentence takes the title's
    # place now; the whole line is still the status read out.
    page = new_page(viewport=NARROW, fake_clock=True)
    inject(page, lambda body, last: body.update(owner="queue"))
    with page.expect_response(lambda response: "?after=" in response.url):
        page.clock.run_for(3000)
    owner = page.locator("#owner")
    expect(owner).to_have_text("担当者におつなぎしています。順番にお返事いたします")
    header = page.locator(".app-header").bounding_box()
    composer = page.locator(".composer").bounding_box()
    assert header is not None
    assert composer is not None
    assert header["height"] + composer["height"] <= 0.4 * NARROW["height"], (header, composer)
    # The line each shown character is on, by the top of its box: 「おつなぎしています。」 whole.
    tops: list[int] = owner.evaluate(
        """(line) => [...line.firstChild.firstChild.data].map((_, i) => {
          const range = document.createRange();
          range.setStart(line.firstChild.firstChild, i);
          range.setEnd(line.firstChild.firstChild, i + 1);
          return Math.round(range.getBoundingClientRect().top);
        })"""
    )
    assert len(tops) == len("担当者におつなぎしています。"), tops
    assert len(set(tops[4:])) == 1, tops


# -- axe on every screen ----------------------------------------------------------------------


def test_axe_first_load_mid_questionnaire_and_settings_cards(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    assert_no_violations(page, "first load")
    answer(page, "はい")
    answer(page, "はい")
    assert_no_violations(page, "mid-questionnaire")
    answer(page, "はい")
    answer(page, "はい")
    assert_no_violations(page, "verdict")
    type_message(page, LONG_ADDRESS)
    answer(page, "Thunderbird")
    answer(page, "はい")
    assert_no_violations(page, "settings card")


def test_two_settings_cards_have_different_landmark_names(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    card = {
        "type": "settings",
        "title": "新しい設定",
        "items": [{"key": "pop_server", "label": "受信サーバー", "value": "vpop.117.ne.jp"}],
    }
    route_posts(page, lambda route: route.fulfill(json={"replies": [card], "locale": "ja"}))
    type_message(page, "設定")
    type_message(page, "もう一度")
    regions = page.get_by_role("region")
    expect(regions).to_have_count(2)
    names = [region.get_attribute("aria-label") for region in regions.all()]
    assert names == ["新しい設定", "新しい設定（2）"]
    assert_no_violations(page, "two settings cards")


def test_axe_in_english(new_page: NewPage) -> None:
    page = new_page("/?lang=en", viewport=PHONE)
    assert_no_violations(page, "English first load")
    for _ in range(4):
        answer(page, "Yes")
    assert_no_violations(page, "English verdict")


def test_loading_shows_at_once_and_times_out_with_a_retry(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", base_url=base_url)
    try:
        context.clock.install()
        page = context.new_page()
        held: list[Route] = []
        page.route("**/api/webchat/conversations", lambda route: held.append(route))
        page.goto("/")
        loading = page.locator("#loading")
        expect(loading).to_be_visible()
        expect(loading).to_contain_text("読み込んでいます")
        expect(page).to_have_title("メール設定サポート")
        expect(page.get_by_role("status").filter(has_text="読み込んでいます")).to_be_visible()
        assert_no_violations(page, "loading")
        expect(page.locator(".composer__inner")).to_be_visible()
        wait_for_held(page, held)
        assert len(held) == 1
        # Nothing answers for 10 s: the page gives up, says so, and offers to try again.
        page.clock.run_for(10_500)
        notice = page.locator("#log .notice--error")
        expect(notice).to_contain_text("応答に時間がかかっています")
        expect(loading).to_be_hidden()
        assert_no_violations(page, "timed out")
        # The given-up request is left unanswered; the retry goes through.
        page.unroute("**/api/webchat/conversations")
        notice.get_by_role("button", name="もう一度試す").click()
        expect(bot_turns(page)).to_have_count(1)
        expect(choice_in_latest_turn(page, "はい")).to_be_enabled()
    finally:
        context.close()


def test_words_that_fail_to_load_leave_no_empty_buttons(browser: Any, base_url: str) -> None:
    context = browser.new_context(viewport=NARROW, locale="ja-JP", base_url=base_url)
    try:
        page = context.new_page()
        page.route("**/api/webchat/texts/*", lambda route: route.fulfill(status=500, body="no"))
        page.goto("/")
        failed = page.locator("#load-failed")
        expect(failed).to_be_visible()
        expect(failed).to_contain_text("チャットを読み込めませんでした")
        expect(failed).to_contain_text("the chat could not be loaded")
        expect(failed.get_by_role("button")).to_contain_text("再読み込み")
        # Nothing to press without words: no empty buttons, no empty heading.
        for button in page.get_by_role("button").all():
            if button.is_visible():
                assert button.inner_text().strip()
        expect(page.get_by_role("heading", level=1)).to_have_text("メール設定サポート")
        expect(page.locator(".composer__inner")).to_be_hidden()
        assert_no_violations(page, "words failed")
        shoot(page, "screens-words-failed")
    finally:
        context.close()


def test_a_page_that_loaded_offline_says_so_and_reloads_when_back_online(
    browser: Any, base_url: str
) -> None:
    context = browser.new_context(viewport=PHONE, locale="ja-JP", base_url=base_url)
    try:
        page = context.new_page()
        held: list[Route] = []
        page.route("**/api/webchat/texts/*", lambda route: held.append(route))
        page.goto("/")
        expect(page.locator("#loading")).to_be_visible()
        # The connection drops while the words are on their way.
        context.set_offline(True)
        wait_for_held(page, held)
        held[0].abort("internetdisconnected")
        failed = page.locator("#load-failed")
        expect(failed).to_contain_text("インターネットにつながっていないようです")
        expect(failed).to_contain_text("You seem to be offline")
        expect(failed.locator(".load-failed__service")).to_have_count(2)
        for other_side in failed.locator(".load-failed__service").all():
            expect(other_side).to_be_hidden()
        assert_no_violations(page, "loaded offline")
        page.unroute("**/api/webchat/texts/*")
        context.set_offline(False)
        expect(bot_turns(page)).to_have_count(1)
        expect(choice_in_latest_turn(page, "はい")).to_be_enabled()
    finally:
        context.close()


def test_offline_says_it_is_the_subscribers_connection_and_retries_when_back(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=PHONE)
    page.context.set_offline(True)
    choice_in_latest_turn(page, "はい").click()
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text("インターネットにつながっていないようです")
    expect(notice).to_have_attribute("data-failure", "offline")
    assert_no_violations(page, "offline")
    shoot(page, "screens-offline")
    # Back online: the page sends the answer by itself.
    page.context.set_offline(False)
    expect(bot_turns(page)).to_have_count(2)
    expect(notice).to_have_count(0)
    expect(latest_bot_turn(page)).to_contain_text("117net以外のプロバイダ")


@pytest.mark.parametrize("status", [500, 503])
def test_a_server_error_says_it_is_our_service(new_page: NewPage, status: int) -> None:
    page = new_page(viewport=PHONE)
    route_posts(page, lambda route: route.fulfill(status=status, body="Service Unavailable"))
    choice_in_latest_turn(page, "はい").click()
    notice = page.locator("#log .notice--error")
    expect(notice).to_contain_text("当社のサービスに問題が起きています")
    expect(notice).not_to_contain_text(str(status))
    expect(notice.get_by_role("button", name="もう一度試す")).to_be_focused()
    assert_no_violations(page, f"server down ({status})")


# -- an agent ---------------------------------------------------------------------------------


def agent_line(seq: int, text: str) -> dict[str, Any]:
    return {"seq": seq, "author": "agent", "at": "2008-06-01T03:00:05+00:00", "text": text}


def inject(page: Page, add: Callable[[dict[str, Any], int], None]) -> None:
    """Every transcript read passes through `add(body, last)`, which may change the body;
    `last` is the number of the last line in it (or the one the page asked after)."""

    def handle(route: Route) -> None:
        response = route.fetch()
        body = response.json()
        after = int(route.request.url.rsplit("after=", 1)[1])
        last = max([after, *(line["seq"] for line in body["messages"])])
        add(body, last)
        route.fulfill(response=response, json=body)

    page.route(TRANSCRIPT_URL, handle)


def test_axe_waiting_for_an_agent_and_an_agent_message(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, fake_clock=True)
    answer(page, "はい")
    # What the transcript says: in the queue, then (once `agent_writes` holds a line) an
    # agent has it and has written that line, once.
    agent_writes: list[str] = []

    def waiting_then_agent(body: dict[str, Any], last: int) -> None:
        body["owner"] = "queue"
        if agent_writes:
            body["owner"] = "agent"
            body["agent"] = "山田"
            body["messages"].append(agent_line(last + 1, agent_writes.pop()))

    inject(page, waiting_then_agent)
    with page.expect_response(lambda response: "?after=" in response.url):
        page.clock.run_for(3000)
    owner = page.locator("#owner")
    expect(owner).to_contain_text("担当者におつなぎしています")
    # On a phone the status takes the subtitle's place: the header stays small.
    header = page.locator(".app-header").bounding_box()
    assert header is not None
    assert header["height"] <= 0.15 * PHONE["height"]
    # Waiting: the conversation still scrolls by keyboard (a focusable, named region).
    region = page.get_by_role("main", name="会話（スクロールできます）")
    expect(region).to_have_attribute("tabindex", "0")
    assert_no_violations(page, "waiting for an agent")
    agent_writes.append("担当の山田です。お待たせしました。")
    with page.expect_response(lambda response: "?after=" in response.url):
        page.clock.run_for(3000)
    expect(page.locator(".turn--agent")).to_contain_text("担当の山田です。")
    assert_no_violations(page, "agent message")
    shoot(page, "screens-agent")


# -- timestamps, unread count, check marks, settings rows -------------------------------------


def test_messages_carry_the_subscribers_local_time(browser: Any, base_url: str) -> None:
    context = browser.new_context(
        viewport=PHONE, locale="ja-JP", timezone_id="Asia/Tokyo", base_url=base_url
    )
    try:
        page = context.new_page()
        page.goto("/")
        expect(bot_turns(page)).to_have_count(1)
        # The bot's words carry the server's time (the test server's clock stands at
        # 2008-06-01 03:00 UTC), shown in the subscriber's zone, with the day (not today).
        stamp = bot_turns(page).first.locator("time")
        expect(stamp).to_have_text(re.compile(r"^6/1 12:00$"))
        assert stamp.get_attribute("datetime") == "2008-06-01T03:00:00.000Z"
        # The subscriber's own words carry the moment they were sent: today, so no day.
        answer(page, "はい")
        expect(page.locator(".turn--user time")).to_have_text(re.compile(r"^\d{2}:\d{2}$"))
        expect(bot_turns(page).last.locator("time")).to_have_text("6/1 12:00")
        # After a reload every time is the transcript's.
        page.reload()
        expect(bot_turns(page)).to_have_count(2)
        expect(page.locator("time")).to_have_text(["6/1 12:00"] * 3)
    finally:
        context.close()


HIDDEN_SWITCH: Final = """
Object.defineProperty(document, 'hidden', {configurable: true, get: () => !!window.__hidden});
window.__setHidden = (value) => { window.__hidden = value;
  document.dispatchEvent(new Event('visibilitychange')); };
"""


def test_the_title_counts_unread_answers_while_the_tab_is_hidden(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE, init_script=HIDDEN_SWITCH, fake_clock=True)
    agent_seq: list[int] = []

    def one_agent_line(body: dict[str, Any], last: int) -> None:
        # As a server keeps it: the line is in every read that asks from before it. On a
        # loaded machine the first read can be given up (the page's 10 s limit, on a clock
        # that also flows by itself) after the line was handed to it: the next read has it.
        if not agent_seq:
            agent_seq.append(last + 1)
        if last < agent_seq[0]:
            body["messages"].append(agent_line(agent_seq[0], "担当の山田です。"))

    page.evaluate("window.__setHidden(true)")
    inject(page, one_agent_line)
    page.clock.run_for(11_000)
    expect(page).to_have_title("(1) メール設定サポート")
    page.evaluate("window.__setHidden(false)")
    expect(page).to_have_title("メール設定サポート")


def test_login_check_results_carry_a_mark_and_a_word(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    headline = "ログインの確認で問題が見つかりました。"
    canned = {
        "replies": [
            {
                "type": "text",
                "text": f"{headline}\n\n"
                "受信（IMAP）：ログインできました（サーバーにあるメール3通）。\n\n"
                "受信（POP）：パスワードを守ったまま試せる方法がなかったため、ログインは"
                "確かめていません。設定が間違っているという意味ではありません。\n\n"
                "送信（SMTP）：サーバーが、ご案内の方法での認証を受け付けませんでした。\n\n"
                "なお、この確認は当社のネットワークから行っています。",
                "verdict": "fail",
                "verdicts": ["fail", "pass", "not_verified", "fail", None],
            },
            # The same words without verdicts (a quote, say) are no result: no mark.
            {"type": "text", "text": headline},
        ],
        "locale": "ja",
    }
    route_posts(page, lambda route: route.fulfill(json=canned))
    answer(page, "はい")
    turn = latest_bot_turn(page)
    # The marks follow the reply's verdicts, paragraph by paragraph, whatever the words.
    expect(turn.locator(".mark")).to_have_text(["問題あり", "成功", "未確認", "問題あり"])
    expect(turn.locator(".mark--pass .icon")).to_have_count(1)
    expect(turn.locator(".mark--fail .icon")).to_have_count(2)
    expect(turn.locator(".mark--not_verified .icon")).to_have_count(1)
    paragraphs = turn.locator(".bubble").first.locator("p.text")
    expect(paragraphs.nth(3).locator(".mark")).to_have_text("問題あり")
    expect(paragraphs.nth(4).locator(".mark")).to_have_count(0)
    expect(turn.locator(".bubble").nth(1).locator(".mark")).to_have_count(0)
    assert_no_violations(page, "check result")


def test_settings_rows_say_changed_or_not_and_copy_only_values(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    canned = {
        "replies": [
            {
                "type": "settings",
                "title": "New settings",
                "items": [
                    {"key": "pop_server", "label": "Incoming server", "value": "vpop.117.ne.jp"},
                    {"key": "security", "label": "Security", "value": "None", "changed": False},
                    {"key": "note", "label": "Note", "value": "", "changed": False},
                ],
            }
        ],
        "locale": "ja",
    }
    route_posts(page, lambda route: route.fulfill(json=canned))
    answer(page, "はい")
    card = page.locator(".card--settings")
    expect(card.locator('tr[data-key="pop_server"] .change')).to_have_text("変更あり")
    expect(card.locator('tr[data-key="security"] .change')).to_have_text("変更なし")
    expect(card.locator('tr[data-key="security"] th')).to_contain_text("変更なし")
    expect(card.locator('tr[data-key="pop_server"] .copy')).to_have_count(1)
    expect(card.locator('tr[data-key="security"] .copy')).to_have_count(0)
    expect(card.locator('tr[data-key="note"] .copy')).to_have_count(0)


# -- come back later ---------------------------------------------------------------------------


def test_the_next_day_the_same_browser_continues_its_conversation(
    new_page: NewPage, browser: Any, base_url: str
) -> None:
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    answer(page, "いいえ")
    # The browser is closed and opened again: only what it stored survives.
    state = page.context.storage_state()
    context = browser.new_context(viewport=PHONE, base_url=base_url, storage_state=state)
    try:
        later = context.new_page()
        later.goto("/")
        expect(bot_turns(later)).to_have_count(3)
        expect(later.locator(".bubble--user")).to_have_text(["はい", "いいえ"])
        expect(latest_bot_turn(later).locator(".choice:enabled").first).to_be_visible()
    finally:
        context.close()


def test_a_conversation_retention_removed_starts_fresh(new_page: NewPage) -> None:
    page = new_page(viewport=PHONE)
    answer(page, "はい")
    page.route(
        "**/api/webchat/conversations/*/messages",
        lambda route: route.fulfill(status=404, json={"error": "no such conversation"}),
    )
    page.reload()
    expect(page.locator("#log .notice")).to_have_text(
        "前回の会話は保存期間が過ぎて終了していたため、新しい会話を始めました。"
    )
    expect(bot_turns(page)).to_have_count(1)
    expect(page.locator(".bubble--user")).to_have_count(0)
