"""What the profile alone decides of the card's values is worded once per language.

Thirty of the values a settings text may name (the servers, ports, security and login
methods, in the subscriber's language) are the same for every subscriber; they were worded
again for each new address, most of what a first address cost a turn.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from dataclasses import dataclass

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.settings_card import CardFacts, SmtpHost, fill_values, profile_values
from dialogs.speaker import Speaker
from dialogs.state import StepContext
from dialogs.vocabulary import Locale, Sending


@dataclass
class _About:
    locale: Locale
    address: str | None
    sending: Sending | None = Sending.REQUIRED
    smtp_host: SmtpHost | None = None
    address_domain: str = ""


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_new_address_words_only_its_own_values(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    worded: list[str] = []

    def counted(*args: object, **kwargs: object) -> Mapping[str, str]:
        worded.append(locale)
        return profile_values(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr("dialogs.speaker.profile_values", counted)
    context = StepContext(profile=profile, texts=catalogs, today=dt.date(2008, 6, 1))
    say = catalogs.fill
    for number in range(3):
        # Addresses no other test words, so the cache of a subscriber's facts cannot answer.
        about = _About(locale, f"once{number}-{locale}@vp.117.ne.jp")
        words = Speaker(context, about, ())
        text = words.say("settings.title")
        assert about.address is not None
        assert about.address in text
        facts = CardFacts(about.address, Sending.REQUIRED, None)
        # The values are those the card itself fills in.
        for name, value in fill_values(profile, facts, lambda k, **p: say(locale, k, p)).items():
            assert words.fill(f"{{{name}}}") == value
    assert len(worded) <= 1
