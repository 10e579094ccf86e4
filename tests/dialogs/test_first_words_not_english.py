"""The first words choose English only when they are the subscriber's own English (reviewer23).

c09874f switched a Japanese platform's chat to English at a first English sentence holding
"I", "my", "hi", "please", "we"… Two kinds of Japanese subscriber met it wrongly:

- an English program's error pasted ("Sending of the message failed. Please verify…",
  "We couldn't find settings for…"): programs address their users with please and we, so
  the program's language was taken for the subscriber's. It keeps the platform's Japanese,
  and is not offered English either (e8ce9e3: a pasted error is the program's language);
- Japanese typed in romaji ("hi, meeru no settei ga wakaranai"): 「ひ」 and 「の」 read as
  "hi" and "no". It keeps Japanese and is read as the Japanese it spells.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from tests.dialogs.driver import Driver

PASTED = [
    "Sending of the message failed. Please verify that your email address is correct "
    "in your account settings and try again.",
    "Something went wrong and Outlook couldn't set up your account. Please try again.",
    "We couldn't find settings for taro@vp.117.ne.jp. Please try again",
]


@pytest.mark.parametrize("typed", PASTED)
def test_a_pasted_error_that_says_please_or_we_keeps_japanese(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(typed, "ja")
    assert driver.state.locale == "ja"
    said = driver.said()
    assert said.startswith("こんにちは。")
    assert catalogs.raw("en", "language.offer_japanese") not in said


def test_such_an_error_typed_after_the_greeting_likewise(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type(PASTED[0])
    assert driver.state.locale == "ja"
    assert catalogs.raw("en", "language.offer_japanese") not in driver.said()


@pytest.mark.parametrize(
    "typed", ["hi, meeru no settei ga wakaranai", "Hi! meeru ga okurenai no desu ga"]
)
def test_romaji_keeps_japanese(profile: MigrationProfile, catalogs: Catalogs, typed: str) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message(typed, "ja")
    assert driver.state.locale == "ja"
    assert driver.said().startswith("こんにちは。")
    assert catalogs.raw("en", "language.offer_japanese") not in driver.said()


def test_the_subscriber_s_own_english_still_chooses_english(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.first_message("Hi, I can't send email since yesterday", "ja")
    assert driver.state.locale == "en"
