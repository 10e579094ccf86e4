"""`[schedule] op25b_from`: the day the provider's own Outbound Port 25 Blocking starts.

Without it the bot says the block is planned (「今後の実施を予定しています」, as the notice
does, with no day); with it, before that day it names the day the block starts, and from
that day on it says the block is in force since then, never "planned" after it began.
"""

from __future__ import annotations

import datetime as dt
import tomllib
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile, ProfileError, parse_profile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

EXAMPLES: Final = Path(__file__).resolve().parents[2] / "examples"
HOTARU: Final = EXAMPLES / "op25b-sending-only.toml"
SEED: Final = Path(__file__).resolve().parents[2] / "bot" / "ops" / "default_profile.toml"
PLANNED: Final = {"ja": "予定", "en": "plans to"}
# What is said of the block, before its first day and from it on.
WILL: Final = {
    "ja": "2027年6月1日(火)から実施します",
    "en": "from Tuesday 1 June 2027",
}
SINCE: Final = {
    "ja": "2027年6月1日(火)から実施しています",
    "en": "since Tuesday 1 June 2027",
}


def with_key(path: Path, line: str, after: str) -> MigrationProfile:
    text = path.read_text("utf-8")
    assert after in text, after
    return parse_profile(tomllib.loads(text.replace(after, f"{after}\n{line}", 1)), path.name)


def seed_dated() -> MigrationProfile:
    """The seed's migration with a day for its block (the notice names none)."""
    return with_key(SEED, "op25b_from = 2027-06-01", "[schedule]")


def said(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, day: dt.date, topic: str
) -> str:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants), today=day)
    driver.start(locale)
    driver.press(f"topic:{topic}")
    return driver.said()


def test_the_sending_only_example_names_the_day_its_block_starts() -> None:
    profile = load_profile(HOTARU)
    assert profile.schedule.op25b_from == dt.date(2027, 6, 1)
    # Port 25 works until old_smtp_until; the block starts the next morning.
    assert profile.schedule.old_smtp_until == dt.date(2027, 5, 31)


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("topic", ["op25b", "why"])
@pytest.mark.parametrize("which", ["sending-only", "seed"])
def test_before_the_day_the_block_starts_it_is_named(
    catalogs: Catalogs, locale: Locale, topic: str, which: str
) -> None:
    profile = load_profile(HOTARU) if which == "sending-only" else seed_dated()
    for day in (dt.date(2027, 5, 1), dt.date(2027, 5, 31)):
        text = said(profile, catalogs, locale, day, topic)
        assert WILL[locale] in text, (day, text)
        assert SINCE[locale] not in text


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("topic", ["op25b", "why"])
@pytest.mark.parametrize("which", ["sending-only", "seed"])
def test_once_the_block_has_started_it_is_not_said_to_be_planned(
    catalogs: Catalogs, locale: Locale, topic: str, which: str
) -> None:
    # It said 「今後の実施を予定しています」 / "plans to introduce it" after the day.
    profile = load_profile(HOTARU) if which == "sending-only" else seed_dated()
    for day in (dt.date(2027, 6, 1), dt.date(2028, 1, 5)):
        text = said(profile, catalogs, locale, day, topic)
        assert SINCE[locale] in text, (day, text)
        assert PLANNED[locale] not in text, (day, text)
        assert WILL[locale] not in text


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_without_the_key_the_block_is_planned_as_the_notice_says(
    catalogs: Catalogs, locale: Locale
) -> None:
    profile = load_profile()
    assert profile.schedule.op25b_from is None
    for topic in ("op25b", "why"):
        text = said(profile, catalogs, locale, dt.date(2008, 6, 1), topic)
        assert PLANNED[locale] in text
        assert SINCE[locale] not in text


@pytest.mark.parametrize(
    ("line", "after", "problem"),
    [
        ("op25b_from = 2027-06-01", "[schedule]", "op25b_planned is false"),
        ('op25b_from = "June"', "[schedule]", "date"),
    ],
)
def test_the_day_is_checked_by_key(line: str, after: str, problem: str) -> None:
    text = SEED.read_text("utf-8").replace("op25b_planned = true", "op25b_planned = false", 1)
    if "op25b_planned is false" not in problem:
        text = SEED.read_text("utf-8")
    with pytest.raises(ProfileError) as refused:
        parse_profile(tomllib.loads(text.replace(after, f"{after}\n{line}", 1)), "x.toml")
    message = str(refused.value)
    assert message.startswith("x.toml: [schedule.op25b_from] "), message
    assert problem in message, message
