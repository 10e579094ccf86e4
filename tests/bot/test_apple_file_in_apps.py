"""The Apple file's link where the chat runs in an app: opened in Safari, not inside the app.

iOS installs a configuration profile that Safari downloads (Apple: "When users open the
email attachment or download the profile using Safari on their device, they're prompted to
begin the installation"); a link tapped in LINE, Telegram or Slack on an iPhone opens in the
app's own browser, which may only show or save the file (third-party browsers' trackers:
duckduckgo/iOS#830, mozilla-mobile/firefox-ios#7501). The chat offered the file there with
「iPhone・iPadでこのファイルを開き、画面の案内に従ってインストールしてください」 alone. The
web chat's page is already in the phone's browser: its subscribers read nothing more.
"""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path
from typing import Final
from urllib.parse import parse_qs, urlsplit

import pytest

from adapters.line.channel import LineChannel
from adapters.line.render import render
from adapters.slack.channel import SlackChannel
from adapters.telegram.channel import TelegramChannel
from bot.ops.settings import Settings
from bot.server import build_app
from dialogs.vocabulary import FileReply, Inbound, Locale
from testbed.clock import fixed_clock

ADDRESS: Final = "taro@vp.117.ne.jp"
IN_WINDOW: Final = dt.datetime(2008, 6, 1, 12, tzinfo=zoneinfo.ZoneInfo("Asia/Tokyo"))
APPS_ON: Final = {"TELEGRAM_BOT_TOKEN": "123456789:" + "A" * 35, "TELEGRAM_POLLING": "1"}
SAFARI: Final = {
    "ja": "下のリンクは、Safariで開いてください。",
    "en": "Please open the link below in Safari",
}


async def offered(tmp_path: Path, channel: str, program: str, locale: Locale) -> FileReply:
    """The Apple file as the chat offers it on `channel`, with Telegram switched on."""
    settings = Settings(store_url=f"sqlite:///{tmp_path}/s.sqlite3", environ=APPS_ON)
    app = build_app(settings, clock=fixed_clock(IN_WINDOW))
    engine = app.state.runtime.engine
    await engine.store.open()
    try:
        said = [
            Inbound(channel, "U0123", "e0", start=True, locale=locale),
            *(Inbound(channel, "U0123", f"yes{n}", choice="yes") for n in range(4)),
            Inbound(channel, "U0123", "address", text=ADDRESS),
            Inbound(channel, "U0123", "program", choice=f"program:{program}"),
            Inbound(channel, "U0123", "smtp", choice="yes"),
        ]
        for inbound in said:
            outcome = await engine.handle(inbound)
        [file] = [r for r in outcome.replies if isinstance(r, FileReply)]
        return file
    finally:
        await engine.store.close()


@pytest.mark.parametrize("locale", ["ja", "en"])
async def test_in_an_app_an_iphone_user_is_told_to_open_the_file_in_safari(
    tmp_path: Path, locale: Locale
) -> None:
    file = await offered(tmp_path, "telegram", "ios_mail", locale)
    offer, note, *_ = file.text.split("\n\n")
    assert "iPhone" in offer
    assert note.startswith(SAFARI[locale])
    assert "Telegram" in note


def test_line_opens_the_file_s_link_in_the_phone_s_own_browser() -> None:
    # LINE opens a link carrying openExternalBrowser=1 in the phone's default browser.
    url = f"https://mm.example.jp/mail/apple.mobileconfig?emailaddress={ADDRESS}&lang=ja"
    file = FileReply(
        "設定ファイル", "taro-mail.mobileconfig", "application/x-apple-aspen-config", url
    )
    [message] = render(file)
    query = parse_qs(urlsplit(message["text"].rsplit("\n", 1)[1]).query)
    assert query["openExternalBrowser"] == ["1"]
    assert query["emailaddress"] == [ADDRESS]


@pytest.mark.parametrize(
    ("channel", "program"),
    [
        ("webchat", "ios_mail"),  # the page is in Safari already
        ("telegram", "apple_mail"),  # the file is for the Mac, opened there
    ],
)
async def test_nothing_more_where_the_link_opens_where_the_file_installs(
    tmp_path: Path, channel: str, program: str
) -> None:
    file = await offered(tmp_path, channel, program, "ja")
    assert "Safari" not in file.text


def test_line_telegram_and_slack_open_links_inside_their_apps() -> None:
    assert LineChannel.links_open_in_app
    assert TelegramChannel.links_open_in_app
    assert SlackChannel.links_open_in_app
