"""A profile's own question about devices answered with a count or the devices named.

examples/cable-tv-hosted-imap.toml asks 「このメールアドレスを、パソコンとスマートフォンなど、
複数の端末でお使いですか？」 (`reading = "devices"`): every device needs the change. Read as a
plain question, 「1台だけ」 and 'only my pc' were taken for the start of a sentence
(「はい。続きをどうぞ。」 and no question), and 「2台です」「パソコンだけです」 'just one' were
not understood.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.vocabulary import Locale, VerdictReply
from tests.dialogs.driver import Driver

CABLE_TV: Final = load_profile(
    Path(__file__).resolve().parents[3] / "examples" / "cable-tv-hosted-imap.toml"
)
EVERY_DEVICE: Final = {"ja": "お使いの端末ごとに", "en": "on each of your devices"}


def at_the_devices_question(catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(CABLE_TV, catalogs, today=dt.date(2027, 2, 10))
    driver.start(locale)
    driver.press("yes")  # a mail program
    driver.press("yes")  # the old outgoing server
    assert driver.state.stage == "several_devices"
    return driver


@pytest.mark.parametrize(
    ("locale", "typed", "several"),
    [
        ("ja", "2台です", True),
        ("ja", "２台", True),
        ("ja", "パソコンとスマホで使ってます", True),
        ("ja", "家のパソコンと会社のパソコン", True),
        ("ja", "パソコンとスマホだけ", True),
        ("ja", "複数です", True),
        ("ja", "両方です", True),
        ("ja", "1台だけ", False),
        ("ja", "一台です", False),
        ("ja", "ひとつだけです", False),
        ("ja", "パソコンだけです", False),
        ("ja", "スマホだけ", False),
        ("ja", "複数ではないです", False),
        # Each device counted once, or 「もう1台」: the count of one was the no (reviewer22).
        ("ja", "1台はパソコン、もう1台はスマホです", True),
        ("ja", "何台か使っています", True),
        ("en", "one phone and one computer", True),
        ("en", "a phone and a computer", True),
        ("en", "my laptop and my phone", True),
        ("en", "two devices", True),
        ("en", "both", True),
        ("en", "just one", False),
        ("en", "only my pc", False),
        ("en", "not both", False),
    ],
)
def test_a_count_or_the_devices_answer_the_question(
    catalogs: Catalogs, locale: Locale, typed: str, several: bool
) -> None:
    driver = at_the_devices_question(catalogs, locale)
    driver.type(typed)
    verdicts = [r for r in driver.all_replies() if isinstance(r, VerdictReply)]
    assert len(verdicts) == 1, driver.said()
    # The answer is confirmed in words, so that it can be undone.
    assert ("「はい」として" if several else "「いいえ」として") in driver.said() or (
        ('as "Yes"' if several else 'as "No"') in driver.said()
    )
    assert (EVERY_DEVICE[locale] in verdicts[0].text) is several


def test_how_many_devices_asked_is_no_answer(catalogs: Catalogs) -> None:
    # 「何台まで」 asks how many may be set up: it was the yes, and the question went unanswered.
    driver = at_the_devices_question(catalogs, "ja")
    driver.type("何台まで設定できますか？")
    assert not [r for r in driver.all_replies() if isinstance(r, VerdictReply)]
    assert driver.state.stage == "several_devices"


@pytest.mark.parametrize(
    ("locale", "asked", "explained"),
    [
        ("ja", "それってどういう意味？", "機器が2台以上あるか"),
        ("en", "what does that mean?", "on more than one device"),
    ],
)
def test_what_the_question_means_is_explained(
    catalogs: Catalogs, locale: Locale, asked: str, explained: str
) -> None:
    driver = at_the_devices_question(catalogs, locale)
    driver.type(asked)
    assert explained in driver.said()
    assert driver.state.stage == "several_devices"
