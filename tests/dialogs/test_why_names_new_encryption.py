"""The answer to "why?" names the new encryption where no port-25 block of its own is planned.

Hoshizora Net (examples/imap-local-part-new-year.toml) moves receiving from IMAP on 143
without encryption to 993 with TLS, and sending from 25 to 587 + STARTTLS: "why?" gave only
the notice's two reasons about sending (spoofing, port 25 elsewhere), not that the new
connections are encrypted. 117net's notice names no encryption: its two reasons stay.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver
from tests.dialogs.walker import worded

HOSHIZORA: Final = load_profile(
    Path(__file__).resolve().parents[2] / "examples" / "imap-local-part-new-year.toml"
)
# Not 「SSL/TLS」: a profile on STARTTLS alone names no SSL/TLS (tests/dialogs/hikari_cable.toml).
ENCRYPTED: Final = {"ja": "接続は暗号化されるため", "en": "is encrypted, so nobody"}
COUNT: Final = {
    "ja": ("次の3つです", "次の2つです"),
    "en": ("three reasons", "two reasons"),
}


def why(profile: MigrationProfile, catalogs: Catalogs, today: dt.date, locale: Locale) -> str:
    driver = Driver(profile, worded(catalogs, profile), today=today)
    driver.start(locale)
    driver.press("topic:why")
    return driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("day", ["2027-12-01", "2028-01-04", "2028-02-05"])
def test_why_names_the_new_encryption(catalogs: Catalogs, locale: Locale, day: str) -> None:
    said = why(HOSHIZORA, catalogs, dt.date.fromisoformat(day), locale)
    three, two = COUNT[locale]
    assert ENCRYPTED[locale] in said, said
    assert three in said, said
    assert two not in said, said
    # The notice's two reasons stay, numbered before it.
    assert ("なりすまし" if locale == "ja" else "spoofed") in said
    assert ("Outbound Port25 Blocking" if locale == "ja" else "block port 25") in said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_notice_names_no_encryption(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    said = why(profile, catalogs, dt.date(2008, 6, 1), locale)
    assert ENCRYPTED[locale] not in said


MINATO: Final = Path(__file__).resolve().parents[2] / "examples" / "imap-move.toml"
FOUR: Final = {"ja": "次の4つです", "en": "four reasons"}
PLANNED: Final = {"ja": "ウイルスによる送信を防ぎます", "en": "It stops viruses"}


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize(
    ("op25b_from", "day"),
    [(None, "2026-06-10"), ("2026-07-01", "2026-06-10"), ("2026-07-01", "2026-07-10")],
)
def test_why_adds_the_encryption_to_the_notices_three_reasons(
    catalogs: Catalogs, tmp_path: Path, locale: Locale, op25b_from: str | None, day: str
) -> None:
    # Minato Cable (examples/imap-move.toml) plans its own port-25 block, as 117net does,
    # and moves POP3 on 110 without encryption to IMAP on 993 with TLS: the notice's three
    # reasons, and the encryption as a fourth; with the block's day before it comes and after.
    text = MINATO.read_text("utf-8")
    if op25b_from is not None:
        text = text.replace("[schedule]\n", f"[schedule]\nop25b_from = {op25b_from}\n", 1)
    path = tmp_path / "minato.toml"
    path.write_text(text, "utf-8")
    said = why(load_profile(path), catalogs, dt.date.fromisoformat(day), locale)
    assert FOUR[locale] in said, said
    assert PLANNED[locale] in said, said
    assert ENCRYPTED[locale] in said, said
    if op25b_from is not None:
        assert ("2026年7月1日" if locale == "ja" else "1 July 2026") in said, said
