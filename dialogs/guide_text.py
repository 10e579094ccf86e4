"""A program's guide for one subscriber, in words: the steps the settings card's facts call for.

The card and the guide are worded from the same `CardFacts`, so a step can never ask for a
change the card marks unchanged: sending steps only when sending changes, and the outgoing
server step in the card's own terms (new host, keep yours, or "if it is the old one").
"""

from __future__ import annotations

from typing import Final

from dialogs import mail_programs
from dialogs.mail_programs import MailProgram, ServerChanges
from dialogs.profile import MigrationProfile, Protocol
from dialogs.settings_card import CardFacts, Say, login_changes, smtp_host_for
from dialogs.texts import N_
from dialogs.vocabulary import Sending

# A new account's first step says to keep the current account until the old server's mail
# is received, and its last step to receive that mail with it: not when the old server is
# gone, nor when the provider copied the mailboxes.
_OPEN: Final = N_("guide.new_account.open")
_OPEN_NOTHING_LEFT: Final = N_("guide.new_account.open.nothing_left")
_FINISH: Final = N_("guide.new_account.finish")
_FINISH_COPIED: Final = N_("guide.new_account.finish.copied")
_FINISH_NOTHING_LEFT: Final = N_("guide.new_account.finish.nothing_left")
# The same for a program that cannot change an account's address (a new domain).
_OPEN_ADDRESS: Final = N_("guide.new_account.open.address")
_OPEN_ADDRESS_NOTHING_LEFT: Final = N_("guide.new_account.open.address.nothing_left")
# The same for an old IMAP server: its mail is moved or copied, not received.
_OPEN_IMAP: Final = N_("guide.new_account.open.imap")
_OPEN_IMAP_NOTHING_LEFT: Final = N_("guide.new_account.open.imap.nothing_left")
_FINISH_IMAP: Final = N_("guide.new_account.finish.imap")
# The steps a guide may say instead, beside the keys `mail_programs.guide_keys` gives.
OLD_MAIL_VARIANT_KEYS: Final = frozenset(
    {_OPEN_NOTHING_LEFT, _FINISH_COPIED, _FINISH_NOTHING_LEFT, _OPEN_IMAP_NOTHING_LEFT}
)
ADDRESS_VARIANT_KEYS: Final = frozenset({_OPEN_ADDRESS_NOTHING_LEFT})
"""The same for a new address domain (domain_change.po): said instead of a step."""


def guide_title(program: MailProgram, say: Say) -> str:
    """「Thunderbirdでの設定手順」: the guide's heading."""
    if program is MailProgram.OTHER:
        # "Step by step in Other mail program" is no heading: its own words, plural.
        return say(N_("guide.title.other"))
    return say(N_("guide.title"), program=say(mail_programs.label_key(program)))


def server_changes(profile: MigrationProfile) -> ServerChanges:
    """What the profile changes that a guide words differently (see `ServerChanges`)."""
    incoming, outgoing = profile.incoming, profile.outgoing
    # Mail left on an old IMAP server lives there: editing the account in place would make
    # it vanish from the program, so the guide adds an account beside the current one.
    imap_mail_left = (
        incoming.old_protocol is Protocol.IMAP
        and not profile.old_mail_copied
        and not incoming.host_kept
    )
    return ServerChanges(
        new_account=incoming.protocol is not incoming.old_protocol or imap_mail_left,
        table_only=incoming.protocol is not Protocol.POP3,
        receiving_port_or_security=(incoming.port, incoming.security)
        != (incoming.old_port, incoming.old_security),
        sending_security=outgoing.security is not outgoing.old_security,
        receiving_port_kept=incoming.port == incoming.old_port,
        sending_port_kept=outgoing.port == outgoing.old_port,
        login_kept=not login_changes(profile, incoming),
        receiving_host_kept=incoming.host_kept,
        sending_host_kept=outgoing.host_kept,
        imap_mail_left=imap_mail_left,
        address_changes=profile.domain_changes,
        sending_auth_kept=outgoing.old_authenticated,
        receiving_unchanged=incoming.unchanged,
    )


def guide_steps(
    program: MailProgram,
    facts: CardFacts,
    say: Say,
    profile: MigrationProfile | None = None,
    *,
    old_mail_to_collect: bool = True,
) -> tuple[str, ...]:
    """The guide's steps for these facts, worded; `say` fills the profile's and card's values.

    Without `profile` the steps are the seed's (POP3, port and encryption unchanged); with
    it, they follow what the profile changes. `old_mail_to_collect` is false once the old
    server is gone, or when the provider copied the mailboxes: no step then says to collect
    the mail left there.
    """
    keys = mail_programs.guide_keys(
        program,
        include_sending=facts.sending is not Sending.NOT_NEEDED,
        smtp_host=smtp_host_for(profile, facts.smtp_host) if profile else facts.smtp_host,
        changes=server_changes(profile) if profile is not None else ServerChanges(),
    )
    if not old_mail_to_collect:
        copied = profile is not None and profile.old_mail_copied
        instead = {
            _OPEN: _OPEN_NOTHING_LEFT,
            _OPEN_ADDRESS: _OPEN_ADDRESS_NOTHING_LEFT,
            _FINISH: _FINISH_COPIED if copied else _FINISH_NOTHING_LEFT,
            _OPEN_IMAP: _OPEN_IMAP_NOTHING_LEFT,
            _FINISH_IMAP: _FINISH_NOTHING_LEFT,
        }
        keys = tuple(instead.get(key, key) for key in keys)
    field_key = mail_programs.smtp_field_key(program)
    field = say(field_key) if field_key else ""
    return tuple(say(key, smtp_field=field) for key in keys)


def numbered(steps: tuple[str, ...]) -> str:
    """Steps as the chat shows them, one numbered paragraph each."""
    return "\n".join(f"{number}. {step}" for number, step in enumerate(steps, start=1))
