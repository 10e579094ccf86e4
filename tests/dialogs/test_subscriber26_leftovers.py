"""subscriber25's leftovers from whole conversations through the served web chat.

- The greeting said 「対象は、メールアドレスが「********@vp.117.ne.jp」の方です」, the notice's
  own notation: an elderly reader takes the asterisks for a hidden password. Who is
  concerned, the card without an address and the guides now say it in words.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.vocabulary import ChoicesReply, Locale, SettingsReply, TextReply, VerdictReply
from tests.dialogs.driver import Driver

EXAMPLES: Final = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))
# How far a conversation answered yes (and the address skipped) may go before its card.
_MOST_TURNS: Final = 12


def _skipping_the_address(driver: Driver) -> str | None:
    """The press that carries a conversation on to its card without an address."""
    offered = driver.offered()
    for choice in ("skip", "program:thunderbird", "yes"):
        if choice in offered:
            return choice
    return None


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_no_address_is_written_with_asterisks_to_a_subscriber(
    catalogs: Catalogs, path: Path, locale: Locale
) -> None:
    driver = Driver(load_profile(path), catalogs)
    driver.start(locale)
    for _ in range(_MOST_TURNS):
        press = _skipping_the_address(driver)
        if press is None:
            break
        driver.press(press)
    replies = driver.all_replies()
    cards = [r for r in replies if isinstance(r, SettingsReply)]
    assert cards, "no settings card was given"
    said = [r.text for r in replies if isinstance(r, TextReply | ChoicesReply | VerdictReply)]
    values = [item.value for card in cards for item in card.items]
    assert not [text for text in (*said, *values) if "****" in text]
    # Who is concerned is said by the end of the address, and the card's login in words.
    assert {"ja": "で終わる", "en": "ending in"}[locale] in said[0]
    username = {item.key: item.value for item in cards[-1].items}["username"]
    assert {"ja": "お使いのメールアドレス", "en": "your e-mail address"}[locale] in username
