"""The migration profile: every provider fact the bot states, validated once at start-up.

The profile arrives here already parsed (a mapping, as `tomllib` returns it): reading the
file is the runtime's job, so this module stays pure.
"""

from __future__ import annotations

import datetime as dt
import difflib
import enum
import hashlib
import ipaddress
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, TypeVar

from dialogs.desk_hours import DeskHours, parse_desk_hours
from dialogs.flowchart import Reading
from dialogs.questionnaire import Questionnaire, parse_questionnaire
from dialogs.vocabulary import Locale, Receiving, Sending

_HOST_RE: Final = re.compile(r"^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$")
_E = TypeVar("_E", bound=enum.StrEnum)
# A page a password is typed on: https, a host name like the servers', any path. Written out
# here because urllib is outside what dialogs may import (import-linter), and only the shape
# matters: the bot shows the address, it never fetches it.
_HTTPS_URL_RE: Final = re.compile(r"^https://(?P<host>[^/?#:\s]+)(?::\d{1,5})?(?:[/?#]\S*)?$")
# The check may connect to an internal name without a dot ("mailgw") or to "localhost".
_CONNECT_HOST_RE: Final = re.compile(
    r"^(?=.{1,253}$)[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?(\.[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?)*$"
)


class ProfileError(ValueError):
    """A profile that cannot be used; the message names the file, the key and the problem."""

    def __init__(self, source: str, key: str, problem: str) -> None:
        # No key: the whole file is at fault (not there, not TOML, not UTF-8).
        super().__init__(f"{source}: [{key}] {problem}" if key else f"{source}: {problem}")
        self.source = source
        self.key = key
        self.problem = problem


class Security(enum.StrEnum):
    """How a connection is protected. The notice names none, so the seed says `none`."""

    NONE = "none"
    STARTTLS = "starttls"
    TLS = "tls"  # implicit TLS: the connection is encrypted from its first byte (995, 993, 465)


class Protocol(enum.StrEnum):
    """What a server speaks: POP3 or IMAP for receiving, SMTP for sending."""

    POP3 = "pop3"
    IMAP = "imap"
    SMTP = "smtp"


class _ReceivingProtocol(enum.StrEnum):
    """The protocols a receiving server may speak: a typo is told these two, not smtp."""

    POP3 = Protocol.POP3.value
    IMAP = Protocol.IMAP.value


class LoginMethod(enum.StrEnum):
    """How a mail program may log in, as the servers OFFER it (not the check's own policy)."""

    # The password as typed: POP3 USER/PASS, IMAP LOGIN, SMTP AUTH PLAIN/LOGIN.
    PASSWORD = "password"  # noqa: S105 - a method's name, not a password
    CRAM_MD5 = "cram-md5"  # SMTP AUTH CRAM-MD5, IMAP AUTHENTICATE CRAM-MD5, POP3 AUTH CRAM-MD5
    APOP = "apop"  # POP3 APOP


class LoginName(enum.StrEnum):
    """What a subscriber types as the account name: the whole address or the part before @."""

    ADDRESS = "address"
    LOCAL_PART = "local-part"
    # An account id of its own (「km0012345」), not derived from the address: only ever what
    # subscribers type TODAY (`old_login_name`); the bot cannot show it, only what replaces it.
    MAILBOX_ID = "mailbox-id"

    def of(self, address: str) -> str:
        """The login name for `address` in this format (never a mailbox id: not derived)."""
        if self is LoginName.MAILBOX_ID:
            raise ValueError("a mailbox id is not derived from the address")
        if self is LoginName.LOCAL_PART:
            return address.rpartition("@")[0] or address
        return address


@dataclass(frozen=True, slots=True)
class Port:
    """One port a server listens on, with how it is protected."""

    number: int
    security: Security


@dataclass(frozen=True, slots=True)
class CheckAccess:
    """How mailmove's own live check reaches a server, when it differs from what people type."""

    # Host name or IP literal to connect to; TLS still verifies the server's `new_host`.
    connect_host: str | None = None
    # PEM bundle to trust for the check, relative to the profile file (the runtime reads it).
    ca_file: str | None = None


@dataclass(frozen=True, slots=True)
class IncomingServer:
    """The receiving server: everyone moves from `old_host` to `new_host`.

    `ports[0]` is the one the settings card recommends; the others are shown as
    alternatives. `login_methods` is what the server offers, in order of preference. The
    `old_*` values are what subscribers have set today; the card marks a row changed
    when its new value differs from them.
    """

    old_host: str
    new_host: str
    ports: tuple[Port, ...]
    protocol: Protocol
    login_methods: tuple[LoginMethod, ...]
    login_name: LoginName
    old_protocol: Protocol
    old_port: int
    old_security: Security
    old_login_name: LoginName
    check: CheckAccess = field(default_factory=CheckAccess)

    @property
    def port(self) -> int:
        """The recommended port's number."""
        return self.ports[0].number

    @property
    def security(self) -> Security:
        """The recommended port's protection."""
        return self.ports[0].security

    @property
    def login_method(self) -> LoginMethod:
        """The method a mail program is set to: the servers' first preference."""
        return self.login_methods[0]

    @property
    def host_kept(self) -> bool:
        """The host name stays: the mailbox stays where it is, only the connection changes."""
        return self.new_host == self.old_host

    @property
    def connection_changes(self) -> bool:
        """Whether the recommended port or its encryption differs from today's."""
        return (self.port, self.security) != (self.old_port, self.old_security)

    @property
    def unchanged(self) -> bool:
        """Receiving stays exactly as it is: same name, protocol, port, TLS and login name.

        The profile says so with equal values (`new_host = old_host`, no `old_*` key that
        differs): a migration that changes only sending, such as Outbound Port 25 Blocking.
        """
        return (
            self.host_kept
            and self.protocol is self.old_protocol
            and not self.connection_changes
            and self.login_name is self.old_login_name
        )


@dataclass(frozen=True, slots=True)
class OutgoingServer:
    """The SMTP server: only members on one of `old_hosts` get `new_host`."""

    old_hosts: tuple[str, ...]
    new_host: str
    ports: tuple[Port, ...]
    login_methods: tuple[LoginMethod, ...]
    login_name: LoginName
    old_port: int
    old_security: Security
    old_login_name: LoginName
    # Subscribers log in when they send today (`old_smtp_auth`): SMTP AUTH is then no news
    # to them, and neither are the notice's reasons for it. Left out of the profile, taken
    # from the port: 25 is where the notice's subscribers sent without it.
    old_authenticated: bool
    check: CheckAccess = field(default_factory=CheckAccess)
    protocol: Protocol = Protocol.SMTP

    @property
    def port(self) -> int:
        """The recommended port's number."""
        return self.ports[0].number

    @property
    def security(self) -> Security:
        """The recommended port's protection."""
        return self.ports[0].security

    @property
    def login_method(self) -> LoginMethod:
        """The method a mail program is set to: the servers' first preference."""
        return self.login_methods[0]

    @property
    def host_kept(self) -> bool:
        """The one old host name is the new one: only the connection changes."""
        return self.old_hosts == (self.new_host,)

    @property
    def connection_changes(self) -> bool:
        """Whether the recommended port or its encryption differs from today's."""
        return (self.port, self.security) != (self.old_port, self.old_security)

    @property
    def unchanged(self) -> bool:
        """Sending stays exactly as it is: same name, port, TLS, login name, and a login today.

        The profile says so with equal values (`new_host` = the one `old_hosts` entry, no
        `old_*` key that differs, `old_smtp_auth = true`): a migration that changes only
        receiving. Without a login today the card's 「送信時の認証」 would be news: not this.
        """
        return (
            self.host_kept
            and not self.connection_changes
            and self.login_name is self.old_login_name
            and self.old_authenticated
        )


@dataclass(frozen=True, slots=True)
class Schedule:
    """The settings-change window and how long the old servers answer.

    An old server's last day may not be decided yet (its key left out): None, and the
    bot says it answers for now and that the day will be announced.
    """

    window_start: dt.date
    window_end: dt.date
    old_pop_until: dt.date | None
    old_smtp_until: dt.date | None
    # Where the address domain changes: the last day mail to the old address still arrives
    # (forwarded to the new one). None: not decided yet, or no domain change.
    old_address_until: dt.date | None = None
    # Where only the login moves at first: the last day the old address may still be the
    # sender (the mail program's address field). None: change it with the rest.
    old_sender_until: dt.date | None = None
    # The first day of the provider's own Outbound Port 25 Blocking ([policy] op25b_planned).
    # None: planned, no day named (the notice's 「今後の実施を予定」); with a day, the bot
    # names it before it comes and says the block is in force from it on.
    op25b_from: dt.date | None = None
    # A first phase that changes one side alone: the first day of the next phase, in which
    # the other side changes (served by the next phase's own profile). None: no later phase
    # said; with a day, what says that side does not change says it changes then
    # (`RECEIVING_LATER_VARIANT`, `SENDING_LATER_VARIANT`).
    next_phase_from: dt.date | None = None


@dataclass(frozen=True, slots=True)
class Support:
    """How a subscriber reaches people, in each language; `hours` may be empty."""

    contact_ja: str
    contact_en: str
    hours_ja: str
    hours_en: str
    # When the desk answers, per weekday ([support.desk_hours]); empty: at any time.
    desk_hours: DeskHours = field(default_factory=DeskHours)

    def contact(self, locale: Locale) -> str:
        """How to reach people, in `locale`."""
        return self.contact_en if locale == "en" else self.contact_ja


class PasswordKind(enum.StrEnum):
    """What subscribers get on the page of `[password]`, named by `kind`."""

    NEW = "new"  # a new mail password, set by the subscriber
    APP = "app"  # an app password, issued for mail programs
    POST = "post"  # a new mail password chosen by the provider, sent in a letter
    # The same, sent by e-mail to the contact address the subscriber registered (not the
    # mailbox that moves): worded as the letter is, except where the post is named.
    EMAIL = "email"


@dataclass(frozen=True, slots=True)
class PasswordReset:
    """A password got on the provider's page before the mail program is changed.

    Where today's password does not move to the new servers, or mail programs need an app
    password ([password] in the profile): the bot sends subscribers to `url` first and never
    says the password stays.
    """

    # Empty for a password sent by post or e-mail: there is no page, only the letter or mail.
    url: str
    # The page as subscribers find it there (「会員ページの「メールパスワード設定」」), or,
    # for a password sent by post, the letter as they know it (`letter`).
    page_ja: str
    page_en: str
    # What the page gives: a new mail password that replaces today's (`new`), or an app
    # password issued for mail programs while the usual one stays for everything else.
    kind: PasswordKind = PasswordKind.NEW


class ProgramName(enum.StrEnum):
    """A mail program as a profile names it: `dialogs.mail_programs.MailProgram`'s values.

    Written out here because mail_programs reaches this module (through settings_card): a
    test holds the two equal.
    """

    OUTLOOK_NEW = "outlook_new"
    OUTLOOK_CLASSIC = "outlook_classic"
    THUNDERBIRD = "thunderbird"
    APPLE_MAIL = "apple_mail"
    IOS_MAIL = "ios_mail"
    GMAIL_ANDROID = "gmail_android"
    BECKY = "becky"
    OTHER = "other"


@dataclass(frozen=True, slots=True)
class Webmail:
    """The provider's webmail ([webmail]), and the programs sent there instead of a guide.

    `only_for` names mail programs (`MailProgram` values) the provider does not support on
    the new servers: choosing one gets `reason` and the webmail address, not a card and a
    guide that would not work. Empty: every program is guided, as in the notice.
    """

    url: str
    only_for: tuple[str, ...] = ()
    reason_ja: str = ""
    reason_en: str = ""


# The catalog variants (`key.new_password`, `key.app_password`) such a profile is worded with.
NEW_PASSWORD_VARIANT: Final = "new_password"  # noqa: S105 - a variant's name, not a password
APP_PASSWORD_VARIANT: Final = "app_password"  # noqa: S105 - a variant's name, not a password
POSTED_PASSWORD_VARIANT: Final = "posted_password"  # noqa: S105 - a variant's name
# A password sent by e-mail says the letter's words (`posted_password`) but where the post is
# named or the password "printed": its own twins (`key.emailed_password`) override those.
EMAILED_PASSWORD_VARIANT: Final = "emailed_password"  # noqa: S105 - a variant's name
# A migration that changes only sending (the receiving server kept as it is): the surfaces
# that do not ask the profile (the check page) say the `key.sending_only` twin.
SENDING_ONLY_VARIANT: Final = "sending_only"
# The mirror: only receiving changes (the outgoing server kept as it is): `key.receiving_only`.
RECEIVING_ONLY_VARIANT: Final = "receiving_only"
# The texts of a sending-only profile that say receiving does not change, said of the first
# phase of two: receiving changes from `[schedule] next_phase_from` (later_phase.po).
RECEIVING_LATER_VARIANT: Final = "receiving_later"
# The mirror: the texts of a receiving-only profile that say sending does not change, said of
# the first phase of two in which sending changes from `next_phase_from` (sending_later.po).
SENDING_LATER_VARIANT: Final = "sending_later"
_VARIANTS: Final[dict[PasswordKind, tuple[str, ...]]] = {
    PasswordKind.NEW: (NEW_PASSWORD_VARIANT,),
    PasswordKind.APP: (APP_PASSWORD_VARIANT,),
    PasswordKind.POST: (POSTED_PASSWORD_VARIANT,),
    PasswordKind.EMAIL: (POSTED_PASSWORD_VARIANT, EMAILED_PASSWORD_VARIANT),
}


@dataclass(frozen=True, slots=True)
class MigrationProfile:
    """Everything provider-specific that the dialog needs."""

    provider_name: str
    # The name as subscribers also write it ([provider] aliases: 「さくらネット」 beside
    # "Sakura-net"), read wherever an answer names the provider; never shown.
    provider_aliases: tuple[str, ...]
    timezone: str
    affected_domains: tuple[str, ...]
    incoming: IncomingServer
    outgoing: OutgoingServer
    schedule: Schedule
    support: Support
    pop_before_smtp_kept: bool
    op25b_planned: bool
    allow_plaintext_login: bool
    # Whether the provider copies each mailbox to the new server. The notice's migration does
    # not (「メールボックスの内容は移動されません」): subscribers collect the old mail first.
    old_mail_copied: bool
    # The questions, their answers and the verdict leaves ([questionnaire]).
    questionnaire: Questionnaire
    # Where the address domain changes with the servers ([provider] new_domain): each
    # affected domain and the one its addresses become, in `affected_domains`' order.
    # Empty: every address stays as it is (the notice's migration).
    new_domains: tuple[tuple[str, str], ...] = ()
    # Where subscribers set a new mail password on a page first ([password]); None: the
    # password stays, as in the notice (「メールパスワードの変更はございません」).
    password_reset: PasswordReset | None = None
    # How the provider's own notice writes the addresses concerned ([provider]
    # notice_addresses: 117net's 「********@vp.117.ne.jp」), quoted in the greeting beside
    # the words that explain it; empty: the words alone (another notice may write none).
    notice_addresses: tuple[str, ...] = ()
    # The provider's webmail and the programs sent there ([webmail]); None: not named.
    webmail: Webmail | None = None
    # The name the English texts say, where [provider] name is written in both languages
    # (name = { ja = "海岸ひかり", en = "Kaigan Hikari" }); "": `provider_name` in both.
    provider_name_en: str = ""
    # The provider's own sites: the registrable domain of each of `own_hosts` ('117.ne.jp'
    # for vp.117.ne.jp, not the registry's 'ne.jp'), as the Public Suffix List says. Filled
    # by the runtime when it loads the profile (bot/ops/profile_loader.py: the list is a file);
    # empty: `own_hosts` alone. A host under one, named after a password's word, is the
    # provider's server, not a password written with dots (`dialogs.redaction`).
    sites: tuple[str, ...] = ()
    # `verdict_key`, digested once: every turn reads it, and the digest costs about 50 µs
    # (a tenth of a whole turn).
    _verdict_key: str = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        held = repr((self.questionnaire.flowchart, self.incoming, self.outgoing, self.new_domains))
        object.__setattr__(self, "_verdict_key", hashlib.sha256(held.encode()).hexdigest()[:16])

    def provider_name_in(self, locale: str) -> str:
        """The provider's name as the texts of `locale` say it."""
        return (
            self.provider_name_en
            if locale == "en" and self.provider_name_en
            else self.provider_name
        )

    @property
    def text_variants(self) -> tuple[str, ...]:
        """The catalog variants this profile's texts take (`key.<variant>` where it exists)."""
        reset = self.password_reset
        sending_only = (SENDING_ONLY_VARIANT,) if self.incoming.unchanged else ()
        if self.outgoing.unchanged:
            sending_only = (RECEIVING_ONLY_VARIANT,)
        later: tuple[str, ...] = ()
        if self.schedule.next_phase_from is not None:
            later = (
                (SENDING_LATER_VARIANT,) if self.outgoing.unchanged else (RECEIVING_LATER_VARIANT,)
            )
        if reset is None:
            return (*sending_only, *later)
        return (*sending_only, *_VARIANTS[reset.kind], *later)

    @property
    def verdict_key(self) -> str:
        """What a verdict given under this profile rests on, digested: its questions and servers.

        Stored with a conversation (`DialogState.profile_key`): a profile replaced under it
        (a migration in phases served as one profile per phase, a leaf corrected) gives the
        verdict again from the stored answers (`dialogs.turn`). The dates are not in it: a day
        of the schedule passing is said by `say_what_changed`. Stable across processes (not
        `hash`, which is salted per process).
        """
        return self._verdict_key

    @property
    def own_hosts(self) -> tuple[str, ...]:
        """The mail domains and servers the profile names, old and new, each once."""
        hosts = (
            *self.affected_domains,
            *(new for _, new in self.new_domains),
            self.incoming.old_host,
            self.incoming.new_host,
            *self.outgoing.old_hosts,
            self.outgoing.new_host,
        )
        return tuple(dict.fromkeys(host.lower() for host in hosts))

    @property
    def domain_changes(self) -> bool:
        """Whether subscribers' addresses move to another domain (same part before @)."""
        return bool(self.new_domains)

    def is_affected(self, address: str) -> bool:
        """Whether an e-mail address belongs to a migrating domain, its old one or its new."""
        domain = address.rsplit("@", 1)[-1].lower()
        return domain in self.affected_domains or any(new == domain for _, new in self.new_domains)

    def new_address(self, address: str) -> str:
        """The address after the migration: the same part before @ on the new domain.

        An address already on a new domain, or on a domain that does not change, is
        returned as it is: what subscribers type may be either, and both mean one mailbox.
        """
        return moved_address(address, self.new_domains)

    def old_address(self, address: str) -> str:
        """The address subscribers have set today, for an address typed old or new.

        A new domain that several old ones move to cannot say which one was set: the
        address is returned as typed.
        """
        local, _, domain = address.rpartition("@")
        olds = [old for old, new in self.new_domains if new == domain.lower()]
        if local and len(olds) == 1:
            return f"{local}@{olds[0]}"
        return address


def moved_address(address: str, new_domains: tuple[tuple[str, str], ...]) -> str:
    """`address` on its new domain (`new_domains`: old, new pairs); else as it is."""
    local, _, domain = address.rpartition("@")
    for old, new in new_domains:
        if local and domain.lower() == old:
            return f"{local}@{new}"
    return address


class _Reader:
    """Typed access to one table of the parsed TOML, naming the full key on every error."""

    def __init__(self, source: str, data: Mapping[str, object], prefix: str = "") -> None:
        self._source = source
        self._data = data
        self._prefix = prefix

    def _key(self, name: str) -> str:
        return f"{self._prefix}{name}"

    def has(self, name: str) -> bool:
        return name in self._data

    @property
    def source(self) -> str:
        return self._source

    def names(self) -> tuple[str, ...]:
        return tuple(self._data)

    def raw(self, name: str) -> object:
        """The value as TOML gave it, for a key that may be written in more than one shape."""
        return self._get(name)

    def refuse_unknown(self, known: frozenset[str]) -> None:
        """A typo (`securty`) must stop start-up, not silently fall back to a default."""
        for name in self._data:
            if name not in known:
                allowed = ", ".join(sorted(known))
                meant = did_you_mean(name, known)
                # Not a slip of a known key: perhaps one a newer mailmove reads, put into the
                # profile while this replica (a rolling upgrade's older one) still runs.
                newer = (
                    ""
                    if meant
                    else "; if a newer mailmove reads it, leave it out until every replica"
                    " runs that version"
                )
                raise ProfileError(
                    self._source,
                    self._key(name),
                    f"is not a known key{meant} (known: {allowed}){newer}",
                )

    def optional_table(self, name: str) -> _Reader:
        if name not in self._data:
            return _Reader(self._source, {}, f"{self._key(name)}.")
        return self.table(name)

    def error(self, name: str, problem: str) -> ProfileError:
        return ProfileError(self._source, self._key(name), problem)

    def _get(self, name: str) -> object:
        if name not in self._data:
            raise ProfileError(self._source, self._key(name), "is missing")
        return self._data[name]

    def table(self, name: str) -> _Reader:
        value = self._get(name)
        if not isinstance(value, Mapping):
            raise ProfileError(self._source, self._key(name), "must be a table")
        return _Reader(self._source, value, f"{self._key(name)}.")

    def bilingual(self, name: str) -> _Reader:
        """A `{ ja = "…", en = "…" }` table: words written once are refused with its shape."""
        if isinstance(self._data.get(name), str):
            raise ProfileError(
                self._source,
                self._key(name),
                f'must be a table of both languages: {name} = {{ ja = "…", en = "…" }}',
            )
        table = self.table(name)
        table.refuse_unknown(frozenset({"ja", "en"}))
        return table

    def desk_hours(self, name: str) -> DeskHours:
        value = self._data.get(name, {})
        if not isinstance(value, Mapping):
            raise ProfileError(self._source, self._key(name), "must be a table of weekdays")
        try:
            return parse_desk_hours(value)
        except ValueError as err:
            raise ProfileError(self._source, self._key(name), str(err)) from None

    def text(self, name: str, *, allow_empty: bool = False) -> str:
        value = self._get(name)
        if not isinstance(value, str) or (not allow_empty and not value.strip()):
            # Where empty is allowed ([support] hours), "non-empty" would mislead.
            problem = (
                'must be a string ("" for none)' if allow_empty else "must be a non-empty string"
            )
            raise ProfileError(self._source, self._key(name), problem)
        return value.strip()

    def optional_texts(self, name: str) -> tuple[str, ...]:
        """A list of non-empty strings; left out, none."""
        value = self._data.get(name, [])
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item.strip() for item in value
        ):
            raise ProfileError(self._source, self._key(name), "must be a list of non-empty strings")
        return tuple(item.strip() for item in value)

    def host(self, name: str) -> str:
        return self._check_host(name, self._get(name))

    def hosts(self, name: str) -> tuple[str, ...]:
        value = self._get(name)
        if isinstance(value, str) and value.strip():
            # One name written without the brackets a list needs.
            raise ProfileError(
                self._source,
                self._key(name),
                f'must be a list, even of one: {name} = ["{value.strip()}"]',
            )
        if not isinstance(value, list) or not value:
            raise ProfileError(self._source, self._key(name), "must be a non-empty list")
        return tuple(self._check_host(name, item) for item in value)

    def _check_host(self, name: str, value: object) -> str:
        if not isinstance(value, str) or not _HOST_RE.match(value.lower()):
            # A space (one pasted at the end, a full-width one) is hard to see in the quotes.
            spaced = isinstance(value, str) and any(char.isspace() for char in value)
            hint = ": it has a space; remove it" if spaced else ""
            # Notices write the domain as the addresses show it: 「********@vp.117.ne.jp」.
            domain = value.rsplit("@", 1)[-1].lower() if isinstance(value, str) else ""
            if "@" in str(value) and _HOST_RE.match(domain):
                hint = f": write the domain without the @ ({domain})"
            # 「imap.x.jp:993」, as a notice may write it: the port has a key of its own.
            host, colon, port = str(value).rpartition(":")
            if colon and port.isdigit() and _HOST_RE.match(host.lower()):
                hint = f": write the host name alone ({host.lower()}) and the port in port or ports"
            raise ProfileError(
                self._source,
                self._key(name),
                f"{value!r} is not a host name like mail.example.jp{hint}",
            )
        return value.lower()

    def port(self, name: str) -> int:
        value = self._get(name)
        if isinstance(value, bool) or not isinstance(value, int) or not 1 <= value <= 65535:
            raise ProfileError(
                self._source, self._key(name), "must be a port number (1-65535)" + _unquote(value)
            )
        return value

    def flag(self, name: str) -> bool:
        value = self._get(name)
        if not isinstance(value, bool):
            raise ProfileError(self._source, self._key(name), "must be true or false")
        return value

    def date(self, name: str) -> dt.date:
        value = self._get(name)
        when = _written_time(value)
        if when is not None:
            start = self._data.get("window_start")
            first = start if type(start) is dt.date else None
            raise ProfileError(self._source, self._key(name), time_of_day_hint(name, when, first))
        if isinstance(value, dt.datetime) or not isinstance(value, dt.date):
            raise ProfileError(
                self._source, self._key(name), "must be a date like 2008-05-21" + _unquote(value)
            )
        return value

    def optional_date(self, name: str) -> dt.date | None:
        """A date, or None where the key is left out (not decided yet)."""
        return self.date(name) if self.has(name) else None

    def security(self, name: str) -> Security:
        return self.choice(name, Security)

    def choice(self, name: str, kind: type[_E]) -> _E:
        return self._member(name, self._get(name), kind)

    def _member(self, name: str, value: object, kind: type[_E]) -> _E:
        try:
            return kind(str(value))
        except ValueError:
            allowed = ", ".join(member.value for member in kind)
            raise ProfileError(
                self._source,
                self._key(name),
                f"{value!r} is not one of {allowed}{_choice_hint(kind, value)}",
            ) from None

    def choices(self, name: str, kind: type[_E]) -> tuple[_E, ...]:
        value = self._get(name)
        if not isinstance(value, list) or not value:
            raise ProfileError(self._source, self._key(name), "must be a non-empty list")
        members = tuple(self._member(name, item, kind) for item in value)
        if len(set(members)) != len(members):
            raise ProfileError(self._source, self._key(name), "names a value twice")
        return members

    def ports(self) -> tuple[Port, ...]:
        """`ports = [{port = 995, security = "tls"}, …]`, or the older `port` + `security`."""
        if self.has("ports"):
            if self.has("port") or self.has("security"):
                raise ProfileError(
                    self._source, self._key("ports"), "is given together with port/security"
                )
            value = self._get("ports")
            if not isinstance(value, list) or not value:
                raise ProfileError(
                    self._source,
                    self._key("ports"),
                    'must be a non-empty list like [{port = 995, security = "tls"}]',
                )
            ports: list[Port] = []
            for index, item in enumerate(value):
                if not isinstance(item, Mapping):
                    raise ProfileError(
                        self._source,
                        self._key(f"ports[{index}]"),
                        'must be a table like {port = 995, security = "tls"}',
                    )
                entry = _Reader(self._source, item, f"{self._key(f'ports[{index}]')}.")
                entry.refuse_unknown(frozenset({"port", "security"}))
                ports.append(Port(entry.port("port"), entry.security("security")))
            numbers = [port.number for port in ports]
            if len(set(numbers)) != len(numbers):
                twice = next(number for number in numbers if numbers.count(number) > 1)
                raise ProfileError(
                    self._source,
                    self._key("ports"),
                    f"names port {twice} twice: write each port once, with its one security",
                )
            return tuple(ports)
        return (Port(self.port("port"), self.security("security")),)

    def connect_host(self, name: str) -> str:
        value = self._get(name)
        if isinstance(value, str):
            try:
                return str(ipaddress.ip_address(value))
            except ValueError:
                if _CONNECT_HOST_RE.match(value.lower()):
                    return value.lower()
        # A lab's 「127.0.0.1:2525」: the check connects on the server's own ports.
        host, colon, port = str(value).rpartition(":")
        with_port = isinstance(value, str) and colon and port.isdigit() and "]" not in port
        hint = (
            f": write the host alone ({host.strip('[]')}); the check connects on the server's"
            " port or ports"
            if with_port and host and ":" not in host.strip("[]")
            else ""
        )
        raise ProfileError(
            self._source, self._key(name), f"{value!r} is not a host name or an IP address{hint}"
        )


# The schedule's days the bot counts from their first moment: it asks for the change from
# 0:00 on window_start, and says a block or the next phase applies from 0:00 of its day.
_FIRST_DAYS: Final = frozenset({"window_start", "op25b_from", "next_phase_from"})
# What the bot says lasts to the end of each last day of the schedule.
_LAST_DAYS: Final = {
    "window_end": "the window lasts",
    "old_pop_until": "the old receiving server answers",
    "old_smtp_until": "the old outgoing server answers",
    "old_address_until": "mail to the old address arrives",
    "old_sender_until": "the old address may stay the sender",
}
_QUOTED_TIME_RE: Final = re.compile(r"(\d{4}-\d{2}-\d{2})[ T](\d{1,2}):(\d{2})(?::(\d{2}))?")


def _written_time(value: object) -> dt.datetime | dt.time | None:
    """A day written with its time of day (a TOML datetime, or in quotes), or a time alone."""
    if isinstance(value, dt.datetime | dt.time):
        return value
    if isinstance(value, str):
        shape = _QUOTED_TIME_RE.fullmatch(value.strip())
        if shape is not None:
            try:
                day = dt.date.fromisoformat(shape[1])
                return dt.datetime.combine(day, dt.time(int(shape[2]), int(shape[3])))
            except ValueError:
                return None
    return None


def time_of_day_hint(
    name: str, when: dt.datetime | dt.time, window_start: dt.date | None = None
) -> str:
    """What to write for a day of the schedule written with a time (a notice's 「15時に切替」).

    The schedule is in whole days: the bot asks for the change from the first moment of
    window_start and says an old server answers to the end of its last day. So a cut-over
    in the course of a day is written as the day the new servers answer from its start,
    and an old server's stop as the last day it answers to its end, though not before
    `window_start` (a cut-over within one day is every day of the schedule on that day).
    """
    written = when.isoformat().replace("+00:00", "Z") if isinstance(when, dt.datetime) else ""
    if not isinstance(when, dt.datetime):
        return f"{when.isoformat()} is a time of day alone: write the day, like 2008-05-21"
    day, at_midnight = when.date(), when.time().replace(tzinfo=None) == dt.time(0, 0)
    lead = (
        f"{written} has a time of day: the schedule is kept in whole days (in [provider]"
        " timezone), each written alone and without quotes"
    )
    if at_midnight:
        if name in _FIRST_DAYS:
            return f"{lead}: {name} = {day.isoformat()}"
        last = day - dt.timedelta(days=1)
        return (
            f"{lead}: {name} = {last.isoformat()} (the last day before 0:00 of {day.isoformat()})"
        )
    if name == "window_start":
        after = day + dt.timedelta(days=1)
        return (
            f"{lead}: the bot asks subscribers to change their settings from 0:00 on"
            f" window_start, so write the first day the new servers answer from its start:"
            f" window_start = {after.isoformat()} ({day.isoformat()} if they already answer at"
            " 0:00 that day, or if the old servers stop that day: a cut-over within one day is"
            " written with window_start, window_end and the old servers' days all on that day)"
        )
    if name in _FIRST_DAYS:
        return f"{lead}: {name} = {day.isoformat()} (it is said to apply from 0:00 that day)"
    before = day - dt.timedelta(days=1)
    what = _LAST_DAYS.get(name, "it lasts")
    if window_start is not None and before < window_start:
        also = f", window_start = {day.isoformat()}" if day < window_start else ""
        return (
            f"{lead}: the bot says {what} to the end of {name}, which may not be before"
            f" window_start ({window_start.isoformat()}); a cut-over within one day is written"
            " with window_start, window_end and the old servers' days all on that day:"
            f" {name} = {day.isoformat()}{also}"
        )
    return (
        f"{lead}: the bot says {what} to the end of {name}, so write the last day that holds"
        f" to its end: {name} = {before.isoformat()} ({day.isoformat()} if it holds until"
        " midnight)"
    )


def _unquote(value: object) -> str:
    """A hint for a number or date written in quotes: TOML reads `"995"` as text."""
    if isinstance(value, str) and re.fullmatch(r"[\d-]+", value.strip()):
        return f", written without quotes: {value.strip()}, not {value!r}"
    return ""


_ROOT_KEYS: Final = frozenset(
    # `questionnaire` is the questionnaire's own section (issue 13, item 2).
    {
        "provider",
        "incoming",
        "outgoing",
        "schedule",
        "support",
        "policy",
        "questionnaire",
        "password",
        "webmail",
    }
)
_PASSWORD_KEYS: Final = frozenset({"reset_url", "reset_page", "kind", "letter", "message"})
# Where a password chosen by the provider is written: a letter (post) or an e-mail message.
_SENT_IN: Final = {PasswordKind.POST: "letter", PasswordKind.EMAIL: "message"}
_PROVIDER_KEYS: Final = frozenset(
    {"name", "aliases", "timezone", "affected_domains", "new_domain", "notice_addresses"}
)
_SERVER_KEYS: Final = frozenset(
    {
        "new_host",
        "protocol",
        "port",
        "security",
        "ports",
        "login_methods",
        "login_name",
        "old_port",
        "old_security",
        "old_login_name",
        "check",
    }
)
_INCOMING_KEYS: Final = _SERVER_KEYS | {"old_host", "old_protocol"}
_OUTGOING_KEYS: Final = _SERVER_KEYS | {"old_hosts", "old_smtp_auth"}
_CHECK_KEYS: Final = frozenset({"connect_host", "ca_file"})
_SCHEDULE_KEYS: Final = frozenset(
    {
        "window_start",
        "window_end",
        "old_pop_until",
        "old_smtp_until",
        "old_address_until",
        "old_sender_until",
        "op25b_from",
        "next_phase_from",
    }
)
_SUPPORT_KEYS: Final = frozenset({"contact_ja", "contact_en", "hours_ja", "hours_en", "desk_hours"})
_POLICY_KEYS: Final = frozenset(
    {"pop_before_smtp_kept", "op25b_planned", "allow_plaintext_login", "old_mail_copied"}
)


# How notices and mail programs name a TLS mode, read as the value the profile means.
_SECURITY_WORDS: Final = {
    "ssl": "tls",
    "ssl/tls": "tls",
    "tls/ssl": "tls",
    "ssl_tls": "tls",
    "implicit": "tls",
    "implicit_tls": "tls",
    "start_tls": "starttls",
    "start-tls": "starttls",
    "plain": "none",
    "off": "none",
    "no": "none",
    "なし": "none",
}
# A receiving protocol as notices and mail programs name it.
_PROTOCOL_WORDS: Final = {
    "pop": "pop3",
    "pop3s": "pop3",
    "pops": "pop3",
    "imap4": "imap",
    "imaps": "imap",
    "imap4s": "imap",
}
# A password kind named by what it comes in.
_KIND_WORDS: Final = {"letter": "post", "mail": "post", "postal": "post", "e-mail": "email"}


def _choice_hint(kind: type[enum.StrEnum], value: object) -> str:
    """What to write for a value one of the allowed ones means ('SSL/TLS' is "tls"), or ''."""
    if not isinstance(value, str):
        return ""
    allowed = {member.value for member in kind}
    if value.lower() in allowed:
        return f': write it in lower case, "{value.lower()}"'
    if kind is Security and value.lower() in _SECURITY_WORDS:
        meant = _SECURITY_WORDS[value.lower()]
        if meant == "tls":
            return ': SSL/TLS (implicit TLS, as on 995, 993 and 465) is written "tls"'
        if meant == "starttls":
            return ': STARTTLS (as on 110, 143 or 587) is written "starttls"'
        return ': a connection without encryption is written "none"'
    if kind is _ReceivingProtocol and value.lower() in _PROTOCOL_WORDS:
        meant = _PROTOCOL_WORDS[value.lower()]
        return f': {meant.upper()} is written "{meant}" (its encryption goes in security)'
    if kind is PasswordKind and value.lower() in _KIND_WORDS:
        meant = _KIND_WORDS[value.lower()]
        return (
            ': a password sent in a letter is kind = "post"'
            if meant == "post"
            else ': a password sent by e-mail is kind = "email"'
        )
    return ""


def did_you_mean(name: str, known: frozenset[str]) -> str:
    """The hint for a key one slip away from a known one (': did you mean timezone?'), or ''."""
    close = difflib.get_close_matches(name, sorted(known), n=1, cutoff=0.75)
    return f": did you mean {close[0]}?" if close else ""


# A key an ISP writes for groups that move on different days ([schedule] waves, [[groups]],
# [[stages]], a round, the customers or contract numbers or first letters a group is told by).
_WAVES_RE: Final = re.compile(r"wave|group|phase|batch|stage|round|cohort|tranche", re.IGNORECASE)
# In [schedule] alone, what a group is told by: elsewhere such a key is more likely a key of
# another table written in the wrong place ([support] customer_centre, [password] letter).
_WAVES_IN_SCHEDULE_RE: Final = re.compile(
    r"customer|contract|account|first_letter|initial", re.IGNORECASE
)
_WAVES_FIX: Final = (
    "mailmove cannot say a migration in waves: one profile has one window."
    " Write one profile per wave (its own [schedule] window_start, window_end,"
    " old_pop_until and old_smtp_until; the same servers), run one mailmove for each"
    " (mailmove serve --profile wave-a.toml, each with its own port and"
    " MAILMOVE_STORE), and give each group the chat address of its own wave in the"
    " letter that tells it its dates"
)


# A day of the schedule named for one service ([schedule] smtp_window_start, receiving_from, a
# [schedule.sending] table): a notice that moves sending first and receiving later. Known keys
# (old_pop_until, old_smtp_until) are not asked about.
_SERVICE_WORDS: Final = frozenset(
    {"pop", "pop3", "imap", "smtp", "receive", "receiving", "incoming", "send", "sending"}
) | {"outgoing", "submission"}
_SERVICE_DAY_WORDS: Final = frozenset(
    {"window", "start", "end", "begin", "from", "switch", "cutover", "change", "move"}
) | {"phase", "stage", "day", "date"}
_PER_SERVICE_FIX: Final = (
    "mailmove cannot say a window for each service (sending first, receiving later): one"
    " profile has one window, in which subscribers change everything its [incoming] and"
    " [outgoing] describe, so the later server would be given out before it answers. Serve"
    " the phases one after the other: a profile of the first phase alone (the other server"
    " written as it is today: its new_host the same as its old one, no old_* key), then,"
    " from the second phase's first day, a profile of the second phase alone (the first"
    " phase's server as it is after it; for sending, old_smtp_auth = true), restarting"
    " mailmove with MAILMOVE_PROFILE pointing at it"
)


def _per_service(name: str, value: object) -> bool:
    """A key of [schedule] naming one service's day (smtp_window_start), or a table of days."""
    words = set(re.split(r"[_\-.\s]+", name.lower()))
    if not words & _SERVICE_WORDS:
        return False
    return bool(words & _SERVICE_DAY_WORDS) or any(
        day in inner for inner in _tables_in(value) for day in _SCHEDULE_KEYS
    )


def _tables_in(value: object) -> list[Mapping[str, object]]:
    """The tables a value holds: itself ([x]), or each of an array of tables ([[x]])."""
    if isinstance(value, Mapping):
        return [value]
    if isinstance(value, list):
        return [item for item in value if isinstance(item, Mapping)]
    return []


def _refuse_waves(table: _Reader, known: frozenset[str], prefix: str) -> None:
    """A migration in waves is refused with what to write instead, not as a typo.

    Told by the key's name, or by its shape where the name says nothing: a table of days
    ([schedule.a_to_m] window_start = …, a top-level [[stages]] with a window_start), or one
    day written as several (window_start = [2027-07-01, 2027-09-01]).
    """
    for name in table.names():
        if name in known and name not in _SCHEDULE_KEYS:
            continue
        value = table.raw(name)
        if name in known:
            # A day of the schedule given as several days: one per group.
            if isinstance(value, list) and len(value) > 1:
                raise ProfileError(
                    table.source,
                    f"{prefix}{name}",
                    f"has {len(value)} days, one per group: {_WAVES_FIX}",
                )
            continue
        in_schedule = prefix == "schedule."
        # A table holding a day of the schedule (a window of its own), unless its name is a
        # slip of a known one ([schedlue]: a typo). A table of other keys is left to the
        # unknown-key line ([schedule.old_servers] pop = …: not waves).
        dated = not did_you_mean(name, known) and any(
            day in inner for inner in _tables_in(value) for day in _SCHEDULE_KEYS
        )
        if in_schedule and _per_service(name, value):
            # Not a typo of window_start ('did you mean window_start?' led the writer to one
            # window for both), nor groups of subscribers (waves): one per service.
            raise ProfileError(table.source, f"{prefix}{name}", _PER_SERVICE_FIX)
        named = _WAVES_RE.search(name) or (in_schedule and _WAVES_IN_SCHEDULE_RE.search(name))
        if named or dated:
            raise ProfileError(table.source, f"{prefix}{name}", _WAVES_FIX)


def parse_profile(data: Mapping[str, object], source: str) -> MigrationProfile:
    """Build a profile from parsed TOML, or raise ProfileError naming what is wrong."""
    root = _Reader(source, data)
    _refuse_waves(root, _ROOT_KEYS, "")
    root.refuse_unknown(_ROOT_KEYS)
    provider = root.table("provider")
    incoming = root.table("incoming")
    outgoing = root.table("outgoing")
    schedule = root.table("schedule")
    _refuse_waves(schedule, _SCHEDULE_KEYS, "schedule.")
    support = root.table("support")
    policy = root.table("policy")
    for table, known in (
        (provider, _PROVIDER_KEYS),
        (schedule, _SCHEDULE_KEYS),
        (support, _SUPPORT_KEYS),
        (policy, _POLICY_KEYS),
    ):
        table.refuse_unknown(known)

    name, name_en = _provider_name(provider)
    profile = MigrationProfile(
        provider_name=name,
        provider_name_en=name_en,
        # The English name is read as the provider wherever an answer names it, as an alias.
        provider_aliases=tuple(
            dict.fromkeys(
                alias
                for alias in (*provider.optional_texts("aliases"), name_en)
                if alias and alias != name
            )
        ),
        timezone=provider.text("timezone"),
        affected_domains=provider.hosts("affected_domains"),
        incoming=_incoming(incoming),
        outgoing=_outgoing(outgoing),
        schedule=Schedule(
            window_start=schedule.date("window_start"),
            window_end=schedule.date("window_end"),
            old_pop_until=schedule.optional_date("old_pop_until"),
            old_smtp_until=schedule.optional_date("old_smtp_until"),
            old_address_until=schedule.optional_date("old_address_until"),
            old_sender_until=schedule.optional_date("old_sender_until"),
            op25b_from=schedule.optional_date("op25b_from"),
            next_phase_from=schedule.optional_date("next_phase_from"),
        ),
        support=Support(
            contact_ja=support.text("contact_ja"),
            contact_en=support.text("contact_en"),
            # Both or neither: one alone said the hours in one language and none in the other.
            **_hours_in_both(support),
            desk_hours=support.desk_hours("desk_hours"),
        ),
        pop_before_smtp_kept=policy.flag("pop_before_smtp_kept"),
        op25b_planned=policy.flag("op25b_planned"),
        allow_plaintext_login=policy.flag("allow_plaintext_login"),
        # Optional: left out, the mailboxes are not copied, as in the notice.
        old_mail_copied=policy.flag("old_mail_copied") if policy.has("old_mail_copied") else False,
        questionnaire=parse_questionnaire(data.get("questionnaire"), source, ProfileError),
        new_domains=_new_domains(provider, provider.hosts("affected_domains")),
        notice_addresses=_notice_addresses(provider, provider.hosts("affected_domains")),
        password_reset=_password_reset(root),
        webmail=_webmail(root),
    )
    _refuse_kept_hosts(profile, source)
    _refuse_receiving_kept_by_a_leaf(profile, source)
    _refuse_address_dates(profile, source)
    _refuse_next_phase(profile, source)
    if profile.schedule.op25b_from is not None and not profile.op25b_planned:
        # The day would be said of a block the profile says the provider does not plan.
        raise ProfileError(
            source,
            "schedule.op25b_from",
            "is given while [policy] op25b_planned is false: write op25b_planned = true, or"
            " leave the day out",
        )
    if profile.schedule.window_end < profile.schedule.window_start:
        raise ProfileError(
            source,
            "schedule.window_end",
            f"{profile.schedule.window_end} is before schedule.window_start"
            f" {profile.schedule.window_start}: the window's last day must be on or after its"
            " first (the same day for a single cut-over day)",
        )
    for key in ("old_pop_until", "old_smtp_until"):
        until = getattr(profile.schedule, key)
        if until is not None and until < profile.schedule.window_start:
            # Subscribers are told not to change anything before the window: an old server
            # gone by then would leave them without mail and the bot saying "wait".
            raise ProfileError(
                source,
                f"schedule.{key}",
                "is before schedule.window_start: the old server must answer until"
                " subscribers may change their settings",
            )
    return profile


def _hours_in_both(support: _Reader) -> dict[str, str]:
    """`hours_ja` and `hours_en`: left out (a `desk_hours` table says them in words), none.

    One written without the other told Japanese subscribers the hours and English ones
    nothing (or the other way round): refused with the key left out.
    """
    hours = {
        key: support.text(key, allow_empty=True) if support.has(key) else ""
        for key in ("hours_ja", "hours_en")
    }
    for key, other in (("hours_ja", "hours_en"), ("hours_en", "hours_ja")):
        if hours[key] and not hours[other]:
            raise support.error(
                other,
                f"says no hours while {key} says {hours[key]!r}: write the hours in both languages"
                " (or leave both out)",
            )
    return hours


def _provider_name(provider: _Reader) -> tuple[str, str]:
    """`[provider] name`: one name for both languages, or each language's (ja, en).

    A Japanese provider's name in kanji read 「海岸ひかりの…」 in Japanese and "the 海岸ひかり
    support centre" in English; written in Latin letters, the Japanese texts said
    「Kaigan Hikariのメールサーバー移行」. `name = { ja = "…", en = "…" }` gives each its own.
    """
    if not provider.has("name") or not isinstance(provider.raw("name"), Mapping):
        return provider.text("name"), ""
    names = provider.bilingual("name")
    return names.text("ja"), names.text("en")


def _password_reset(root: _Reader) -> PasswordReset | None:
    """`[password]`: the page where subscribers set a new mail password first, or None.

    Both keys are required together: a page without its address cannot be opened, and an
    address without the page's name cannot be found again on a phone.
    """
    if not root.has("password"):
        return None
    table = root.table("password")
    table.refuse_unknown(_PASSWORD_KEYS)
    kind = table.choice("kind", PasswordKind) if table.has("kind") else PasswordKind.NEW
    for sent, key in _SENT_IN.items():
        if table.has(key) and kind is not sent:
            raise table.error(
                key,
                f'names the {key} of a password sent by {sent} (kind = "{sent}"), not of'
                f' kind = "{kind}"',
            )
    if kind in _SENT_IN:
        return _posted_password(table, kind)
    url = table.text("reset_url")
    shape = _HTTPS_URL_RE.match(url)
    if shape is None or not _HOST_RE.match(shape["host"].lower()):
        # A password is typed on that page: never send subscribers to one without TLS.
        raise table.error(
            "reset_url", f"{url!r} must be an https:// address like https://member.example.jp/"
        )
    page = table.bilingual("reset_page")
    return PasswordReset(url=url, page_ja=page.text("ja"), page_en=page.text("en"), kind=kind)


def _webmail(root: _Reader) -> Webmail | None:
    """`[webmail]`: its address, and the programs sent there with the provider's reason."""
    if not root.has("webmail"):
        return None
    table = root.table("webmail")
    table.refuse_unknown(frozenset({"url", "only_for", "reason"}))
    url = table.text("url")
    shape = _HTTPS_URL_RE.match(url)
    if shape is None or not _HOST_RE.match(shape["host"].lower()):
        # A password is typed there too: never send subscribers to a page without TLS.
        raise table.error(
            "url", f"{url!r} must be an https:// address like https://webmail.example.jp/"
        )
    if not table.has("only_for"):
        if table.has("reason"):
            raise table.error("reason", "is given without only_for: no program is sent to webmail")
        return Webmail(url=url)
    only_for = tuple(program.value for program in table.choices("only_for", ProgramName))
    if len(only_for) == len(ProgramName):
        # Every program unsupported is a webmail-only migration: the leaves say so, and no
        # program question is asked at all.
        raise table.error(
            "only_for",
            "names every mail program: say in the questionnaire's leaves that mail programs"
            " are no longer supported instead",
        )
    reason = table.bilingual("reason")
    return Webmail(
        url=url, only_for=only_for, reason_ja=reason.text("ja"), reason_en=reason.text("en")
    )


def _posted_password(table: _Reader, kind: PasswordKind) -> PasswordReset:
    """`kind = "post"` or `"email"`: the new password is written where it is sent, no page.

    A letter (`letter`) for post; for e-mail the message (`message`) sent to the
    subscriber's contact address, which is not the mailbox that moves. A page's keys are
    refused rather than ignored: the texts of these kinds send nobody to a page, so an
    operator who has one wants `kind = "new"`.
    """
    key = _SENT_IN[kind]
    for page_key in ("reset_url", "reset_page"):
        if table.has(page_key):
            raise table.error(
                page_key,
                f'is a page\'s: a password sent by {kind} (kind = "{kind}") has none; name the'
                f' {key} in {key} = {{ ja = …, en = … }}, or use kind = "new" for a page',
            )
    sent_in = table.bilingual(key)
    return PasswordReset(url="", page_ja=sent_in.text("ja"), page_en=sent_in.text("en"), kind=kind)


def _notice_addresses(provider: _Reader, domains: tuple[str, ...]) -> tuple[str, ...]:
    """[provider] notice_addresses: as the notice writes them, each at an affected domain."""
    written = provider.optional_texts("notice_addresses")
    for address in written:
        if "@" not in address or address.rsplit("@", 1)[-1].lower() not in domains:
            raise provider.error(
                "notice_addresses",
                f"{address!r} must end in @ and one of affected_domains"
                " (as the notice writes it: 「********@vp.117.ne.jp」)",
            )
    return written


def _new_domains(provider: _Reader, affected: tuple[str, ...]) -> tuple[tuple[str, str], ...]:
    """`new_domain = "new.jp"` (every affected domain moves there) or a table per old domain.

    A table must name every affected domain and nothing else: an old domain left out would
    be told its address changes nowhere, an unknown one is a typo.
    """
    if not provider.has("new_domain"):
        return ()
    value = provider.raw("new_domain")
    if isinstance(value, str):
        new = provider.host("new_domain")
        pairs = tuple((old, new) for old in affected)
    elif isinstance(value, Mapping):
        table = provider.table("new_domain")
        table.refuse_unknown(frozenset(affected))
        missing = [old for old in affected if not table.has(old)]
        if missing:
            raise provider.error(
                "new_domain",
                f"names no new domain for {', '.join(missing)}: give one for every domain"
                " of affected_domains",
            )
        pairs = tuple((old, table.host(old)) for old in affected)
    else:
        raise provider.error(
            "new_domain",
            'must be a domain like "new-isp.jp", or a table like {"old-isp.ne.jp" = "new-isp.jp"}',
        )
    into = [(old, new) for old, new in pairs if new in affected]
    if into:
        # Mail to an affected domain is what moves: it cannot be where it moves to. A
        # merger (@kawa-biz into @kawa, whose own addresses stay) was told only that; what
        # the writer can do instead is one profile per group, as for waves.
        merged = next(((old, new) for old, new in into if old != new), None)
        merger = (
            f"; a domain merged into one whose own addresses stay ({merged[0]} → {merged[1]})"
            " cannot be said in one profile yet: serve two, one with affected_domains ="
            f' ["{merged[1]}"] and no new_domain, one with affected_domains = ["{merged[0]}"]'
            f' and new_domain = "{merged[1]}", each with its own port and MAILMOVE_STORE'
            if merged is not None
            else ""
        )
        raise provider.error(
            "new_domain",
            f"{into[0][1]!r} is one of affected_domains: the new domain must differ from every"
            f" old one{merger}",
        )
    return pairs


def _refuse_next_phase(profile: MigrationProfile, source: str) -> None:
    """The next phase's day belongs to a first phase that changes one side alone, after it starts.

    Its texts say the other side changes from that day: a profile that changes both now
    would contradict itself.
    """
    day = profile.schedule.next_phase_from
    if day is None:
        return
    if profile.incoming.unchanged == profile.outgoing.unchanged:
        raise ProfileError(
            source,
            "schedule.next_phase_from",
            "is for the first phase of a migration that changes one side first and the other"
            " later: this profile must change sending alone ([incoming] written as it is"
            " today: new_host = old_host, no old_* key) or receiving alone ([outgoing] written"
            " as it is today); leave the day out otherwise",
        )
    if day <= profile.schedule.window_start:
        raise ProfileError(
            source,
            "schedule.next_phase_from",
            f"{day} is not after schedule.window_start {profile.schedule.window_start}: the"
            " next phase begins after this one",
        )


def _refuse_address_dates(profile: MigrationProfile, source: str) -> None:
    """The old addresses' last days need a domain change, and no earlier than the window.

    The old address may not stay the sender after it stopped receiving: replies to it
    would be lost.
    """
    schedule = profile.schedule
    for key in ("old_address_until", "old_sender_until"):
        if getattr(schedule, key) is not None and not profile.domain_changes:
            raise ProfileError(
                source,
                f"schedule.{key}",
                "is given while [provider] new_domain is not: without a new domain no"
                " address changes",
            )
    sender = schedule.old_sender_until
    if sender is not None and sender < schedule.window_start:
        raise ProfileError(
            source,
            "schedule.old_sender_until",
            "is before schedule.window_start: subscribers are told to change nothing before"
            " the window",
        )
    until = schedule.old_address_until
    if until is None:
        return
    if sender is not None and sender > until:
        raise ProfileError(
            source,
            "schedule.old_sender_until",
            f"is after schedule.old_address_until ({until}): mail sent from the old address"
            " would get replies that no longer arrive",
        )
    if until < profile.schedule.window_end:
        # Subscribers may change until window_end: their old address must still receive
        # until then, or mail to it is lost before they were due to change anything.
        raise ProfileError(
            source,
            "schedule.old_address_until",
            "is before schedule.window_end: the old addresses must receive until subscribers"
            " have had the whole window to change",
        )


def _refuse_receiving_changes(profile: MigrationProfile, source: str) -> None:
    """A receiving server kept exactly as it is: nothing else may say receiving changes.

    Every text of such a profile says that receiving stays as it is; a leaf, a day or a
    table that says otherwise is a half-described migration, refused with what to fix.
    """
    incoming = f"incoming.old_host ({profile.incoming.old_host})"
    kept = (
        f"is given while receiving does not change (incoming.new_host is {incoming}, with"
        " the same port, security and login name)"
    )
    if profile.schedule.old_pop_until is not None:
        raise ProfileError(
            source,
            "schedule.old_pop_until",
            f"{kept}: nothing stops on the receiving side; leave it out",
        )
    if profile.password_reset is not None:
        raise ProfileError(
            source,
            "password",
            f"{kept}: a new password would change the receiving login too; describe the"
            " receiving side's change, or leave [password] out",
        )
    if profile.domain_changes:
        raise ProfileError(
            source,
            "provider.new_domain",
            f"{kept}: a new address changes the receiving login too",
        )
    if profile.old_mail_copied:
        raise ProfileError(
            source,
            "policy.old_mail_copied",
            f"{kept}: the mailbox stays where it is, so nothing is copied; leave it out or"
            " write false",
        )
    for leaf_id, leaf in profile.questionnaire.flowchart.leaves.items():
        if leaf.receiving is not Receiving.NOT_NEEDED:
            raise ProfileError(
                source,
                f"questionnaire.leaves.{leaf_id}.receiving",
                f"is {leaf.receiving.value!r} while receiving does not change (incoming.new_host"
                f" is {incoming}, with the same port, security and login name): write"
                ' receiving = "not_needed" in every leaf, or describe what changes in'
                " [incoming] (old_port, old_security, old_login_name)",
            )


# The questions whose typed answers are read as about sending (`Reading`).
_SENDING_READINGS: Final = frozenset({Reading.OUR_SMTP, Reading.OTHER_NETWORK, Reading.OP25B})


def _refuse_sending_changes(profile: MigrationProfile, source: str) -> None:
    """An outgoing server kept exactly as it is: nothing else may say sending changes.

    The mirror of `_refuse_receiving_changes`: every text of such a profile says that
    sending stays as it is; a leaf or a day that says otherwise is refused with what to fix.
    """
    outgoing = profile.outgoing
    kept = (
        f"while sending does not change (outgoing.new_host is outgoing.old_hosts"
        f" ({outgoing.new_host}), with the same port, security and login name, and"
        " old_smtp_auth = true)"
    )
    if profile.schedule.old_smtp_until is not None:
        raise ProfileError(
            source,
            "schedule.old_smtp_until",
            f"is given {kept}: nothing stops on the sending side; leave it out",
        )
    if profile.schedule.op25b_from is not None:
        raise ProfileError(
            source,
            "schedule.op25b_from",
            f"is given {kept}: a port-25 block changes sending; describe today's sending"
            " (old_port = 25) in [outgoing], or leave the day out",
        )
    if profile.password_reset is not None:
        raise ProfileError(
            source,
            "password",
            f"is given {kept}: a new password would change the sending login too; describe"
            " the sending side's change, or leave [password] out",
        )
    if profile.domain_changes:
        raise ProfileError(
            source,
            "provider.new_domain",
            f"is given {kept}: a new address changes the sending login too",
        )
    for question_id, question in profile.questionnaire.flowchart.questions.items():
        if question.reading in _SENDING_READINGS:
            # Whose outgoing server they use, or whether port 25 is blocked, changes nothing
            # where sending stays as it is: the subscriber would be asked for nothing.
            raise ProfileError(
                source,
                f"questionnaire.questions.{question_id}.reading",
                f"is {question.reading.value!r}, a question about sending, {kept}: its answer"
                " changes nothing; leave the question out (ask only whether they use a mail"
                " program), or describe what changes in [outgoing]",
            )
    for leaf_id, leaf in profile.questionnaire.flowchart.leaves.items():
        if leaf.sending is not Sending.NOT_NEEDED:
            raise ProfileError(
                source,
                f"questionnaire.leaves.{leaf_id}.sending",
                f'is {leaf.sending.value!r} {kept}: write sending = "not_needed" in every'
                " leaf, or describe what changes in [outgoing] (old_hosts, old_port,"
                " old_security, old_login_name, old_smtp_auth)",
            )


def _receiving_change(incoming: IncomingServer) -> str:
    """What changes on the receiving side, in the profile's own keys, for a refusal."""
    if not incoming.host_kept:
        return f"incoming.old_host {incoming.old_host} → new_host {incoming.new_host}"
    if incoming.protocol is not incoming.old_protocol:
        return f"incoming.old_protocol {incoming.old_protocol} → protocol {incoming.protocol}"
    if incoming.connection_changes:
        return (
            f"incoming.old_port {incoming.old_port} ({incoming.old_security}) → port"
            f" {incoming.port} ({incoming.security})"
        )
    return f"incoming.old_login_name {incoming.old_login_name} → login_name {incoming.login_name}"


def _refuse_receiving_kept_by_a_leaf(profile: MigrationProfile, source: str) -> None:
    """Where receiving changes, a leaf that changes sending cannot keep receiving.

    Whoever changes sending uses a mail program, and every mail program's receiving moves
    with the profile's [incoming]: such a leaf would say 「送信の設定：変更が必要です」 alone
    while the card and guide change the receiving port. It is what an operator gets who
    copies a sending-only profile and adds the receiving TLS that starts the same day.
    """
    incoming = profile.incoming
    if incoming.unchanged:
        return
    for leaf_id, leaf in profile.questionnaire.flowchart.leaves.items():
        if leaf.receiving is Receiving.NOT_NEEDED and leaf.sending is not Sending.NOT_NEEDED:
            raise ProfileError(
                source,
                f"questionnaire.leaves.{leaf_id}.receiving",
                f"is 'not_needed' in a leaf that changes sending ({leaf.sending.value!r}) while"
                f" receiving changes ({_receiving_change(incoming)}): whoever changes sending"
                " uses a mail program, whose receiving changes too; write receiving ="
                ' "required", or keep [incoming] as it is today for a sending-only migration',
            )


_PROTOCOL_NAMES: Final = {Protocol.POP3: "POP3", Protocol.IMAP: "IMAP"}


def _named_for(incoming: IncomingServer) -> str:
    """A name for `incoming`'s new protocol beside its kept one: mail.x.jp → imap.x.jp."""
    label = "imap" if incoming.protocol is Protocol.IMAP else "pop"
    rest = incoming.old_host.split(".", 1)[1] if incoming.old_host.count(".") > 1 else ""
    return f"{label}.{rest or incoming.old_host}"


def _refuse_kept_hosts(profile: MigrationProfile, source: str) -> None:
    """A host name that stays is a move to another connection (TLS, a port), nothing else.

    With the name kept, the mailbox stays where it is and what stops on the old server's
    last day is the old connection (its port and encryption): the texts say so. A kept
    name with the same port and encryption would leave nothing to change or to stop; a
    kept receiving name with another protocol would be a new account on the same mailbox,
    which no text describes yet.
    """
    incoming, outgoing = profile.incoming, profile.outgoing
    if outgoing.unchanged and incoming.unchanged and profile.domain_changes:
        # Not 'nothing would change': the address does, and the writer knows it.
        raise ProfileError(
            source,
            "provider.new_domain",
            "moves the addresses while both servers stay exactly as they are (the same names,"
            " ports, encryption and kind of login): only the address moves, and mailmove"
            " cannot guide a new address on unchanged servers yet (its texts say what changes"
            " on a server or a connection, and what stops on the old one's last day). Where a"
            " server, its port, encryption or login also changes, describe it in [incoming] or"
            " [outgoing] (old_host, old_port, old_security, old_login_name)",
        )
    if outgoing.unchanged and incoming.unchanged:
        # 「Webメールのアドレスが変わります。メールソフトの設定変更は不要です」: a new webmail
        # address alone is no mail program's change; say so rather than "describe what changes".
        webmail = (
            f"; a new webmail address alone ([webmail] url = {profile.webmail.url!r}) changes no"
            " mail program's settings, which is what mailmove guides: tell subscribers in your"
            " notice and on your site instead"
            if profile.webmail is not None
            else ""
        )
        raise ProfileError(
            source,
            "outgoing.new_host",
            f"is the same as outgoing.old_hosts ({outgoing.new_host}), and receiving does not"
            " change either: nothing would change; describe what changes in [incoming] or"
            f" [outgoing] (old_host, old_port, old_security, old_login_name){webmail}",
        )
    if incoming.host_kept:
        if incoming.protocol is not incoming.old_protocol:
            raise ProfileError(
                source,
                "incoming.new_host",
                f"is the same as incoming.old_host ({incoming.old_host}) while the protocol"
                f" changes ({incoming.old_protocol} to {incoming.protocol}): a change of"
                " protocol on the same server cannot be described yet (a mail program cannot"
                " switch an account's protocol, and every text for a kept name edits the"
                f" account). If the server also answers {_PROTOCOL_NAMES[incoming.protocol]}"
                f" under a name of its own ({_named_for(incoming)}, say), write that name as"
                " new_host and [policy] old_mail_copied = true: the guides add an account"
                " beside the current one, and the mail left on the server shows in it. Else"
                " mailmove cannot guide this migration yet",
            )
        if incoming.unchanged:
            # A sending-only move (25 → 587, 465 → 587 + STARTTLS): its own checks.
            _refuse_receiving_changes(profile, source)
        elif not incoming.connection_changes:
            raise ProfileError(
                source,
                "incoming.new_host",
                f"is the same as incoming.old_host ({incoming.old_host}) and so are the port"
                " and its security: a kept host name needs old_port or old_security to say"
                " what changes",
            )
    if outgoing.new_host in outgoing.old_hosts and not outgoing.host_kept:
        raise ProfileError(
            source,
            "outgoing.old_hosts",
            f"names new_host {outgoing.new_host!r}: list only the names subscribers move away"
            f" from: whoever already uses {outgoing.new_host} is told to keep it",
        )
    if outgoing.unchanged:
        # A receiving-only move (POP to a new name, SMTP untouched): its own checks.
        _refuse_sending_changes(profile, source)
    elif outgoing.host_kept and not outgoing.connection_changes:
        # Sending kept as it is, but without a login today: the card and every guide set
        # SMTP authentication, which would be news; say which key makes it a kept server.
        alone = (
            ""
            if incoming.unchanged or outgoing.login_name is not outgoing.old_login_name
            else "; if sending does not change at all (subscribers log in when they send"
            " today), write old_smtp_auth = true and mailmove guides the receiving move"
            " alone; if they send without a login today and keep doing so, mailmove cannot"
            " guide this migration yet (its card, guides and files turn SMTP authentication"
            " on)"
        )
        raise ProfileError(
            source,
            "outgoing.new_host",
            f"is the same as outgoing.old_hosts ({outgoing.new_host}) and so are the port and"
            " its security: a kept host name needs old_port or old_security to say what"
            f" changes{alone}",
        )
    for key, server, until in (
        ("incoming", incoming, "old_pop_until"),
        ("outgoing", outgoing, "old_smtp_until"),
    ):
        old = Port(server.old_port, server.old_security)
        if server is incoming and incoming.unchanged:
            continue  # nothing stops on the receiving side (old_pop_until is refused)
        if server is outgoing and outgoing.unchanged:
            continue  # nothing stops on the sending side (old_smtp_until is refused)
        if server.host_kept and old in server.ports:
            # The texts say today's connection stops on that day: it would not.
            raise ProfileError(
                source,
                f"{key}.ports",
                f"lists today's connection (port {old.number}, {old.security}) while the host"
                f" name stays: nothing would stop on schedule.{until}; list only the new"
                " connections",
            )
    if (
        incoming.host_kept
        and not outgoing.host_kept
        and not incoming.unchanged
        and incoming.old_login_name is LoginName.MAILBOX_ID
    ):
        # A kept receiving name beside an outgoing one that moves is guided (its texts have
        # twins: `Timing.receiving_host_kept`, pop_kept.po), as is the other way round
        # (`Timing.sending_host_kept`). A mailbox id today beside it has no words yet.
        _refuse_one_kept_one_moved(incoming, outgoing, source)


def _refuse_one_kept_one_moved(
    incoming: IncomingServer, outgoing: OutgoingServer, source: str
) -> None:
    """A kept receiving name beside an outgoing one that moves, logged in with a mailbox id.

    The layout itself is guided (`Timing.receiving_host_kept`, pop_kept.po); what has no
    words yet is a mailbox id as today's login beside it. The line names that as the reason
    (it used to say the layout had no texts, which 8135085 made false, and sent the writer
    looking for another layout), and says why no other way of writing it is left.
    """
    old_hosts = ", ".join(outgoing.old_hosts)
    raise ProfileError(
        source,
        "incoming.new_host",
        f"is kept while outgoing.new_host changes ({old_hosts} → {outgoing.new_host};"
        f" receiving: {_receiving_change(incoming)}), and subscribers log in with a mailbox"
        " id today (incoming.old_login_name): a kept receiving name beside an outgoing"
        " server that moves is guided, but mailmove's texts for it have no words for a"
        " mailbox id today, and [incoming] written as it is today is refused as well (a"
        " mailbox id is only ever old_login_name): mailmove cannot guide this migration yet",
    )


def _incoming(table: _Reader) -> IncomingServer:
    table.refuse_unknown(_INCOMING_KEYS)
    protocol = _receiving(table, "protocol", Protocol.POP3)
    ports = table.ports()
    old_protocol = _receiving(table, "old_protocol", protocol)
    old = _old_port(table, ports)
    methods = _login_methods(table)
    if LoginMethod.APOP in methods and protocol is not Protocol.POP3:
        raise table.error("login_methods", "apop is a POP3 method: this server speaks IMAP")
    login_name = _login_name(table, "login_name", LoginName.ADDRESS)
    return IncomingServer(
        old_host=table.host("old_host"),
        new_host=table.host("new_host"),
        ports=ports,
        protocol=protocol,
        login_methods=methods,
        login_name=login_name,
        old_protocol=old_protocol,
        old_port=old.number,
        old_security=old.security,
        old_login_name=_login_name(table, "old_login_name", login_name),
        check=_check_access(table),
    )


def _outgoing(table: _Reader) -> OutgoingServer:
    table.refuse_unknown(_OUTGOING_KEYS)
    if table.has("protocol") and table.choice("protocol", Protocol) is not Protocol.SMTP:
        raise table.error("protocol", "the outgoing server speaks smtp")
    ports = table.ports()
    old = _old_port(table, ports)
    methods = _login_methods(table)
    if LoginMethod.APOP in methods:
        raise table.error("login_methods", "apop is a POP3 method, not one for SMTP")
    login_name = _login_name(table, "login_name", LoginName.ADDRESS)
    return OutgoingServer(
        old_hosts=table.hosts("old_hosts"),
        new_host=table.host("new_host"),
        ports=ports,
        login_methods=methods,
        login_name=login_name,
        old_port=old.number,
        old_security=old.security,
        old_login_name=_login_name(table, "old_login_name", login_name),
        old_authenticated=table.flag("old_smtp_auth")
        if table.has("old_smtp_auth")
        else old.number != _RELAY_PORT,
        check=_check_access(table),
    )


# Port 25 (MTA-to-MTA relay): where the notice's subscribers sent without authenticating,
# so a profile that does not say `old_smtp_auth` is taken to authenticate on any other.
_RELAY_PORT: Final = 25


def _old_port(table: _Reader, ports: tuple[Port, ...]) -> Port:
    """Today's port and TLS mode; each absent one is taken to be the recommended new one's."""
    number = table.port("old_port") if table.has("old_port") else ports[0].number
    security = table.security("old_security") if table.has("old_security") else ports[0].security
    return Port(number, security)


def _receiving(table: _Reader, key: str, default: Protocol) -> Protocol:
    if not table.has(key):
        return default
    if table.text(key) == Protocol.SMTP:
        raise table.error(key, "a receiving server speaks pop3 or imap")
    protocol = table.choice(key, _ReceivingProtocol)
    return Protocol(protocol.value)


def _login_methods(table: _Reader) -> tuple[LoginMethod, ...]:
    # The seed's servers take the password as typed: the notice names no other method.
    if not table.has("login_methods"):
        return (LoginMethod.PASSWORD,)
    written = table.raw("login_methods")
    for item in written if isinstance(written, list) else ():
        if isinstance(item, str) and "oauth" in item.lower():
            # Not a typo: a login the bot cannot guide. Say why and what can be written.
            allowed = ", ".join(member.value for member in LoginMethod)
            raise table.error(
                "login_methods",
                f"{item!r} is not one of {allowed}: mailmove cannot guide a login by OAuth"
                " alone. Mail programs sign in by OAuth only to the services built into them"
                " (Google, Microsoft and a few others), so no settings typed by hand reach"
                " another provider's servers that way, and the live check logs in with a"
                " password. If your servers also take app passwords, write login_methods ="
                ' ["password"] and [password] kind = "app" (subscribers issue one on your'
                " page); if they take nothing but OAuth, mailmove cannot guide this migration"
                " yet",
            )
    return table.choices("login_methods", LoginMethod)


def _login_name(table: _Reader, key: str, default: LoginName) -> LoginName:
    name = table.choice(key, LoginName) if table.has(key) else default
    if name is LoginName.MAILBOX_ID and key != "old_login_name":
        # The bot shows the login name it asks for: it knows the address, not an id.
        raise table.error(
            key,
            '"mailbox-id" can only be today\'s login (old_login_name): the new login must'
            ' be "address" or "local-part", which the bot can show',
        )
    return name


def _check_access(server: _Reader) -> CheckAccess:
    table = server.optional_table("check")
    table.refuse_unknown(_CHECK_KEYS)
    return CheckAccess(
        connect_host=table.connect_host("connect_host") if table.has("connect_host") else None,
        ca_file=table.text("ca_file") if table.has("ca_file") else None,
    )
