"""`[provider] name` in each language: a Japanese provider's name in kanji, its English beside.

Written by another provider's operator (profiles): with one name for both languages, a
name in kanji read "the 海岸ひかり support centre" in English, and one in Latin letters read
「Kaigan Hikariのメールサーバー移行」 in Japanese. `name = { ja = "…", en = "…" }` gives each
language its own; the English one is read as the provider in answers, as an alias is.
"""

from __future__ import annotations

import plistlib
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.mail_config_files import apple_mobileconfig
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.settings_card import SmtpHost
from dialogs.vocabulary import Locale, Sending
from tests.dialogs.driver import Driver

EXAMPLE: Final = Path(__file__).resolve().parents[2] / "examples" / "domain-change.toml"
WRITTEN_ONCE: Final = 'name = "Kaigan Hikari"'


def profile_named(name: str) -> MigrationProfile:
    text = EXAMPLE.read_text("utf-8")
    assert WRITTEN_ONCE in text
    return parse_profile(tomllib.loads(text.replace(WRITTEN_ONCE, name)), "p.toml")


BOTH: Final = profile_named('name = { ja = "海岸ひかり", en = "Kaigan Hikari" }')


@pytest.mark.parametrize(
    ("locale", "said", "not_said"),
    [("ja", "海岸ひかりの", "Kaigan Hikari"), ("en", "Kaigan Hikari", "海岸ひかり")],
)
def test_each_language_says_its_own_name(
    catalogs: Catalogs, locale: Locale, said: str, not_said: str
) -> None:
    driver = Driver(BOTH, catalogs, today=BOTH.schedule.window_start)
    driver.start(locale)
    assert said in driver.said()
    assert not_said not in driver.said()
    mobileconfig = apple_mobileconfig(
        BOTH,
        "taro@minato-net.example.jp",
        sending=Sending.REQUIRED,
        smtp_host=SmtpHost.OLD,
        texts=catalogs,
        locale=locale,
    )
    assert plistlib.loads(mobileconfig)["PayloadOrganization"].startswith(said.rstrip("の"))


def test_the_english_name_is_read_as_the_provider() -> None:
    assert "Kaigan Hikari" in BOTH.provider_aliases
    assert BOTH.provider_name == "海岸ひかり"
    assert BOTH.provider_aliases.count("海岸ひかり") == 0


def test_a_name_written_once_is_said_in_both_languages() -> None:
    once = profile_named(WRITTEN_ONCE)
    assert once.provider_name_in("ja") == once.provider_name_in("en") == "Kaigan Hikari"


def test_a_name_in_one_language_of_the_table_is_refused_with_the_key() -> None:
    with pytest.raises(ProfileError) as caught:
        profile_named('name = { ja = "海岸ひかり" }')
    assert "[provider.name.en]" in str(caught.value)


def test_the_profile_check_names_both(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    from bot.cli import main

    path = tmp_path / "p.toml"
    text = EXAMPLE.read_text("utf-8")
    path.write_text(
        text.replace(WRITTEN_ONCE, 'name = { ja = "海岸ひかり", en = "Kaigan Hikari" }')
    )
    assert main(["profile", "check", str(path)]) == 0
    out = capsys.readouterr().out.splitlines()
    assert out[0] == f"{path}: valid (海岸ひかり / Kaigan Hikari, Asia/Tokyo)"
    assert out[1] == "also written: かいがんひかり, Minato Net, みなとネット"
