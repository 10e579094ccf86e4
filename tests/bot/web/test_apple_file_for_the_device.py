"""The Apple file where one of the two Apple programs is sent to webmail ([webmail] only_for).

The route served the file to any Apple device while either program was supported: "the
request does not say which device asks". Two things do say it. The chat knows the program
the subscriber chose, and its link now carries it (`program=apple_mail`); and an iPhone or
an iPad in its mobile mode names itself in the User-Agent. A request from an iPhone, or a
link for iPhone/iPad Mail, is refused where iPhone/iPad Mail is sent to webmail, and a link
for Mail on the Mac where that is. A Mac's User-Agent is not trusted to mean a Mac (an iPad
asks for desktop pages as one), and a link without `program` (one sent before it was added)
is served as before while either program is supported.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from collections.abc import AsyncIterator
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest

from bot.mailcheck.check_links import CheckLinks
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.state import DialogState
from dialogs.vocabulary import Sending
from testbed.clock import fixed_clock

EXAMPLE: Final = Path(__file__).resolve().parents[3] / "examples" / "webmail-for-some-programs.toml"
ADDRESS: Final = "taro@hibari.example.jp"
OPEN: Final = dt.datetime(2028, 2, 1, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
IPHONE: Final = (
    "Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.5 Mobile/15E148 Safari/604.1"
)
IPAD: Final = (
    "Mozilla/5.0 (iPad; CPU OS 16_6 like Mac OS X) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/16.6 Mobile/15E148 Safari/604.1"
)
# A Mac, and an iPad asking for the desktop site: the same words.
MAC: Final = (
    "Mozilla/5.0 (Macintosh; Intel Mac OS X 10_15_7) AppleWebKit/605.1.15"
    " (KHTML, like Gecko) Version/17.5 Safari/605.1.15"
)


async def served(tmp_path: Path, only_for: str) -> AsyncIterator[httpx.AsyncClient]:
    text = EXAMPLE.read_text(encoding="utf-8")
    assert 'only_for = ["becky", "other"]' in text
    path = tmp_path / "profile.toml"
    path.write_text(
        text.replace('only_for = ["becky", "other"]', f"only_for = {only_for}"), encoding="utf-8"
    )
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", profile_path=path)
    app = build_app(settings, clock=fixed_clock(OPEN))
    await app.state.runtime.engine.store.open()
    transport = httpx.ASGITransport(app=app)
    async with httpx.AsyncClient(transport=transport, base_url="http://test") as client:
        yield client
    await app.state.runtime.engine.store.close()


async def statuses(
    tmp_path: Path, only_for: str, asks: list[tuple[str | None, str | None]]
) -> list[int]:
    """The status of each (program in the link, User-Agent) request for the file."""
    got = []
    async for client in served(tmp_path, only_for):
        for program, agent in asks:
            params = {"emailaddress": ADDRESS, "sending": "required", "smtp": "old", "lang": "ja"}
            if program is not None:
                params["program"] = program
            headers = {"User-Agent": agent} if agent is not None else {}
            response = await client.get("/mail/apple.mobileconfig", params=params, headers=headers)
            got.append(response.status_code)
            if response.status_code == 404:
                assert "are sent to webmail" in response.json()["error"]
                assert "imap.mail.hibari.example.jp" not in response.text
    return got


async def test_an_iphone_gets_no_file_where_iphone_mail_is_sent_to_webmail(
    tmp_path: Path,
) -> None:
    asks: list[tuple[str | None, str | None]] = [
        (None, IPHONE),  # a link without the program, opened on an iPhone
        ("apple_mail", IPHONE),  # the Mac's link, opened on the phone the chat is on
        ("apple_mail", IPAD),
        ("ios_mail", None),  # a link for iPhone/iPad Mail
        ("ios_mail", MAC),  # an iPad asking for the desktop site
        ("apple_mail", MAC),  # the Mac: served
        (None, MAC),  # served: a Mac, or an iPad in desktop mode, cannot be told apart
        (None, None),
    ]
    withheld, served_ = [404] * 5, [200] * 3
    assert await statuses(tmp_path, '["ios_mail"]', asks) == withheld + served_


async def test_a_link_for_the_mac_gets_no_file_where_mac_mail_is_sent_to_webmail(
    tmp_path: Path,
) -> None:
    asks: list[tuple[str | None, str | None]] = [
        ("apple_mail", MAC),
        ("apple_mail", None),
        ("ios_mail", IPHONE),  # served: the device is the supported one
        ("apple_mail", IPHONE),  # the Mac's link opened on an iPhone, which is supported
        (None, MAC),  # may be an iPad in desktop mode: served
        (None, IPAD),
    ]
    assert await statuses(tmp_path, '["apple_mail"]', asks) == [404, 404, 200, 200, 200, 200]


@pytest.mark.parametrize("program", ["outlook_new", "becky", "mac"])
async def test_a_link_for_another_program_is_refused(tmp_path: Path, program: str) -> None:
    async for client in served(tmp_path, '["becky", "other"]'):
        response = await client.get(
            "/mail/apple.mobileconfig",
            params={
                "emailaddress": ADDRESS,
                "sending": "required",
                "smtp": "old",
                "program": program,
            },
        )
        assert response.status_code == 400, response.text
        assert "program" in response.json()["error"]


@pytest.mark.parametrize("program", ["apple_mail", "ios_mail"])
def test_the_chats_link_carries_the_program_chosen(program: str) -> None:
    state = DialogState(address=ADDRESS, sending=Sending.REQUIRED, program=program, locale="ja")
    url = CheckLinks("https://chat.hibari.example.jp").apple_profile_url(state)
    assert parse_qs(urlsplit(url).query)["program"] == [program]
