"""Each example profile's configuration files, served over HTTP by the real app."""

from __future__ import annotations

import datetime as dt
import plistlib
import xml.etree.ElementTree as ET
import zoneinfo
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final

import httpx
import pytest

from bot.ops.profile_loader import load_profile
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.mail_config_files import apple_file_fits
from dialogs.profile import MigrationProfile, Security
from dialogs.settings_card import SmtpHost
from dialogs.vocabulary import Sending
from testbed.clock import fixed_clock

EXAMPLES: Final = sorted((Path(__file__).resolve().parents[3] / "examples").glob("*.toml"))
OUTLOOK_REQUEST: Final = (
    '<?xml version="1.0" encoding="utf-8"?>'
    '<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">'
    "<Request><EMailAddress>{address}</EMailAddress>"
    "<AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/"
    "responseschema/2006a</AcceptableResponseSchema></Request></Autodiscover>"
)


@pytest.fixture(params=EXAMPLES, ids=lambda path: path.name)
async def served(
    request: pytest.FixtureRequest, tmp_path: Path
) -> AsyncIterator[tuple[MigrationProfile, httpx.AsyncClient]]:
    path: Path = request.param
    profile = load_profile(path)
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", profile_path=path)
    # Each example's own window: before it no file is served (test_config_files_by_date).
    opens = dt.datetime.combine(
        profile.schedule.window_start, dt.time(12), tzinfo=zoneinfo.ZoneInfo(profile.timezone)
    )
    app = build_app(settings, clock=fixed_clock(opens))
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield profile, client
    await app.state.runtime.engine.store.close()


async def test_every_file_is_served_from_the_examples_servers(
    served: tuple[MigrationProfile, httpx.AsyncClient],
) -> None:
    profile, client = served
    address = f"taro@{profile.affected_domains[0]}"

    autoconfig = await client.get("/mail/config-v1.1.xml", params={"emailaddress": address})
    assert autoconfig.status_code == 200
    root = ET.fromstring(autoconfig.content)  # noqa: S314 - our own generated XML
    incoming = root.find("emailProvider/incomingServer")
    assert incoming is not None
    assert incoming.get("type") == profile.incoming.protocol.value
    assert incoming.findtext("hostname") == profile.incoming.new_host
    assert incoming.findtext("port") == str(profile.incoming.port)

    outlook = await client.post(
        "/autodiscover/autodiscover.xml", content=OUTLOOK_REQUEST.format(address=address)
    )
    assert outlook.status_code == 200
    assert f"<Server>{profile.outgoing.new_host}</Server>" in outlook.text
    assert f"<Port>{profile.outgoing.port}</Port>" in outlook.text

    apple = await client.get(
        "/mail/apple.mobileconfig",
        params={"emailaddress": address, "sending": "required", "smtp": "old"},
    )
    if not apple_file_fits(Sending.REQUIRED, SmtpHost.OLD, profile):
        # A sending-only migration (examples/op25b-sending-only.toml): no second account on
        # the same mailbox, and no Apple file for SMTP on 587 + STARTTLS alone either.
        assert apple.status_code == 400
        return
    assert apple.status_code == 200
    [mail] = plistlib.loads(apple.content)["PayloadContent"]
    assert mail["IncomingMailServerHostName"] == profile.incoming.new_host
    ports = {(p.number, p.security) for p in profile.outgoing.ports}
    used = mail["OutgoingMailServerPortNumber"]
    tls = Security.TLS if mail["OutgoingMailServerUseSSL"] else Security.NONE
    assert (used, tls) in ports


async def test_thunderbird_asked_for_an_old_address_logs_in_with_the_new(
    served: tuple[MigrationProfile, httpx.AsyncClient],
) -> None:
    # Thunderbird asks autoconfig.<old domain> for the address typed, with ?emailaddress=
    # (or the /.well-known/ path of <old domain> without it): both name the old domain and
    # a login on the new one, never the old address as the login.
    profile, client = served
    old = profile.affected_domains[0]
    new = profile.new_address(f"taro@{old}").rpartition("@")[2]
    asked = (
        await client.get("/mail/config-v1.1.xml", params={"emailaddress": f"taro@{old}"}),
        await client.get("/.well-known/autoconfig/mail/config-v1.1.xml", headers={"Host": old}),
    )
    for answer in asked:
        root = ET.fromstring(answer.content)  # noqa: S314 - our own generated XML
        domains = [d.text for d in root.findall("emailProvider/domain")]
        usernames = {u.text for u in root.iter("username")}
        assert old in domains
        if profile.domain_changes:
            assert new in domains
            assert usernames == {f"%EMAILLOCALPART%@{new}"}
        else:
            assert usernames <= {"%EMAILADDRESS%", "%EMAILLOCALPART%"}
