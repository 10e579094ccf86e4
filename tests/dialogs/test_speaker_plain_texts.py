"""A text without placeholders is said without wording the conversation's facts.

Most texts a turn says (every button label but a few) have no `{placeholder}`; wording the
profile's and the subscriber's facts for them (`profile_facts`, the card's values for a new
address) was a large part of a dialog step. The words said stay the catalogs' own.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.settings_card import SmtpHost, personal_values
from dialogs.speaker import Speaker
from dialogs.state import StepContext
from dialogs.vocabulary import Locale, Sending


@dataclass
class _About:
    locale: Locale
    address: str | None
    sending: Sending | None = None
    smtp_host: SmtpHost | None = None
    address_domain: str = ""


def _speaker(profile: MigrationProfile, catalogs: Catalogs, about: _About) -> Speaker:
    context = StepContext(profile=profile, texts=catalogs, today=dt.date(2008, 6, 1))
    return Speaker(context, about, ())


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_plain_text_words_no_facts(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # An address no other test words, so the cache of a subscriber's facts cannot answer.
    about = _About(locale, f"plain-{locale}@vp.117.ne.jp")
    words = _speaker(profile, catalogs, about)
    worded: list[Locale] = []

    def counted(*args: object, **kwargs: object) -> Mapping[str, object]:
        worded.append(locale)
        return personal_values(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("dialogs.speaker.personal_values", counted)
    assert words.say("choice.back") == catalogs.raw(locale, "choice.back")
    assert words.say("choice.menu", unused="x") == catalogs.raw(locale, "choice.menu")
    assert worded == []
    # A text with a placeholder still words them, once.
    assert "{" in catalogs.raw(locale, "settings.title")
    assert "{" not in words.say("settings.title")
    assert worded == [locale]


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_plain_gives_what_fill_gives_and_nothing_else(catalogs: Catalogs, locale: Locale) -> None:
    keys = sorted(catalogs.keys(locale))
    plain = [key for key in keys if catalogs.plain(locale, key) is not None]
    assert len(plain) > 100
    for key in keys:
        text = catalogs.plain(locale, key)
        template = catalogs.raw(locale, key)
        if text is None:
            assert "{" in template or "}" in template, key
        else:
            assert text == template == catalogs.fill(locale, key, {}), key
    assert catalogs.plain(locale, "no.such.key") is None
