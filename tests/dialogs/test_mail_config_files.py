"""The configuration files parse back, carry the profile's values and hold no password."""

from __future__ import annotations

import dataclasses
import plistlib
import tomllib
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from bot.ops.catalogs import Catalogs
from dialogs.mail_config_files import (
    AUTODISCOVER_MAX_REQUEST_BYTES,
    OUTLOOK_RESPONSE_SCHEMA,
    apple_file_fits,
    apple_mobileconfig,
    outlook_autodiscover,
    parse_autodiscover_request,
    thunderbird_autoconfig,
)
from dialogs.profile import (
    LoginMethod,
    LoginName,
    MigrationProfile,
    Port,
    Protocol,
    Security,
    parse_profile,
)
from dialogs.settings_card import SmtpHost
from dialogs.vocabulary import Sending
from testbed.mailservers import PASSWORD

TEXTS = Catalogs.load()

PROFILE_PATH = Path(__file__).parents[2] / "bot" / "ops" / "default_profile.toml"
ADDRESS = "taro@vp.117.ne.jp"
REQUEST_NS = "http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006"
RESPONSE = f"{{{OUTLOOK_RESPONSE_SCHEMA}}}"


def new_smtp(profile: MigrationProfile, address: str) -> bytes:
    """The Apple file where the card changes the outgoing server to the new one."""
    return apple_mobileconfig(
        profile, address, sending=Sending.REQUIRED, smtp_host=SmtpHost.OLD, texts=TEXTS, locale="ja"
    )


def load_profile() -> MigrationProfile:
    return parse_profile(tomllib.loads(PROFILE_PATH.read_text("utf-8")), str(PROFILE_PATH))


def secured(profile: MigrationProfile, security: Security) -> MigrationProfile:
    return dataclasses.replace(
        profile,
        incoming=dataclasses.replace(profile.incoming, ports=(Port(995, security),)),
        outgoing=dataclasses.replace(profile.outgoing, ports=(Port(465, security),)),
    )


def autodiscover_request(address: str, schema: str = OUTLOOK_RESPONSE_SCHEMA) -> bytes:
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Autodiscover xmlns="{REQUEST_NS}"><Request>'
        f"<EMailAddress>{address}</EMailAddress>"
        f"<AcceptableResponseSchema>{schema}</AcceptableResponseSchema>"
        "</Request></Autodiscover>"
    ).encode()


def plist_keys(value: object) -> Iterator[str]:
    if isinstance(value, dict):
        for key, item in value.items():
            yield key
            yield from plist_keys(item)
    elif isinstance(value, list):
        for item in value:
            yield from plist_keys(item)


@pytest.fixture
def profile() -> MigrationProfile:
    return load_profile()


# --- Thunderbird --------------------------------------------------------------------------


def test_thunderbird_autoconfig_carries_the_profiles_servers(profile: MigrationProfile) -> None:
    root = ET.fromstring(thunderbird_autoconfig(profile))  # noqa: S314 - our own output

    assert root.tag == "clientConfig"
    assert root.get("version") == "1.1"
    provider = root.find("emailProvider")
    assert provider is not None
    assert [d.text for d in provider.findall("domain")] == list(profile.affected_domains)
    assert provider.findtext("displayName") == "117net"
    pop = provider.find("incomingServer[@type='pop3']")
    smtp = provider.find("outgoingServer[@type='smtp']")
    assert pop is not None
    assert smtp is not None
    assert (pop.findtext("hostname"), pop.findtext("port")) == ("vpop.117.ne.jp", "110")
    assert (smtp.findtext("hostname"), smtp.findtext("port")) == ("vsmtp.117.ne.jp", "587")
    for server in (pop, smtp):
        assert server.findtext("socketType") == "plain"
        assert server.findtext("username") == "%EMAILADDRESS%"
        # 「通常のパスワード認証」, as the Thunderbird guide says: the file and the guide agree.
        assert server.findtext("authentication") == "password-cleartext"
        assert server.find("password") is None


@pytest.mark.parametrize(
    ("security", "socket_type"), [(Security.STARTTLS, "STARTTLS"), (Security.TLS, "SSL")]
)
def test_thunderbird_autoconfig_over_tls_sends_the_password_as_typed(
    profile: MigrationProfile, security: Security, socket_type: str
) -> None:
    document = thunderbird_autoconfig(secured(profile, security))
    root = ET.fromstring(document)  # noqa: S314 - our own output

    for server in root.iter("incomingServer"), root.iter("outgoingServer"):
        [element] = list(server)
        assert element.findtext("socketType") == socket_type
        assert element.findtext("authentication") == "password-cleartext"
    assert root.findtext("emailProvider/incomingServer/port") == "995"


def test_thunderbird_autoconfig_honours_allow_plaintext_login(profile: MigrationProfile) -> None:
    allowed = dataclasses.replace(profile, allow_plaintext_login=True)

    root = ET.fromstring(thunderbird_autoconfig(allowed))  # noqa: S314 - our own output

    assert {e.text for e in root.iter("authentication")} == {"password-cleartext"}


# --- Apple --------------------------------------------------------------------------------


def test_mobileconfig_carries_the_profiles_servers(profile: MigrationProfile) -> None:
    document = plistlib.loads(new_smtp(profile, ADDRESS))

    assert document["PayloadType"] == "Configuration"
    assert document["PayloadVersion"] == 1
    [mail] = document["PayloadContent"]
    assert mail["PayloadType"] == "com.apple.mail.managed"
    assert mail["EmailAccountType"] == "EmailTypePOP"
    assert mail["EmailAddress"] == ADDRESS
    assert mail["IncomingMailServerHostName"] == "vpop.117.ne.jp"
    assert mail["IncomingMailServerPortNumber"] == 110
    assert mail["OutgoingMailServerHostName"] == "vsmtp.117.ne.jp"
    assert mail["OutgoingMailServerPortNumber"] == 587  # never left for the device to guess
    assert mail["IncomingMailServerUseSSL"] is False
    assert mail["OutgoingMailServerUseSSL"] is False
    assert mail["IncomingMailServerUsername"] == mail["OutgoingMailServerUsername"] == ADDRESS
    assert mail["OutgoingPasswordSameAsIncomingPassword"] is True
    # 「パスワード」, as the manual guide says: the file and the guide agree.
    assert mail["IncomingMailServerAuthentication"] == "EmailAuthPassword"
    assert mail["OutgoingMailServerAuthentication"] == "EmailAuthPassword"


@pytest.mark.parametrize(
    ("sending", "smtp_host"),
    [
        (Sending.NOT_NEEDED, None),
        (Sending.NOT_NEEDED, SmtpHost.OLD),
        (Sending.REQUIRED, SmtpHost.OTHER),
        (Sending.RECOMMENDED, SmtpHost.UNSURE),
        (Sending.REQUIRED, None),
    ],
)
def test_no_mobileconfig_where_the_card_keeps_the_outgoing_server(
    profile: MigrationProfile, sending: Sending, smtp_host: SmtpHost | None
) -> None:
    # The file adds a whole account: it cannot say "keep your outgoing server".
    with pytest.raises(ValueError, match="outgoing server"):
        apple_mobileconfig(
            profile, ADDRESS, sending=sending, smtp_host=smtp_host, texts=TEXTS, locale="ja"
        )


def test_mobileconfig_over_tls_uses_ssl_and_a_typed_password(profile: MigrationProfile) -> None:
    document = plistlib.loads(new_smtp(secured(profile, Security.TLS), ADDRESS))
    [mail] = document["PayloadContent"]

    assert mail["IncomingMailServerUseSSL"] is True
    assert mail["OutgoingMailServerUseSSL"] is True
    assert mail["OutgoingMailServerPortNumber"] == 465
    assert mail["OutgoingMailServerAuthentication"] == "EmailAuthPassword"


def test_mobileconfig_holds_no_password(profile: MigrationProfile) -> None:
    raw = new_smtp(profile, ADDRESS)
    keys = set(plist_keys(plistlib.loads(raw)))

    assert {k for k in keys if "Password" in k} == {"OutgoingPasswordSameAsIncomingPassword"}
    assert PASSWORD.encode() not in raw


def test_mobileconfig_is_stable_per_address(profile: MigrationProfile) -> None:
    first = new_smtp(profile, ADDRESS)
    again = new_smtp(profile, "taro@VP.117.NE.JP")
    other = plistlib.loads(new_smtp(profile, "hanako@vp.117.ne.jp"))
    parsed = plistlib.loads(first)

    assert again == first
    assert other["PayloadUUID"] != parsed["PayloadUUID"]
    assert other["PayloadContent"][0]["PayloadUUID"] != parsed["PayloadContent"][0]["PayloadUUID"]
    assert parsed["PayloadUUID"] != parsed["PayloadContent"][0]["PayloadUUID"]


@pytest.mark.parametrize(
    "address", ["taro@example.com", "taro", "", "a b@vp.117.ne.jp", "<x>@vp.117.ne.jp"]
)
def test_mobileconfig_refuses_addresses_outside_the_migration(
    profile: MigrationProfile, address: str
) -> None:
    with pytest.raises(ValueError, match=r"address|domains"):
        new_smtp(profile, address)


@pytest.mark.parametrize(
    "local",
    ["太郎", "ｔａｒｏ", "a\x00b", "a\x01b", "a\x7fb", "a\u202eb", "a\u00e9", "a\\b", "a\tb"],
)
def test_every_file_refuses_an_address_a_mail_server_cannot_log_in_with(
    profile: MigrationProfile, local: str
) -> None:
    # Non-ASCII or control characters: no plist, header or XML error (a 500), a plain refusal.
    address = f"{local}@vp.117.ne.jp"
    with pytest.raises(ValueError, match=r"not an e-mail address like name@vp\.117\.ne\.jp"):
        new_smtp(profile, address)
    # (XML cannot carry NUL or most controls: the request itself is malformed then.)
    with pytest.raises(ValueError, match=r"not an e-mail address like name@vp|malformed"):
        outlook_autodiscover(profile, autodiscover_request(address))


@pytest.mark.parametrize("local", ["a" * 65, "a" * 5000])
def test_every_file_refuses_an_address_longer_than_smtp_allows(
    profile: MigrationProfile, local: str
) -> None:
    # RFC 5321: a local part of at most 64 octets. A 5,000-letter one made a file named
    # after it (a Content-Disposition no file system can save) holding it five times.
    address = f"{local}@vp.117.ne.jp"
    with pytest.raises(ValueError, match=r"not an e-mail address like name@vp\.117\.ne\.jp"):
        new_smtp(profile, address)
    with pytest.raises(ValueError, match=r"not an e-mail address like name@vp|larger than"):
        outlook_autodiscover(profile, autodiscover_request(address))


def test_an_address_as_long_as_smtp_allows_makes_a_file(profile: MigrationProfile) -> None:
    assert f"{'a' * 64}@vp.117.ne.jp".encode() in new_smtp(profile, f"{'a' * 64}@vp.117.ne.jp")


def test_the_address_refusal_names_the_profiles_own_domain(profile: MigrationProfile) -> None:
    other = dataclasses.replace(profile, affected_domains=("kita.ne.jp", "kita-biz.jp"))
    with pytest.raises(ValueError, match=r"like name@kita\.ne\.jp$"):
        new_smtp(other, "taro")


# --- Outlook ------------------------------------------------------------------------------


def test_autodiscover_answers_with_the_profiles_servers(profile: MigrationProfile) -> None:
    root = ET.fromstring(outlook_autodiscover(profile, autodiscover_request(ADDRESS)))  # noqa: S314

    account = root.find(f"{RESPONSE}Response/{RESPONSE}Account")
    assert account is not None
    assert account.findtext(f"{RESPONSE}AccountType") == "email"
    assert account.findtext(f"{RESPONSE}Action") == "settings"
    protocols = {
        p.findtext(f"{RESPONSE}Type", ""): p for p in account.findall(f"{RESPONSE}Protocol")
    }
    assert set(protocols) == {"POP3", "SMTP"}
    expected = {"POP3": ("vpop.117.ne.jp", "110"), "SMTP": ("vsmtp.117.ne.jp", "587")}
    for kind, protocol in protocols.items():
        values = {child.tag.removeprefix(RESPONSE): child.text for child in protocol}
        assert (values["Server"], values["Port"]) == expected[kind]
        assert values["LoginName"] == ADDRESS
        assert values["SPA"] == "off"  # both default to on when left out (MAIL.md)
        assert values["SSL"] == "off"
        assert values["AuthRequired"] == "on"
        assert not [tag for tag in values if "Password" in tag]


def test_autodiscover_over_tls_says_so(profile: MigrationProfile) -> None:
    answer = outlook_autodiscover(
        secured(profile, Security.STARTTLS), autodiscover_request(ADDRESS)
    )
    root = ET.fromstring(answer)  # noqa: S314 - our own output

    assert {e.text for e in root.iter(f"{RESPONSE}SSL")} == {"on"}
    assert {e.text for e in root.iter(f"{RESPONSE}Encryption")} == {"TLS"}


@pytest.mark.parametrize(
    ("body", "problem"),
    [
        (b"<Autodiscover><Request>", "malformed"),
        (b"not xml at all", "malformed"),
        (b"", "malformed"),
        (autodiscover_request(""), "no EMailAddress"),
        (autodiscover_request(ADDRESS, "http://example.com/mobilesync"), "schema"),
        (autodiscover_request(ADDRESS + " " * AUTODISCOVER_MAX_REQUEST_BYTES), "larger"),
        (
            b'<?xml version="1.0"?><!DOCTYPE a [<!ENTITY x "xxxxxxxxxx">'
            b'<!ENTITY y "&x;&x;&x;&x;&x;&x;&x;&x;&x;&x;">]>'
            b"<Autodiscover><Request><EMailAddress>&y;</EMailAddress></Request></Autodiscover>",
            "DTD",
        ),
    ],
    ids=["truncated", "text", "empty", "no address", "activesync", "oversized", "entities"],
)
def test_autodiscover_refuses_bad_requests(
    profile: MigrationProfile, body: bytes, problem: str
) -> None:
    with pytest.raises(ValueError, match=problem):
        outlook_autodiscover(profile, body)


def test_autodiscover_refuses_addresses_outside_the_migration(profile: MigrationProfile) -> None:
    with pytest.raises(ValueError, match="domains"):
        outlook_autodiscover(profile, autodiscover_request("taro@example.com"))


def test_autodiscover_accepts_a_request_without_a_schema(profile: MigrationProfile) -> None:
    body = f'<Autodiscover xmlns="{REQUEST_NS}"><Request><EMailAddress> {ADDRESS} '
    body += "</EMailAddress></Request></Autodiscover>"

    assert parse_autodiscover_request(body.encode()) == ADDRESS


@given(st.binary(max_size=600))
def test_any_request_body_is_an_address_or_a_value_error(body: bytes) -> None:
    try:
        address = parse_autodiscover_request(body)
    except ValueError:
        return
    assert address


# --- the server model: what the servers offer, not the check's policy ----------------------


def modelled(
    profile: MigrationProfile,
    *,
    methods: tuple[LoginMethod, ...] = (LoginMethod.PASSWORD,),
    login_name: LoginName = LoginName.ADDRESS,
    protocol: Protocol = Protocol.POP3,
    incoming_ports: tuple[Port, ...] | None = None,
    outgoing_ports: tuple[Port, ...] | None = None,
) -> MigrationProfile:
    return dataclasses.replace(
        profile,
        incoming=dataclasses.replace(
            profile.incoming,
            protocol=protocol,
            login_methods=methods,
            login_name=login_name,
            ports=incoming_ports or profile.incoming.ports,
        ),
        outgoing=dataclasses.replace(
            profile.outgoing,
            login_methods=methods,
            login_name=login_name,
            ports=outgoing_ports or profile.outgoing.ports,
        ),
    )


def test_files_ask_for_cram_md5_only_where_the_servers_prefer_it(
    profile: MigrationProfile,
) -> None:
    offered = modelled(profile, methods=(LoginMethod.CRAM_MD5, LoginMethod.PASSWORD))
    # The check's policy never changes what the files say.
    for policy in (False, True):
        subject = dataclasses.replace(offered, allow_plaintext_login=policy)
        root = ET.fromstring(thunderbird_autoconfig(subject))  # noqa: S314 - our own output
        assert {e.text for e in root.iter("authentication")} == {"password-encrypted"}
        [mail] = plistlib.loads(new_smtp(subject, ADDRESS))["PayloadContent"]
        assert mail["IncomingMailServerAuthentication"] == "EmailAuthCRAMMD5"
        assert mail["OutgoingMailServerAuthentication"] == "EmailAuthCRAMMD5"


def test_an_imap_server_with_local_part_logins_in_every_file(profile: MigrationProfile) -> None:
    imap = modelled(
        profile,
        protocol=Protocol.IMAP,
        login_name=LoginName.LOCAL_PART,
        incoming_ports=(Port(993, Security.TLS),),
    )
    root = ET.fromstring(thunderbird_autoconfig(imap))  # noqa: S314 - our own output
    [incoming] = root.findall("emailProvider/incomingServer")
    assert incoming.get("type") == "imap"
    assert (incoming.findtext("port"), incoming.findtext("socketType")) == ("993", "SSL")
    assert {e.text for e in root.iter("username")} == {"%EMAILLOCALPART%"}
    [mail] = plistlib.loads(new_smtp(imap, ADDRESS))["PayloadContent"]
    assert mail["EmailAccountType"] == "EmailTypeIMAP"
    assert mail["IncomingMailServerUsername"] == mail["OutgoingMailServerUsername"] == "taro"
    answer = outlook_autodiscover(imap, autodiscover_request(ADDRESS)).decode()
    assert "<Type>IMAP</Type>" in answer
    assert "<LoginName>taro</LoginName>" in answer


def test_thunderbird_lists_every_port_the_recommended_first(profile: MigrationProfile) -> None:
    two = modelled(
        profile,
        incoming_ports=(Port(995, Security.TLS), Port(110, Security.STARTTLS)),
        outgoing_ports=(Port(465, Security.TLS), Port(587, Security.STARTTLS)),
    )
    root = ET.fromstring(thunderbird_autoconfig(two))  # noqa: S314 - our own output
    for tag, expected in (
        ("incomingServer", [("995", "SSL"), ("110", "STARTTLS")]),
        ("outgoingServer", [("465", "SSL"), ("587", "STARTTLS")]),
    ):
        servers = root.findall(f"emailProvider/{tag}")
        assert [(s.findtext("port"), s.findtext("socketType")) for s in servers] == expected


def test_apple_files_never_describe_starttls(profile: MigrationProfile) -> None:
    # 587 + STARTTLS recommended, 465 implicit TLS beside it: the file takes 465.
    both = modelled(profile, outgoing_ports=(Port(587, Security.STARTTLS), Port(465, Security.TLS)))
    [mail] = plistlib.loads(new_smtp(both, ADDRESS))["PayloadContent"]
    assert (mail["OutgoingMailServerPortNumber"], mail["OutgoingMailServerUseSSL"]) == (465, True)
    # STARTTLS only: no file, and the chat does not offer one.
    only = modelled(profile, outgoing_ports=(Port(587, Security.STARTTLS),))
    assert not apple_file_fits(Sending.REQUIRED, SmtpHost.OLD, only)
    assert apple_file_fits(Sending.REQUIRED, SmtpHost.OLD, both)
    with pytest.raises(ValueError, match="STARTTLS"):
        new_smtp(only, ADDRESS)
