"""words31: a platform's first message 「おはようございます」 is greeted in kind.

「おはようございます」「こんばんは」 as a platform's first message (LINE, Slack) were greeted
「こんにちは。117netの…」: the greeting's first sentence answers in kind, the rest as it is
(words30 answered them so later in a conversation).
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import LOCALES, Locale, TextReply
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "typed", "key"),
    [
        ("ja", "おはようございます", "greeting.hello.morning"),
        ("ja", "おはよう", "greeting.hello.morning"),
        ("ja", "こんばんは", "greeting.hello.evening"),
        ("ja", "こんばんは、メールの設定を変えたいです", "greeting.hello.evening"),
        ("en", "Good morning", "greeting.hello.morning"),
        ("en", "good evening!", "greeting.hello.evening"),
        ("ja", "こんにちは", "greeting.hello"),
        # A morning named later in the message greets nobody.
        ("en", "I cannot send email since this morning", "greeting.hello"),
    ],
)
def test_a_first_message_greeting_is_answered_in_kind(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, key: str
) -> None:
    texts = catalogs.with_variants(profile.text_variants)
    driver = Driver(profile, texts)
    driver.first_message(typed, locale)
    first = driver.last.replies[0]
    assert isinstance(first, TextReply)
    greeting = Driver(profile, texts)
    greeting.start(locale)
    usual = greeting.last.replies[0]
    assert isinstance(usual, TextReply)
    hello = catalogs(locale, "greeting.hello")
    # Before: 「こんにちは。117netのメールサーバー移行についてご案内します。…」 to each.
    assert first.text == catalogs(locale, key) + usual.text.removeprefix(hello)


@pytest.mark.parametrize("locale", LOCALES)
def test_the_greeting_opens_with_its_first_sentence(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Answered in kind only where greeting.hello heads the greeting: kept so in each language.
    raw = catalogs.with_variants(profile.text_variants).raw(locale, "greeting")
    assert raw.startswith(catalogs(locale, "greeting.hello"))
