"""The new settings, filled in for one subscriber, as rows and as guide placeholders."""

from __future__ import annotations

import enum
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Final

from dialogs.frozen import quick_init
from dialogs.profile import (
    IncomingServer,
    LoginMethod,
    LoginName,
    MigrationProfile,
    OutgoingServer,
    Port,
    Protocol,
    Security,
)
from dialogs.texts import N_, Texts
from dialogs.vocabulary import Locale, Sending, SettingsItem


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


# What mail programs generally call each method; a guide may use its program's own words.
_METHOD_KEYS: Final[dict[LoginMethod, str]] = {
    LoginMethod.PASSWORD: N_("settings.login_method.password"),
    LoginMethod.CRAM_MD5: N_("settings.login_method.cram-md5"),
    LoginMethod.APOP: N_("settings.login_method.apop"),
}

_PROTOCOL_NAMES: Final[dict[Protocol, str]] = {
    Protocol.POP3: "POP3",
    Protocol.IMAP: "IMAP",
    Protocol.SMTP: "SMTP",
}

# How a guide names the login name: 「メールアドレス全体の…」 or 「@より前の部分（…）」.
_LOGIN_KEYS: Final[dict[LoginName, str]] = {
    LoginName.ADDRESS: N_("settings.login.address"),
    LoginName.LOCAL_PART: N_("settings.login.local_part"),
}

# Thunderbird's name for a plain password login over an unencrypted connection, quoted
# (guides.po); over SSL/TLS or STARTTLS its menu says what mail programs generally do.
THUNDERBIRD_INSECURE_KEY: Final = N_("guide.thunderbird.method.insecure")

# Apple Mail's own names in its 「認証」 menu (guides.po).
_APPLE_METHOD_KEYS: Final[dict[LoginMethod, str]] = {
    LoginMethod.PASSWORD: N_("guide.apple.method.password"),
    LoginMethod.CRAM_MD5: N_("guide.apple.method.cram-md5"),
    LoginMethod.APOP: N_("guide.apple.method.apop"),
}

# Apple's own boxes for encryption, by whether the server encrypts (STARTTLS or SSL/TLS):
# Mail on the Mac has a 「TLS/SSLを使用」 tick box, iPhone/iPad Mail a 「SSLを使用」 switch, and
# each speaks STARTTLS on a port that needs it. A guide says "ticked" or "off", not "as the
# encryption setting says" (guides.po).
_APPLE_SSL_STATE_KEYS: Final[dict[bool, str]] = {
    False: N_("guide.apple.ssl.state.off"),
    True: N_("guide.apple.ssl.state.on"),
}
_APPLE_SSL_SET_KEYS: Final[dict[bool, str]] = {
    False: N_("guide.apple.ssl.set.off"),
    True: N_("guide.apple.ssl.set.on"),
}
_IOS_SSL_KEYS: Final[dict[bool, str]] = {
    False: N_("guide.ios.ssl.off"),
    True: N_("guide.ios.ssl.on"),
}
SSL_BOX_KEYS: Final = frozenset(
    {*_APPLE_SSL_STATE_KEYS.values(), *_APPLE_SSL_SET_KEYS.values(), *_IOS_SSL_KEYS.values()}
)
"""The catalog keys of Apple's encryption boxes (for tests that read every guide entry)."""

_SERVER_LABEL_KEYS: Final[dict[Protocol, str]] = {
    Protocol.POP3: N_("settings.label.pop_server"),
    Protocol.IMAP: N_("settings.label.imap_server"),
}


def security_key(security: Security) -> str:
    """Catalog key of a TLS mode's name (「なし」「STARTTLS」「SSL/TLS」)."""
    return _SECURITY_KEYS[security]


def method_key(method: LoginMethod) -> str:
    """Catalog key of a login method's general name (「通常のパスワード認証」)."""
    return _METHOD_KEYS[method]


def protocol_name(protocol: Protocol) -> str:
    """A protocol as every mail program writes it: POP3, IMAP, SMTP."""
    return _PROTOCOL_NAMES[protocol]


@quick_init
@dataclass(frozen=True, slots=True)
class CardFacts:
    """What the card depends on besides the profile."""

    address: str | None
    sending: Sending
    smtp_host: SmtpHost | None
    # Without an address, the affected domain the subscriber chose (`skip_domains`); None:
    # not asked, or one pair says it all.
    domain: str | None = None


Say = Callable[..., str]
"""A catalog lookup already bound to the subscriber's locale: `say(key, **params)`."""


def fill_values(profile: MigrationProfile, facts: CardFacts, say: Say) -> dict[str, str]:
    """The placeholders every settings text and guide may use."""
    return {**profile_values(profile, say), **personal_values(profile, facts, say)}


def personal_values(profile: MigrationProfile, facts: CardFacts, say: Say) -> dict[str, str]:
    """The placeholders of `fill_values` that the subscriber's facts decide."""
    # Without an address, 「@vp.117.ne.jpで終わるお使いのメールアドレス」 in words.
    address, new_address = addresses(profile, facts.address, say, facts.domain)
    # The servers know the address the mailbox has after the migration.
    username = _login_of(profile.incoming.login_name, facts.address, new_address, say)
    return {
        # The address set in the mail program today (the guides select its account by it),
        # and the one it has from now on: the same where the domain stays.
        "address": address,
        "new_address": new_address,
        # The same beside the word メールアドレス in a domain change's lines, where the words
        # said without an address would say it three times (「メールアドレスが@oldで終わる
        # お使いのメールアドレスから…」): 「@oldで終わるアドレス」.
        **short_addresses(profile, facts.address, say, facts.domain),
        "username": username,
        # 「メールアドレス全体のtaro@…」 says which form a value is; the words said without an
        # address already say it (「メールアドレス全体のお客様のメールアドレス」 would not read).
        "login": (
            username
            if facts.address is None
            else say(_LOGIN_KEYS[profile.incoming.login_name], username=username)
        ),
        "smtp_username": _login_of(profile.outgoing.login_name, facts.address, new_address, say),
        "smtp_server": _smtp_server(profile, facts, say),
        # The guide's line, beside the receiving one's 「vpop.117.ne.jp（今はvp.117.ne.jp）」.
        "smtp_server_now": _smtp_server_now(profile, facts, say),
        # The profile's {domain} is its first; a domain chosen without an address is theirs
        # (settings.placeholder_note names the words the card writes for it).
        **({"domain": facts.domain} if facts.domain in profile.affected_domains else {}),
    }


def profile_values(profile: MigrationProfile, say: Say) -> dict[str, str]:
    """The placeholders of `fill_values` that only the profile (and the language) decide.

    The same for every subscriber: worded once per profile and language (`Speaker`), not
    again for each new address.
    """
    incoming, outgoing = profile.incoming, profile.outgoing
    unchanged = say(N_("settings.note.unchanged"))

    def note(new: object, old: object, old_text: str) -> str:
        return unchanged if new == old else say(N_("settings.note.was"), old=old_text)

    pop_old_security = say(_SECURITY_KEYS[incoming.old_security])
    pop_encrypted = incoming.security is not Security.NONE
    smtp_encrypted = outgoing.security is not Security.NONE
    smtp_old_security = say(_SECURITY_KEYS[outgoing.old_security])
    return {
        "pop_port_note": note(incoming.port, incoming.old_port, str(incoming.old_port)),
        # What a fix needs besides the host: the port and its encryption where they change
        # (「465番（SSL/TLS）」, 「mail.example.jp（ポート995番、SSL/TLS）」); the seed's plain.
        "smtp_port_spec": _port_spec(outgoing.port, outgoing.security, say),
        "pop_server_spec": _server_spec(incoming, None, say),
        "pop_server_full": _server_spec(incoming, protocol_name(incoming.protocol), say),
        "smtp_port_note": note(outgoing.port, outgoing.old_port, str(outgoing.old_port)),
        "pop_security_note": note(incoming.security, incoming.old_security, pop_old_security),
        "smtp_security_note": note(outgoing.security, outgoing.old_security, smtp_old_security),
        "apple_pop_method": say(_APPLE_METHOD_KEYS[incoming.login_method]),
        "apple_smtp_method": say(_APPLE_METHOD_KEYS[outgoing.login_method]),
        "apple_pop_ssl_state": say(_APPLE_SSL_STATE_KEYS[pop_encrypted]),
        "apple_smtp_ssl_state": say(_APPLE_SSL_STATE_KEYS[smtp_encrypted]),
        "apple_pop_ssl_set": say(_APPLE_SSL_SET_KEYS[pop_encrypted]),
        "apple_smtp_ssl_set": say(_APPLE_SSL_SET_KEYS[smtp_encrypted]),
        "ios_pop_ssl": say(_IOS_SSL_KEYS[pop_encrypted]),
        "ios_smtp_ssl": say(_IOS_SSL_KEYS[smtp_encrypted]),
        "pop_protocol": protocol_name(incoming.protocol),
        "pop_old_protocol": protocol_name(incoming.old_protocol),
        "pop_server": incoming.new_host,
        "pop_port": str(incoming.port),
        "pop_old_port": str(incoming.old_port),
        "pop_old": incoming.old_host,
        "pop_security": say(_SECURITY_KEYS[incoming.security]),
        "pop_old_security": pop_old_security,
        "pop_method": say(_METHOD_KEYS[incoming.login_method]),
        "pop_other_ports": _other_ports(incoming.ports, say),
        "smtp_port": str(outgoing.port),
        "smtp_old_port": str(outgoing.old_port),
        "smtp_security": say(_SECURITY_KEYS[outgoing.security]),
        "smtp_old_security": smtp_old_security,
        "smtp_method": say(_METHOD_KEYS[outgoing.login_method]),
        # Thunderbird renames the plain password login when the connection is not encrypted:
        # its steps said 「通常のパスワード認証」 and then that the screen calls it otherwise.
        "thunderbird_pop_method": _thunderbird_method(incoming, say),
        "thunderbird_smtp_method": _thunderbird_method(outgoing, say),
        "smtp_other_ports": _other_ports(outgoing.ports, say),
        # The receiving server's mode: the older guides' single {security}.
        "security": say(_SECURITY_KEYS[incoming.security]),
    }


def _thunderbird_method(server: IncomingServer | OutgoingServer, say: Say) -> str:
    """The login method as Thunderbird's 「認証方式」 menu names it for this server, quoted."""
    if server.login_method is LoginMethod.PASSWORD and server.security is Security.NONE:
        return say(THUNDERBIRD_INSECURE_KEY)
    return say(N_("list.quoted"), item=say(_METHOD_KEYS[server.login_method]))


def addresses(
    profile: MigrationProfile, typed: str | None, say: Say, domain: str | None = None
) -> tuple[str, str]:
    """The subscriber's address today and after the migration, typed either way.

    Without an address, each in words that end in its domain (「@oldで終わるお使いのメール
    アドレス」, with no parentheses of its own: texts quote it inside 「（…）」): never the
    notice's 「********@old」, which reads as a hidden password.
    """
    if typed is not None:
        return profile.old_address(typed), profile.new_address(typed)
    olds, news = _every_pair(profile, domain)
    if olds:
        # Which domain is theirs not said (a question before the address, an old state):
        # every one, never the first's alone.
        return (
            say(N_("settings.address_placeholder_any"), domains=_listed(olds, say)),
            say(N_("settings.address_placeholder_any"), domains=_listed(news, say)),
        )
    old, new = _domains(profile, domain)
    return (
        say(N_("settings.address_placeholder"), domain=old),
        say(N_("settings.address_placeholder"), domain=new),
    )


def short_addresses(
    profile: MigrationProfile, typed: str | None, say: Say, domain: str | None = None
) -> dict[str, str]:
    """`addresses` as `address_short` and `new_address_short`: without an address, shorter.

    A domain change's lines name the address as the subject or object of a sentence that
    says メールアドレス already; the typed address reads the same there.
    """
    if typed is not None:
        return {
            "address_short": profile.old_address(typed),
            "new_address_short": profile.new_address(typed),
        }
    olds, news = _every_pair(profile, domain)
    if olds:
        # 「@aまたは@bで終わるアドレスから、それぞれ@A、@Bで終わるアドレスに」: the pairs in order.
        return {
            "address_short": say(
                N_("settings.address_short_placeholder_any"), domains=_listed(olds, say)
            ),
            "new_address_short": say(
                N_("settings.address_short_placeholder_each"),
                domains=_listed(news, say, last=N_("list.each")),
            ),
        }
    old, new = _domains(profile, domain)
    return {
        "address_short": say(N_("settings.address_short_placeholder"), domain=old),
        "new_address_short": say(N_("settings.address_short_placeholder"), domain=new),
    }


def skip_domains(profile: MigrationProfile) -> tuple[str, ...]:
    """The affected domains a subscriber without an address chooses between; () if none.

    Where several domains move to a new one each (a `new_domain` table), the words without
    an address named the first domain's pair: a subscriber of the second read another new
    domain and would set a wrong address and login. Which one is theirs is asked instead.
    """
    if profile.domain_changes and len(profile.affected_domains) > 1:
        return profile.affected_domains
    return ()


def _every_pair(
    profile: MigrationProfile, chosen: str | None
) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Each affected domain and its new one (itself where the domain stays), none chosen; else ().

    Several domains that stay (no `new_domain`) are each named too: the words without an
    address said the first alone (「@a.jpで終わるお使いのメールアドレス」), which a subscriber
    of @b.jp reads as someone else's account.
    """
    if chosen is not None or len(profile.affected_domains) < 2:
        return (), ()
    olds = profile.affected_domains
    return olds, tuple(_domains(profile, old)[1] for old in olds)


def _listed(domains: tuple[str, ...], say: Say, last: str = N_("list.or")) -> str:
    """「@a、@bまたは@c」 / "@a, @b or @c" (`last`: the words before the last one)."""
    return _either(tuple(f"@{domain}" for domain in domains), say, last)


def _either(items: tuple[str, ...], say: Say, last: str = N_("list.or")) -> str:
    """「a、bまたはc」 / "a, b or c": alternatives in the language's own words."""
    listed = items[0]
    for item in items[1:-1]:
        listed = say(N_("list.more"), first=listed, next=item)
    if len(items) == 1:
        return listed
    return say(last, first=listed, last=items[-1])


def _domains(profile: MigrationProfile, chosen: str | None = None) -> tuple[str, str]:
    """The domain of the subscribers' addresses today and after the migration."""
    old = chosen if chosen in profile.affected_domains else profile.affected_domains[0]
    return old, profile.new_address(f"x@{old}").rpartition("@")[2]


def _address_changed(
    profile: MigrationProfile,
    typed: str | None,
    domain: str | None,
    values: Mapping[str, str],
    say: Say,
) -> str:
    """The address row's value where the domain changes: the new address, and today's.

    Without an address, the two domains alone (「@new で終わるアドレス（今は@old で終わる
    もの）」): the two placeholders in one another would say the words twice (「@new…で終わる
    お使いのメールアドレス（今は@old…で終わるお使いのメールアドレス）」).
    """
    if typed is not None:
        return say(N_("settings.address_changed"), new=values["new_address"], old=values["address"])
    if _every_pair(profile, domain)[0]:
        old_short, new_short = values["address_short"], values["new_address_short"]
        return say(N_("settings.address_changed"), new=new_short, old=old_short)
    old, new = _domains(profile, domain)
    return say(N_("settings.address_changed_domains"), new=new, old=old)


def _login_of(name: LoginName, typed: str | None, new_address: str, say: Say) -> str:
    """The login name in `name`'s form for the address after the migration.

    Without an address the part before @ is said in words: the address's own words cut at
    their @ would read 「お客様のメールアドレス（」.
    """
    if typed is None and name is LoginName.LOCAL_PART:
        return say(N_("settings.local_part_placeholder"))
    return name.of(new_address)


def login_changes(profile: MigrationProfile, server: IncomingServer | OutgoingServer) -> bool:
    """Whether the login name subscribers type changes: its form, or the address in it."""
    if server.login_name is not server.old_login_name:
        return True
    # taro@old → taro@new; the part before @ alone stays "taro".
    return profile.domain_changes and server.login_name is LoginName.ADDRESS


def _port_spec(port: int, security: Security, say: Say) -> str:
    """「465番（SSL/TLS）」 / "465 (SSL/TLS)"; a port without encryption alone: 「587番」."""
    number = say(N_("settings.spec.port_number"), port=port)
    if security is Security.NONE:
        return number
    return say(N_("settings.spec.with"), what=number, details=say(_SECURITY_KEYS[security]))


def _server_spec(server: IncomingServer, protocol: str | None, say: Say) -> str:
    """The new receiving host, with what a fix needs besides it.

    Its protocol when given, and its port and encryption where they change:
    「mail.example.jp（POP3、ポート995番、SSL/TLS）」; the seed's host alone.
    """
    details = [protocol] if protocol else []
    if (server.port, server.security) != (server.old_port, server.old_security):
        details.append(say(N_("settings.spec.port"), port=server.port))
        if server.security is not Security.NONE:
            details.append(say(_SECURITY_KEYS[server.security]))
    if not details:
        return server.new_host
    joined = say(N_("settings.list_separator")).join(details)
    return say(N_("settings.spec.with"), what=server.new_host, details=joined)


def _other_ports(ports: tuple[Port, ...], say: Say) -> str:
    """The alternatives to the recommended port, 「110（STARTTLS）」; empty when there are none."""
    return say(N_("settings.list_separator")).join(
        say(
            N_("settings.port_with_security"),
            port=port.number,
            security=say(_SECURITY_KEYS[port.security]),
        )
        for port in ports[1:]
    )


def smtp_host_for(profile: MigrationProfile, smtp_host: SmtpHost | None) -> SmtpHost | None:
    """Which outgoing server the subscriber has, as far as the card and guide need it.

    Where the outgoing host name stays, nobody is asked which one they use (it would be
    "only users of smtp.a get smtp.a"): unless they said it is another provider's, it is
    the provider's, whose name stays.
    """
    if profile.outgoing.host_kept and smtp_host is not SmtpHost.OTHER:
        return SmtpHost.OLD
    return smtp_host


def _smtp_server(profile: MigrationProfile, facts: CardFacts, say: Say) -> str:
    outgoing = profile.outgoing
    # Several old names are alternatives (the subscriber has one of them), in words:
    # 「smtp.a, mail.a」 put an English comma into Japanese and read as both at once.
    old = _either(outgoing.old_hosts, say)
    smtp_host = smtp_host_for(profile, facts.smtp_host)
    if facts.sending is Sending.NOT_NEEDED:
        return say(N_("settings.unchanged"))
    if smtp_host is SmtpHost.OTHER:
        return say(N_("settings.smtp_server.keep_current"))
    if smtp_host is SmtpHost.OLD:
        return outgoing.new_host
    return say(N_("settings.smtp_server.depends"), old=old, new=outgoing.new_host)


def _smtp_server_now(profile: MigrationProfile, facts: CardFacts, say: Say) -> str:
    """The new outgoing server with the one in use today, where the subscriber said it is old.

    A guide that writes the fields out says what each holds now (「受信サーバー：vpop.117.ne.jp
    （今はvp.117.ne.jp）」); the outgoing line said only the new name.
    """
    outgoing = profile.outgoing
    if (
        facts.sending is Sending.NOT_NEEDED
        or smtp_host_for(profile, facts.smtp_host) is not SmtpHost.OLD
    ):
        return _smtp_server(profile, facts, say)
    if outgoing.host_kept:
        # The name stays: said as the receiving line says its kept name (「（変更なし）」), not
        # bare beside a receiving line that says it.
        return say(N_("settings.smtp_server.now_kept"), new=outgoing.new_host)
    return say(
        N_("settings.smtp_server.now"), new=outgoing.new_host, old=_either(outgoing.old_hosts, say)
    )


def card_items(profile: MigrationProfile, facts: CardFacts, say: Say) -> tuple[SettingsItem, ...]:
    """The rows of the settings card, in the order a mail program asks for them.

    A row is marked changed when its new value differs from the profile's old one (so a
    STARTTLS row is changed where the old server had no encryption), and sending rows
    only where the subscriber's sending settings change at all.
    """
    values = fill_values(profile, facts, say)
    sending_applies = facts.sending is not Sending.NOT_NEEDED
    unchanged = say(N_("settings.unchanged"))

    def row(key: str, label_key: str, value: str, *, changed: bool = True) -> SettingsItem:
        return SettingsItem(key=key, label=say(label_key), value=value, changed=changed)

    incoming, outgoing = profile.incoming, profile.outgoing
    smtp_server_changes = (
        sending_applies and facts.smtp_host is not SmtpHost.OTHER and not outgoing.host_kept
    )
    # Where the domain changes, the address itself comes first: 「メールアドレス」 is the
    # first field a mail program's account shows, and the one that says who sends.
    address_rows = (
        (
            row(
                "address",
                N_("settings.label.address"),
                _address_changed(profile, facts.address, facts.domain, values, say),
            ),
        )
        if profile.domain_changes
        else ()
    )
    # Where receiving does not change at all (a sending-only migration), its rows are left
    # out rather than marked 変更なし: three rows that ask nothing of an older reader would
    # only hide the ones that do.
    receiving_rows = (
        ()
        if incoming.unchanged
        else (
            row(
                "pop_server",
                _SERVER_LABEL_KEYS[incoming.protocol],
                values["pop_server"],
                changed=(incoming.new_host, incoming.protocol)
                != (incoming.old_host, incoming.old_protocol),
            ),
            row(
                "pop_port",
                N_("settings.label.pop_port"),
                _with_alternatives(values["pop_port"], values["pop_other_ports"], say),
                changed=incoming.port != incoming.old_port,
            ),
            row(
                "pop_security",
                N_("settings.label.pop_security"),
                _with_method(values["pop_security"], incoming.login_method, say),
                changed=incoming.security is not incoming.old_security,
            ),
        )
    )
    return (
        *address_rows,
        row(
            "username",
            N_("settings.label.username"),
            values["username"],
            changed=login_changes(profile, incoming),
        ),
        row(
            "password",
            N_("settings.label.password"),
            # A new password set on the provider's page first: the catalog words it so.
            say(N_("settings.password_unchanged")),
            changed=profile.password_reset is not None,
        ),
        *receiving_rows,
        row(
            "smtp_server",
            N_("settings.label.smtp_server"),
            values["smtp_server"],
            changed=smtp_server_changes,
        ),
        row(
            "smtp_port",
            N_("settings.label.smtp_port"),
            _with_alternatives(values["smtp_port"], values["smtp_other_ports"], say)
            if sending_applies
            else unchanged,
            changed=sending_applies and outgoing.port != outgoing.old_port,
        ),
        row(
            "smtp_security",
            N_("settings.label.smtp_security"),
            values["smtp_security"] if sending_applies else unchanged,
            changed=sending_applies and outgoing.security is not outgoing.old_security,
        ),
        row(
            "smtp_auth",
            N_("settings.label.smtp_auth"),
            _smtp_auth(outgoing.login_method, say) if sending_applies else unchanged,
            # Authentication is news only to who sends without it today (the notice's, on
            # port 25); the profile says so in `[outgoing] old_smtp_auth`.
            changed=sending_applies and not outgoing.old_authenticated,
        ),
    )


def _with_alternatives(port: str, others: str, say: Say) -> str:
    if not others:
        return port
    return say(N_("settings.port_with_alternatives"), port=port, others=others)


def _with_method(security: str, method: LoginMethod, say: Say) -> str:
    # The password as typed is every program's default: named only when it is not that.
    if method is LoginMethod.PASSWORD:
        return security
    return say(
        N_("settings.security_with_method"), security=security, method=say(_METHOD_KEYS[method])
    )


def _smtp_auth(method: LoginMethod, say: Say) -> str:
    if method is LoginMethod.PASSWORD:
        return say(N_("settings.smtp_auth.required"))
    return say(N_("settings.smtp_auth.required_with_method"), method=say(_METHOD_KEYS[method]))


# The texts that quote `short_addresses` (a domain change's lines, domain_change.po, twins
# included): after a withdrawal their lines are said again as they read without an address.
SHORT_ADDRESS_KEYS: Final = (
    N_("settings.title.address_changes"),
    N_("address_change.head"),
    N_("address_change.forwarded_until"),
    N_("address_change.forwarded_undecided"),
    N_("address_change.old_stopped"),
    N_("address_change.sender_until"),
    N_("address_change.sender_stopped"),
    N_("topic.webmail.answer.new_domain"),
    N_("guide.outlook_classic.address"),
    N_("guide.thunderbird.address"),
    N_("guide.apple_mail.address"),
    N_("guide.ios_mail.address"),
    N_("guide.becky.address"),
    N_("guide.other.address"),
    N_("guide.other.address.new_account"),
    N_("guide.new_account.open.address"),
    N_("guide.new_account.open.address.nothing_left"),
    N_("problem.webmail_login.new_domain"),
)

# Stands for every placeholder but the address in `said_without_address`: no text holds it.
_ANY_VALUE: Final = "\x00"


class _AnyValue(dict[str, str]):
    """Placeholders: the ones given, and `_ANY_VALUE` for every other (a date, a host)."""

    def __missing__(self, key: str) -> str:
        return _ANY_VALUE


def said_without_address(
    profile: MigrationProfile, typed: str, texts: Texts, locale: Locale
) -> tuple[tuple[str, str], ...]:
    """What lines said with the address `typed`, and what they say without it; longest first.

    A withdrawn address leaves the later lines that said it back (bot.engine): each piece
    of them is said again as the dialog words it for a subscriber who never typed one. The
    address alone in words (「@…で終わるお使いのメールアドレス」) stands where it stood by
    itself; beside the word メールアドレス it was 「メールアドレスが@oldで終わるお使いのメール
    アドレスから@newで終わるお使いのメールアドレスに変わります」, which these pieces say as
    a skipped address does (「@oldで終わるアドレスから…」, `short_addresses`), and
    「メールアドレス全体の…」 loses the words the address's own words say again. A piece is
    the text between other placeholders and line ends (a card's JSON writes a newline or a
    quote otherwise), so it is found in whatever the day's values were.
    """
    old, new = profile.old_address(typed), profile.new_address(typed)

    def words(key: str, address: str) -> str:
        domain = address.rpartition("@")[2]
        return texts.fill(locale, key, {"domain": domain})

    pairs: set[tuple[str, str]] = set()
    if profile.domain_changes:
        as_typed = _AnyValue(address_short=old, new_address_short=new)
        in_words = _AnyValue(
            address_short=words(N_("settings.address_short_placeholder"), old),
            new_address_short=words(N_("settings.address_short_placeholder"), new),
        )
        for key in SHORT_ADDRESS_KEYS:
            typed_pieces = _pieces(texts.fill(locale, key, as_typed))
            worded_pieces = _pieces(texts.fill(locale, key, in_words))
            pairs.update(
                (a, b)
                for a, b in zip(typed_pieces, worded_pieces, strict=True)
                # The address alone is the engine's to word, as it stands by itself.
                if a != b and a not in (old, new)
            )
        address_words = words(N_("settings.address_placeholder"), new)
        pairs.add(
            (
                texts.fill(locale, N_("settings.address_changed"), {"new": new, "old": old}),
                texts.fill(
                    locale,
                    N_("settings.address_changed_domains"),
                    {"new": new.rpartition("@")[2], "old": old.rpartition("@")[2]},
                ),
            )
        )
    else:
        address_words = words(N_("settings.address_placeholder"), new)
    if profile.incoming.login_name is LoginName.ADDRESS:
        # The guides' 「メールアドレス全体の{username}」 (`personal_values`' login).
        login = texts.fill(locale, _LOGIN_KEYS[LoginName.ADDRESS], {"username": new})
        pairs.add((login, address_words))
    return tuple(sorted(pairs, key=lambda pair: len(pair[0]), reverse=True))


def _pieces(text: str) -> list[str]:
    """`text` cut at every `_ANY_VALUE`, line end and quote (see `said_without_address`)."""
    for cut in ("\n", '"', "\\"):
        text = text.replace(cut, _ANY_VALUE)
    return text.split(_ANY_VALUE)
