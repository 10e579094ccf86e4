"""The web chat as an elderly subscriber holds it: a phone of any common size, upright or
sideways, read without glasses and pressed with a finger.

Every piece of text shown is at least 16 px (the small print was 14 px: the subtitle, the
times, the toolbar, the settings table's badges and copy buttons, the note under the input),
and every button is a 44 × 44 target at least 8 px from the next one (the toolbar's were 6 px
apart and 6 px above the input, the two language buttons touched).
"""

from __future__ import annotations

import re
from typing import Any, Final

import httpx
import pytest
from playwright.sync_api import Browser, Page, Route, ViewportSize, expect

from tests.adapters.webchat.chat_page import (
    NewPage,
    answer,
    bot_turns,
    holding_the_first,
    latest_bot_turn,
    route_posts,
    type_message,
    wait_for_held,
)
from tests.adapters.webchat.test_screens import LONG_ADDRESS, shoot

MIN_TEXT_PX: Final = 16
MIN_TARGET: Final = 44
MIN_SPACING: Final = 8

PHONES: Final[dict[str, ViewportSize]] = {
    "320x568": {"width": 320, "height": 568},
    "360x640": {"width": 360, "height": 640},
    "390x844": {"width": 390, "height": 844},
    "414x896": {"width": 414, "height": 896},
    "sideways-640x360": {"width": 640, "height": 360},
}

# The part of an element a finger can reach: its box cut by every scrolling ancestor (a
# button scrolled under the toolbar is not next to the toolbar's buttons).
_SHOWN_BOX: Final = """
  function shownBox(el) {
    let r = el.getBoundingClientRect();
    let box = {left: r.left, top: r.top, right: r.right, bottom: r.bottom};
    for (let up = el.parentElement; up; up = up.parentElement) {
      const style = getComputedStyle(up);
      if (style.overflowY === 'visible' && style.overflowX === 'visible') continue;
      const c = up.getBoundingClientRect();
      box = {left: Math.max(box.left, c.left), top: Math.max(box.top, c.top),
             right: Math.min(box.right, c.right), bottom: Math.min(box.bottom, c.bottom)};
    }
    box.left = Math.max(box.left, 0); box.top = Math.max(box.top, 0);
    box.right = Math.min(box.right, innerWidth); box.bottom = Math.min(box.bottom, innerHeight);
    return box.right - box.left > 1 && box.bottom - box.top > 1 ? box : null;
  }
"""


def small_print(page: Page) -> list[dict[str, Any]]:
    """Text on the screen set under 16 px."""
    found: list[dict[str, Any]] = page.evaluate(
        """(min) => {
          const out = [];
          const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const el = node.parentElement;
            if (!node.textContent.trim() || !el || el.closest('.visually-hidden, [hidden]')) {
              continue;
            }
            if (el.getClientRects().length === 0) continue;
            const size = parseFloat(getComputedStyle(el).fontSize);
            if (size < min - 0.01) out.push({text: node.textContent.trim().slice(0, 20), size});
          }
          return out;
        }""",
        MIN_TEXT_PX,
    )
    return found


def crowded_targets(page: Page) -> list[dict[str, Any]]:
    """Buttons on the screen under 44 × 44, or closer than 8 px to another control."""
    found: list[dict[str, Any]] = page.evaluate(
        """([minTarget, minSpacing]) => {
          """
        + _SHOWN_BOX
        + """
          const controls = [...document.querySelectorAll(
              'button, a.file, a.link, [role=button], textarea')]
            .filter(el => el.getClientRects().length > 0 && !el.closest('[hidden]'))
            .map(el => ({el, name: (el.textContent.trim() || el.getAttribute('aria-label')
                                    || el.id).slice(0, 20), box: shownBox(el)}))
            .filter(c => c.box !== null);
          const out = [];
          for (const c of controls) {
            const r = c.el.getBoundingClientRect();
            if (c.el.tagName !== 'TEXTAREA'
                && (r.width < minTarget - 0.5 || r.height < minTarget - 0.5)) {
              out.push({small: c.name, width: r.width, height: r.height});
            }
          }
          for (let i = 0; i < controls.length; i++) {
            for (let j = i + 1; j < controls.length; j++) {
              const a = controls[i], b = controls[j];
              if (a.el.contains(b.el) || b.el.contains(a.el)) continue;
              const dx = Math.max(0, Math.max(a.box.left, b.box.left)
                                     - Math.min(a.box.right, b.box.right));
              const dy = Math.max(0, Math.max(a.box.top, b.box.top)
                                     - Math.min(a.box.bottom, b.box.bottom));
              if (Math.hypot(dx, dy) < minSpacing - 0.5) {
                out.push({close: [a.name, b.name], dx, dy});
              }
            }
          }
          return out;
        }""",
        [MIN_TARGET, MIN_SPACING],
    )
    return found


@pytest.mark.parametrize("name", list(PHONES))
def test_on_every_phone_text_is_16_px_and_targets_are_apart(new_page: NewPage, name: str) -> None:
    page = new_page(viewport=PHONES[name])
    screens = {"first question": (small_print(page), crowded_targets(page))}
    for _ in range(4):
        answer(page, "はい")
    type_message(page, LONG_ADDRESS)
    screens["program question"] = (small_print(page), crowded_targets(page))
    answer(page, "Thunderbird")
    answer(page, "はい")
    expect(page.locator(".card--settings")).to_be_visible()
    # One row of answers under the card: 「解決しましたか？」's two, the login check and
    # another program's steps (subscriber27: only typed before it was answered).
    # 「ほかにお手伝い…」's row came under them too, and which to press was not clear.
    rows = latest_bot_turn(page).locator(".choices")
    expect(rows).to_have_count(1)
    expect(rows.get_by_role("button")).to_have_text(
        ["解決した", "解決しない", "ログインを確認する", "別のソフトの手順"]
    )
    screens["settings card"] = (small_print(page), crowded_targets(page))
    # 「変更あり」 is one word on one line, not 変更 over あり.
    badges = page.locator(".card--settings .change")
    wrapped = badges.evaluate_all(
        "els => els.filter(el => el.getBoundingClientRect().height"
        " > 1.5 * parseFloat(getComputedStyle(el).lineHeight)).map(el => el.textContent)"
    )
    assert wrapped == []
    # The card's copy buttons and badges, scrolled into view.
    page.locator(".card--settings .copy").first.scroll_into_view_if_needed()
    screens["copy buttons"] = (small_print(page), crowded_targets(page))
    shoot(page, f"elderly-{name}")
    problems = {screen: found for screen, found in screens.items() if found != ([], [])}
    assert problems == {}


def test_in_forced_colours_every_button_has_an_edge_and_the_language_shows(
    new_page: NewPage,
) -> None:
    """Windows' high contrast and other forced colours drop backgrounds: the send button and
    the language buttons, which had only a background, were bare words, and which language
    was chosen did not show."""
    page = new_page(viewport=PHONES["390x844"])
    page.emulate_media(forced_colors="active")
    bare = page.evaluate(
        """() => [...document.querySelectorAll('button')]
            .filter(el => el.getClientRects().length > 0 && !el.closest('[hidden]'))
            .filter(el => { const s = getComputedStyle(el);
                            return !(parseFloat(s.borderTopWidth) >= 1
                                     && s.borderTopStyle !== 'none'); })
            .map(el => el.textContent.trim() || el.id)"""
    )
    assert bare == []
    chosen, other = (
        page.get_by_role("button", name=name, exact=True).evaluate(
            "el => getComputedStyle(el).backgroundColor"
        )
        for name in ("日本語", "English")
    )
    assert chosen != other
    # An answered question's buttons are all disabled, drawn alike in the system's grey text:
    # the chosen one showed only by its background, so scrolling back up, which answer was
    # given did not show.
    answer(page, "はい")
    answered = bot_turns(page).first
    chosen, other = (
        answered.get_by_role("button", name=name, exact=True).evaluate(
            "el => [getComputedStyle(el).backgroundColor, getComputedStyle(el).color]"
        )
        for name in ("はい", "いいえ")
    )
    assert chosen[0] != other[0]
    assert chosen[1] != other[1]
    # The reply on its way: its three dots were grey backgrounds, dropped, and an empty
    # bubble stood for 4 s before any words.
    held: list[Route] = []
    route_posts(page, holding_the_first(held))
    latest_bot_turn(page).get_by_role("button", name="いいえ", exact=True).click()
    wait_for_held(page, held)
    expect(page.locator("#typing")).to_be_visible()
    dot, bubble = (
        page.locator(selector).first.evaluate("el => getComputedStyle(el).backgroundColor")
        for selector in (".typing__dot", ".typing__bubble")
    )
    assert dot != bubble
    held[0].continue_()
    expect(page.locator("#typing")).to_be_hidden()


def test_words_typed_but_not_sent_survive_a_reload(new_page: NewPage) -> None:
    """A phone reloads a tab it put away (the subscriber went to the mail app to look at an
    error) and people press reload or back and forward: what they had typed was gone (the form
    has autocomplete off, so the browser keeps nothing). The tab keeps it, in that
    conversation only, and it goes once sent."""
    page = new_page(viewport=PHONES["390x844"])
    field = page.get_by_role("textbox", name="メッセージ")
    field.fill("エラーの番号は0x800CCC0Fと")
    page.reload()
    expect(page.locator(".turn--bot")).to_have_count(1)
    expect(field).to_have_value("エラーの番号は0x800CCC0Fと")
    type_message(page, "エラーの番号は0x800CCC0Fと出ています")
    expect(field).to_have_value("")
    page.reload()
    expect(page.locator(".turn--bot")).to_have_count(2)
    expect(field).to_have_value("")


def test_the_preview_notice_leaves_a_small_phone_room_to_read(
    browser: Browser, base_url: str
) -> None:
    """Staff previewing another day (`mailmove serve --as-of`) see a notice in the header.
    Squeezed into the title's column beside the language buttons it took five lines of a
    320 px screen and left the conversation 40 % of it; it runs the header's width, and
    steps aside while the keyboard is open."""
    context = browser.new_context(
        viewport=PHONES["320x568"], locale="ja-JP", reduced_motion="reduce", base_url=base_url
    )
    notice = "プレビュー：2008年6月1日(日)時点の案内を表示しています（実際の日付ではありません）。"

    def with_preview(route: Route) -> None:
        response = route.fetch()
        route.fulfill(response=response, json={**response.json(), "preview": notice})

    context.route("**/api/webchat/texts/ja", with_preview)
    page = context.new_page()
    page.goto("/")
    expect(page.locator(".turn--bot")).to_have_count(1)
    expect(page.get_by_role("note")).to_have_text(notice)
    conversation = page.locator("#conversation").bounding_box()
    assert conversation is not None
    assert conversation["height"] >= 0.45 * PHONES["320x568"]["height"], conversation
    assert page.evaluate("document.scrollingElement.scrollHeight <= innerHeight")
    shoot(page, "elderly-preview-320x568")
    # With the keyboard open (about 260 px of it) the notice took 80 of the 308 px left,
    # and the conversation had 64 px: it goes while the screen is that short.
    page.get_by_role("textbox", name="メッセージ").click()
    page.set_viewport_size({"width": 320, "height": 308})
    expect(page.get_by_role("note")).to_be_hidden()
    conversation = page.locator("#conversation").bounding_box()
    assert conversation is not None
    assert conversation["height"] >= 0.4 * 308, conversation
    expect(page.get_by_role("textbox", name="メッセージ")).to_be_in_viewport()
    page.set_viewport_size(PHONES["320x568"])
    expect(page.get_by_role("note")).to_be_visible()


def test_back_to_the_chat_from_the_login_check_returns_to_the_chats_own_tab(
    new_page: NewPage, base_url: str
) -> None:
    """The check's link opens a tab of its own. Its 「チャットに戻る」 opened "/" in that tab:
    the phone then held two tabs of one conversation, the first one still behind, and an
    elderly subscriber went on in either. Opened from the chat, the check's tab now closes,
    back to the chat's own tab and its result."""
    page = new_page(viewport=PHONES["390x844"])
    kept = page.evaluate("JSON.parse(localStorage.getItem('mailmove.webchat.v1'))")
    messages = f"{base_url}/api/webchat/conversations/{kept['id']}/messages"
    for body in (
        {"choice": "settings"},
        {"text": "taro@vp.117.ne.jp"},
        {"choice": "program:thunderbird"},
        {"choice": "yes"},
        {"choice": "check"},
    ):
        httpx.post(messages, json=body).raise_for_status()
    page.reload()
    link = page.get_by_role("link", name=re.compile("ログイン確認ページを開く"))
    with page.context.expect_page() as opened:
        link.click()
    check = opened.value
    check.wait_for_load_state()
    assert check.url.endswith("#chat")
    with check.expect_event("close"):
        # The click closes its own page: it must not wait on that page after it.
        check.get_by_role("link", name="チャットに戻る").click(no_wait_after=True)
    assert page.context.pages == [page]
    expect(link).to_be_visible()


_NEXT_FRAME: Final = "() => new Promise((done) => requestAnimationFrame(() => done(null)))"
_TOP_OF_VIEW: Final = """(node) => Math.round(node.getBoundingClientRect().top
  - document.getElementById('conversation').getBoundingClientRect().top)"""


def test_turning_the_phone_keeps_the_line_being_read_in_view(new_page: NewPage) -> None:
    """Turned sideways to read larger (or back), every line is laid out again at the new
    width, and the conversation kept its scroll offset, which then showed another part: the
    settings row being read went 1,200 px above the view, or the shorter conversation
    counted as at its end and jumped there. The line at the top of the view stays there."""
    page = new_page(viewport=PHONES["390x844"])
    step = "受信サーバーの欄を確かめて、次へ進みます。"
    steps = "\n".join(f"{n}. 手順{n}：{step}" for n in range(1, 41))
    canned = {"replies": [{"type": "text", "text": f"設定手順\n\n{steps}"}], "locale": "ja"}
    route_posts(page, lambda route: route.fulfill(json=canned))
    answer(page, "はい")
    read = latest_bot_turn(page).locator("li").nth(24)
    read.evaluate("node => node.scrollIntoView({block: 'start'})")
    assert read.evaluate(_TOP_OF_VIEW) == 0
    for turned in (PHONES["sideways-640x360"], PHONES["390x844"]):
        # A person turns the phone after the page has seen the scroll: its scroll event comes
        # with the next frame, which on a loaded machine came after a turn made at once.
        page.evaluate(_NEXT_FRAME)
        page.set_viewport_size(turned)
        expect(read).to_be_in_viewport()
        assert abs(read.evaluate(_TOP_OF_VIEW)) <= 2, turned
