"""Another webmail collecting the mail is told to encrypt where the new server encrypts.

Gmail's 「他のアカウントのメールを確認」 on a profile whose POP3 server takes only implicit TLS
(Northlight, 995) was told the port alone: without its SSL box the new port does not answer.
Yahoo! and other webmail were told 「ポート995番」 and nothing of encryption. The seed's
profile names no encryption, and its answers stay as they were.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

NORTHLIGHT = load_profile(Path(__file__).parent / "northlight.toml")


def asked(profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str) -> str:
    driver = Driver(profile, catalogs, today=profile.schedule.window_start)
    driver.start(locale)
    driver.type(text)
    return driver.said()


@pytest.mark.parametrize(
    ("locale", "text", "box"),
    [
        ("ja", "Gmailで受信している", "セキュリティで保護された接続（SSL）を常に使用する"),
        ("en", "I check it in gmail.com", "Always use a secure connection (SSL)"),
    ],
)
def test_gmail_is_told_to_tick_ssl_on_an_encrypting_profile(
    catalogs: Catalogs, locale: Locale, text: str, box: str
) -> None:
    said = asked(NORTHLIGHT, catalogs, locale, text)
    assert box in said
    assert "995" in said


@pytest.mark.parametrize(
    ("locale", "text", "words"),
    [
        ("ja", "ヤフーメールに取り込んでいます", "ポート995番、暗号化：SSL/TLS"),
        ("en", "Yahoo mail collects it", "port 995, encryption: SSL/TLS"),
    ],
)
def test_other_webmail_is_told_the_encryption(
    catalogs: Catalogs, locale: Locale, text: str, words: str
) -> None:
    assert words in asked(NORTHLIGHT, catalogs, locale, text)


def test_the_seed_names_no_encryption(profile: MigrationProfile, catalogs: Catalogs) -> None:
    for text in ("Gmailで受信している", "ヤフーメールに取り込んでいます"):
        said = asked(profile, catalogs, "ja", text)
        assert "SSL" not in said
        assert "暗号化" not in said


@pytest.fixture
def starttls_pop(tmp_path: Path) -> MigrationProfile:
    """Northlight with POP3 encrypted by STARTTLS on 110 only."""
    text = (Path(__file__).parent / "northlight.toml").read_text(encoding="utf-8")
    only_tls = 'ports = [{port = 995, security = "tls"}]'
    assert only_tls in text
    changed = tmp_path / "northlight_starttls.toml"
    changed.write_text(
        text.replace(only_tls, 'ports = [{port = 110, security = "starttls"}]', 1),
        encoding="utf-8",
    )
    return load_profile(changed)


@pytest.mark.parametrize(
    ("locale", "text", "cannot", "box"),
    [
        ("ja", "Gmailで受信している", "この機能では受信できません", "（SSL）を常に使用する"),
        ("en", "I check it in gmail.com", "Gmail cannot collect", "Always use a secure"),
    ],
)
def test_gmail_cannot_collect_from_a_starttls_pop_server(
    starttls_pop: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    text: str,
    cannot: str,
    box: str,
) -> None:
    # Its only box is SSL (implicit TLS): unticked it logs in unencrypted, which the server
    # refuses; ticked, port 110 does not answer TLS. Before, it was told to change the port.
    said = asked(starttls_pop, catalogs, locale, text)
    assert cannot in said
    assert "STARTTLS" in said
    assert box not in said
