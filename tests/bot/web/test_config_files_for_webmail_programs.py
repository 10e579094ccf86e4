"""The configuration files where [webmail] only_for sends some mail programs to webmail.

A program the provider does not support on the new servers gets no card, guide or Apple
file in the chat (test_webmail_for_some_programs); its configuration file must not set it
up behind the chat's back either. A fetched file's request does not say which program asks:
Thunderbird's autoconfig (config-v1.1.xml) is also read by Evolution, KMail, K-9 Mail /
Thunderbird for Android and FairEmail ("other" on the chat's list), and Outlook's
autodiscover request names no Outlook. So a file is withheld when every program that may
load it is sent to webmail, and served while one of them is supported.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Final

import httpx
import pytest

from bot.ops.settings import Settings
from bot.server import build_app
from testbed.clock import fixed_clock
from tests.bot.web.test_config_files_of_examples import OUTLOOK_REQUEST

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "webmail-for-some-programs.toml"
ADDRESS: Final = "taro@hibari.example.jp"
NEW_HOSTS: Final = ("imap.mail.hibari.example.jp", "smtp.mail.hibari.example.jp")
# The example's window opens on 2028-02-01 (Asia/Tokyo).
OPEN: Final = dt.datetime(2028, 2, 1, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
AUTOCONFIG: Final = "autoconfig"
AUTODISCOVER: Final = "autodiscover"
APPLE: Final = "apple"
# A client of the app on the example with another only_for (a TOML list).
Serve = Callable[[str], AsyncIterator[httpx.AsyncClient]]


async def fetch(client: httpx.AsyncClient) -> dict[str, list[httpx.Response]]:
    """Every path of every file, as the programs (or the chat's Apple link) ask for them."""
    query = {"emailaddress": ADDRESS}
    outlook = OUTLOOK_REQUEST.format(address=ADDRESS)
    return {
        AUTOCONFIG: [
            await client.get("/mail/config-v1.1.xml", params=query),
            await client.get("/.well-known/autoconfig/mail/config-v1.1.xml", params=query),
        ],
        AUTODISCOVER: [
            await client.post("/autodiscover/autodiscover.xml", content=outlook),
            await client.post("/Autodiscover/Autodiscover.xml", content=outlook),
        ],
        APPLE: [
            await client.get(
                "/mail/apple.mobileconfig",
                params={**query, "sending": "required", "smtp": "old", "lang": "ja"},
            )
        ],
    }


@pytest.fixture
def serve(tmp_path: Path) -> Serve:
    async def served(only_for: str) -> AsyncIterator[httpx.AsyncClient]:
        text = EXAMPLE.read_text(encoding="utf-8")
        assert 'only_for = ["becky", "other"]' in text
        path = tmp_path / "profile.toml"
        path.write_text(
            text.replace('only_for = ["becky", "other"]', f"only_for = {only_for}"),
            encoding="utf-8",
        )
        settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", profile_path=path)
        app = build_app(settings, clock=fixed_clock(OPEN))
        await app.state.runtime.engine.store.open()
        transport = httpx.ASGITransport(app=app)
        async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
            yield client
        await app.state.runtime.engine.store.close()

    return served


async def files(serve: Serve, only_for: str) -> dict[str, list[httpx.Response]]:
    async for client in serve(only_for):
        return await fetch(client)
    raise AssertionError("not served")


def assert_served(responses: list[httpx.Response]) -> None:
    for response in responses:
        assert response.status_code == 200, (response.request.url, response.text)
        assert NEW_HOSTS[0] in response.text


def assert_withheld(responses: list[httpx.Response], programs: str) -> None:
    for response in responses:
        assert response.status_code == 404, response.request.url
        # No server name for a program that would set an account up from it.
        for host in NEW_HOSTS:
            assert host not in response.text
        assert response.json() == {
            "error": f"no configuration file: {programs} are sent to webmail"
            " ([webmail] only_for): https://webmail.hibari.example.jp/"
        }


async def test_thunderbird_and_other_programs_unsupported_get_no_autoconfig(
    serve: Serve,
) -> None:
    got = await files(serve, '["thunderbird", "other"]')
    assert_withheld(got[AUTOCONFIG], "thunderbird, other")
    assert_served(got[AUTODISCOVER])
    assert_served(got[APPLE])


async def test_autoconfig_stays_while_other_programs_that_read_it_are_supported(
    serve: Serve,
) -> None:
    # Evolution, KMail and K-9 Mail read Thunderbird's file too: only Thunderbird is not
    # supported, and the request cannot say it is Thunderbird asking.
    got = await files(serve, '["thunderbird"]')
    assert_served(got[AUTOCONFIG])


async def test_no_autodiscover_when_no_program_that_sends_it_is_supported(
    serve: Serve,
) -> None:
    got = await files(serve, '["outlook_classic", "outlook_new", "other"]')
    assert_withheld(got[AUTODISCOVER], "outlook_classic, outlook_new, other")
    assert_served(got[AUTOCONFIG])
    assert_served(got[APPLE])
    # One Outlook still supported: the request does not say which Outlook sends it.
    got = await files(serve, '["outlook_classic", "other"]')
    assert_served(got[AUTODISCOVER])


async def test_no_apple_file_when_neither_apple_program_is_supported(serve: Serve) -> None:
    got = await files(serve, '["apple_mail", "ios_mail"]')
    assert_withheld(got[APPLE], "apple_mail, ios_mail")
    assert_served(got[AUTOCONFIG])
    assert_served(got[AUTODISCOVER])
    # The Mac still supported: the chat links the file for it (and not for an iPhone).
    got = await files(serve, '["ios_mail"]')
    assert_served(got[APPLE])


async def test_the_example_serves_every_file(serve: Serve) -> None:
    # Becky! reads none of them, and each file "other" programs read is also read by a
    # program still supported (Thunderbird, the Outlooks).
    got = await files(serve, '["becky", "other"]')
    for responses in got.values():
        assert_served(responses)
