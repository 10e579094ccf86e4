"""The phone's own language on a first visit, and a change of it mid-conversation.

A phone set to English opened the chat in Japanese: the page read only `?lang=`, and an
English-speaking subscriber had to find the 「English」 button in a page they could not
read. A conversation already begun keeps its language when the phone's changes (the
subscriber chose it, or the bot followed what they typed).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, expect

from tests.accessibility import axe_violations, describe
from tests.adapters.webchat.chat_page import PHONE, answer, bot_turns

# A phone with its language set (`locale`), and what else Playwright's context takes.
Phone = Callable[..., BrowserContext]


@pytest.fixture
def phone(browser: Browser, base_url: str) -> Iterator[Phone]:
    contexts: list[BrowserContext] = []

    def open_phone(locale: str, storage_state: Any = None) -> BrowserContext:
        context = browser.new_context(
            viewport=PHONE, locale=locale, base_url=base_url, storage_state=storage_state
        )
        contexts.append(context)
        return context

    yield open_phone
    for context in contexts:
        context.close()


def first_visit(context: BrowserContext) -> Page:
    page = context.new_page()
    page.goto("/")
    expect(bot_turns(page)).to_have_count(1)
    return page


@pytest.mark.parametrize(
    ("locale", "greeting", "lang"),
    [
        pytest.param("en-US", "Hello", "en", id="english"),
        pytest.param("ja-JP", "こんにちは", "ja", id="japanese"),
        # A language the chat does not speak: the provider's own.
        pytest.param("fr-FR", "こんにちは", "ja", id="other"),
    ],
)
def test_a_first_visit_speaks_the_phones_language(
    phone: Phone, locale: str, greeting: str, lang: str
) -> None:
    page = first_visit(phone(locale))
    expect(bot_turns(page)).to_contain_text(greeting)
    expect(page.locator("html")).to_have_attribute("lang", lang)
    violations = axe_violations(page)
    assert violations == [], describe(violations)


def test_a_conversation_keeps_its_language_when_the_phones_changes(
    phone: Phone,
) -> None:
    before = phone("ja-JP")
    page = first_visit(before)
    answer(page, "はい")
    kept = before.storage_state()
    after = phone("en-US", storage_state=kept)
    page = after.new_page()
    page.goto("/")
    expect(bot_turns(page)).to_have_count(2)
    expect(page.locator("html")).to_have_attribute("lang", "ja")
    expect(bot_turns(page).last).to_contain_text("117net以外のプロバイダ")
