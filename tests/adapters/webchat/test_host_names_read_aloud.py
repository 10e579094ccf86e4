"""Host names and addresses as a screen reader says them: spelled out, the text unchanged.

Read as written, 「vpop.117.ne.jp」 was said as a word (「ブイポップ」), and 「vsmtp」 as
something no one could type back; a blind subscriber setting up a mail program needs each
letter. The page gives each host name and address a reading spelled character by character,
its marks named (「v p o p ドット 1 1 7 ドット n e ドット j p」), and hides the written form from
the screen reader only: on screen, in a long press's selection and in a copy it stays exact.
"""

from __future__ import annotations

from typing import Final

import pytest
from playwright.sync_api import Locator, Page, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import (
    NARROW,
    NewPage,
    answer,
    reach_settings,
    settings_value,
)

ADDRESS: Final = "yamada.taro@vp.117.ne.jp"
SPELLED: Final = {
    "ja": {
        "pop_server": "v p o p ドット 1 1 7 ドット n e ドット j p",
        "username": (
            "y a m a d a ドット t a r o アットマーク v p ドット 1 1 7 ドット n e ドット j p"
        ),
    },
    "en": {
        "pop_server": "v p o p dot 1 1 7 dot n e dot j p",
        "username": "y a m a d a dot t a r o at v p dot 1 1 7 dot n e dot j p",
    },
}


def heard(locator: Locator) -> str:
    """What a screen reader reads of `locator`: its accessibility tree, as text."""
    return locator.aria_snapshot()


def english_settings(page: Page) -> Locator:
    for _ in range(4):
        answer(page, "Yes")
    count = page.locator(".turn--bot").count()
    page.get_by_role("textbox").fill(ADDRESS)
    page.get_by_role("textbox").press("Enter")
    expect(page.locator(".turn--bot")).to_have_count(count + 1)
    answer(page, "Thunderbird")
    answer(page, "Yes")
    card = page.locator(".card--settings")
    expect(card).to_be_visible()
    return card


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_card_spells_host_names_and_the_address_for_a_screen_reader(
    new_page: NewPage, locale: str
) -> None:
    page = new_page(f"/?lang={locale}", viewport=NARROW)
    card = reach_settings(page, address=ADDRESS) if locale == "ja" else english_settings(page)
    for key, written in (("pop_server", "vpop.117.ne.jp"), ("username", ADDRESS)):
        value = settings_value(card, key)
        said = heard(value)
        assert SPELLED[locale][key] in said, said
        assert written not in said, said
        # On screen it is as written, and a long press still selects all of it, exactly.
        assert value.evaluate("el => el.querySelector('.whole').innerText") == written
    # The card's name, heard when a screen reader moves to it by landmark or region, spells
    # the address as its heading does: it was the title as written.
    name = card.get_attribute("aria-label") or ""
    assert SPELLED[locale]["username"] in name, name
    assert ADDRESS not in name, name
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_host_name_in_a_sentence_is_spelled_and_copied_as_written(new_page: NewPage) -> None:
    page = new_page(viewport=NARROW)
    reach_settings(page, address=ADDRESS)
    step = page.locator(".steps__item", has_text="に書き換えます").first
    said = heard(step)
    assert "v p o p ドット 1 1 7 ドット n e ドット j p" in said, said
    assert "vpop" not in said, said
    # Selecting the whole step (a drag over it) and copying gives the sentence as written.
    copied = step.evaluate(
        """el => { const range = document.createRange(); range.selectNodeContents(el);
                   getSelection().removeAllRanges(); getSelection().addRange(range);
                   return getSelection().toString(); }"""
    )
    assert "vp.117.ne.jpからvpop.117.ne.jpに書き換えます" in copied, copied
    assert "ドット" not in copied, copied


def test_each_turn_spells_in_its_own_language_after_a_switch(new_page: NewPage) -> None:
    """Switched to English, then reloaded: the Japanese card drawn again was spelled with
    English words ('v p o p dot …') inside Japanese sentences."""
    page = new_page(viewport=NARROW)
    card = reach_settings(page, address=ADDRESS)
    count = page.locator(".turn--bot").count()
    page.locator(".lang-toggle__button[data-lang=en]").click()
    expect(page.locator(".turn--bot")).to_have_count(count + 1)
    page.reload()
    card = page.locator(".card--settings").first
    expect(card).to_be_visible()
    said = heard(settings_value(card, "pop_server"))
    assert SPELLED["ja"]["pop_server"] in said, said


@pytest.mark.parametrize(
    ("locale", "words"),
    [
        ("ja", "お客様ごとに異なる部分 アットマーク v p ドット 1 1 7 ドット n e ドット j p"),
        ("en", "the part that differs for each customer at v p dot 1 1 7 dot n e dot j p"),
    ],
)
def test_the_notices_notation_is_heard_in_words_and_seen_as_written(
    new_page: NewPage, locale: str, words: str
) -> None:
    """The greeting quotes the notice's 「********@vp.117.ne.jp」 for the subscriber holding
    it. A screen reader said its asterisks one by one ('asterisk asterisk …', 「アスタリスク」
    eight times); it now says what they stand for, the part before the @ that is each
    subscriber's own, while the screen shows the notice's notation."""
    page = new_page(f"/?lang={locale}", viewport=NARROW)
    greeting = page.locator(".turn--bot").first
    expect(greeting).to_contain_text("********@vp.117.ne.jp")
    said = heard(greeting)
    assert words in said, said
    assert "*" not in said, said
