"""subscriber25's leftovers from whole conversations through the served web chat.

- The greeting said 「対象は、メールアドレスが「********@vp.117.ne.jp」の方です」, the notice's
  own notation alone: an elderly reader takes the asterisks for a hidden password. Who is
  concerned, the card without an address and the guides now say it in words (the greeting
  gives the notation only after them, as the notice's).
- Handed back with a program named and no address, the card showed the placeholder: the
  address is asked for then, once (a subscriber who chose to go on without it is not).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import (
    ChoicesReply,
    Locale,
    SettingsReply,
    TextReply,
    VerdictReply,
)
from tests.dialogs.driver import Driver, handed_back_with_a_program

EXAMPLES: Final = sorted((Path(__file__).resolve().parents[2] / "examples").glob("*.toml"))
# How far a conversation answered yes (and the address skipped) may go before its card.
_MOST_TURNS: Final = 12


def _skipping_the_address(driver: Driver) -> str | None:
    """The press that carries a conversation on to its card without an address."""
    offered = driver.offered()
    for choice in ("skip", "program:thunderbird", "yes"):
        if choice in offered:
            return choice
    return None


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("path", EXAMPLES, ids=lambda path: path.name)
def test_no_address_is_written_with_asterisks_to_a_subscriber(
    catalogs: Catalogs, path: Path, locale: Locale
) -> None:
    driver = Driver(load_profile(path), catalogs)
    driver.start(locale)
    for _ in range(_MOST_TURNS):
        press = _skipping_the_address(driver)
        if press is None:
            break
        driver.press(press)
    replies = driver.all_replies()
    cards = [r for r in replies if isinstance(r, SettingsReply)]
    assert cards, "no settings card was given"
    said = [r.text for r in replies if isinstance(r, TextReply | ChoicesReply | VerdictReply)]
    values = [item.value for card in cards for item in card.items]
    # The notice's notation stands only in the greeting, after the words that explain it.
    assert not [text for text in (*said[1:], *values) if "****" in text]
    # Who is concerned is said by the end of the address, and the card's login in words.
    ending = {"ja": "で終わる", "en": "ending in"}[locale]
    assert ending in said[0]
    assert "****" not in said[0][: said[0].index(ending)]
    username = {item.key: item.value for item in cards[-1].items}["username"]
    assert {"ja": "お使いのメールアドレス", "en": "your e-mail address"}[locale] in username
    # Where the domain changes, the address row names the two domains, each once: the two
    # placeholders in one another read (before the placeholder lost its own parentheses)
    # 「お使いのメールアドレス（@new…で終わるもの）（今はお使いのメールアドレス（@old…））」.
    for value in (item.value for card in cards for item in card.items if item.key == "address"):
        assert value.count("@") == 2
        assert not re.search(r"[（(][^）)]*[（(]", value), value


def test_a_handback_with_a_program_and_no_address_asks_for_the_address(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    # Asked for a person at the second question: the address was never asked for.
    driver = Driver(profile, catalogs, desk=True)
    driver.start("ja")
    driver.press("yes")
    driver.type("人と話したいです")
    back = handed_back_with_a_program(driver, profile, catalogs)
    assert back.state.stage is Stage.ASK_ADDRESS
    assert "skip" in back.offered()
    back.type("saburo@vp.117.ne.jp")
    # The program given back is not asked again; the card is for the address typed.
    assert back.state.stage is Stage.ASK_SMTP_HOST
    back.press("yes")
    assert back.settings()["username"] == "saburo@vp.117.ne.jp"


def test_an_address_skipped_before_the_handoff_is_not_asked_again(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs, desk=True)
    driver.start("ja")
    driver.press("yes")
    driver.press("no")
    driver.press("skip")
    driver.type("人と話したいです")
    # Kept across the store (a hand-back reads the stored state).
    assert DialogState.from_json(driver.state.to_json()).address_skipped
    back = handed_back_with_a_program(driver, profile, catalogs)
    assert back.state.stage is Stage.ASK_SMTP_HOST


def _under_the_solved_question(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for press in ("yes", "no"):
        driver.press(press)
    driver.type("saburo@vp.117.ne.jp")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert "feedback:solved" in [
        c.id for r in driver.last.replies if isinstance(r, ChoicesReply) for c in r.choices
    ]
    return driver


@pytest.mark.parametrize("typed", ["送信できません", "メールが送れません"])
def test_cannot_send_right_after_the_card_gets_the_sending_checks_then_a_person(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = _under_the_solved_question(profile, catalogs)
    driver.type(typed)
    said = driver.said()
    # The checks first (port, SMTP authentication, the server's name), the way to a person
    # named after them; not a person offered at once.
    assert "送信の設定が従来のままの可能性があります" in said
    assert said.index("ポート587番") < said.index("「担当者」と入力してください")
    assert "担当者におつなぎできません" not in said
    # Nothing was shown on their screen: not 「同じ表示が続く場合は」.
    assert "設定を変えたあともうまくいかない場合は" in said
    assert "同じ表示" not in said
    # Still failing after the checks: a person's, not the checks a second time.
    driver.type("まだ送信できません")
    said = driver.said()
    assert "送信の設定が従来のままの可能性があります" not in said
    assert "担当者におつなぎできません" in said


def test_english_typed_in_the_japanese_chat_is_told_how_to_switch_once(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    offer = 'Type "English" to continue in English.'
    driver = Driver(profile, catalogs)
    driver.start("ja")
    # Not the first words: those choose the language (test_audit11_own_words).
    driver.press("yes")
    driver.type("yes, I go online at work too")
    assert offer in driver.said()
    # Kept across the store: the next English message is answered without it.
    driver.state = DialogState.from_json(driver.state.to_json())
    driver.type("no, only at home")
    assert offer not in driver.said()
    assert driver.state.stage is not Stage.Q2_OTHER_NETWORK
