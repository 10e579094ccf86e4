"""The answer to "why?" says the new connections are encrypted only where every one of them is.

Timing.encryption_added held where any server went from no encryption to TLS. A profile
moving receiving to IMAP on 993 with TLS while sending moves to 587 without encryption (SMTP
AUTH in the clear) was told 「パスワードやメールの内容が通信の途中で読み取られることを防げます」 /
'nobody can read your password or your mail on the way': the password still crosses the
network unencrypted each time mail is sent.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile, Port, Security
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver
from tests.dialogs.walker import worded

MINATO: Final = load_profile(Path(__file__).resolve().parents[2] / "examples" / "imap-move.toml")
# The same move, sending on 587 without encryption.
PLAIN_SENDING: Final = dataclasses.replace(
    MINATO,
    outgoing=dataclasses.replace(MINATO.outgoing, ports=(Port(587, Security.NONE),)),
)
# The fourth reason's words (2ec2680: no 「SSL/TLS」, which a STARTTLS-only profile never says).
ENCRYPTED: Final = {"ja": "接続は暗号化されるため", "en": "is encrypted, so nobody"}
DURING_THE_WINDOW: Final = dt.date(2026, 6, 5)


def why(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> str:
    driver = Driver(profile, worded(catalogs, profile), today=DURING_THE_WINDOW)
    driver.start(locale)
    driver.press("topic:why")
    return driver.said()


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_sending_left_unencrypted_is_no_encryption_reason(
    catalogs: Catalogs, locale: Locale
) -> None:
    said = why(PLAIN_SENDING, catalogs, locale)
    assert ENCRYPTED[locale] not in said, said
    # The notice's three reasons are still given.
    assert ("次の3つです" if locale == "ja" else "three reasons") in said, said


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_every_connection_encrypted_is_a_reason(catalogs: Catalogs, locale: Locale) -> None:
    said = why(MINATO, catalogs, locale)
    assert ENCRYPTED[locale] in said, said
