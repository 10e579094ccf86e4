"""The settings card follows the server model: changed rows judged from the old values."""

from __future__ import annotations

import dataclasses

from bot.ops.catalogs import Catalogs
from dialogs.profile import (
    LoginMethod,
    LoginName,
    MigrationProfile,
    Port,
    Protocol,
    Security,
)
from dialogs.settings_card import CardFacts, SmtpHost, card_items
from dialogs.vocabulary import Locale, Sending, SettingsItem

FACTS = CardFacts(address="taro@vp.117.ne.jp", sending=Sending.REQUIRED, smtp_host=SmtpHost.OLD)


def rows(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale = "ja"
) -> dict[str, SettingsItem]:
    def say(key: str, /, **params: object) -> str:
        return catalogs(locale, key, **params)

    return {item.key: item for item in card_items(profile, FACTS, say)}


def test_a_starttls_row_is_changed_where_the_old_server_had_no_encryption(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    starttls = dataclasses.replace(
        profile,
        outgoing=dataclasses.replace(profile.outgoing, ports=(Port(587, Security.STARTTLS),)),
    )
    card = rows(starttls, catalogs)
    assert card["smtp_security"].value == "STARTTLS"
    assert card["smtp_security"].changed
    # The seed itself: no encryption before or after, so the row stays quiet.
    assert not rows(profile, catalogs)["smtp_security"].changed


def test_the_card_names_imap_alternatives_and_a_method_other_than_the_password(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    changed = dataclasses.replace(
        profile,
        incoming=dataclasses.replace(
            profile.incoming,
            protocol=Protocol.IMAP,
            old_protocol=Protocol.POP3,
            ports=(Port(993, Security.TLS), Port(143, Security.STARTTLS)),
            login_methods=(LoginMethod.CRAM_MD5,),
            login_name=LoginName.LOCAL_PART,
            old_login_name=LoginName.LOCAL_PART,
        ),
        outgoing=dataclasses.replace(profile.outgoing, login_methods=(LoginMethod.CRAM_MD5,)),
    )
    card = rows(changed, catalogs)
    assert card["pop_server"].label == "受信（IMAP）サーバー"
    assert card["pop_server"].changed  # POP3 → IMAP on a new host
    assert card["pop_port"].value == "993（または143番・STARTTLS）"
    assert card["pop_port"].changed
    assert (
        card["pop_security"].value == "SSL/TLS（認証方式：暗号化されたパスワード認証（CRAM-MD5））"
    )
    assert "CRAM-MD5" in card["smtp_auth"].value
    # The part before @, as before: shown, and not marked as a change.
    assert card["username"].value == "taro"
    assert not card["username"].changed
    english = rows(changed, catalogs, "en")
    assert english["pop_port"].value == "993 (or 143 with STARTTLS)"
    assert english["pop_server"].label == "Incoming (IMAP) server"
