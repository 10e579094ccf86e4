"""The profile describes the servers as ISPs run them; a wrong key stops start-up by name."""

from __future__ import annotations

import tomllib
from pathlib import Path

import pytest

from dialogs.profile import (
    CheckAccess,
    LoginMethod,
    LoginName,
    MigrationProfile,
    Port,
    ProfileError,
    Protocol,
    Security,
    parse_profile,
)

SEED = Path(__file__).parents[2] / "bot" / "ops" / "default_profile.toml"


def parse(text: str) -> MigrationProfile:
    return parse_profile(tomllib.loads(text), "x.toml")


def seed_with(old: str, new: str) -> str:
    text = SEED.read_text("utf-8")
    assert old in text, old
    return text.replace(old, new, 1)


def test_the_seed_describes_pop3_and_smtp_without_tls_and_the_password_as_typed() -> None:
    profile = parse(SEED.read_text("utf-8"))
    incoming, outgoing = profile.incoming, profile.outgoing

    assert incoming.protocol is Protocol.POP3
    assert incoming.ports == (Port(110, Security.NONE),)
    assert (incoming.port, incoming.security) == (110, Security.NONE)
    assert incoming.login_methods == (LoginMethod.PASSWORD,)
    assert (incoming.login_name, incoming.old_login_name) == (
        LoginName.ADDRESS,
        LoginName.LOCAL_PART,
    )
    # Absent old values are the new ones: the notice changes no POP port or encryption.
    assert (incoming.old_protocol, incoming.old_port, incoming.old_security) == (
        Protocol.POP3,
        110,
        Security.NONE,
    )
    assert incoming.check == CheckAccess()
    assert outgoing.protocol is Protocol.SMTP
    assert outgoing.ports == (Port(587, Security.NONE),)
    assert (outgoing.old_port, outgoing.old_security) == (25, Security.NONE)
    assert outgoing.login_methods == (LoginMethod.PASSWORD,)
    assert outgoing.check == CheckAccess()


def test_several_ports_the_first_recommended_with_old_values_and_check_access() -> None:
    text = seed_with(
        'port = 110\nsecurity = "none"',
        'ports = [{port = 993, security = "tls"}, {port = 143, security = "starttls"}]\n'
        'old_protocol = "pop3"\nold_port = 110\nold_security = "none"',
    )
    text = text.replace('protocol = "pop3"', 'protocol = "imap"', 1)
    text = text.replace(
        'old_login_name = "local-part"',
        'old_login_name = "local-part"\n'
        '[incoming.check]\nconnect_host = "10.0.0.5"\nca_file = "ca/internal.pem"',
        1,
    )
    incoming = parse(text).incoming

    assert incoming.protocol is Protocol.IMAP
    assert incoming.ports == (Port(993, Security.TLS), Port(143, Security.STARTTLS))
    assert (incoming.port, incoming.security) == (993, Security.TLS)
    assert (incoming.old_protocol, incoming.old_port, incoming.old_security) == (
        Protocol.POP3,
        110,
        Security.NONE,
    )
    assert incoming.check == CheckAccess(connect_host="10.0.0.5", ca_file="ca/internal.pem")


def test_the_login_name_formats_an_address() -> None:
    assert LoginName.ADDRESS.of("taro@vp.117.ne.jp") == "taro@vp.117.ne.jp"
    assert LoginName.LOCAL_PART.of("taro@vp.117.ne.jp") == "taro"


@pytest.mark.parametrize(
    ("old", "new", "key", "problem"),
    [
        ('security = "none"', 'securty = "none"', "incoming.securty", "not a known key"),
        ("[policy]", "[polcy]", "polcy", "not a known key"),
        ('protocol = "pop3"', 'protocol = "smtp"', "incoming.protocol", "pop3 or imap"),
        ('protocol = "pop3"', 'protocol = "pop"', "incoming.protocol", "not one of pop3, imap"),
        # smtp is no receiving protocol: the list of choices must not offer it; "pop" is
        # told how POP3 is written.
        (
            'protocol = "pop3"',
            'protocol = "pop"',
            "incoming.protocol",
            'pop3, imap: POP3 is written "pop3" (its encryption goes in security)\n',
        ),
        # The old servers cannot stop before subscribers may change their settings.
        (
            "old_pop_until = 2008-06-20",
            "old_pop_until = 2008-05-20",
            "schedule.old_pop_until",
            "before schedule.window_start",
        ),
        (
            "old_smtp_until = 2008-06-20",
            "old_smtp_until = 2008-04-01",
            "schedule.old_smtp_until",
            "before schedule.window_start",
        ),
        (
            'port = 110\nsecurity = "none"',
            'port = 110\nsecurity = "none"\nports = [{port = 995, security = "tls"}]',
            "incoming.ports",
            "together with port/security",
        ),
        ('port = 110\nsecurity = "none"', "ports = []", "incoming.ports", "non-empty list"),
        (
            'port = 110\nsecurity = "none"',
            'ports = [{port = 995, security = "ssl"}]',
            "incoming.ports[0].security",
            "not one of",
        ),
        (
            'port = 110\nsecurity = "none"',
            'ports = [{port = 995, security = "tls", tls = true}]',
            "incoming.ports[0].tls",
            "not a known key",
        ),
        (
            'port = 110\nsecurity = "none"',
            'ports = [{port = 995, security = "tls"}, {port = 995, security = "starttls"}]',
            "incoming.ports",
            "twice",
        ),
        ('login_methods = ["password"]', "login_methods = []", "incoming.login_methods", "list"),
        (
            'login_methods = ["password"]',
            'login_methods = ["plain"]',
            "incoming.login_methods",
            "not one of",
        ),
        (
            '(SMTP AUTH PLAIN/LOGIN)\nlogin_methods = ["password"]',
            '(SMTP AUTH PLAIN/LOGIN)\nlogin_methods = ["apop"]',
            "outgoing.login_methods",
            "POP3 method",
        ),
        ('login_name = "address"', 'login_name = "email"', "incoming.login_name", "not one of"),
        (
            'old_login_name = "local-part"',
            'old_login_name = "local-part"\n[incoming.check]\nconnect_host = "not a host!"',
            "incoming.check.connect_host",
            "host name or an IP",
        ),
        (
            'old_login_name = "local-part"',
            'old_login_name = "local-part"\n[incoming.check]\ncafile = "x.pem"',
            "incoming.check.cafile",
            "not a known key",
        ),
    ],
)
def test_a_wrong_server_key_names_the_file_the_key_and_the_problem(
    old: str, new: str, key: str, problem: str
) -> None:
    text = seed_with(old, new)
    with pytest.raises(ProfileError) as caught:
        parse(text)
    assert caught.value.source == "x.toml"
    assert caught.value.key == key
    assert problem in caught.value.problem + "\n"


def test_apop_is_refused_for_an_imap_server() -> None:
    text = seed_with('protocol = "pop3"', 'protocol = "imap"')
    text = text.replace('login_methods = ["password"]', 'login_methods = ["apop"]', 1)
    with pytest.raises(ProfileError, match=r"\[incoming.login_methods\].*POP3 method"):
        parse(text)


@pytest.mark.parametrize("host", ["mailgw", "localhost", "127.0.0.1", "::1", "pop.internal.lan"])
def test_the_check_may_connect_to_an_internal_name_or_an_ip_literal(host: str) -> None:
    text = seed_with(
        'old_login_name = "local-part"',
        f'old_login_name = "local-part"\n[incoming.check]\nconnect_host = "{host}"',
    )
    assert parse(text).incoming.check.connect_host == host


def test_a_profile_missing_its_servers_says_so_first() -> None:
    with pytest.raises(ProfileError, match=r"\[incoming\] is missing"):
        parse_profile({"provider": {"name": "x"}}, "x.toml")
