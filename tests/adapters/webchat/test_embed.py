"""The web chat embedded in a provider's page (embed.js), in real Chromium.

Three loopback servers: mailmove, a provider's page on an origin listed in
MAILMOVE_EMBED_ORIGINS, and the same page on an origin that is not. The listed one opens
the chat in a panel and the chat's first question appears inside the frame; the other gets
the frame refused by the chat page's `frame-ancestors`, and the chat never loads there.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Final

import httpx
import pytest
from playwright.sync_api import Browser, Frame, Page, ViewportSize, expect
from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import HTMLResponse, Response
from starlette.routing import Route

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from testbed.loopback import listening, serving
from tests.accessibility import axe_violations, describe
from tests.browser import chromium

PHONE: Final[ViewportSize] = {"width": 390, "height": 844}
DESKTOP: Final[ViewportSize] = {"width": 1280, "height": 900}
NARROW: Final[ViewportSize] = {"width": 320, "height": 568}
SHADOW: Final = "document.getElementById('mailmove-embed').shadowRoot"

expect.set_options(timeout=10_000)


@dataclass
class ProviderSite:
    """A provider's support page that loads the snippet from `chat` (set once it runs)."""

    chat: list[str] = field(default_factory=list)

    async def page(self, request: Request) -> Response:
        lang = "en" if request.query_params.get("lang") == "en" else "ja"
        return HTMLResponse(
            f'<!doctype html><html lang="{lang}"><head><meta charset="utf-8">'
            '<meta name="viewport" content="width=device-width, initial-scale=1">'
            "<title>Support</title>"
            f'<script src="{self.chat[0]}/embed.js" defer></script></head>'
            '<body><main><h1>Support</h1><a id="elsewhere" href="#top">Top</a></main>'
            "</body></html>"
        )

    def app(self) -> Starlette:
        return Starlette(routes=[Route("/", self.page)])


@dataclass(frozen=True)
class Sites:
    chat: str
    allowed: str
    refused: str


def other_site(origin: str) -> str:
    """`origin` under another site's name: the same loopback server, seen as cross-site."""
    return origin.replace("//127.0.0.1:", "//localhost:")


@pytest.fixture(scope="module")
def sites(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Sites]:
    site = ProviderSite()
    folder: Path = tmp_path_factory.mktemp("embed")
    with serving(site.app()) as allowed, serving(site.app()) as refused:
        listener = listening()
        settings = Settings(
            store_url=f"sqlite:///{folder}/embed.sqlite3",
            # The same page under another site's name (localhost, not 127.0.0.1): there the
            # chat is a third-party frame.
            embed_origins=(allowed, other_site(allowed)),
            # The login check's links lead here.
            public_url=f"http://127.0.0.1:{listener.getsockname()[1]}",
        )
        with serving(build_app(settings, clock=fixed_clock()), listener=listener) as chat:
            site.chat.append(chat)
            yield Sites(chat, allowed, refused)


@pytest.fixture(scope="module")
def browser() -> Iterator[Browser]:
    yield from chromium()


@pytest.fixture
def page(browser: Browser) -> Iterator[Page]:
    context = browser.new_context(viewport=PHONE)
    errors: list[str] = []
    page = context.new_page()
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        yield page
        assert not errors, errors
    finally:
        context.close()


def first_question(chat: str, locale: str) -> str:
    """The first question the chat asks, as its API gives it."""
    created = httpx.post(f"{chat}/api/webchat/conversations", json={"locale": locale}).json()
    text = str(next(r["text"] for r in created["replies"] if r["type"] == "choices"))
    return text.split("\n", 1)[0]  # its first line: the page shows each line as a paragraph


def chat_frame(page: Page) -> Frame:
    handle = page.locator("#mailmove-embed iframe").element_handle()
    frame = handle.content_frame() if handle else None
    if frame is None:
        pytest.fail("the panel holds no frame")
    return frame


def focused(page: Page) -> str:
    """What has focus inside the snippet's shadow root: a tag and class."""
    return str(
        page.evaluate(
            f"(() => {{ const e = {SHADOW}.activeElement; "
            "return e ? `${e.tagName.toLowerCase()}.${e.className}` : ''; })()"
        )
    )


@pytest.mark.parametrize(("lang", "label"), [("ja", "チャットで相談"), ("en", "Chat with us")])
def test_the_snippet_opens_the_chat_in_a_panel_on_the_providers_page(
    page: Page, sites: Sites, lang: str, label: str
) -> None:
    question = first_question(sites.chat, lang)
    page.goto(f"{sites.allowed}/?lang={lang}")
    launcher = page.get_by_role("button", name=label)
    expect(launcher).to_be_visible()
    box = launcher.bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) >= 44
    assert page.locator("#mailmove-embed iframe").count() == 0  # no chat until asked
    violations = axe_violations(page)
    assert not violations, describe(violations)

    launcher.click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    expect(page.frame_locator("#mailmove-embed iframe").get_by_text(question)).to_be_visible()
    assert focused(page) == "iframe."  # focus moved into the chat
    assert chat_frame(page).url.startswith(f"{sites.chat}/")
    panel = dialog.bounding_box()
    assert panel == {"x": 0, "y": 0, **PHONE}  # the whole screen of a phone
    violations = axe_violations(page, context="#mailmove-embed")
    assert not violations, describe(violations)

    close = page.get_by_role("button", name="閉じる" if lang == "ja" else "Close")
    box = close.bounding_box()
    assert box is not None
    assert min(box["width"], box["height"]) >= 44
    close.click()
    expect(dialog).to_be_hidden()
    assert focused(page) == "button.launcher"  # and back to the button that opened it


def test_escape_closes_the_panel_and_the_conversation_is_kept(page: Page, sites: Sites) -> None:
    page.goto(sites.allowed)
    page.get_by_role("button", name="チャットで相談").click()
    expect(page.frame_locator("#mailmove-embed iframe").locator("#log")).not_to_be_empty()
    chat_frame(page).evaluate("window.kept = true")
    page.get_by_role("button", name="閉じる").focus()
    page.keyboard.press("Escape")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert focused(page) == "button.launcher"
    page.get_by_role("button", name="チャットで相談").click()
    # The same document, the same conversation: reopening neither reloads nor restarts.
    assert chat_frame(page).evaluate("window.kept === true")


def test_escape_inside_the_chat_closes_the_panel(page: Page, sites: Sites) -> None:
    page.goto(sites.allowed)
    page.get_by_role("button", name="チャットで相談").click()
    chat = page.frame_locator("#mailmove-embed iframe")
    expect(chat.locator("#log")).not_to_be_empty()
    chat.locator("textarea, input[type=text]").first.focus()

    page.keyboard.press("Escape")  # the key goes to the focused element inside the frame

    expect(page.get_by_role("dialog")).to_be_hidden()
    assert focused(page) == "button.launcher"


def test_escape_in_the_chat_s_own_dialog_answers_it_and_leaves_the_panel_open(
    page: Page, sites: Sites
) -> None:
    # 「最初から」 asks in a dialog of the chat's own while a person is involved: its Escape
    # is "no", and closed the whole panel as well.
    page.goto(sites.allowed)
    page.get_by_role("button", name="チャットで相談").click()
    chat = page.frame_locator("#mailmove-embed iframe")
    expect(chat.locator("#log")).not_to_be_empty()
    chat_frame(page).evaluate("document.getElementById('restart-dialog').showModal()")
    expect(chat.get_by_role("button", name="このまま続ける", exact=True)).to_be_focused()

    page.keyboard.press("Escape")

    expect(chat.locator("#restart-dialog")).to_be_hidden()
    expect(page.get_by_role("dialog")).to_be_visible()  # the panel, still open


def test_the_chat_can_ask_to_close_the_panel_and_nothing_else_can(page: Page, sites: Sites) -> None:
    # Key presses inside the frame stay in the frame: the chat page posts its Escape.
    page.goto(sites.allowed)
    page.get_by_role("button", name="チャットで相談").click()
    expect(page.frame_locator("#mailmove-embed iframe").locator("#log")).not_to_be_empty()
    # The host page's own message, then a probe behind it: once the probe arrives, the
    # first has been handled (a window's messages arrive in order), and was ignored.
    page.evaluate(
        """() => new Promise(done => {
          addEventListener("message", e => e.data === "probe" && done());
          postMessage({type: "mailmove:close"}, "*");
          postMessage("probe", "*");
        })"""
    )
    assert page.get_by_role("dialog").is_visible()
    chat_frame(page).evaluate("window.parent.postMessage({type: 'mailmove:close'}, '*')")
    expect(page.get_by_role("dialog")).to_be_hidden()
    assert focused(page) == "button.launcher"


def test_a_page_on_another_origin_gets_the_frame_refused(page: Page, sites: Sites) -> None:
    chat_requests: list[str] = []
    page.on(
        "request",
        lambda request: (
            chat_requests.append(request.url) if request.url.startswith(sites.chat) else None
        ),
    )
    page.goto(sites.refused)
    with (
        page.expect_event("requestfailed", lambda r: r.url.startswith(sites.chat)) as refusal,
        page.expect_event("framenavigated", lambda frame: frame.parent_frame is not None),
    ):
        page.get_by_role("button", name="チャットで相談").click()
    assert "ERR_BLOCKED_BY_RESPONSE" in (refusal.value.failure or "")
    # Chromium puts its error page in place of the frame the chat page's CSP refuses.
    assert chat_frame(page).url.startswith("chrome-error:")
    loaded = [url for url in chat_requests if "/webchat/static/" in url or "/api/" in url]
    assert loaded == []  # the chat page's own script and API were never reached


def test_only_the_chat_page_widens_its_frame_ancestors(sites: Sites) -> None:
    chat = httpx.get(f"{sites.chat}/").headers["content-security-policy"]
    assert f"frame-ancestors {sites.allowed} {other_site(sites.allowed)};" in chat
    assert "'unsafe-inline'" not in chat
    for path in ("/check/" + "A" * 32, "/agent/"):
        policy = httpx.get(f"{sites.chat}{path}").headers["content-security-policy"]
        assert "frame-ancestors 'none'" in policy, path
    script = httpx.get(f"{sites.chat}/embed.js")
    assert script.status_code == 200
    assert script.headers["content-type"].startswith("text/javascript")


def test_without_embed_origins_the_chat_page_cannot_be_framed(tmp_path: Path) -> None:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/alone.sqlite3")
    with serving(build_app(settings, clock=fixed_clock())) as chat:
        policy = httpx.get(f"{chat}/").headers["content-security-policy"]
    assert "frame-ancestors 'none'" in policy


def where_focus_is(page: Page) -> str:
    """The provider page's focused element (the snippet's host while the chat has focus)."""
    return str(page.evaluate("document.activeElement ? document.activeElement.id : ''"))


def test_on_a_phone_tab_goes_round_the_open_panel_and_never_behind_it(
    page: Page, sites: Sites
) -> None:
    page.goto(sites.allowed)
    page.get_by_role("button", name="チャットで相談").click()
    expect(page.frame_locator("#mailmove-embed iframe").locator("#log")).not_to_be_empty()
    assert page.get_by_role("dialog").get_attribute("aria-modal") == "true"
    close = page.get_by_role("button", name="閉じる")
    close.focus()

    page.keyboard.press("Shift+Tab")  # before the close button: round to the chat's end
    assert (where_focus_is(page), focused(page)) == ("mailmove-embed", "iframe.")

    close.focus()
    seen: list[str] = []
    for _ in range(80):
        page.keyboard.press("Tab")
        # Never the page's own link behind the panel, nor the browser's address bar.
        assert where_focus_is(page) == "mailmove-embed", seen
        seen.append(focused(page))
        if seen[-1] == "button.close":
            break
    # Through the chat, and round again to the close button.
    assert "iframe." in seen
    assert seen[-1] == "button.close", seen


def test_on_a_wide_screen_the_panel_does_not_hold_the_focus(browser: Browser, sites: Sites) -> None:
    # A floating panel beside the page is not modal: Tab may go back to the page.
    context = browser.new_context(viewport=DESKTOP)
    try:
        page = context.new_page()
        page.goto(sites.allowed)
        page.get_by_role("button", name="チャットで相談").click()
        assert page.get_by_role("dialog").get_attribute("aria-modal") == "false"
        page.get_by_role("button", name="閉じる").focus()
        page.keyboard.press("Shift+Tab")
        assert where_focus_is(page) == "elsewhere"
    finally:
        context.close()


def test_on_a_phone_back_closes_the_panel_and_stays_on_the_providers_page(
    page: Page, sites: Sites
) -> None:
    before = f"{sites.allowed}/?lang=ja"
    page.goto(before)
    page.goto(f"{sites.allowed}/")
    page.get_by_role("button", name="チャットで相談").click()
    dialog = page.get_by_role("dialog")
    expect(dialog).to_be_visible()
    chat_frame(page).evaluate("window.kept = true")

    page.go_back()  # Android's back button

    expect(dialog).to_be_hidden()
    assert page.url == f"{sites.allowed}/"  # still the provider's page, not the one before
    assert focused(page) == "button.launcher"
    page.get_by_role("button", name="チャットで相談").click()
    assert chat_frame(page).evaluate("window.kept === true")  # the same conversation

    # Closed by its button, the panel takes its history entry with it: one back leaves.
    page.get_by_role("button", name="閉じる").click()
    expect(dialog).to_be_hidden()
    page.wait_for_function("!(history.state && history.state.mailmoveChat)")
    page.go_back()
    page.wait_for_url(before)


def test_the_login_check_opened_from_the_embedded_chat_leads_back_by_closing_its_tab(
    page: Page, sites: Sites
) -> None:
    # Embedded, the conversation lives in the provider's site's storage: a 「チャットに戻る」
    # that opened "/" in the check's tab would start another conversation.
    page.goto(sites.allowed)
    page.get_by_role("button", name="チャットで相談").click()
    chat = page.frame_locator("#mailmove-embed iframe")

    def press(label: str) -> None:
        turns = chat.locator(".turn--bot")
        count = turns.count()
        turns.last.get_by_role("button", name=label, exact=True).click()
        expect(turns).to_have_count(count + 1)

    expect(chat.locator(".turn--bot")).to_have_count(1)
    for _ in range(4):
        press("はい")
    turns = chat.locator(".turn--bot")
    count = turns.count()
    chat.get_by_role("textbox", name="メッセージ").fill("taro@vp.117.ne.jp")
    chat.get_by_role("textbox", name="メッセージ").press("Enter")
    expect(turns).to_have_count(count + 1)
    press("Thunderbird")
    press("はい")
    press("ログインを確認する")
    link = chat.get_by_role("link", name=re.compile("ログイン確認ページを開く"))
    with page.context.expect_page() as opened:
        link.click()
    check = opened.value
    check.wait_for_load_state()
    assert check.url.startswith(f"{sites.chat}/check/")
    assert check.url.endswith("#embedded")

    # The form's answer is a new page without the mark; the way back stays the same.
    check.goto(check.url.removesuffix("#embedded"))
    with check.expect_event("close"):
        # The click closes its own page: without no_wait_after it may still be waiting on
        # that page when it goes (TargetClosedError, seen once in the suite).
        check.get_by_role("link", name="チャットに戻る").click(no_wait_after=True)
    assert page.get_by_role("dialog").is_visible()  # the conversation, still open


def test_the_login_check_opened_directly_leads_to_the_chat_page(page: Page, sites: Sites) -> None:
    # Not from an embedded chat: 「チャットに戻る」 is a link to the chat, as it always was.
    created = httpx.post(f"{sites.chat}/api/webchat/conversations", json={}).json()
    conversation = created["conversation_id"]
    path = f"{sites.chat}/api/webchat/conversations/{conversation}/messages"
    for body in (
        *[{"choice": "yes"}] * 4,
        {"text": "taro@vp.117.ne.jp"},
        {"choice": "program:thunderbird"},
        {"choice": "yes"},
        {"choice": "check"},
    ):
        replies = httpx.post(path, json=body).json()["replies"]
    url = next(r["url"] for r in replies if r["type"] == "link")
    # In the browser that holds the chat, as the chat keeps it (on another phone the page
    # says where the chat is instead: tests/bot/mailcheck/test_check_page_second_phone.py).
    entry = json.dumps({"id": conversation, "locale": "ja"})
    page.context.add_init_script(
        f"localStorage.setItem('mailmove.webchat.v1', {json.dumps(entry)})"
    )
    page.goto(url)
    page.get_by_role("link", name="チャットに戻る").click()
    page.wait_for_url(f"{sites.chat}/")


def test_embedded_on_another_site_the_conversation_is_kept_across_visits(
    browser: Browser, sites: Sites
) -> None:
    """On a provider's site that is not mailmove's, the chat is a third-party frame, and
    Chromium refuses it storage (third-party cookies blocked, as this one does by default):
    every visit started a new conversation. A partitioned cookie (CHIPS) is still allowed:
    kept for mailmove's origin under that provider's site only, never readable by the
    provider's page, and not sent to the chat when another site embeds it."""
    provider = other_site(sites.allowed)
    context = browser.new_context(viewport=PHONE)
    try:
        page = context.new_page()
        page.goto(provider)
        page.get_by_role("button", name="チャットで相談").click()
        chat = page.frame_locator("#mailmove-embed iframe")
        turns = chat.locator(".turn--bot")
        expect(turns).to_have_count(1)
        refused = chat_frame(page).evaluate(
            "() => { try { localStorage.getItem('x'); return false; } catch { return true; } }"
        )
        assert refused, "this test needs a browser that refuses third-party frames storage"
        turns.last.get_by_role("button", name="はい", exact=True).click()
        expect(turns).to_have_count(2)
        conversation = chat_frame(page).evaluate("() => decodeURIComponent(document.cookie)")
        # The provider's own page sees none of it.
        assert page.evaluate("document.cookie") == ""
        assert page.evaluate("localStorage.length") == 0
        page.close()

        page = context.new_page()  # the next visit
        page.goto(provider)
        page.get_by_role("button", name="チャットで相談").click()
        chat = page.frame_locator("#mailmove-embed iframe")
        expect(chat.locator(".turn--bot")).to_have_count(2)
        expect(chat.locator(".bubble--user")).to_have_text(["はい"])

        # Another site embedding the chat keeps its own: a new conversation there.
        page.goto(sites.allowed)
        page.get_by_role("button", name="チャットで相談").click()
        chat = page.frame_locator("#mailmove-embed iframe")
        expect(chat.locator(".turn--bot")).to_have_count(1)
        assert conversation not in chat_frame(page).evaluate("() => document.cookie")
    finally:
        context.close()


def test_on_a_small_phone_at_the_largest_text_the_panel_leaves_the_conversation_room(
    browser: Browser, sites: Sites
) -> None:
    """The panel fills a phone's screen, and its edge took 4 px of a 320 px screen's width
    from the chat: at the phone's largest text (200 %) the chat's toolbar broke into three
    rows, one button each, and the conversation kept 98 px of 568 (the page alone: 261)."""
    context = browser.new_context(viewport=NARROW, is_mobile=True, has_touch=True)
    try:
        page = context.new_page()
        page.goto(sites.allowed)
        page.get_by_role("button", name="チャットで相談").click()
        chat = page.frame_locator("#mailmove-embed iframe")
        expect(chat.locator(".turn--bot")).to_have_count(1)
        frame = chat_frame(page)
        frame.evaluate("document.documentElement.style.fontSize = '200%'")
        rows = frame.evaluate(
            "new Set([...document.querySelectorAll('.toolbar__button')]"
            ".map((b) => Math.round(b.getBoundingClientRect().top))).size"
        )
        assert rows <= 2, rows
        height = frame.evaluate("document.getElementById('conversation').clientHeight")
        # The page alone keeps 40 %; the panel's close bar (48 px and its padding) is on top.
        assert height >= 0.35 * NARROW["height"], height
    finally:
        context.close()
