"""Every example profile loads with the real loader and delivers settings that agree.

The card, every program's guide and the three configuration files are rendered from each
example and compared on what a mail program needs: protocol, host, port, TLS mode, login
method and login name. They come from one server model, so they must never disagree.
"""

from __future__ import annotations

import datetime as dt
import plistlib
import xml.etree.ElementTree as ET
from collections.abc import Callable
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.facts import profile_facts
from dialogs.guide_text import guide_steps, server_changes
from dialogs.mail_config_files import (
    OUTLOOK_RESPONSE_SCHEMA,
    apple_file_fits,
    apple_mobileconfig,
    apple_port,
    outlook_autodiscover,
    thunderbird_autoconfig,
)
from dialogs.mail_programs import MailProgram
from dialogs.profile import (
    IncomingServer,
    LoginMethod,
    MigrationProfile,
    OutgoingServer,
    PasswordKind,
    Protocol,
    Security,
)
from dialogs.questionnaire import Stage
from dialogs.settings_card import (
    THUNDERBIRD_INSECURE_KEY,
    CardFacts,
    SmtpHost,
    card_items,
    fill_values,
)
from dialogs.state import Signal
from dialogs.vocabulary import (
    FileReply,
    Locale,
    Sending,
    SettingsReply,
    TextReply,
    VerdictReply,
)
from tests.dialogs.driver import Driver

TEXTS = Catalogs.load()

EXAMPLES_DIR: Final = Path(__file__).resolve().parents[2] / "examples"
EXAMPLES: Final = sorted(EXAMPLES_DIR.glob("*.toml"))
LOCALES: Final[tuple[Locale, ...]] = ("ja", "en")

SOCKET_TYPE: Final = {Security.NONE: "plain", Security.STARTTLS: "STARTTLS", Security.TLS: "SSL"}
OUTLOOK_ENCRYPTION: Final = {Security.NONE: "None", Security.STARTTLS: "TLS", Security.TLS: "SSL"}
THUNDERBIRD_AUTH: Final = {
    LoginMethod.PASSWORD: "password-cleartext",
    LoginMethod.CRAM_MD5: "password-encrypted",
    LoginMethod.APOP: "password-encrypted",
}
APPLE_AUTH: Final = {
    LoginMethod.PASSWORD: "EmailAuthPassword",
    LoginMethod.CRAM_MD5: "EmailAuthCRAMMD5",
    LoginMethod.APOP: "EmailAuthCRAMMD5",
}
APPLE_TYPE: Final = {Protocol.POP3: "EmailTypePOP", Protocol.IMAP: "EmailTypeIMAP"}
OUTLOOK_TYPE: Final = {Protocol.POP3: "POP3", Protocol.IMAP: "IMAP", Protocol.SMTP: "SMTP"}

Say = Callable[..., str]


def address_of(profile: MigrationProfile) -> str:
    return f"taro@{profile.affected_domains[0]}"


def in_window(profile: MigrationProfile) -> dt.date:
    return profile.schedule.window_start + dt.timedelta(days=3)


def sayer(catalogs: Catalogs, locale: Locale, profile: MigrationProfile, facts: CardFacts) -> Say:
    """`say` as the dialog binds it: the profile's and the card's values filled in."""

    def plain(key: str, /, **params: object) -> str:
        return catalogs(locale, key, **params)

    values = {**profile_facts(profile, catalogs, locale), **fill_values(profile, facts, plain)}

    def say(key: str, /, **params: object) -> str:
        return catalogs(locale, key, **{**values, **params})

    return say


@pytest.fixture(params=EXAMPLES, ids=lambda path: path.name)
def example(request: pytest.FixtureRequest) -> MigrationProfile:
    path: Path = request.param
    return load_profile(path)


def test_there_are_the_three_examples_and_the_seed_is_the_shipped_default() -> None:
    assert {path.name for path in EXAMPLES} == {
        "117net.toml",
        "imap-local-part-new-year.toml",
        "tls-migration.toml",
        "imap-move.toml",
        "domain-change.toml",
        "password-reset.toml",
        "pop-to-imap.toml",
        "new-domain-imap.toml",
        "hosted-mail-by-post.toml",
        "op25b-sending-only.toml",
        "mailbox-id-to-address.toml",
        "webmail-for-some-programs.toml",
        "pop-moves-smtp-name-kept.toml",
        "pop-moves-smtp-unchanged.toml",
        "pop-name-kept-smtp-moves.toml",
        "imap-new-domain-by-post.toml",
        "tls-required-one-host.toml",
        "cable-tv-hosted-imap.toml",
        "hosted-imap-app-password.toml",
    }
    assert load_profile(EXAMPLES_DIR / "117net.toml") == load_profile()


def test_the_examples_cover_what_the_issue_asks_for() -> None:
    profiles = {path.name: load_profile(path) for path in EXAMPLES}
    tls = profiles["tls-migration.toml"]
    assert [(p.number, p.security) for p in tls.incoming.ports] == [
        (995, Security.TLS),
        (110, Security.STARTTLS),
    ]
    assert [(p.number, p.security) for p in tls.outgoing.ports] == [
        (465, Security.TLS),
        (587, Security.STARTTLS),
    ]
    for server in (tls.incoming, tls.outgoing):
        assert LoginMethod.CRAM_MD5 not in server.login_methods
    imap = profiles["imap-move.toml"]
    assert (imap.incoming.old_protocol, imap.incoming.protocol) == (Protocol.POP3, Protocol.IMAP)
    assert imap.incoming.login_name.of("taro@x.example.jp") == "taro"
    reset = profiles["password-reset.toml"].password_reset
    assert reset is not None
    assert reset.url.startswith("https://")
    posted = profiles["hosted-mail-by-post.toml"].password_reset
    assert posted is not None
    assert (posted.kind, posted.url) == (PasswordKind.POST, "")
    emailed = profiles["mailbox-id-to-address.toml"].password_reset
    assert emailed is not None
    assert (emailed.kind, emailed.url) == (PasswordKind.EMAIL, "")
    app = profiles["hosted-imap-app-password.toml"].password_reset
    assert app is not None
    assert app.kind is PasswordKind.APP
    assert app.url.startswith("https://")
    resets = (
        "password-reset.toml",
        "hosted-mail-by-post.toml",
        "mailbox-id-to-address.toml",
        "imap-new-domain-by-post.toml",
        "hosted-imap-app-password.toml",
    )
    others = [p for name, p in profiles.items() if name not in resets]
    assert all(p.password_reset is None for p in others)


def _security_name(say: Say, security: Security) -> str:
    return say(f"settings.security.{security.value}")


def _expect_server_row(
    card: dict[str, str], prefix: str, server: IncomingServer | OutgoingServer, say: Say
) -> None:
    port, *others = server.ports
    assert card[f"{prefix}_port"].startswith(str(port.number))
    for other in others:
        assert str(other.number) in card[f"{prefix}_port"]
    assert card[f"{prefix}_security"].startswith(_security_name(say, port.security))


@pytest.mark.parametrize("locale", LOCALES)
def test_card_guides_and_files_agree(
    example: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    address = address_of(example)
    # The servers know the mailbox's address after the migration (a new domain, or the same).
    login = example.new_address(address)
    facts = CardFacts(address=address, sending=Sending.REQUIRED, smtp_host=SmtpHost.OLD)
    say = sayer(catalogs, locale, example, facts)
    incoming, outgoing = example.incoming, example.outgoing
    servers: tuple[IncomingServer | OutgoingServer, ...] = (incoming, outgoing)

    # The card.
    items = card_items(example, facts, say)
    card = {item.key: item.value for item in items}
    labels = {item.key: item.label for item in items}
    assert card["username"] == incoming.login_name.of(login)
    # Receiving kept exactly as it is (only sending changes): its rows are left out, and no
    # guide names it (`_expect_guides_say_only_sending`).
    receiving = not incoming.unchanged
    if receiving:
        assert card["pop_server"] == incoming.new_host
        assert ("IMAP" in labels["pop_server"]) is (incoming.protocol is Protocol.IMAP)
        _expect_server_row(card, "pop", incoming, say)
    else:
        assert not {"pop_server", "pop_port", "pop_security"} & set(card)
    assert card["smtp_server"] == outgoing.new_host
    _expect_server_row(card, "smtp", outgoing, say)

    # Every guide names the same host, recommended port, TLS mode and login name.
    changes = server_changes(example)
    for program in MailProgram:
        text = "\n".join(guide_steps(program, facts, say, example))
        assert "{" not in text, (program, text)
        assert (incoming.new_host in text) is receiving, program
        assert outgoing.new_host in text, program
        assert (str(incoming.port) in text) is receiving, program
        assert str(outgoing.port) in text, program
        assert incoming.login_name.of(login) in text, program
        if changes.table_only or program is not MailProgram.BECKY:
            # Becky!'s guide names ports only; every other guide names the TLS mode.
            if receiving:
                assert _security_name(say, incoming.security) in text, program
            assert _security_name(say, outgoing.security) in text, program
        if changes.table_only:
            assert incoming.protocol.value.upper() in text, program
        if program is MailProgram.THUNDERBIRD or changes.table_only:
            method = say(f"settings.login_method.{outgoing.login_method.value}")
            if program is MailProgram.THUNDERBIRD and _insecure_password(outgoing):
                # Thunderbird's menu names a password over no encryption its own way.
                method = say(THUNDERBIRD_INSECURE_KEY)
            assert method in text, program
        if program in (MailProgram.APPLE_MAIL, MailProgram.IOS_MAIL) and not changes.table_only:
            assert say(f"guide.apple.method.{outgoing.login_method.value}") in text

    # Thunderbird: every port, the recommended first, the method the servers offer.
    root = ET.fromstring(thunderbird_autoconfig(example))  # noqa: S314 - our own output
    for tag, server in (("incomingServer", incoming), ("outgoingServer", outgoing)):
        elements = root.findall(f"emailProvider/{tag}")
        assert [e.get("type") for e in elements] == [server.protocol.value] * len(server.ports)
        assert [(e.findtext("port"), e.findtext("socketType")) for e in elements] == [
            (str(p.number), SOCKET_TYPE[p.security]) for p in server.ports
        ]
        for element in elements:
            assert element.findtext("hostname") == server.new_host
            assert element.findtext("authentication") == THUNDERBIRD_AUTH[server.login_method]
    assert root.findtext("emailProvider/incomingServer/port") == str(incoming.port)
    if receiving:
        assert card["pop_port"][:3] == str(incoming.port)

    # Outlook: the recommended port of each server, with its encryption and login name.
    request = (
        '<?xml version="1.0" encoding="utf-8"?><Autodiscover xmlns="http://schemas.microsoft'
        '.com/exchange/autodiscover/outlook/requestschema/2006"><Request>'
        f"<EMailAddress>{address}</EMailAddress>"
        f"<AcceptableResponseSchema>{OUTLOOK_RESPONSE_SCHEMA}</AcceptableResponseSchema>"
        "</Request></Autodiscover>"
    ).encode()
    answer = ET.fromstring(outlook_autodiscover(example, request))  # noqa: S314 - our own output
    ns = {"r": OUTLOOK_RESPONSE_SCHEMA}
    protocols = answer.findall(".//r:Protocol", ns)
    assert [p.findtext("r:Type", namespaces=ns) for p in protocols] == [
        OUTLOOK_TYPE[incoming.protocol],
        "SMTP",
    ]
    for element, server in zip(protocols, servers, strict=True):
        assert element.findtext("r:Server", namespaces=ns) == server.new_host
        assert element.findtext("r:Port", namespaces=ns) == str(server.port)
        assert (
            element.findtext("r:Encryption", namespaces=ns) == (OUTLOOK_ENCRYPTION[server.security])
        )
        assert element.findtext("r:LoginName", namespaces=ns) == server.login_name.of(login)

    # Apple: where it fits, a port the card lists, never STARTTLS, the method offered.
    if not apple_file_fits(facts.sending, facts.smtp_host, example):
        assert any(apple_port(s.ports) is None for s in servers)
        with pytest.raises(ValueError, match="STARTTLS"):
            apple_mobileconfig(
                example,
                address,
                sending=facts.sending,
                smtp_host=facts.smtp_host,
                texts=TEXTS,
                locale="ja",
            )
        return
    [mail] = plistlib.loads(
        apple_mobileconfig(
            example,
            address,
            sending=facts.sending,
            smtp_host=facts.smtp_host,
            texts=TEXTS,
            locale="ja",
        )
    )["PayloadContent"]
    assert mail["EmailAccountType"] == APPLE_TYPE[incoming.protocol]
    for side, server in zip(("Incoming", "Outgoing"), servers, strict=True):
        port = apple_port(server.ports)
        assert port is not None
        assert port in server.ports
        assert mail[f"{side}MailServerHostName"] == server.new_host
        assert mail[f"{side}MailServerPortNumber"] == port.number
        assert mail[f"{side}MailServerUseSSL"] is (port.security is Security.TLS)
        assert mail[f"{side}MailServerAuthentication"] == APPLE_AUTH[server.login_method]
        assert mail[f"{side}MailServerUsername"] == server.login_name.of(login)


def _insecure_password(server: OutgoingServer) -> bool:
    return server.login_method is LoginMethod.PASSWORD and server.security is Security.NONE


def test_the_seeds_files_say_the_password_as_typed_as_the_chat_does(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    address = address_of(profile)
    facts = CardFacts(address=address, sending=Sending.REQUIRED, smtp_host=SmtpHost.OLD)
    say = sayer(catalogs, "ja", profile, facts)
    guide = "\n".join(guide_steps(MailProgram.THUNDERBIRD, facts, say, profile))
    # Thunderbird's name for a password sent as typed over the seed's unencrypted connection.
    assert "「認証方式」が「平文のパスワード認証 (安全でない)」" in guide
    root = ET.fromstring(thunderbird_autoconfig(profile))  # noqa: S314 - our own output
    assert {e.text for e in root.iter("authentication")} == {"password-cleartext"}
    [mail] = plistlib.loads(
        apple_mobileconfig(
            profile,
            address,
            sending=facts.sending,
            smtp_host=facts.smtp_host,
            texts=TEXTS,
            locale="ja",
        )
    )["PayloadContent"]
    assert mail["IncomingMailServerAuthentication"] == "EmailAuthPassword"
    assert mail["OutgoingMailServerAuthentication"] == "EmailAuthPassword"


def test_rows_are_marked_changed_against_the_old_values(catalogs: Catalogs) -> None:
    tls = load_profile(EXAMPLES_DIR / "tls-migration.toml")
    facts = CardFacts(address="taro@examplenet.ne.jp", sending=Sending.REQUIRED, smtp_host=None)
    changed = {
        item.key: item.changed for item in card_items(tls, facts, sayer(catalogs, "ja", tls, facts))
    }
    # 110 without encryption → 995 SSL/TLS; 587 without encryption → 465 SSL/TLS.
    assert changed["pop_port"]
    assert changed["pop_security"]
    assert changed["smtp_port"]
    assert changed["smtp_security"]
    # The login name stays the whole address.
    assert not changed["username"]

    seed = load_profile()
    facts = CardFacts(address="taro@vp.117.ne.jp", sending=Sending.REQUIRED, smtp_host=None)
    changed = {
        item.key: item.changed
        for item in card_items(seed, facts, sayer(catalogs, "ja", seed, facts))
    }
    assert changed == {
        "username": True,
        "password": False,
        "pop_server": True,
        "pop_port": False,
        "pop_security": False,
        "smtp_server": True,
        "smtp_port": True,
        "smtp_security": False,
        "smtp_auth": True,
    }


@pytest.mark.parametrize("program", ["thunderbird", "ios_mail"])
def test_each_example_delivers_its_settings_in_a_conversation(
    example: MigrationProfile, catalogs: Catalogs, program: str
) -> None:
    address = address_of(example)
    driver = Driver(example, catalogs, today=in_window(example))
    driver.start("ja")
    # The example's questionnaire, answered "yes" (or its first answer) until the verdict.
    for _ in range(20):
        if any(isinstance(r, VerdictReply) for r in driver.all_replies()):
            break
        offered = driver.offered()
        driver.press("yes" if "yes" in offered else offered[0])
    driver.verdict()
    driver.type(address)
    driver.press(f"program:{program}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")

    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    assert Signal.SETTINGS_DELIVERED in driver.last.signals
    card = driver.settings()
    receiving = not example.incoming.unchanged  # only sending changes: no receiving row
    assert card.get("pop_server") == (example.incoming.new_host if receiving else None)
    assert card["username"] == example.incoming.login_name.of(example.new_address(address))
    replies = driver.all_replies()
    assert any(isinstance(r, SettingsReply) for r in replies)
    texts = "\n".join(r.text for r in replies if isinstance(r, TextReply))
    assert (example.incoming.new_host in texts) is receiving
    if not example.outgoing.unchanged:  # only receiving changes: no sending step
        assert str(example.outgoing.port) in texts
    files = [r for r in replies if isinstance(r, FileReply)]
    if program == "ios_mail" and apple_file_fits(Sending.REQUIRED, SmtpHost.OLD, example):
        assert files, "an Apple device is offered the configuration file"
    else:
        assert not files


@pytest.mark.parametrize(
    ("locale", "hours"),
    [
        (
            "ja",
            "月〜金 9:00–12:00, 13:00–18:00、土 10:00–17:00（休業日：2027年2月11日(木)、"
            "2027年2月23日(火)、2027年3月22日(月)）",
        ),
        (
            "en",
            "closed on Thursday 11 February 2027; Tuesday 23 February 2027; Monday 22 March 2027)",
        ),
    ],
)
def test_the_cable_tv_desk_names_its_holidays_with_its_hours(
    catalogs: Catalogs, locale: Locale, hours: str
) -> None:
    # examples/cable-tv-hosted-imap.toml: the notice's desk is shut on holidays
    # ([support.desk_hours] closed). Asked for a person in the window (no desk in this chat),
    # the subscriber is given the phone and the hours: the weekday table alone promised
    # Thursday the 11th, a holiday.
    cable_tv = load_profile(EXAMPLES_DIR / "cable-tv-hosted-imap.toml")
    driver = Driver(cable_tv, catalogs, today=dt.date(2027, 2, 10))
    driver.start(locale)
    driver.press("human")
    assert "0120-000-393" in driver.said()
    assert hours in driver.said()
    # After the last holiday listed nothing is said of closed days.
    later = Driver(cable_tv, catalogs, today=dt.date(2027, 3, 23))
    later.start(locale)
    later.press("human")
    assert "休業日" not in later.said()
    assert "closed on" not in later.said()
