"""The new settings, filled in for one subscriber, as rows and as guide placeholders."""

from __future__ import annotations

import enum
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final

from dialogs.profile import MigrationProfile, Security
from dialogs.texts import N_
from dialogs.vocabulary import Sending, SettingsItem


class SmtpHost(enum.StrEnum):
    """Which outgoing server the subscriber uses today, as far as they know."""

    OLD = "old"  # one of the profile's old_hosts: it gets the new host name
    OTHER = "other"  # keeps its current host name; only port and authentication change
    UNSURE = "unsure"


_SECURITY_KEYS: Final[dict[Security, str]] = {
    Security.NONE: N_("settings.security.none"),
    Security.STARTTLS: N_("settings.security.starttls"),
    Security.TLS: N_("settings.security.tls"),
}


@dataclass(frozen=True, slots=True)
class CardFacts:
    """What the card depends on besides the profile."""

    address: str | None
    sending: Sending
    smtp_host: SmtpHost | None


Say = Callable[..., str]
"""A catalog lookup already bound to the subscriber's locale: `say(key, **params)`."""


def fill_values(profile: MigrationProfile, facts: CardFacts, say: Say) -> dict[str, str]:
    """The placeholders every settings text and guide may use."""
    # Without an address, the notice's own notation: 「********@vp.117.ne.jp」.
    address = facts.address or say(
        N_("settings.address_placeholder"), domain=profile.affected_domains[0]
    )
    incoming, outgoing = profile.incoming, profile.outgoing
    return {
        "address": address,
        "username": address,
        "pop_server": incoming.new_host,
        "pop_port": str(incoming.port),
        "pop_old": incoming.old_host,
        "smtp_server": _smtp_server(profile, facts, say),
        "smtp_port": str(outgoing.port),
        "smtp_old_port": str(outgoing.old_port),
        "security": say(_SECURITY_KEYS[incoming.security]),
    }


def _smtp_server(profile: MigrationProfile, facts: CardFacts, say: Say) -> str:
    outgoing = profile.outgoing
    old = ", ".join(outgoing.old_hosts)
    if facts.sending is Sending.NOT_NEEDED:
        return say(N_("settings.unchanged"))
    if facts.smtp_host is SmtpHost.OTHER:
        return say(N_("settings.smtp_server.keep_current"))
    if facts.smtp_host is SmtpHost.OLD:
        return outgoing.new_host
    return say(N_("settings.smtp_server.depends"), old=old, new=outgoing.new_host)


def card_items(profile: MigrationProfile, facts: CardFacts, say: Say) -> tuple[SettingsItem, ...]:
    """The rows of the settings card, in the order a mail program asks for them."""
    values = fill_values(profile, facts, say)
    sending_applies = facts.sending is not Sending.NOT_NEEDED
    unchanged = say(N_("settings.unchanged"))

    def row(key: str, label_key: str, value: str, *, changed: bool = True) -> SettingsItem:
        return SettingsItem(key=key, label=say(label_key), value=value, changed=changed)

    outgoing = profile.outgoing
    smtp_server_changes = sending_applies and facts.smtp_host is not SmtpHost.OTHER
    return (
        row("username", N_("settings.label.username"), values["username"]),
        row(
            "password",
            N_("settings.label.password"),
            say(N_("settings.password_unchanged")),
            changed=False,
        ),
        row("pop_server", N_("settings.label.pop_server"), values["pop_server"]),
        # The notice changes neither the POP port nor any encryption: shown to be checked.
        row("pop_port", N_("settings.label.pop_port"), values["pop_port"], changed=False),
        row(
            "pop_security",
            N_("settings.label.pop_security"),
            values["security"],
            changed=False,
        ),
        row(
            "smtp_server",
            N_("settings.label.smtp_server"),
            values["smtp_server"],
            changed=smtp_server_changes,
        ),
        row(
            "smtp_port",
            N_("settings.label.smtp_port"),
            values["smtp_port"] if sending_applies else unchanged,
            changed=sending_applies and outgoing.port != outgoing.old_port,
        ),
        row(
            "smtp_security",
            N_("settings.label.smtp_security"),
            say(_SECURITY_KEYS[outgoing.security]) if sending_applies else unchanged,
            changed=False,
        ),
        row(
            "smtp_auth",
            N_("settings.label.smtp_auth"),
            say(N_("settings.smtp_auth.required")) if sending_applies else unchanged,
            changed=sending_applies,
        ),
    )
