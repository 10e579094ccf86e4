"""A subscriber and an agent talk, each in their own headless Chromium context, both ways.

The subscriber uses the web chat page, the agent the console; neither page is reloaded:
each sees the other's words by the page's own updates. Probes of markup in both
directions must stay text. Synchronisation is Playwright's auto-waiting: no sleeps.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Final

import pytest
from playwright.sync_api import Browser, Page, expect

from adapters.webchat.conversation_key import key_of
from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import serving
from tests.bot.desk.test_desk_hours import weekday_profile
from tests.browser import chromium

TOKEN: Final = "sato-token-0123456789"
SUBSCRIBER_PROBE: Final = '<img src=x onerror="window.__pwned=1">パスワードを忘れました'
AGENT_PROBE: Final = "<script>window.__pwned=1</script>パスワードは変わりません。"
# The page's updates arrive within a few seconds; this only bounds a broken page.
expect.set_options(timeout=10_000)
# How long each page waits before reading the conversation again: chat.js's POLL_MS (while
# the bot has it as far as the page knows) and console.js's LIVE_MS. A test whose pages run
# on Playwright's clock (`open_page(..., fake_clock=True)`) moves it on by this much instead
# of waiting it out.
POLL_MS: Final = 2_000
LIVE_MS: Final = 2_000


@pytest.fixture(scope="module")
def base_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    folder = tmp_path_factory.mktemp("desk")
    # A desk open on weekdays: the fixed clock's Sunday noon is outside its hours.
    settings = Settings(
        store_url=f"sqlite:///{folder}/desk.sqlite3",
        agent_tokens=(f"佐藤:{TOKEN}",),
        profile_path=weekday_profile(folder),
    )
    with serving(build_app(settings, clock=fixed_clock()), timeout=30) as url:
        yield url


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


def open_page(
    browser: Browser, base_url: str, path: str, errors: list[str], *, fake_clock: bool = False
) -> Page:
    context = browser.new_context(
        base_url=base_url, locale="ja-JP", timezone_id="Asia/Tokyo", reduced_motion="reduce"
    )
    if fake_clock:
        # The page's timers are Playwright's: they still run as real time passes, and the
        # test moves them on with run_for where it waits for the page's next read.
        context.clock.install()
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.goto(path)
    return page


def conversation_row(chat: Page, console: Page) -> None:
    """Open, in the console, the conversation the chat page is having."""
    saved = chat.evaluate("() => JSON.parse(sessionStorage.getItem('mailmove.webchat.v1'))")
    key = key_of(saved["id"])
    console.get_by_role("radio", name="すべて").check()
    console.locator(f'.conversation-link[href="#{key.replace(":", "%3A")}"]').click()


def not_pwned(page: Page) -> None:
    assert page.evaluate("() => window.__pwned") is None
    assert page.locator("img[src=x]").count() == 0
    assert page.locator("script:not([src])").count() == 0


def test_a_subscriber_and_an_agent_exchange_messages_without_reloading(
    browser: Browser, base_url: str
) -> None:
    errors: list[str] = []
    chat = open_page(browser, base_url, "/", errors, fake_clock=True)
    expect(chat.locator(".turn--bot").first).to_be_visible()
    box = chat.get_by_role("textbox", name="メッセージ")
    box.fill(SUBSCRIBER_PROBE)
    box.press("Enter")
    expect(chat.locator(".turn--user .bubble").last).to_have_text(SUBSCRIBER_PROBE)

    console = open_page(browser, base_url, "/agent/", errors, fake_clock=True)
    console.get_by_label("担当者トークン").fill(TOKEN)
    console.get_by_role("button", name="サインイン", exact=True).click()
    expect(console.locator("#whoami")).to_be_visible()
    conversation_row(chat, console)
    transcript = console.locator("#transcript")
    expect(transcript.locator(".line--subscriber .line__text").last).to_have_text(SUBSCRIBER_PROBE)
    console.get_by_role("button", name="対応を引き継ぐ").click()
    expect(console.locator("#conversation-owner")).to_have_text("担当者対応中")
    expect(transcript).to_contain_text("佐藤が対応を引き継ぎました")

    # The agent writes; Shift+Enter is a new line, Enter sends.
    reply = console.get_by_label("お客様への返信")
    reply.fill(AGENT_PROBE)
    reply.press("Shift+Enter")
    reply.press_sequentially("ご安心ください。")
    reply.press("Enter")
    expect(reply).to_have_value("")
    chat.clock.run_for(POLL_MS)  # the chat's next read of the transcript
    said = f"{AGENT_PROBE}\nご安心ください。"
    agent_turn = chat.locator(".turn--agent").last
    expect(agent_turn).to_contain_text(AGENT_PROBE)
    expect(agent_turn).to_contain_text("ご安心ください。")
    expect(agent_turn.locator(".turn__author")).to_have_text("担当：佐藤")
    expect(chat.locator("#owner")).to_have_text("担当の佐藤がお答えしています")
    expect(transcript.locator(".line--agent .line__text").last).to_have_text(said)

    # The subscriber answers; the console shows it without a reload.
    bot_turns = chat.locator(".turn--bot:not(.turn--agent)")
    before = bot_turns.count()
    box.fill("ありがとうございます")
    with chat.expect_response(lambda r: r.request.method == "POST" and "/messages" in r.url):
        box.press("Enter")
    console.clock.run_for(LIVE_MS)  # the console's next read of the conversation
    expect(transcript.locator(".line--subscriber .line__text").last).to_have_text(
        "ありがとうございます"
    )
    # The bot stays silent while a person has the conversation.
    expect(bot_turns).to_have_count(before)
    for page in (chat, console):
        not_pwned(page)
    assert not errors, f"uncaught script errors: {errors}"


def test_a_refused_reply_says_why_and_keeps_the_words(browser: Browser, base_url: str) -> None:
    errors: list[str] = []
    chat = open_page(browser, base_url, "/", errors)
    expect(chat.locator(".turn--bot").first).to_be_visible()
    console = open_page(browser, base_url, "/agent/", errors)
    console.get_by_label("担当者トークン").fill(TOKEN)
    console.get_by_role("button", name="サインイン", exact=True).click()
    expect(console.locator("#whoami")).to_be_visible()
    conversation_row(chat, console)
    # A bot-owned conversation has no reply box: take it over first.
    expect(console.get_by_label("お客様への返信")).to_be_hidden()
    console.get_by_role("button", name="対応を引き継ぐ").click()
    expect(console.locator("#conversation-owner")).to_have_text("担当者対応中")
    reply = console.get_by_label("お客様への返信")
    expect(reply).to_be_visible()
    reply.press("Enter")
    expect(console.locator("#reply-error")).to_have_text("返信を入力してください。")
    # A password in it: refused, and said in the agent's words, not the API's English.
    reply.fill("仮パスワードは Abc12345 です")
    reply.press("Enter")
    expect(console.locator("#reply-error")).to_contain_text(
        "パスワードが書かれているため、お客様には送っていません。"
    )
    expect(console.locator("#reply-error")).not_to_contain_text("must not hold")
    expect(reply).to_have_value("仮パスワードは Abc12345 です")
    reply.fill("お待たせしました")
    # Closed meanwhile in another tab: the API's 409 is shown, and the words stay.
    console.evaluate(
        """async (token) => {
            const key = decodeURIComponent(location.hash.slice(1));
            await fetch(`/api/agent/conversations/${encodeURIComponent(key)}/close`, {
                method: "POST", headers: {Authorization: `Bearer ${token}`}});
        }""",
        TOKEN,
    )
    reply.press("Enter")
    # Which it is, and what sends the words (e4ea903): closed, so 「対応を引き継ぐ」 follows up.
    refused = (
        "この会話は終了しているため、返信は送信していません。続けてご案内するときは、"
        "「対応を引き継ぐ」を押してから、もう一度送ってください（お客様には、担当者が引き続き"
        "ご案内することをお伝えします）。入力した内容は消えていません。"
    )
    expect(console.locator("#reply-error")).to_have_text(refused)
    expect(reply).to_have_value("お待たせしました")
    # The console's own refresh notices the close (every 2 s): the refusal and the words stay.
    expect(console.locator("#conversation-owner")).to_have_text("終了")
    expect(console.locator("#reply-error")).to_be_visible()
    expect(console.locator("#reply-error")).to_have_text(refused)
    expect(reply).to_be_visible()
    expect(reply).to_have_value("お待たせしました")
    assert not errors, f"uncaught script errors: {errors}"


def test_a_message_left_for_the_desk_waits_in_the_default_view(
    browser: Browser, base_url: str
) -> None:
    errors: list[str] = []
    chat = open_page(browser, base_url, "/", errors)
    expect(chat.locator(".turn--bot").first).to_be_visible()
    box = chat.get_by_role("textbox", name="メッセージ")
    box.fill("担当者と話したい")
    box.press("Enter")
    # The desk (the console) is closed now: the bot offers to take a message instead.
    chat.locator(".turn--bot").last.get_by_role("button", name="伝言を残す", exact=True).click()
    # The page takes no new words while the button's answer is on its way (Enter then leaves
    # them in the box): wait for the bot to ask for the message, as a subscriber would.
    expect(chat.locator(".turn--bot").last).to_contain_text("ご用件と、折り返しのご連絡先")
    words = f"{SUBSCRIBER_PROBE}。03-1234-5678に折り返しください"
    box.fill(words)
    box.press("Enter")
    expect(chat.locator(".turn--bot").filter(has_text="伝言を承りました")).to_have_count(1)
    saved = chat.evaluate("() => JSON.parse(sessionStorage.getItem('mailmove.webchat.v1'))")
    href = "#" + key_of(saved["id"]).replace(":", "%3A")

    console = open_page(browser, base_url, "/agent/", errors)
    console.get_by_label("担当者トークン").fill(TOKEN)
    console.get_by_role("button", name="サインイン", exact=True).click()
    # The default view, with no click: the bot still has the chat, the message waits.
    expect(console.get_by_role("radio", name="担当者")).to_be_checked()
    row = console.locator(f'.conversation-link[href="{href}"]')
    expect(row.locator(".owner-badge")).to_have_text("ボット対応中")
    message = row.locator(".left-message")
    expect(message.locator(".left-message__badge")).to_have_text("お客様からの伝言")
    expect(message.locator(".left-message__at")).to_have_text("2008/06/01 12:00受付")
    expect(message.locator(".left-message__callback")).to_have_text("折り返し先：03-1234-5678")
    expect(message.locator(".left-message__text")).to_have_text(words)
    expect(row.locator(".conversation-link__stage")).to_have_text("対応待ち · 伝言あり")
    expect(row).to_have_class("conversation-link is-unread has-message")

    # Taken over, it stays with who has it; closed, it leaves the default view.
    row.click()
    expect(console.locator("#transcript")).to_contain_text("伝言を受け付けました")
    console.get_by_role("button", name="対応を引き継ぐ").click()
    expect(row.locator(".conversation-link__stage")).to_have_text("佐藤が対応中 · 伝言あり")
    console.get_by_role("button", name="終了", exact=True).click()
    console.get_by_role("dialog").get_by_role("button", name="終了する").click()
    expect(row).to_have_count(0)
    for page in (chat, console):
        not_pwned(page)
    assert not errors, f"uncaught script errors: {errors}"


def test_closing_asks_the_subscriber_whether_it_was_solved(browser: Browser, base_url: str) -> None:
    errors: list[str] = []
    chat = open_page(browser, base_url, "/", errors, fake_clock=True)
    expect(chat.locator(".turn--bot").first).to_be_visible()
    console = open_page(browser, base_url, "/agent/", errors)
    console.get_by_label("担当者トークン").fill(TOKEN)
    console.get_by_role("button", name="サインイン", exact=True).click()
    expect(console.locator("#whoami")).to_be_visible()
    conversation_row(chat, console)
    console.get_by_role("button", name="対応を引き継ぐ").click()
    expect(console.locator("#conversation-owner")).to_have_text("担当者対応中")
    console.get_by_role("button", name="終了", exact=True).click()
    console.get_by_role("dialog").get_by_role("button", name="終了する").click()
    expect(console.locator("#conversation-owner")).to_have_text("終了")

    # The page hears of it by its own polling, with two buttons that work.
    chat.clock.run_for(POLL_MS)
    asked = chat.locator(".turn--bot").filter(has_text="解決しましたか？")
    expect(asked).to_have_count(1)
    asked.get_by_role("button", name="解決した", exact=True).click()
    expect(chat.locator(".turn--bot").last).to_contain_text("解決してよかったです")
    expect(asked.get_by_role("button", name="解決しない", exact=True)).to_be_disabled()
    assert not errors, f"uncaught script errors: {errors}"
