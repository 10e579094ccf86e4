"""Configuration files a mail program can load, generated from the migration profile.

Thunderbird autoconfig XML, an Apple `.mobileconfig` and an Outlook autodiscover (POX)
answer; shared/MAIL.md lists the fields. None of them ever holds a password: the subscriber
types it into their own mail program. Pure functions, bytes out.

Every file follows the profile's server model, as the card and the guides do: the
protocol (POP3 or IMAP), the ports with their TLS mode, the login name and the login
method the servers OFFER (`login_methods`, first preferred) — never the live check's own
policy (`allow_plaintext_login`), which only says what the bot itself may send. The seed's
servers offer the password as typed, so every file says so (Thunderbird's
`password-cleartext`, Apple's `EmailAuthPassword`, Outlook without SPA), as the guides do.
The Apple file is offered in the chat beside the settings card, so it holds exactly the
card's values and exists only where it can.
"""

from __future__ import annotations

import plistlib
import uuid
import xml.etree.ElementTree as ET  # builds documents only; requests are parsed with expat
from typing import Final
from xml.parsers import expat
from xml.sax.saxutils import escape

from dialogs.profile import (
    IncomingServer,
    LoginMethod,
    LoginName,
    MigrationProfile,
    OutgoingServer,
    Port,
    ProgramName,
    Protocol,
    Security,
)
from dialogs.settings_card import SmtpHost, smtp_host_for
from dialogs.texts import N_, Texts
from dialogs.understanding import LONGEST_LOCAL_PART, find_address
from dialogs.vocabulary import Locale, Sending

MOBILECONFIG_MEDIA_TYPE: Final = "application/x-apple-aspen-config"
AUTOCONFIG_MEDIA_TYPE: Final = "application/xml"
AUTODISCOVER_MEDIA_TYPE: Final = "application/xml"
# A real Outlook request is about 400 bytes; anything far larger is not one.
AUTODISCOVER_MAX_REQUEST_BYTES: Final = 4096
OUTLOOK_RESPONSE_SCHEMA: Final = (
    "http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a"
)
_AUTODISCOVER_RESPONSE_NS: Final = (
    "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"
)
# Fixed forever: changing it would give every address a new profile UUID on its devices.
_PROFILE_NAMESPACE: Final = uuid.UUID("768c6291-6a2b-4b89-b519-46357de3ff19")
# RFC 5322's atext and dots, ASCII only (no `'` or `&`, which no subscriber's mailbox has): a
# kanji, a control or a bidi character would reach a plist, an XML file or a header, and no
# mail server here logs in with one (the chat does not read such an address either).

# RFC 5321 (4.5.3.1): a path of 256 octets at most with its brackets (the local part's limit
# is the chat's grammar's, LONGEST_LOCAL_PART).
_LONGEST_ADDRESS: Final = 254
_SOCKET_TYPE: Final = {Security.NONE: "plain", Security.STARTTLS: "STARTTLS", Security.TLS: "SSL"}
_OUTLOOK_ENCRYPTION: Final = {Security.NONE: "None", Security.STARTTLS: "TLS", Security.TLS: "SSL"}
# Thunderbird's names: `password-encrypted` is CRAM-MD5 (and APOP for POP3).
_THUNDERBIRD_AUTH: Final = {
    LoginMethod.PASSWORD: "password-cleartext",
    LoginMethod.CRAM_MD5: "password-encrypted",
    LoginMethod.APOP: "password-encrypted",
}
_THUNDERBIRD_USERNAME: Final = {
    LoginName.ADDRESS: "%EMAILADDRESS%",
    LoginName.LOCAL_PART: "%EMAILLOCALPART%",
}
# Apple's "MD5 Challenge-Response" is CRAM-MD5, and APOP on a POP account.
_APPLE_AUTH: Final = {
    LoginMethod.PASSWORD: "EmailAuthPassword",
    LoginMethod.CRAM_MD5: "EmailAuthCRAMMD5",
    LoginMethod.APOP: "EmailAuthCRAMMD5",
}
_APPLE_ACCOUNT_TYPE: Final = {Protocol.POP3: "EmailTypePOP", Protocol.IMAP: "EmailTypeIMAP"}
_OUTLOOK_TYPE: Final = {Protocol.POP3: "POP3", Protocol.IMAP: "IMAP", Protocol.SMTP: "SMTP"}


def checked_address(profile: MigrationProfile, address: str) -> str:
    """The address with its domain in lower case, or ValueError if it is not one we serve."""
    address = address.strip()
    local, _, domain = address.rpartition("@")
    # The chat's own grammar: a link can carry only an address the chat could have read;
    # and no longer than SMTP takes one (it would name the Apple file, and fill each file).
    if (
        len(local) > LONGEST_LOCAL_PART
        or len(address) > _LONGEST_ADDRESS
        or find_address(address) != address.lower()
    ):
        raise ValueError(f"not an e-mail address like name@{profile.affected_domains[0]}")
    address = f"{local}@{domain.lower()}"
    if not profile.is_affected(address):
        raise ValueError(f"{domain} is not one of this migration's domains")
    return address


# --- Programs sent to webmail ([webmail] only_for) ------------------------------------------

# The programs that may load each file. A fetched file's request does not say which program
# asks: Thunderbird's autoconfig format is also read by Evolution, KMail, K-9 Mail /
# Thunderbird for Android and FairEmail (all "other" on the chat's list), and Outlook's
# autodiscover request names no Outlook (other programs may send the same request). The
# Apple file installs on a Mac and on an iPhone or iPad alike.
AUTOCONFIG_READERS: Final = (ProgramName.THUNDERBIRD, ProgramName.OTHER)
AUTODISCOVER_READERS: Final = (
    ProgramName.OUTLOOK_CLASSIC,
    ProgramName.OUTLOOK_NEW,
    ProgramName.OTHER,
)
APPLE_FILE_READERS: Final = (ProgramName.APPLE_MAIL, ProgramName.IOS_MAIL)


def withheld_for_webmail(
    profile: MigrationProfile, readers: tuple[ProgramName, ...]
) -> tuple[str, ...]:
    """The readers, where every one of them is sent to webmail ([webmail] only_for); or ().

    A program the provider does not support on the new servers gets no card or guide: a
    file must not set it up instead. While one program that may load the file is
    supported, the file is served: withholding it would cost that program its file, and
    the request cannot tell the two apart.
    """
    webmail = profile.webmail
    if webmail is None or not all(reader.value in webmail.only_for for reader in readers):
        return ()
    return tuple(reader.value for reader in readers)


# --- Thunderbird --------------------------------------------------------------------------


def thunderbird_autoconfig(profile: MigrationProfile, asked: str | None = None) -> bytes:
    """`config-v1.1.xml`: one document for every address, `%EMAILADDRESS%` as the username.

    Where the domain changes, subscribers set Thunderbird up with the address they know,
    old or new, so the document lists the old domains and the new. The login is the new
    address whichever was typed: the same part before @ on the new domain
    (`%EMAILLOCALPART%@new`). Where old domains move to different new ones, `asked` (the
    address or domain Thunderbird asked for) picks the new domain; asked for nothing, the
    document serves the new domains alone, where `%EMAILADDRESS%` is the new address.
    """
    root = ET.Element("clientConfig", version="1.1")
    new_domain = _new_domain_for(profile, asked)
    if not profile.domain_changes:
        domains = profile.affected_domains
    elif new_domain is None:
        domains = tuple(dict.fromkeys(new for _, new in profile.new_domains))
    else:
        domains = (
            new_domain,
            *(old for old, new in profile.new_domains if new == new_domain),
        )
    provider = ET.SubElement(root, "emailProvider", id=domains[0])
    for domain in domains:
        ET.SubElement(provider, "domain").text = domain
    ET.SubElement(provider, "displayName").text = profile.provider_name
    ET.SubElement(provider, "displayShortName").text = profile.provider_name
    servers: tuple[tuple[str, IncomingServer | OutgoingServer], ...] = (
        ("incomingServer", profile.incoming),
        ("outgoingServer", profile.outgoing),
    )
    for tag, model in servers:
        # One element per port, the recommended one first: Thunderbird tries them in order.
        for port in model.ports:
            server = ET.SubElement(provider, tag, type=model.protocol.value)
            ET.SubElement(server, "hostname").text = model.new_host
            ET.SubElement(server, "port").text = str(port.number)
            ET.SubElement(server, "socketType").text = _SOCKET_TYPE[port.security]
            # Thunderbird does not retry other usernames for an XML config (MAIL.md).
            username = _THUNDERBIRD_USERNAME[model.login_name]
            if new_domain is not None and model.login_name is LoginName.ADDRESS:
                # Thunderbird fills in the address typed; the login is the new one.
                username = f"%EMAILLOCALPART%@{new_domain}"
            ET.SubElement(server, "username").text = username
            # What the servers offer (「通常のパスワード認証」 for the seed), as the guide says.
            ET.SubElement(server, "authentication").text = _THUNDERBIRD_AUTH[model.login_method]
    ET.indent(root)
    document: bytes = ET.tostring(root, encoding="UTF-8", xml_declaration=True)
    return document + b"\n"


def _new_domain_for(profile: MigrationProfile, asked: str | None) -> str | None:
    """The new domain the document's addresses move to; None: no move, or not known which.

    Several new domains (a table) need `asked`: an address, or the host Thunderbird asked
    (`autoconfig.<domain>` or `<domain>` itself), of an old or a new domain.
    """
    news = tuple(dict.fromkeys(new for _, new in profile.new_domains))
    if len(news) == 1:
        return news[0]
    domain = (asked or "").rpartition("@")[2].strip().lower().rstrip(".")
    domain = domain.removeprefix("autoconfig.")
    for old, new in profile.new_domains:
        if domain in (old, new):
            return new
    return None


# --- Apple --------------------------------------------------------------------------------


def apple_file_fits(
    sending: Sending, smtp_host: SmtpHost | None, profile: MigrationProfile | None = None
) -> bool:
    """Whether an Apple file can hold exactly what the settings card says for these facts.

    The file adds a whole account, outgoing server included. Where the card says "keep
    your outgoing server" (sending unchanged, or a server other than the old one) or "it
    depends", the file would have to name a server we do not know: then there is none.
    Given the profile, also whether both servers have a port an Apple file can describe
    (`apple_port`).
    """
    if profile is not None and (
        apple_port(profile.incoming.ports) is None or apple_port(profile.outgoing.ports) is None
    ):
        return False
    if profile is not None and profile.incoming.unchanged:
        # A sending-only migration changes two fields of the account they have; the file
        # would add a second account reading the same mailbox, all of it received again.
        return False
    if profile is not None:
        # A kept outgoing host name is the provider's server for whoever did not name another.
        smtp_host = smtp_host_for(profile, smtp_host)
    return sending is not Sending.NOT_NEEDED and smtp_host is SmtpHost.OLD


def apple_port(ports: tuple[Port, ...]) -> Port | None:
    """The first of a server's ports an Apple file can describe, or None.

    Apple documents `…MailServerUseSSL` as SSL for the connection: on a device it is
    implicit TLS (995, 993, 465), and a profile has no key for STARTTLS. A STARTTLS port
    is therefore never put in a file (`UseSSL=false` there would promise a clear-text
    connection the card does not describe); the file takes the next port the card lists
    (the implicit-TLS alternative), and a server with STARTTLS only gets no file: the
    manual guide sets it up.
    """
    return next((port for port in ports if port.security is not Security.STARTTLS), None)


def apple_mobileconfig(
    profile: MigrationProfile,
    address: str,
    *,
    sending: Sending,
    smtp_host: SmtpHost | None,
    texts: Texts,
    locale: Locale,
) -> bytes:
    """An unsigned `.mobileconfig` for one address; the same facts give the same bytes.

    Its names are in the subscriber's language (`locale`): the device shows them on the
    screen that asks whether to install the profile, and in Settings afterwards.

    ValueError when the address is not one we serve or the file cannot hold the card's
    values (`apple_file_fits`).
    """
    # The account the file installs is the mailbox's address after the migration.
    address = profile.new_address(checked_address(profile, address))
    if not apple_file_fits(sending, smtp_host_for(profile, smtp_host)):
        raise ValueError(
            "no configuration file for these settings: the outgoing server stays as it is"
        )
    incoming_port = apple_port(profile.incoming.ports)
    outgoing_port = apple_port(profile.outgoing.ports)
    if incoming_port is None or outgoing_port is None:
        raise ValueError(
            "no configuration file for these servers: an Apple file cannot describe STARTTLS"
        )
    key = address.lower()
    profile_uuid = str(uuid.uuid5(_PROFILE_NAMESPACE, f"profile:{key}")).upper()
    mail_uuid = str(uuid.uuid5(_PROFILE_NAMESPACE, f"mail:{key}")).upper()
    # Same identifier for the same address: installing it again replaces, not duplicates.
    identifier = ".".join(reversed(profile.affected_domains[0].split("."))) + ".mailmove"
    name = profile.provider_name_in(locale)
    words = {"provider": name, "address": address}
    incoming, outgoing = profile.incoming, profile.outgoing
    mail = {
        "PayloadType": "com.apple.mail.managed",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{identifier}.mail.{profile_uuid}",
        "PayloadUUID": mail_uuid,
        "PayloadDisplayName": texts.fill(locale, N_("apple_profile.account"), words),
        "EmailAccountDescription": f"{name} ({address})",
        "EmailAccountType": _APPLE_ACCOUNT_TYPE[incoming.protocol],
        "EmailAddress": address,
        "IncomingMailServerHostName": incoming.new_host,
        # Always set: without a port the device guesses (and for SMTP tries 25 first).
        "IncomingMailServerPortNumber": incoming_port.number,
        "IncomingMailServerUseSSL": incoming_port.security is Security.TLS,
        # What the servers offer: 「パスワード」 for the seed, as the manual guide says.
        "IncomingMailServerAuthentication": _APPLE_AUTH[incoming.login_method],
        "IncomingMailServerUsername": incoming.login_name.of(address),
        "OutgoingMailServerHostName": outgoing.new_host,
        "OutgoingMailServerPortNumber": outgoing_port.number,
        "OutgoingMailServerUseSSL": outgoing_port.security is Security.TLS,
        "OutgoingMailServerAuthentication": _APPLE_AUTH[outgoing.login_method],
        "OutgoingMailServerUsername": outgoing.login_name.of(address),
        # The notice: SMTP AUTH uses the same account and password as POP.
        "OutgoingPasswordSameAsIncomingPassword": True,
    }
    document = {
        "PayloadType": "Configuration",
        "PayloadVersion": 1,
        "PayloadIdentifier": f"{identifier}.{profile_uuid}",
        "PayloadUUID": profile_uuid,
        "PayloadDisplayName": texts.fill(locale, N_("apple_profile.name"), words),
        # Shown on the install screen: no "new mail server" where the names stay.
        "PayloadDescription": texts.fill(
            locale,
            N_("apple_profile.description.hosts_kept")
            if incoming.host_kept
            else N_("apple_profile.description"),
            words,
        ),
        "PayloadOrganization": name,
        "PayloadRemovalDisallowed": False,
        "PayloadContent": [mail],
    }
    return plistlib.dumps(document, fmt=plistlib.FMT_XML, sort_keys=True)


# --- Outlook ------------------------------------------------------------------------------


class AutodiscoverError(ValueError):
    """A request the autodiscover answer refuses, with its MS-OXDSCLI error code.

    500: the address is not one this server configures; 600: an invalid request; 601: no
    configuration of the type asked for (another response schema than Outlook's).
    """

    def __init__(self, code: int, message: str) -> None:
        super().__init__(message)
        self.code = code


def autodiscover_error(error: AutodiscoverError) -> bytes:
    """The POX error answer to a refused request: Outlook and the spec read XML, not JSON.

    Without the Error element's optional Time and Id (no clock or host here).
    """
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Autodiscover xmlns="{_AUTODISCOVER_RESPONSE_NS}">\n'
        "  <Response>\n"
        "    <Error>\n"
        f"      <ErrorCode>{error.code}</ErrorCode>\n"
        f"      <Message>{escape(str(error))}</Message>\n"
        "      <DebugData />\n"
        "    </Error>\n"
        "  </Response>\n"
        "</Autodiscover>\n"
    ).encode()


def parse_autodiscover_request(body: bytes) -> str:
    """The EMailAddress of an Outlook POX autodiscover request, or AutodiscoverError.

    Refuses oversized bodies, any DTD (so no entity expansion), malformed XML, a request
    for another response schema (ActiveSync) and a request without an address.
    """
    if len(body) > AUTODISCOVER_MAX_REQUEST_BYTES:
        raise AutodiscoverError(600, f"request larger than {AUTODISCOVER_MAX_REQUEST_BYTES} bytes")
    path: list[str] = []
    fields: dict[str, str] = {}

    def start(name: str, _attributes: dict[str, str]) -> None:
        path.append(name.rpartition(" ")[2])  # drop the namespace, keep the local name

    def end(_name: str) -> None:
        path.pop()

    def text(data: str) -> None:
        if len(path) == 3 and path[:2] == ["Autodiscover", "Request"]:
            fields[path[2]] = fields.get(path[2], "") + data

    def refuse_dtd(*_args: object) -> None:
        raise AutodiscoverError(600, "a DTD is not allowed in an autodiscover request")

    parser = expat.ParserCreate(namespace_separator=" ")
    parser.StartDoctypeDeclHandler = refuse_dtd
    parser.EntityDeclHandler = refuse_dtd
    parser.StartElementHandler = start
    parser.EndElementHandler = end
    parser.CharacterDataHandler = text
    try:
        parser.Parse(body, True)
    except expat.ExpatError as error:
        raise AutodiscoverError(600, f"malformed autodiscover request: {error}") from None
    schema = fields.get("AcceptableResponseSchema", OUTLOOK_RESPONSE_SCHEMA).strip()
    if schema != OUTLOOK_RESPONSE_SCHEMA:
        raise AutodiscoverError(
            601, f"only the Outlook response schema is served, not {schema[:100]!r}"
        )
    address = fields.get("EMailAddress", "").strip()
    if not address:
        raise AutodiscoverError(600, "the autodiscover request names no EMailAddress")
    return address


def outlook_autodiscover(profile: MigrationProfile, request_body: bytes) -> bytes:
    """The POX answer to `POST /autodiscover/autodiscover.xml`, or AutodiscoverError."""
    asked = parse_autodiscover_request(request_body)
    try:
        address = profile.new_address(checked_address(profile, asked))
    except ValueError as error:
        raise AutodiscoverError(500, str(error)) from None
    protocols = "".join(
        _outlook_protocol(server, address) for server in (profile.incoming, profile.outgoing)
    )
    return (
        '<?xml version="1.0" encoding="utf-8"?>\n'
        f'<Autodiscover xmlns="{_AUTODISCOVER_RESPONSE_NS}">\n'
        f'  <Response xmlns="{OUTLOOK_RESPONSE_SCHEMA}">\n'
        "    <Account>\n"
        "      <AccountType>email</AccountType>\n"
        "      <Action>settings</Action>\n"
        f"{protocols}"
        "    </Account>\n"
        "  </Response>\n"
        "</Autodiscover>\n"
    ).encode()


def _outlook_protocol(server: IncomingServer | OutgoingServer, address: str) -> str:
    # SPA means NTLM, which these servers do not speak, and both SPA and SSL default to on:
    # say "off" explicitly. Outlook has no CRAM-MD5/APOP switch to set here: it logs in
    # with the password as typed, which is what the seed's servers offer. Encryption,
    # where Outlook reads it, overrides SSL; POX names one port, the recommended one.
    kind = _OUTLOOK_TYPE[server.protocol]
    host, port, security = server.new_host, server.port, server.security
    login = server.login_name.of(address)
    same_credentials = "        <UsePOPAuth>on</UsePOPAuth>\n" if kind == "SMTP" else ""
    return (
        "      <Protocol>\n"
        f"        <Type>{kind}</Type>\n"
        f"        <Server>{escape(host)}</Server>\n"
        f"        <Port>{port}</Port>\n"
        f"        <LoginName>{escape(login)}</LoginName>\n"
        "        <DomainRequired>off</DomainRequired>\n"
        "        <SPA>off</SPA>\n"
        f"        <SSL>{'off' if security is Security.NONE else 'on'}</SSL>\n"
        f"        <Encryption>{_OUTLOOK_ENCRYPTION[security]}</Encryption>\n"
        "        <AuthRequired>on</AuthRequired>\n"
        f"{same_credentials}"
        "      </Protocol>\n"
    )
