"""The Apple file's offer where only one of the two Apple programs is supported.

`[webmail] only_for = ["ios_mail"]` sends iPhone/iPad Mail to webmail while Mail on the Mac
gets its card, guide and file. The offer said 「iPhone・iPad・Macでこのファイルを開き…」 /
"Open this file on your iPhone, iPad or Mac" to a subscriber who chose the Mac: opened on
the phone they were chatting on, it set up the program the provider does not support.
The offer now names only the devices whose program is supported; with both supported it
names all three, as before.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile, parse_profile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import FileReply, Locale
from tests.dialogs.driver import Driver
from tests.dialogs.walker import worded

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "webmail-for-some-programs.toml"
ADDRESS: Final = "taro@hibari.example.jp"
# Inside the example's window (2028-02-01 onwards): the file is offered.
TODAY: Final = dt.date(2028, 2, 10)
ALL: Final = {"ja": "iPhone・iPad・Macでこのファイルを開き", "en": "on your iPhone, iPad or Mac"}


def with_only_for(only_for: str) -> MigrationProfile:
    text = EXAMPLE.read_text("utf-8")
    assert 'only_for = ["becky", "other"]' in text
    changed = text.replace('only_for = ["becky", "other"]', f"only_for = {only_for}")
    return parse_profile(tomllib.loads(changed), "hibari.toml")


def offer(profile: MigrationProfile, catalogs: Catalogs, locale: Locale, program: str) -> str:
    driver = Driver(profile, worded(catalogs, profile), today=TODAY)
    driver.start(locale)
    while driver.state.stage is not Stage.ASK_ADDRESS:
        driver.press("yes")
    driver.type(ADDRESS)
    driver.press(f"program:{program}")
    if driver.state.stage is Stage.ASK_SMTP_HOST:
        driver.press("yes")
    files = [reply for reply in driver.all_replies() if isinstance(reply, FileReply)]
    assert len(files) == 1, program
    return files[0].text


@pytest.mark.parametrize(
    ("only_for", "program", "words"),
    [
        (
            '["ios_mail"]',
            "apple_mail",
            {"ja": "Macでこのファイルを開き", "en": "Open this file on your Mac and"},
        ),
        (
            '["apple_mail"]',
            "ios_mail",
            {
                "ja": "iPhone・iPadでこのファイルを開き",
                "en": "Open this file on your iPhone or iPad",
            },
        ),
    ],
)
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_the_offer_names_only_the_supported_device(
    catalogs: Catalogs, locale: Locale, only_for: str, program: str, words: dict[str, str]
) -> None:
    said = offer(with_only_for(only_for), catalogs, locale, program)
    assert words[locale] in said, said
    assert ALL[locale] not in said, said


@pytest.mark.parametrize("program", ["apple_mail", "ios_mail"])
@pytest.mark.parametrize("locale", ["ja", "en"])
def test_with_both_supported_every_apple_device_is_named(
    catalogs: Catalogs, locale: Locale, program: str
) -> None:
    said = offer(with_only_for('["becky", "other"]'), catalogs, locale, program)
    assert ALL[locale] in said, said
