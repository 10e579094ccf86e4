"""What a screen reader hears when a value of the settings card is copied: 「コピーしました」 once.

The copy button's visible word changes to 「コピーしました」 and back to 「コピー」 at the
subscriber's next other action. The button sits in the conversation's log, a live region,
so that change was read out as well as the page's own announcement: 「コピーしました」
twice, then 「コピー」 when the word came back. The button is named by its aria-label
(「「送信（SMTP）サーバー」の値をコピー」); its visible word is hidden from the
accessibility tree, and the announcement is heard alone.
"""

from __future__ import annotations

from typing import Final

from playwright.sync_api import Page, expect

from tests.adapters.webchat.chat_page import PHONE, NewPage, bot_turns, pause_clock, reach_settings

# Every node added inside a live region that a screen reader has in its tree (not inside an
# aria-hidden subtree), as the region's id and the node's words.
_HEARD: Final = """
  window.heard = [];
  const LIVE_ROLES = ['log', 'status', 'alert'];
  function liveRegion(el) {
    for (let node = el; node && node.getAttribute; node = node.parentElement) {
      if (node.getAttribute('aria-hidden') === 'true') return null;
    }
    for (; el && el.getAttribute; el = el.parentElement) {
      const live = el.getAttribute('aria-live');
      if (live === 'off') return null;
      if (live || LIVE_ROLES.includes(el.getAttribute('role'))) return el;
    }
    return null;
  }
  new MutationObserver((records) => {
    for (const record of records) {
      const region = liveRegion(record.target);
      if (!region) continue;
      for (const node of record.addedNodes) {
        const words = (node.textContent || '').trim();
        if (words) window.heard.push(`${region.id}: ${words.slice(0, 30)}`);
      }
    }
  }).observe(document, {childList: true, subtree: true, characterData: true});
"""


def heard(page: Page) -> list[str]:
    """What the log and the page's announcer said since the last call."""
    found: list[str] = page.evaluate(
        "window.heard.splice(0).filter((h) => /^(log|announcer): /.test(h))"
    )
    return found


def test_a_copied_value_is_announced_once(new_page: NewPage) -> None:
    page = new_page(
        viewport=PHONE,
        init_script=_HEARD,
        permissions=("clipboard-read", "clipboard-write"),
        fake_clock=True,
    )
    card = reach_settings(page, address="taro@vp.117.ne.jp")
    # Paused: the page's timers move only as the test moves them (a minute on, below).
    pause_clock(page)
    heard(page)
    button = card.locator('tr[data-key="smtp_server"]').get_by_role("button")
    expect(button).to_have_accessible_name("「送信（SMTP）サーバー」の値をコピー")
    button.click()
    expect(button).to_contain_text("コピーしました")
    page.clock.run_for(100)  # the announcer writes at the next frame
    page.wait_for_function("() => document.getElementById('announcer').textContent !== ''")
    assert heard(page) == ["announcer: コピーしました"]
    # The word stays (a minute on: 2 s once), and comes back at the next other action, unheard.
    page.clock.run_for(60_000)
    expect(button).to_contain_text("コピーしました")
    page.locator("#input").click()
    expect(button).to_have_text("コピー")
    assert heard(page) == []
    assert page.evaluate("navigator.clipboard.readText()") == "vsmtp.117.ne.jp"


def test_a_copy_after_a_switch_to_english_is_confirmed_in_english(new_page: NewPage) -> None:
    # The card stays in the language it was drawn in; what the press did is said in the one
    # the subscriber chose since. It said 「コピーしました」, read out in an English voice.
    page = new_page(
        viewport=PHONE,
        init_script=_HEARD,
        permissions=("clipboard-read", "clipboard-write"),
        fake_clock=True,
    )
    card = reach_settings(page, address="taro@vp.117.ne.jp")
    count = bot_turns(page).count()
    page.get_by_role("button", name="English", exact=True).click()
    expect(bot_turns(page)).to_have_count(count + 1)
    pause_clock(page)
    heard(page)
    button = card.locator('tr[data-key="smtp_server"]').get_by_role("button")
    button.click()
    expect(button).to_contain_text("Copied")
    assert button.locator(".copy__label").get_attribute("lang") == "en"
    page.clock.run_for(100)  # the announcer writes at the next frame
    page.wait_for_function("() => document.getElementById('announcer').textContent !== ''")
    assert heard(page) == ["announcer: Copied"]
    assert page.locator("#announcer").get_attribute("lang") == "en"
    assert page.evaluate("navigator.clipboard.readText()") == "vsmtp.117.ne.jp"
    # The button's own word comes back in the card's language, at the next other action.
    page.locator("#input").press("a")
    expect(button).to_have_text("コピー")
    assert button.locator(".copy__label").get_attribute("lang") is None
