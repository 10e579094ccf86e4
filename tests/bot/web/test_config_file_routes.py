"""The configuration files as served over HTTP, and as offered in the chat."""

from __future__ import annotations

import plistlib
import xml.etree.ElementTree as ET
from collections.abc import AsyncIterator
from pathlib import Path
from urllib.parse import urlsplit

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock

AUTODISCOVER = b"""<?xml version="1.0" encoding="utf-8"?>
<Autodiscover xmlns="http://schemas.microsoft.com/exchange/autodiscover/outlook/requestschema/2006">
  <Request>
    <EMailAddress>taro@vp.117.ne.jp</EMailAddress>
    <AcceptableResponseSchema>http://schemas.microsoft.com/exchange/autodiscover/outlook/responseschema/2006a</AcceptableResponseSchema>
  </Request>
</Autodiscover>"""


@pytest.fixture
async def client(tmp_path: Path) -> AsyncIterator[httpx.AsyncClient]:
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3")
    app = build_app(settings, clock=fixed_clock())
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await app.state.runtime.engine.store.close()


@pytest.mark.parametrize(
    "path", ["/mail/config-v1.1.xml", "/.well-known/autoconfig/mail/config-v1.1.xml"]
)
async def test_thunderbird_autoconfig_is_served_at_both_places(
    client: httpx.AsyncClient, path: str
) -> None:
    response = await client.get(path, params={"emailaddress": "taro@vp.117.ne.jp"})
    assert response.status_code == 200
    root = ET.fromstring(response.content)  # noqa: S314 - our own generated XML
    assert root.findtext("./emailProvider/incomingServer/hostname") == "vpop.117.ne.jp"
    assert root.findtext("./emailProvider/outgoingServer/port") == "587"
    assert "password" not in response.text.lower().replace("password-", "")


async def test_the_apple_profile_carries_the_address_and_no_password(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/mail/apple.mobileconfig",
        params={"emailaddress": "taro@vp.117.ne.jp", "sending": "required", "smtp": "old"},
    )
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/x-apple-aspen-config"
    profile = plistlib.loads(response.content)
    mail = profile["PayloadContent"][0]
    assert mail["EmailAddress"] == "taro@vp.117.ne.jp"
    assert mail["IncomingMailServerHostName"] == "vpop.117.ne.jp"
    assert mail["OutgoingMailServerPortNumber"] == 587
    assert "IncomingPassword" not in mail
    assert "OutgoingPassword" not in mail
    assert mail["OutgoingPasswordSameAsIncomingPassword"] is True


@pytest.mark.parametrize(
    ("lang", "name", "description"),
    [
        # The install screen of an elderly subscriber's iPhone: in their language.
        ({"lang": "ja"}, "117netメール設定", "taro@vp.117.ne.jpの新しいメールサーバー設定です。"),
        ({}, "117netメール設定", "taro@vp.117.ne.jpの新しいメールサーバー設定です。"),
        ({"lang": "en"}, "117net mail settings", "New mail server settings for taro@vp.117.ne.jp."),
    ],
)
async def test_the_apple_profile_names_itself_in_the_subscribers_language(
    client: httpx.AsyncClient, lang: dict[str, str], name: str, description: str
) -> None:
    response = await client.get(
        "/mail/apple.mobileconfig",
        params={"emailaddress": "taro@vp.117.ne.jp", "sending": "required", "smtp": "old", **lang},
    )
    assert response.status_code == 200
    document = plistlib.loads(response.content)
    assert (document["PayloadDisplayName"], document["PayloadDescription"]) == (name, description)
    assert document["PayloadContent"][0]["PayloadDisplayName"] == name.removesuffix(
        "設定"
    ).removesuffix(" settings")


async def test_an_apple_profile_in_an_unknown_language_is_refused(
    client: httpx.AsyncClient,
) -> None:
    response = await client.get(
        "/mail/apple.mobileconfig",
        params={
            "emailaddress": "taro@vp.117.ne.jp",
            "sending": "required",
            "smtp": "old",
            "lang": "fr",
        },
    )
    assert response.status_code == 400
    assert "lang" in response.json()["error"]


@pytest.mark.parametrize(
    "address",
    [
        "",
        "taro@gmail.com",
        "not an address",
        # These reached the plist or the Content-Disposition header: 500s.
        "太郎@vp.117.ne.jp",
        "ｔａｒｏ@vp.117.ne.jp",
        "a\x7fb@vp.117.ne.jp",
        "a\u202eb@vp.117.ne.jp",
        "a\x00b@vp.117.ne.jp",
        # No mailbox: the file was made, with "." as the account (200).
        ".@vp.117.ne.jp",
        "..@vp.117.ne.jp",
        "<img>@vp.117.ne.jp",
    ],
)
async def test_an_apple_profile_for_a_foreign_or_bad_address_is_refused(
    client: httpx.AsyncClient, address: str
) -> None:
    response = await client.get(
        "/mail/apple.mobileconfig",
        params={"emailaddress": address, "sending": "required", "smtp": "old"},
    )
    assert response.status_code == 400
    assert "@" not in address or "error" in response.json()


@pytest.mark.parametrize(
    "facts",
    [
        {},  # a link without the verdict it was minted for
        {"sending": "not_needed", "smtp": "old"},  # sending unchanged: no SMTP change to hold
        {"sending": "required", "smtp": "other"},  # their own server, which we do not know
        {"sending": "recommended", "smtp": "unsure"},
        {"sending": "sometimes", "smtp": "old"},
    ],
)
async def test_an_apple_profile_that_would_contradict_the_card_is_refused(
    client: httpx.AsyncClient, facts: dict[str, str]
) -> None:
    response = await client.get(
        "/mail/apple.mobileconfig", params={"emailaddress": "taro@vp.117.ne.jp", **facts}
    )
    assert response.status_code == 400
    assert "error" in response.json()


async def test_outlook_autodiscover_answers_a_pox_request(client: httpx.AsyncClient) -> None:
    response = await client.post("/autodiscover/autodiscover.xml", content=AUTODISCOVER)
    assert response.status_code == 200
    assert b"vsmtp.117.ne.jp" in response.content
    assert b"taro@vp.117.ne.jp" in response.content


@pytest.mark.parametrize(
    ("body", "status"),
    [(b"<not xml", 400), (b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", 400), (b"x" * 70_000, 413)],
)
async def test_a_bad_autodiscover_request_gets_a_4xx(
    client: httpx.AsyncClient, body: bytes, status: int
) -> None:
    response = await client.post("/autodiscover/autodiscover.xml", content=body)
    assert response.status_code == status


@pytest.mark.parametrize(
    ("body", "code"),
    [
        (b"<not xml", "600"),
        (b"<!DOCTYPE x [<!ENTITY a 'b'>]><x>&a;</x>", "600"),
        (AUTODISCOVER.replace(b"taro@vp.117.ne.jp", b""), "600"),
        (AUTODISCOVER.replace(b"taro@vp.117.ne.jp", b"taro@gmail.com"), "500"),
        (
            AUTODISCOVER.replace(
                b"outlook/responseschema/2006a", b"mobilesync/responseschema/2006"
            ),
            "601",
        ),
    ],
)
async def test_a_refused_autodiscover_request_gets_the_spec_s_error_answer(
    client: httpx.AsyncClient, body: bytes, code: str
) -> None:
    # MS-OXDSCLI answers a refused request with an Autodiscover document holding an Error
    # (500: an address it does not configure, 600: an invalid request, 601: another
    # response schema). It was JSON, {"error": …}, which no Outlook reads.
    response = await client.post("/autodiscover/autodiscover.xml", content=body)
    assert response.status_code == 400
    assert response.headers["content-type"] == "application/xml; charset=utf-8"
    ns = {"a": "http://schemas.microsoft.com/exchange/autodiscover/responseschema/2006"}
    root = ET.fromstring(response.content)  # noqa: S314 - our own generated XML
    assert root.tag == f"{{{ns['a']}}}Autodiscover"
    assert root.findtext("./a:Response/a:Error/a:ErrorCode", namespaces=ns) == code
    assert root.findtext("./a:Response/a:Error/a:Message", namespaces=ns)


@pytest.mark.parametrize(
    ("locale", "name"), [("ja", "117netメール設定"), ("en", "117net mail settings")]
)
async def test_the_chat_offers_the_apple_profile_to_iphone_users(
    client: httpx.AsyncClient, locale: str, name: str
) -> None:
    conversation = (await client.post("/api/webchat/conversations", json={"locale": locale})).json()
    url = f"/api/webchat/conversations/{conversation['conversation_id']}/messages"
    for body in ({"choice": "settings"}, {"text": "taro@vp.117.ne.jp"}, {"text": "iPhone"}):
        await client.post(url, json=body)
    replies = (await client.post(url, json={"choice": "yes"})).json()["replies"]
    files = [r for r in replies if r["type"] == "file"]
    assert len(files) == 1
    assert files[0]["media_type"] == "application/x-apple-aspen-config"
    served = await client.get(
        urlsplit(files[0]["url"]).path + "?" + urlsplit(files[0]["url"]).query
    )
    assert served.status_code == 200
    document = plistlib.loads(served.content)
    assert document["PayloadContent"][0]["EmailAddress"] == "taro@vp.117.ne.jp"
    assert document["PayloadDisplayName"] == name


@pytest.mark.parametrize("smtp_answer", ["no", "unsure"])
async def test_the_chat_offers_no_apple_profile_when_the_outgoing_server_stays(
    client: httpx.AsyncClient, smtp_answer: str
) -> None:
    conversation = (await client.post("/api/webchat/conversations", json={})).json()
    url = f"/api/webchat/conversations/{conversation['conversation_id']}/messages"
    for body in ({"choice": "settings"}, {"text": "taro@vp.117.ne.jp"}, {"text": "iPhone"}):
        await client.post(url, json=body)
    replies = (await client.post(url, json={"choice": smtp_answer})).json()["replies"]
    assert [r for r in replies if r["type"] == "settings"]
    assert not [r for r in replies if r["type"] == "file"]


@pytest.mark.parametrize(
    ("facts", "error"),
    [
        ({}, "sending must be one of required, recommended, not_needed (not '')"),
        (
            {"sending": "sometimes", "smtp": "old"},
            "sending must be one of required, recommended, not_needed (not 'sometimes')",
        ),
        ({"sending": "required"}, "smtp must be one of old, other, unsure (not '')"),
    ],
)
async def test_a_refused_apple_link_names_the_parameter_and_its_values(
    client: httpx.AsyncClient, facts: dict[str, str], error: str
) -> None:
    # It said "'' is not a valid Sending": a Python class name, not the link's parameter.
    response = await client.get(
        "/mail/apple.mobileconfig", params={"emailaddress": "taro@vp.117.ne.jp", **facts}
    )
    assert response.status_code == 400
    assert response.json() == {"error": error}
