"""The settings card on a phone, at the default text size and with the phone's large text.

In two columns the names took 40 % of a bubble: at 320 px 「アカウント名（ユーザー名）」 ran
down four lines broken inside its words (アカウン / ト名), and with large text (150 %, 200 %)
every name was cut a few characters at a time and 「変更あり」 became 変更 over あり in a
circle. On a phone the card puts each name, with its 変更あり / 変更なし, above its value.
"""

from __future__ import annotations

from typing import Any, Final

import pytest
from playwright.sync_api import Page, ViewportSize

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import NARROW, NewPage, reach_settings
from tests.adapters.webchat.test_screens import assert_fits_the_screen

TEXT_SIZES: Final[dict[str, tuple[ViewportSize, str]]] = {
    "320x568-default": (NARROW, "100%"),
    "390x844-150%": ({"width": 390, "height": 844}, "150%"),
    "375x667-200%": ({"width": 375, "height": 667}, "200%"),
    "412x915-200%": ({"width": 412, "height": 915}, "200%"),
}


def _cut_words(page: Page) -> list[dict[str, Any]]:
    """Rows whose name breaks to a new line inside a word (a run of one script: katakana,
    kanji, Latin letters), or whose 変更あり / 変更なし takes more than one line."""
    rows: list[dict[str, Any]] = page.evaluate(
        """() => {
          const kind = (c) => /[\u30a0-\u30ff]/.test(c) ? 'katakana'
            : /[\u4e00-\u9fff]/.test(c) ? 'kanji' : /[A-Za-z0-9]/.test(c) ? 'latin' : c;
          const out = [];
          for (const row of document.querySelectorAll('.card--settings .settings__row')) {
            const name = row.querySelector('.settings__name');
            const text = name.firstChild;
            const range = document.createRange();
            const cuts = [];
            let top = null;
            for (let at = 0; at < text.length; at += 1) {
              range.setStart(text, at);
              range.setEnd(text, at + 1);
              const here = range.getBoundingClientRect().top;
              if (top !== null && here > top + 2 && at > 0
                  && kind(text.data[at - 1]) === kind(text.data[at])) {
                cuts.push(`${text.data.slice(0, at)} / ${text.data.slice(at)}`);
              }
              top = here;
            }
            const badge = row.querySelector('.change');
            const lines = badge.getBoundingClientRect().height
              / parseFloat(getComputedStyle(badge).lineHeight);
            if (cuts.length > 0 || Math.round(lines) > 1) {
              out.push({name: name.textContent, cuts, badge: badge.textContent,
                        badgeLines: Math.round(lines)});
            }
          }
          return out;
        }"""
    )
    return rows


@pytest.mark.parametrize("name", list(TEXT_SIZES))
def test_each_name_reads_whole_above_its_value(new_page: NewPage, name: str) -> None:
    viewport, size = TEXT_SIZES[name]
    page = new_page(viewport=viewport)
    page.evaluate(f"document.documentElement.style.fontSize = '{size}'")
    reach_settings(page, address="yamada.taro.1948@vp.117.ne.jp")
    assert page.locator(".card--settings .settings__row").count() >= 8
    assert _cut_words(page) == []
    # The value is under its name, not beside it.
    beside: list[str] = page.evaluate(
        """() => [...document.querySelectorAll('.card--settings .settings__row')]
            .filter(row => row.querySelector('.settings__value').getBoundingClientRect().top
                           < row.querySelector('.settings__name').getBoundingClientRect().bottom)
            .map(row => row.dataset.key)"""
    )
    assert beside == []
    assert_fits_the_screen(page)
    violations = axe_violations(page, context=".card--settings")
    assert violations == [], describe(violations)
    # Still a table to a screen reader: each value is announced with its name.
    card = page.locator(".card--settings")
    rows = card.locator(".settings__row").count()
    assert card.get_by_role("rowheader").count() == rows
    assert card.get_by_role("cell").count() == rows


def test_on_a_phone_the_copy_buttons_say_copy(new_page: NewPage) -> None:
    """On a phone the copy buttons were a two-squares icon alone (the word 「コピー」 showed
    only once pressed): a sign that says nothing to someone who has never copied on a phone.
    Each value has a row of its own now, with room for the word."""
    page = new_page(viewport=NARROW)
    card = reach_settings(page, address="yamada.taro.1948@vp.117.ne.jp")
    labels = card.locator(".copy .copy__label")
    assert labels.count() >= 4
    widths: list[float] = labels.evaluate_all(
        "els => els.map(el => el.getBoundingClientRect().width)"
    )
    assert all(width >= 2.5 * 16 for width in widths), widths
    assert_fits_the_screen(page)
