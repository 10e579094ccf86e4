"""The mail programs the bot has step-by-step guides for, and how people name them in chat.

Every guide is a tuple of catalog keys (`guides.po`), one short paragraph per step, so the
wording lives with the translators and the host names and ports come from the migration
profile through placeholders. Recognition is a handful of ordered patterns: what people
type is brand names in romaji, katakana or hiragana, often inside a sentence.
"""

from __future__ import annotations

import enum
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final, Literal

from dialogs.kana import katakana
from dialogs.settings_card import SmtpHost
from dialogs.texts import N_


class MailProgram(enum.StrEnum):
    """A mail program with its own guide; OTHER gets the generic table."""

    OUTLOOK_NEW = "outlook_new"  # new Outlook for Windows (2024+, supports POP)
    OUTLOOK_CLASSIC = "outlook_classic"  # Outlook 2016/2019/2021/2024/Microsoft 365 desktop
    THUNDERBIRD = "thunderbird"
    APPLE_MAIL = "apple_mail"  # Mail on macOS
    IOS_MAIL = "ios_mail"  # Mail on iPhone / iPad
    GMAIL_ANDROID = "gmail_android"  # Gmail app on Android (POP "other" account)
    BECKY = "becky"  # Becky! Internet Mail (Windows, common in Japan)
    OTHER = "other"  # generic table for anything else


OUTLOOK_AMBIGUOUS: Final = "outlook_ambiguous"
# The Gmail app named with an Apple device: no guide fits it (see `gmail_on_apple`).
GMAIL_ON_APPLE: Final = "gmail_on_apple"
"""What `recognise_mail_program` returns for "Outlook" without saying new or classic."""

OUTLOOK_AMBIGUOUS_QUESTION_KEY: Final = N_("program.outlook_ambiguous.question")
"""Catalog key of the question "new or classic Outlook?", with a hint to tell them apart."""


@dataclass(frozen=True, slots=True)
class ServerChanges:
    """What the profile changes besides host names, as far as a guide's steps differ by it.

    The default is the seed's: POP3 stays POP3, the POP port and encryption stay, the
    outgoing encryption stays. Built from the profile by `dialogs.guide_text`.
    """

    # Receiving moves from one protocol to another (POP3 → IMAP): no program turns a POP
    # account into an IMAP one, so the guide adds a new account from the generic table.
    new_account: bool = False
    # The account is IMAP: the programs' own guides describe POP screens, so the generic
    # table (with IMAP in it) is the honest guide.
    table_only: bool = False
    receiving_port_or_security: bool = False
    sending_security: bool = False
    # A port or login name the profile keeps: its step says "check that it is", never
    # 「110から110に変え」 or "change User Name" to what it already is. The seed moves
    # sending from 25 to 587 and the login name to the whole address; the receiving port
    # matters only where its encryption changes (`receiving_port_or_security`).
    receiving_port_kept: bool = False
    sending_port_kept: bool = False
    login_kept: bool = False
    # The host names stay (only the connection changes): the host steps say "check that
    # it is", never 「pop.aからpop.aに書き換え」.
    receiving_host_kept: bool = False
    sending_host_kept: bool = False
    # The old server speaks IMAP and its mail is not copied: the messages live on it, so a
    # host changed in place would make them vanish from the program. With `new_account`:
    # the new account's guide says to move or copy what to keep, not to "receive it".
    imap_mail_left: bool = False
    # The address moves to a new domain: its field is changed too (`address_step`), or,
    # in a program that cannot change an account's address, a new account is added.
    address_changes: bool = False
    # Subscribers log in when they send today ([outgoing] old_smtp_auth): the box that
    # turns SMTP authentication on is ticked already, so its step says "check that it is".
    sending_auth_kept: bool = False
    # Receiving stays exactly as it is (a sending-only migration, such as Outbound Port 25
    # Blocking): the guide is the sending steps alone, and its last step sends a test mail
    # instead of receiving again; nothing says "add an account" or "receive what is left".
    receiving_unchanged: bool = False


SMTP_SERVER_STEP: Final = "guide.smtp_server"
"""Marks where a guide's sending steps name the outgoing server; `guide_keys` fills it in."""

# The server step says what the card says: the new host, "leave it", or "if it is the old
# one". A step never says "set it to: no change" (the card's wording inside an instruction).
_SMTP_SERVER_KEYS: Final[Mapping[SmtpHost | None, str]] = MappingProxyType(
    {
        SmtpHost.OLD: N_("guide.smtp_server.change"),
        SmtpHost.OTHER: N_("guide.smtp_server.keep"),
        SmtpHost.UNSURE: N_("guide.smtp_server.if_old"),
        None: N_("guide.smtp_server.if_old"),
    }
)


@dataclass(frozen=True, slots=True)
class _Guide:
    label: str
    where_outgoing_server: str
    open: tuple[str, ...]
    receive: tuple[str, ...]
    send: tuple[str, ...]
    finish: tuple[str, ...]
    # The outgoing-server field as the program names it ("「SMTP サーバー」"), for the
    # server step; None when the guide is a table that names the value itself.
    smtp_field: str | None = None
    # Steps only a guide without sending has: what the sending steps would otherwise do
    # on the way (classic Outlook checks the POP port inside 詳細設定, opened once).
    receive_only: tuple[str, ...] = ()
    # The step that changes the account's e-mail address (a new domain), said after the
    # opening steps; None where the program cannot change it (a new account is added).
    address: str | None = None


# Keys are written out in full, not built from the program name, so that
# `pybabel extract -k N_` and a reader's grep both find every one of them.
_GUIDES: Final[Mapping[MailProgram, _Guide]] = MappingProxyType(
    {
        MailProgram.OUTLOOK_NEW: _Guide(
            label=N_("program.outlook_new"),
            where_outgoing_server=N_("guide.outlook_new.where_outgoing_server"),
            open=(N_("guide.outlook_new.open.1"), N_("guide.outlook_new.open.2")),
            receive=(N_("guide.outlook_new.receive.1"), N_("guide.outlook_new.receive.2")),
            send=(N_("guide.outlook_new.send.1"), SMTP_SERVER_STEP, N_("guide.outlook_new.send.2")),
            finish=(N_("guide.outlook_new.finish.1"), N_("guide.outlook_new.finish.2")),
            smtp_field=N_("guide.outlook_new.smtp_field"),
        ),
        MailProgram.OUTLOOK_CLASSIC: _Guide(
            label=N_("program.outlook_classic"),
            where_outgoing_server=N_("guide.outlook_classic.where_outgoing_server"),
            open=(N_("guide.outlook_classic.open.1"), N_("guide.outlook_classic.open.2")),
            receive=(N_("guide.outlook_classic.receive.1"), N_("guide.outlook_classic.receive.2")),
            send=(
                SMTP_SERVER_STEP,
                N_("guide.outlook_classic.send.2"),
                N_("guide.outlook_classic.send.3"),
            ),
            finish=(N_("guide.outlook_classic.finish.1"), N_("guide.outlook_classic.finish.2")),
            smtp_field=N_("guide.outlook_classic.smtp_field"),
            address=N_("guide.outlook_classic.address"),
            receive_only=(N_("guide.outlook_classic.receive.3"),),
        ),
        MailProgram.THUNDERBIRD: _Guide(
            label=N_("program.thunderbird"),
            where_outgoing_server=N_("guide.thunderbird.where_outgoing_server"),
            open=(N_("guide.thunderbird.open.1"),),
            receive=(
                N_("guide.thunderbird.receive.1"),
                N_("guide.thunderbird.receive.2"),
                N_("guide.thunderbird.receive.3"),
                N_("guide.thunderbird.receive.4"),
            ),
            send=(
                N_("guide.thunderbird.send.1"),
                SMTP_SERVER_STEP,
                N_("guide.thunderbird.send.2"),
                N_("guide.thunderbird.send.3"),
            ),
            finish=(N_("guide.thunderbird.finish.1"), N_("guide.thunderbird.finish.2")),
            smtp_field=N_("guide.thunderbird.smtp_field"),
            address=N_("guide.thunderbird.address"),
        ),
        MailProgram.APPLE_MAIL: _Guide(
            label=N_("program.apple_mail"),
            where_outgoing_server=N_("guide.apple_mail.where_outgoing_server"),
            open=(N_("guide.apple_mail.open.1"), N_("guide.apple_mail.open.2")),
            receive=(
                N_("guide.apple_mail.receive.1"),
                N_("guide.apple_mail.receive.2"),
                N_("guide.apple_mail.receive.3"),
            ),
            send=(
                N_("guide.apple_mail.send.1"),
                SMTP_SERVER_STEP,
                N_("guide.apple_mail.send.3"),
            ),
            finish=(N_("guide.apple_mail.finish.1"), N_("guide.apple_mail.finish.2")),
            smtp_field=N_("guide.apple_mail.smtp_field"),
            address=N_("guide.apple_mail.address"),
        ),
        MailProgram.IOS_MAIL: _Guide(
            label=N_("program.ios_mail"),
            where_outgoing_server=N_("guide.ios_mail.where_outgoing_server"),
            open=(N_("guide.ios_mail.open.1"), N_("guide.ios_mail.open.2")),
            receive=(
                N_("guide.ios_mail.receive.1"),
                N_("guide.ios_mail.receive.2"),
                N_("guide.ios_mail.receive.3"),
            ),
            send=(
                N_("guide.ios_mail.send.1"),
                SMTP_SERVER_STEP,
                N_("guide.ios_mail.send.2"),
                N_("guide.ios_mail.send.3"),
            ),
            finish=(N_("guide.ios_mail.finish.1"), N_("guide.ios_mail.finish.2")),
            smtp_field=N_("guide.ios_mail.smtp_field"),
            address=N_("guide.ios_mail.address"),
        ),
        MailProgram.GMAIL_ANDROID: _Guide(
            label=N_("program.gmail_android"),
            where_outgoing_server=N_("guide.gmail_android.where_outgoing_server"),
            open=(N_("guide.gmail_android.open.1"), N_("guide.gmail_android.open.2")),
            receive=(N_("guide.gmail_android.receive.1"), N_("guide.gmail_android.receive.2")),
            send=(
                N_("guide.gmail_android.send.1"),
                N_("guide.gmail_android.send.2"),
                SMTP_SERVER_STEP,
                N_("guide.gmail_android.send.3"),
            ),
            finish=(N_("guide.gmail_android.finish.1"),),
            smtp_field=N_("guide.gmail_android.smtp_field"),
        ),
        MailProgram.BECKY: _Guide(
            label=N_("program.becky"),
            where_outgoing_server=N_("guide.becky.where_outgoing_server"),
            open=(N_("guide.becky.open.1"),),
            receive=(
                N_("guide.becky.receive.1"),
                N_("guide.becky.receive.2"),
                N_("guide.becky.receive.3"),
            ),
            send=(SMTP_SERVER_STEP, N_("guide.becky.send.2"), N_("guide.becky.send.3")),
            finish=(N_("guide.becky.finish.1"), N_("guide.becky.finish.2")),
            smtp_field=N_("guide.becky.smtp_field"),
            address=N_("guide.becky.address"),
        ),
        MailProgram.OTHER: _Guide(
            label=N_("program.other"),
            where_outgoing_server=N_("guide.other.where_outgoing_server"),
            open=(N_("guide.other.open.1"),),
            receive=(N_("guide.other.receive.1"),),
            send=(N_("guide.other.send.1"),),
            finish=(N_("guide.other.finish.1"),),
            address=N_("guide.other.address"),
        ),
    }
)


# A step that confirms an unchanged port or encryption, and its twin that changes them.
# Written out in full, as above, so that extraction and grep find every key.
_RECEIVING_CHANGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_new.receive.1"): N_("guide.outlook_new.receive.1.changes"),
        N_("guide.outlook_classic.receive.3"): N_("guide.outlook_classic.receive.3.changes"),
        N_("guide.outlook_classic.send.3"): N_("guide.outlook_classic.send.3.changes"),
        N_("guide.thunderbird.receive.2"): N_("guide.thunderbird.receive.2.changes"),
        N_("guide.thunderbird.receive.4"): N_("guide.thunderbird.receive.4.changes"),
        N_("guide.apple_mail.receive.3"): N_("guide.apple_mail.receive.3.changes"),
        N_("guide.ios_mail.receive.3"): N_("guide.ios_mail.receive.3.changes"),
        N_("guide.gmail_android.receive.2"): N_("guide.gmail_android.receive.2.changes"),
        N_("guide.becky.receive.3"): N_("guide.becky.receive.3.changes"),
    }
)
_SENDING_CHANGES: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_new.send.2"): N_("guide.outlook_new.send.2.changes"),
        N_("guide.outlook_classic.send.3"): N_("guide.outlook_classic.send.3.changes"),
        N_("guide.thunderbird.send.3"): N_("guide.thunderbird.send.3.changes"),
        N_("guide.apple_mail.send.3"): N_("guide.apple_mail.send.3.changes"),
        N_("guide.ios_mail.send.3"): N_("guide.ios_mail.send.3.changes"),
        N_("guide.gmail_android.send.3"): N_("guide.gmail_android.send.3.changes"),
        N_("guide.becky.send.3"): N_("guide.becky.send.3.changes"),
    }
)


# The steps that change the login name, a kept receiving port (where its encryption
# changes) or the sending port, and their twins for a profile that keeps it.
_LOGIN_KEPT: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_classic.receive.2"): N_("guide.outlook_classic.receive.2.login_kept"),
        N_("guide.thunderbird.receive.3"): N_("guide.thunderbird.receive.3.login_kept"),
        N_("guide.apple_mail.receive.1"): N_("guide.apple_mail.receive.1.login_kept"),
        N_("guide.ios_mail.receive.2"): N_("guide.ios_mail.receive.2.login_kept"),
        N_("guide.gmail_android.receive.1"): N_("guide.gmail_android.receive.1.login_kept"),
        N_("guide.becky.receive.2"): N_("guide.becky.receive.2.login_kept"),
    }
)
_RECEIVING_PORT_KEPT: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_classic.receive.3.changes"): N_(
            "guide.outlook_classic.receive.3.changes.port_kept"
        ),
        N_("guide.thunderbird.receive.2.changes"): N_(
            "guide.thunderbird.receive.2.changes.port_kept"
        ),
        N_("guide.apple_mail.receive.3.changes"): N_(
            "guide.apple_mail.receive.3.changes.port_kept"
        ),
        N_("guide.ios_mail.receive.3.changes"): N_("guide.ios_mail.receive.3.changes.port_kept"),
        N_("guide.gmail_android.receive.2.changes"): N_(
            "guide.gmail_android.receive.2.changes.port_kept"
        ),
        N_("guide.becky.receive.3.changes"): N_("guide.becky.receive.3.changes.port_kept"),
    }
)
# The steps that turn SMTP authentication on, and their twins where it is on today.
_SENDING_AUTH_KEPT: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_classic.send.2"): N_("guide.outlook_classic.send.2.auth_kept"),
        N_("guide.gmail_android.send.1"): N_("guide.gmail_android.send.1.auth_kept"),
        N_("guide.becky.send.2"): N_("guide.becky.send.2.auth_kept"),
    }
)
_SENDING_PORT_KEPT: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_new.send.2"): N_("guide.outlook_new.send.2.port_kept"),
        N_("guide.outlook_classic.send.3"): N_("guide.outlook_classic.send.3.port_kept"),
        N_("guide.thunderbird.send.2"): N_("guide.thunderbird.send.2.port_kept"),
        N_("guide.apple_mail.send.3"): N_("guide.apple_mail.send.3.port_kept"),
        N_("guide.ios_mail.send.3"): N_("guide.ios_mail.send.3.port_kept"),
        N_("guide.gmail_android.send.3"): N_("guide.gmail_android.send.3.port_kept"),
        N_("guide.becky.send.3"): N_("guide.becky.send.3.port_kept"),
        N_("guide.outlook_new.send.2.changes"): N_("guide.outlook_new.send.2.changes.port_kept"),
        N_("guide.outlook_classic.send.3.changes"): N_(
            "guide.outlook_classic.send.3.changes.port_kept"
        ),
        N_("guide.apple_mail.send.3.changes"): N_("guide.apple_mail.send.3.changes.port_kept"),
        N_("guide.ios_mail.send.3.changes"): N_("guide.ios_mail.send.3.changes.port_kept"),
        N_("guide.gmail_android.send.3.changes"): N_(
            "guide.gmail_android.send.3.changes.port_kept"
        ),
        N_("guide.becky.send.3.changes"): N_("guide.becky.send.3.changes.port_kept"),
    }
)


# The steps that change the receiving host name, and their twins for a profile that keeps it.
_RECEIVING_HOST_KEPT: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_new.receive.1.changes"): N_(
            "guide.outlook_new.receive.1.changes.host_kept"
        ),
        N_("guide.outlook_classic.receive.1"): N_("guide.outlook_classic.receive.1.host_kept"),
        N_("guide.thunderbird.receive.2.changes"): N_(
            "guide.thunderbird.receive.2.changes.host_kept"
        ),
        N_("guide.thunderbird.receive.2.changes.port_kept"): N_(
            "guide.thunderbird.receive.2.changes.port_kept.host_kept"
        ),
        N_("guide.apple_mail.receive.2"): N_("guide.apple_mail.receive.2.host_kept"),
        N_("guide.ios_mail.receive.1"): N_("guide.ios_mail.receive.1.host_kept"),
        N_("guide.gmail_android.receive.2.changes"): N_(
            "guide.gmail_android.receive.2.changes.host_kept"
        ),
        N_("guide.gmail_android.receive.2.changes.port_kept"): N_(
            "guide.gmail_android.receive.2.changes.port_kept.host_kept"
        ),
        N_("guide.becky.receive.1"): N_("guide.becky.receive.1.host_kept"),
        N_("guide.other.receive.1"): N_("guide.other.receive.1.host_kept"),
    }
)
# The outgoing server step where its name stays: check it, as the card marks it 変更なし.
_SMTP_SERVER_KEPT: Final = N_("guide.smtp_server.check")
HOST_KEPT_STEP_KEYS: Final = frozenset({*_RECEIVING_HOST_KEPT.values(), _SMTP_SERVER_KEPT})
"""The steps a guide says instead where the host names stay (for tests of every key)."""


def label_key(program: MailProgram) -> str:
    """Catalog key of the program's short button label (at most 20 characters: LINE's limit)."""
    return _GUIDES[program].label


def where_outgoing_server_key(program: MailProgram) -> str:
    """Catalog key of one sentence saying where, in `program`, the current SMTP server shows."""
    return _GUIDES[program].where_outgoing_server


def smtp_field_key(program: MailProgram) -> str | None:
    """Catalog key of the outgoing-server field's name in `program`, for the server step."""
    return _GUIDES[program].smtp_field


def guide_keys(
    program: MailProgram,
    *,
    include_sending: bool,
    smtp_host: SmtpHost | None = SmtpHost.OLD,
    changes: ServerChanges = ServerChanges(),
) -> tuple[str, ...]:
    """Catalog keys of the guide's steps, in order: open, receiving, [sending], finish.

    Sending steps are left out when the subscriber's sending settings need no change; the
    receiving steps never are, because every mailbox moves to the new server. The
    server step follows `smtp_host` as the settings card does; it fills `{smtp_field}`
    with `smtp_field_key`'s text. A step that confirms a port or an encryption the
    profile changes is swapped for its twin that changes it (`changes`).
    """
    guide = _GUIDES[program]
    if changes.receiving_unchanged:
        return _sending_only_keys(program, smtp_host, changes)
    if changes.address_changes and guide.address is None and not changes.table_only:
        # New Outlook and the Gmail app show an account's address but cannot change it:
        # the new address is a new account, from the table, beside the current one.
        keys = _table_keys(include_sending=include_sending, new_account=True, imap_mail_left=False)
        return _hosts_kept((N_("guide.new_account.open.address"), *keys[1:]), changes)
    if changes.new_account or changes.table_only:
        keys = _table_keys(
            include_sending=include_sending,
            new_account=changes.new_account,
            imap_mail_left=changes.imap_mail_left,
        )
        return _address_step(_hosts_kept(keys, changes), changes, _GUIDES[MailProgram.OTHER])
    server_step = (
        _SMTP_SERVER_KEPT
        if changes.sending_host_kept and smtp_host is not SmtpHost.OTHER
        else _SMTP_SERVER_KEYS[smtp_host]
    )
    sending = tuple(server_step if key == SMTP_SERVER_STEP else key for key in guide.send)
    middle = sending if include_sending else guide.receive_only
    keys = (*guide.open, *guide.receive, *middle, *guide.finish)
    if changes.receiving_port_or_security:
        keys = tuple(_RECEIVING_CHANGES.get(key, key) for key in keys)
    if changes.sending_security and include_sending:
        keys = tuple(_SENDING_CHANGES.get(key, key) for key in keys)
    kept: dict[str, str] = {}
    if changes.login_kept:
        kept.update(_LOGIN_KEPT)
    if changes.receiving_port_kept:
        kept.update(_RECEIVING_PORT_KEPT)
    if changes.sending_port_kept and include_sending:
        kept.update(_SENDING_PORT_KEPT)
    if changes.sending_auth_kept and include_sending:
        kept.update(_SENDING_AUTH_KEPT)
    return _address_step(
        _hosts_kept(tuple(kept.get(key, key) for key in keys), changes), changes, guide
    )


# The last step of each guide where receiving does not change: a test mail sent to the
# subscriber's own address, not "receive your mail once more".
_SENDING_ONLY_FINISH: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_new.finish.2"): N_("guide.outlook_new.finish.2.sending_only"),
        N_("guide.outlook_classic.finish.2"): N_("guide.outlook_classic.finish.2.sending_only"),
        N_("guide.thunderbird.finish.2"): N_("guide.thunderbird.finish.2.sending_only"),
        N_("guide.apple_mail.finish.2"): N_("guide.apple_mail.finish.2.sending_only"),
        N_("guide.ios_mail.finish.2"): N_("guide.ios_mail.finish.2.sending_only"),
        N_("guide.gmail_android.finish.1"): N_("guide.gmail_android.finish.1.sending_only"),
        N_("guide.becky.finish.2"): N_("guide.becky.finish.2.sending_only"),
        N_("guide.other.finish.1"): N_("guide.other.finish.1.sending_only"),
    }
)

# Classic Outlook's 「詳細設定」 tab holds both ports: its step there names the receiving
# port too, which a sending-only migration leaves alone.
_SENDING_ONLY_ADVANCED: Final[Mapping[str, str]] = MappingProxyType(
    {
        N_("guide.outlook_classic.send.3"): N_("guide.outlook_classic.send.3.sending_only"),
        N_("guide.outlook_classic.send.3.changes"): N_("guide.outlook_classic.send.3.sending_only"),
        N_("guide.outlook_classic.send.3.port_kept"): N_(
            "guide.outlook_classic.send.3.sending_only.port_kept"
        ),
        N_("guide.outlook_classic.send.3.changes.port_kept"): N_(
            "guide.outlook_classic.send.3.sending_only.port_kept"
        ),
    }
)


def _sending_only_keys(
    program: MailProgram, smtp_host: SmtpHost | None, changes: ServerChanges
) -> tuple[str, ...]:
    """A sending-only migration's guide: open, the sending steps, a test mail.

    The program's own screens serve every protocol here: the receiving account is not
    touched, so even an IMAP one needs no table of its settings.
    """
    guide = _GUIDES[program]
    server_step = (
        _SMTP_SERVER_KEPT
        if changes.sending_host_kept and smtp_host is not SmtpHost.OTHER
        else _SMTP_SERVER_KEYS[smtp_host]
    )
    sending = tuple(server_step if key == SMTP_SERVER_STEP else key for key in guide.send)
    finish = tuple(_SENDING_ONLY_FINISH.get(key, key) for key in guide.finish)
    keys = (*guide.open, *sending, *finish)
    if changes.sending_security:
        keys = tuple(_SENDING_CHANGES.get(key, key) for key in keys)
    kept: dict[str, str] = {}
    if changes.sending_port_kept:
        kept.update(_SENDING_PORT_KEPT)
    if changes.sending_auth_kept:
        kept.update(_SENDING_AUTH_KEPT)
    keys = tuple(kept.get(key, key) for key in keys)
    return tuple(_SENDING_ONLY_ADVANCED.get(key, key) for key in keys)


def _address_step(keys: tuple[str, ...], changes: ServerChanges, guide: _Guide) -> tuple[str, ...]:
    """The address step after the opening one(s), where the address moves to a new domain."""
    if not changes.address_changes or guide.address is None:
        return keys
    # A table's guide (and a new account's) opens in one step; a program's own in its own.
    opened = 1 if guide is _GUIDES[MailProgram.OTHER] else len(guide.open)
    # An account just added has an empty address field: nothing "today" to replace in it.
    step = N_("guide.other.address.new_account") if changes.new_account else guide.address
    return (*keys[:opened], step, *keys[opened:])


def _hosts_kept(keys: tuple[str, ...], changes: ServerChanges) -> tuple[str, ...]:
    if not changes.receiving_host_kept:
        return keys
    return tuple(_RECEIVING_HOST_KEPT.get(key, key) for key in keys)


def _table_keys(
    *, include_sending: bool, new_account: bool, imap_mail_left: bool
) -> tuple[str, ...]:
    other = _GUIDES[MailProgram.OTHER]
    if not new_account:
        return (
            *other.open,
            *other.receive,
            *(other.send if include_sending else ()),
            *other.finish,
        )
    # A new account needs an outgoing server too: the new one, or a copy of today's.
    sending = other.send if include_sending else (N_("guide.new_account.send_as_before"),)
    if imap_mail_left:
        # The same new account as for POP3 → IMAP; what is kept is moved, not received.
        return (
            N_("guide.new_account.open.imap"),
            *other.receive,
            *sending,
            N_("guide.new_account.finish.imap"),
        )
    return (N_("guide.new_account.open"), *other.receive, *sending, N_("guide.new_account.finish"))


# -- recognising a program typed as free text ------------------------------------------------


class _Device(enum.Enum):
    """A device named without a program: it implies the device's own mail app."""

    MAC = "mac"
    IOS = "ios"
    ANDROID = "android"


_Named = MailProgram | Literal["outlook_ambiguous"]
_Hit = _Named | _Device


@dataclass(frozen=True, slots=True)
class _Rule:
    pattern: re.Pattern[str]
    hit: _Hit


def _rule(hit: _Hit, *alternatives: str) -> _Rule:
    # Text and patterns alike in katakana: "さんだーばーど" meets "サンダーバード".
    return _Rule(re.compile(katakana("|".join(alternatives))), hit)


def _w(ascii_words: str) -> str:
    # ASCII words must not be glued to other ASCII letters ("tb" is not in "usb", "other"
    # is not in "another"); digits may follow ("ios18", "outlook2016"). Japanese needs no
    # such fence: it is written without spaces.
    return rf"(?<![a-z])(?:{ascii_words})(?![a-z])"


_OUTLOOK: Final = r"(?:outlook|アウトルック)"
_CLASSIC_YEARS: Final = r"(?:20(?:10|13|16|19|21|24)|365)"

# Windows 10's and 11's own Mail app (「メール」), named so or by where it came from. Microsoft
# ended it on 2024-12-31 (it no longer sends or receives mail) and moved its users to the new
# Outlook, which Windows 11 PCs have come with since 2024: the new Outlook's guide is the one
# on their screen (words12: these were the generic table). Windows Live Mail and Outlook
# Express, other programs, stay in the generic table.
_WINDOWS_OWN_MAIL: Final = (
    _w(r"windows") + r"\s*(?:10|11)?\s*の?\s*(?:mail|メール)",
    # "the mail app that came with Windows", as 「Windowsのメール」.
    r"\b(?:mail|e-?mail) (?:app|program) (?:that )?(?:came|comes|built in)"
    r" (?:with|into) windows\b",
    # 「Windowsに最初から入っているメールです」「Windows標準のメールアプリ」 'the one that
    # came with Windows' (words5: not read where the program is asked).
    _w(r"windows") + r"\s*(?:10|11)?\s*(?:に|の)?\s*(?:最初から|もともと|はじめから|標準で?)\s*"
    r"(?:(?:入って|付いて|ついて)(?:いる|る|た))?\s*の?\s*(?:mail|メール)",
    r"\bthe one (?:that )?(?:came|comes) with windows\b"
    r"|\bwindows(?:'s?)? (?:own|built-?in|default) (?:mail|e-?mail)\b",
    # 「ウィンドウズのメール」「ウインドウズ10のメール」 as 「Windowsのメール」 (words: the
    # phone's question).
    r"ウ[ィイ]ンドウズ\s*(?:10|11)?\s*の?\s*メール",
    # 「ウィンドウズに入ってたメール」「メール（Windows11に最初から入ってるやつ）」: the one
    # that came with it, named by where it was found (words11: not read).
    r"(?:" + _w("windows") + r"|ウ[ィイ]ンドウズ)\s*(?:10|11)?\s*(?:に|の)?\s*"
    r"(?:最初から|もともと|元々|はじめから|初めから|標準で?)?\s*"
    r"(?:入って|はいって|付いて|ついて)(?:いる|る|た|いた|ます|ました)?\s*の?\s*"
    r"(?:メール|mail|やつ|アプリ)",
    # 「メールアプリ（Windows10）」: the app, its Windows in brackets.
    r"(?:メール|mail)\s*(?:アプリ|app)?\s*\(\s*" + _w("windows") + r"\s*(?:10|11)?\s*\)",
)
_WINDOWS_OWN_MAIL_NAMED: Final = re.compile(katakana("|".join(_WINDOWS_OWN_MAIL)))

# Order matters: a later rule never claims text an earlier one already matched, so
# "outlook express" is an old program before it is an Outlook, and "新しい outlook" is
# the new Outlook before it is an ambiguous one.
_RULES: Final[tuple[_Rule, ...]] = (
    # Programs too old or too rare for a guide of their own get the generic table.
    _rule(
        MailProgram.OTHER,
        _w(r"outlook\s*express|windows\s*live(?:\s*mail)?|live\s*mail"),
        r"アウトルック\s*エクスプレス|ライブ\s*メール|ウ[ィイ]ンドウズ\s*(?:10|11)?\s*ライブ\s*の?\s*メール",
        # 「パソコンに最初から入ってるメール」: the PC's own, said to have come with it (not
        # 「パソコンに入ってるメールソフト」, any program on it).
        r"(?:"
        + _w("pc")
        + r"|パソコン)\s*(?:に|の)?\s*(?:最初から|もともと|元々|はじめから|初めから"
        r"|標準で?)\s*(?:(?:入って|はいって|付いて|ついて)(?:いる|る|た|いた|ます|ました)?)?\s*の?\s*"
        r"(?:メール|mail|やつ|アプリ)",
        _w(r"eudora|shuriken|edmax|al-?mail|postpet|sylpheed|mailbird|em\s*client"),
        # Galaxy phones' own "Samsung Email" app, not Gmail.
        _w(r"samsung\s*(?:e-?mail|mail)"),
        r"ユードラ|シュリケン|ポストペット|シルフィード|秀丸メール|鶴亀メール",
        # Outlook 2007 and older have a "ツール" menu: the classic guide would mislead.
        _OUTLOOK + r"\s*(?:2000|2002|2003|2007|xp)(?![a-z0-9])",
        r"その他|そのほか|それ以外|(?:他|ほか|別)の(?:メール)?ソフト",
        # "other" alone or as a program, not "no other provider" or "other network" at the
        # network question (read as this program, the "no" was lost and the question asked again).
        _w(r"others?") + r"(?![\s,]*(?:isps?|providers?|networks?|lines?|connections?"
        r"|internet|company|companies|office|servers?|wi-?fi)\b)",
    ),
    # Windows' own Mail app, replaced by the new Outlook (`_WINDOWS_OWN_MAIL`).
    _rule(MailProgram.OUTLOOK_NEW, *_WINDOWS_OWN_MAIL),
    _rule(
        MailProgram.OUTLOOK_NEW,
        # Not "最新の Outlook": the latest version of whichever Outlook they have.
        # 「新しいほうのOutlook」「新しい方のOutlook」: the newer of the two.
        r"(?:新しい|(?<!最)新|ニュー|" + _w("new") + r")\s*(?:ほう|方)?\s*の?\s*" + _OUTLOOK,
        _OUTLOOK + r"\s*\(?\s*(?:の\s*)?(?:新しい|新|ニュー|" + _w("new") + ")",
    ),
    _rule(
        MailProgram.OUTLOOK_CLASSIC,
        r"(?:クラシック|従来|旧|古い|"
        + _w("classic|old")
        + r")\s*(?:ほう|方)?\s*(?:の|版)?\s*"
        + _OUTLOOK,
        _OUTLOOK + r"\s*\(?\s*(?:の\s*)?(?:クラシック|従来|旧|古い|" + _w("classic|old") + ")",
        _OUTLOOK + r"\s*" + _CLASSIC_YEARS,
        r"クラシック|オフィス\s*" + _CLASSIC_YEARS,
        # Not the workplace: "at the office", "from my office", "at his office" say where, not
        # which program.
        _w(
            r"classic|(?<!the )(?<!my )(?<!our )(?<!an )(?<!at )(?<!from )(?<!in )(?<!his )"
            r"(?<!her )(?<!their )(?<!your )(?<!'s )(?<!to )"
            # "no office", "without office": Outlook without Office is not the classic one.
            r"(?<!no )(?<!not )(?<!without )(?<!n't have )office"
            r"|m365|(?:microsoft|ms)\s*(?:365|office)"
        ),
        r"マイクロソフト\s*(?:365|オフィス)",
    ),
    # "outlook.com" is Microsoft's webmail and "@outlook.jp" an address, not the program.
    _rule(
        OUTLOOK_AMBIGUOUS,
        r"(?<![a-z@.])(?:outlook|out\s+look)(?![a-z])(?!\.(?:com|jp))",
        r"アウトルック",
    ),
    _rule(
        MailProgram.THUNDERBIRD,
        _w(r"thunder\s*bird|t-?bird"),
        # Fenced from digits too: "1tb" is a disk size, not Thunderbird.
        r"(?<![a-z0-9])tb(?![a-z0-9])",
        r"サンダー?\s*バード|雷鳥",
    ),
    _rule(MailProgram.BECKY, _w("becky"), r"ベッキー"),
    _rule(
        MailProgram.GMAIL_ANDROID,
        r"(?<![a-z@.])g\s?mail(?![a-z])",
        _w(r"google\s*mail"),
        r"ジーメール|gメール|グーグル\s*メール",
    ),
    _rule(MailProgram.APPLE_MAIL, _w(r"apple\s*mail|mail\.app"), r"アップル\s*の?\s*メール"),
    _rule(
        _Device.MAC,
        _w(r"mac\s*book(?:\s*(?:air|pro))?|imac|mac\s*mini|mac\s*os|os\s*x|osx|mac"),
        r"マック|アイマック",
    ),
    _rule(
        _Device.IOS,
        _w(r"iphone|ipad|ipod|ipados|ios"),
        r"アイフ[ォオ]ー?ン|アイホー?ン|iフ[ォオ]ー?ン|アイパッド",
    ),
    _rule(
        _Device.ANDROID,
        _w(r"android|galaxy|xperia|aquos|pixel"),
        r"アンドロイド|ギャラクシー|エクスペリア|アクオス",
    ),
)

_OUTLOOKS: Final[frozenset[_Named]] = frozenset(
    {OUTLOOK_AMBIGUOUS, MailProgram.OUTLOOK_NEW, MailProgram.OUTLOOK_CLASSIC}
)
_DEVICE_APPS: Final[Mapping[_Device, MailProgram]] = MappingProxyType(
    {
        _Device.MAC: MailProgram.APPLE_MAIL,
        _Device.IOS: MailProgram.IOS_MAIL,
        _Device.ANDROID: MailProgram.GMAIL_ANDROID,
    }
)


def recognise_mail_program(text: str) -> MailProgram | Literal["outlook_ambiguous"] | None:
    """The mail program named in `text`, or None when none (or more than one) is named.

    `text` may be a bare name ("サンダーバード", "outlook 2019") or a sentence
    ("iPhone のメールで見ています"). Bare "Outlook" gives `OUTLOOK_AMBIGUOUS`, so the
    dialog can ask which one. Never raises.
    """
    if not isinstance(text, str):
        return None
    hits = _hits(_fold(text))
    named = {hit for hit in hits if not isinstance(hit, _Device)}
    devices = {hit for hit in hits if isinstance(hit, _Device)}
    if named & {MailProgram.OUTLOOK_NEW, MailProgram.OUTLOOK_CLASSIC}:
        named.discard(OUTLOOK_AMBIGUOUS)
    if len(named) > 1 or len(devices) > 1:
        return None
    device = next(iter(devices), None)
    if not named:
        return _DEVICE_APPS[device] if device is not None else None
    return _on_device(named.pop(), device)


def gmail_on_apple(text: str) -> bool:
    """Whether `text` names the Gmail app on an iPhone, iPad or Mac ("iPhoneのGmail").

    That app cannot hold a POP account, so no guide fits it: the dialog says so and asks
    again rather than guess a program.
    """
    if not isinstance(text, str):
        return False
    hits = _hits(_fold(text))
    return MailProgram.GMAIL_ANDROID in hits and bool({_Device.IOS, _Device.MAC} & set(hits))


def gmail_on_mac(text: str) -> bool:
    """Whether `text` names Gmail on a Mac: the web page (there is no Gmail app for macOS)."""
    if not isinstance(text, str):
        return False
    hits = _hits(_fold(text))
    return MailProgram.GMAIL_ANDROID in hits and _Device.MAC in hits


def windows_own_mail(text: str) -> bool:
    """Whether `text` names Windows' own Mail app, which the new Outlook replaced.

    `recognise_mail_program` reads it as the new Outlook: the dialog says why, since the
    subscriber named another program.
    """
    if not isinstance(text, str):
        return False
    return _WINDOWS_OWN_MAIL_NAMED.search(_fold(text)) is not None


def _fold(text: str) -> str:
    # The caller folds already; doing it again is idempotent and keeps other callers safe.
    return katakana(unicodedata.normalize("NFKC", text).casefold())


def _hits(text: str) -> list[_Hit]:
    claimed: list[tuple[int, int]] = []
    hits: list[_Hit] = []
    for rule in _RULES:
        for match in rule.pattern.finditer(text):
            start, end = match.span()
            if any(start < e and s < end for s, e in claimed):
                continue
            claimed.append((start, end))
            hits.append(rule.hit)
    return hits


def _on_device(named: _Named, device: _Device | None) -> _Named | None:
    """A named program, corrected by the device it was named with."""
    if device is None or named in (MailProgram.OTHER, MailProgram.BECKY):
        return named
    # Outlook for Mac and the Outlook and Thunderbird phone apps look nothing like the
    # Windows programs our guides describe: the generic table fits them better.
    if named is MailProgram.THUNDERBIRD:
        return named if device is _Device.MAC else MailProgram.OTHER
    if named in _OUTLOOKS:
        return MailProgram.OTHER
    if named is MailProgram.APPLE_MAIL:
        return {_Device.MAC: MailProgram.APPLE_MAIL, _Device.IOS: MailProgram.IOS_MAIL}.get(device)
    if named is MailProgram.GMAIL_ANDROID:
        # Gmail on an iPhone or a Mac cannot hold a POP account: ask rather than guess.
        return named if device is _Device.ANDROID else None
    return named
