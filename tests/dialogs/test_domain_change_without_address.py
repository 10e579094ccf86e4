"""A new domain's lines, said without an address, name the address once per sentence.

Without an address the card says it in words (settings.address_placeholder, 「@oldで終わる
お使いのメールアドレス」), which read well alone. A domain change's lines put two of them in
a sentence that says メールアドレス already: 「メールアドレスが@oldで終わるお使いのメール
アドレスから@newで終わるお使いのメールアドレスに変わります」. They say the shorter
「@oldで終わるアドレス」 / "the address ending in @old" there; the account name, which
stands alone, keeps 「お使いの」.
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest
from babel.messages.pofile import read_po

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import anyone_facts
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale, SettingsReply
from tests.dialogs.driver import Driver

ROOT: Final = Path(__file__).resolve().parents[2]
NEW_DOMAIN: Final = ("domain-change", "imap-new-domain-by-post", "new-domain-imap")
PROFILES: Final[dict[str, MigrationProfile]] = {
    name: load_profile(ROOT / f"examples/{name}.toml") for name in NEW_DOMAIN
}
# The long words said without an address; in a domain change's sentences, only the
# account name (which stands alone) says them.
LONG: Final[dict[Locale, str]] = {
    "ja": "で終わるお使いのメールアドレス",
    "en": "your e-mail address ending in",
}
ALONE: Final = frozenset({"address_change.login"})
# A sentence (up to 。 or a full stop) that says the word three times.
THRICE: Final[dict[Locale, re.Pattern[str]]] = {
    "ja": re.compile(r"メールアドレス[^。]*メールアドレス[^。]*メールアドレス[^。]*変わります"),
    "en": re.compile(r"e-mail address[^.]*e-mail address[^.]*e-mail address[^.]*changes"),
}


def domain_change_keys() -> list[str]:
    with (ROOT / "dialogs/locales/ja/LC_MESSAGES/domain_change.po").open("rb") as po:
        return [str(message.id) for message in read_po(po) if message.id]


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("name", NEW_DOMAIN)
def test_every_line_says_the_address_once_without_an_address(
    catalogs: Catalogs, name: str, locale: Locale
) -> None:
    profile = PROFILES[name]
    values = {
        # Dates a profile leaves undecided (the lines that name them are not said there).
        "old_address_until": "D",
        "old_sender_until": "D",
        **anyone_facts(profile, catalogs, locale),
        # The card's own row (settings.address_changed) is given its values by the card.
        "new": "N",
        "old": "O",
    }
    old = profile.affected_domains[0]
    short = catalogs(locale, "settings.address_short_placeholder", domain=old)
    for key in domain_change_keys():
        line = catalogs.fill(locale, key, values)
        assert not THRICE[locale].search(line), (key, line)
        if key in ALONE:
            assert LONG[locale] in line, (key, line)
            continue
        assert LONG[locale] not in line, (key, line)
        if "{address_short}" in catalogs.raw(locale, key):
            assert short in line, (key, line)


@pytest.mark.parametrize(
    ("locale", "title", "head"),
    [
        (
            "ja",
            "新しい設定（@minato-net.example.jpで終わるアドレス → "
            "@kaigan-hikari.example.jpで終わるアドレス）",
            "メールアドレスが@minato-net.example.jpで終わるアドレスから"
            "@kaigan-hikari.example.jpで終わるアドレスに変わります",
        ),
        (
            "en",
            "Your new settings (the address ending in @minato-net.example.jp → "
            "the address ending in @kaigan-hikari.example.jp)",
            "your e-mail address changes from the address ending in @minato-net.example.jp"
            " to the address ending in @kaigan-hikari.example.jp",
        ),
    ],
    ids=["ja", "en"],
)
def test_the_card_skipped_on_a_new_domain(
    catalogs: Catalogs, locale: Locale, title: str, head: str
) -> None:
    profile = PROFILES["domain-change"]
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    said = driver.said()
    assert head in said
    assert not THRICE[locale].search(said)
    cards = [reply for reply in driver.all_replies() if isinstance(reply, SettingsReply)]
    assert [card.title for card in cards] == [title]
    # The account name stands alone: it is still the subscriber's own address.
    alone = catalogs(locale, "settings.address_placeholder", domain="kaigan-hikari.example.jp")
    assert alone in [item.value for item in cards[0].items]
