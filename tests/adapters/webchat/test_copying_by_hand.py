"""Copying a setting by hand, as people do who never noticed the 「コピー」 button: a long press
on a phone (a double click on a computer) selects a word, and to the browser's word breaker
「vsmtp.117.ne.jp」 is three words ("vsmtp", ".", "117.ne.jp"): the subscriber got "vsmtp"
and had to drag the selection's handles over the rest, on a small screen. Chromium selects
with the same word rules for both gestures, so the test double-clicks.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Locator, Page, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import NARROW, NewPage, reach_settings, settings_value

ADDRESS: Final = "yamada.taro.1948@vp.117.ne.jp"


def _selected_by_a_double_tap(page: Page, value: Locator) -> str:
    value.scroll_into_view_if_needed()
    box = value.bounding_box()
    assert box is not None
    page.mouse.dblclick(box["x"] + 6, box["y"] + box["height"] / 2)
    selected: str = page.evaluate("getSelection().toString()")
    return selected


def test_a_long_press_on_a_host_name_or_the_address_selects_all_of_it(
    new_page: NewPage,
) -> None:
    page = new_page(viewport=NARROW)
    card = reach_settings(page, address=ADDRESS)
    for key, expected in [
        ("smtp_server", "vsmtp.117.ne.jp"),
        ("pop_server", "vpop.117.ne.jp"),
        ("username", ADDRESS),
        ("smtp_port", "587"),
    ]:
        value = settings_value(card, key)
        assert _selected_by_a_double_tap(page, value) == expected, key
    # Words are still words: in a sentence, a long press selects the word pressed.
    sentence = settings_value(card, "smtp_auth")
    assert _selected_by_a_double_tap(page, sentence) != sentence.inner_text()


def _selected_in(page: Page, holder: Locator, word: str) -> str:
    """What a long press on `word`'s second character, inside `holder`, selects."""
    holder.scroll_into_view_if_needed()
    box = holder.evaluate(
        """(el, word) => {
          const walker = document.createTreeWalker(el, NodeFilter.SHOW_TEXT);
          for (let node = walker.nextNode(); node; node = walker.nextNode()) {
            const at = node.data.indexOf(word);
            if (at < 0) continue;
            const range = document.createRange();
            range.setStart(node, at + 1);
            range.setEnd(node, at + 2);
            const r = range.getBoundingClientRect();
            return {x: r.x + r.width / 2, y: r.y + r.height / 2};
          }
          return null;
        }""",
        word,
    )
    assert box is not None, word
    page.mouse.dblclick(box["x"], box["y"])
    selected: str = page.evaluate("getSelection().toString()")
    return selected


def test_a_long_press_on_a_host_name_in_a_step_selects_all_of_it(new_page: NewPage) -> None:
    """The steps name the servers in their sentences: 「「サーバー名」をvp.117.ne.jpから
    vpop.117.ne.jpに書き換えます。」 A long press on vpop gave "vpop"."""
    page = new_page(viewport=NARROW)
    reach_settings(page, address=ADDRESS)
    step = page.locator(".steps__item", has_text="vpop.117.ne.jpに書き換えます").first
    assert _selected_in(page, step, "vpop") == "vpop.117.ne.jp"
    assert _selected_in(page, step, "vp.") == "vp.117.ne.jp"
    address = page.locator(".steps__item", has_text=ADDRESS).first
    assert _selected_in(page, address, "taro") == ADDRESS
    # The Japanese words around them are still selected as words.
    assert _selected_in(page, step, "書き換え") != step.inner_text()


# A phone that copies nothing for the page: no clipboard API (a page over plain HTTP on a
# LAN address) and the old copy command refused (some in-app browsers).
NO_COPYING: Final = (
    "Object.defineProperty(navigator, 'clipboard', {value: undefined});"
    "document.execCommand = () => false;"
)


def test_when_the_phone_refuses_to_copy_the_value_is_selected_and_the_words_say_so(
    new_page: NewPage,
) -> None:
    """The page selects the value for the subscriber's own copy command, and said so only to
    a screen reader: on screen the button did nothing. What it said,
    「お手数ですが、値を選択してコピーしてください」, asked to select what was selected
    already. The words are under the value, seen and read out, and say how a phone copies."""
    page = new_page(viewport=NARROW, init_script=NO_COPYING)
    card = reach_settings(page, address=None)
    row = card.locator('tr[data-key="smtp_server"]')
    row.get_by_role("button").click()
    said = row.locator(".copy__failed")
    expect(said).to_be_visible()
    expect(said).to_contain_text("コピーできませんでした")
    expect(said).to_contain_text("選択しておきました")
    expect(said).to_contain_text("長押し")
    assert page.evaluate("getSelection().toString()") == "vsmtp.117.ne.jp"
    row.get_by_role("button").click()  # again: said once
    expect(row.locator(".copy__failed")).to_have_count(1)
    violations = axe_violations(page)
    assert violations == [], describe(violations)
