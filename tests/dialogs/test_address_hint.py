"""A partial address at either address question gets a kind, specific re-ask (issue 13).

"taro" alone, "taro@", "taro@vp117" or "taro@vp.117.ne" are the start of an address at
the profile's domain: the bot shows the whole form with what was typed, asks again and
keeps the way out. Sentences that merely contain a word are read as before.
"""

from __future__ import annotations

from pathlib import Path
from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from bot.ops.profile_loader import load_profile
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.state import Signal
from dialogs.understanding import Kind, find_address, misspelt_domain, partial_address
from dialogs.vocabulary import ChoicesReply, Locale, TextReply
from tests.dialogs.driver import Driver

EXAMPLES_DIR: Final = Path(__file__).parents[2] / "examples"
ADDRESS_STAGES: Final = (Stage.ASK_ADDRESS, Stage.CHECK_ADDRESS)


def texts_of(driver: Driver) -> str:
    return "\n".join(r.text for r in driver.last.replies if isinstance(r, TextReply | ChoicesReply))


def at_address_question(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    assert driver.state.stage is Stage.ASK_ADDRESS
    return driver


def at_check_address(profile: MigrationProfile, catalogs: Catalogs) -> Driver:
    driver = at_address_question(profile, catalogs, "ja")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")  # the outgoing server is the old one
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.press("check")
    assert driver.state.stage is Stage.CHECK_ADDRESS
    return driver


@pytest.mark.parametrize(
    ("typed", "local"),
    [
        ("taro", "taro"),
        ("yamada.taro", "yamada.taro"),
        ("ｔａｒｏ", "taro"),
        ("「taro」", "taro"),
        ("taroです", "taro"),
        ("taro。", "taro"),
        ("taro@", "taro"),
        ("taro@vp117", "taro"),
        ("Taro_Y-1", "taro_y-1"),
    ],
)
def test_the_start_of_an_address_is_read_from_a_lone_token(typed: str, local: str) -> None:
    assert partial_address(typed) == local


@pytest.mark.parametrize(
    "typed",
    [
        "わかりません",
        "スキップ",
        "メールが届かない",
        "taro hanako",
        "what?",
        "1234",
        "taro@vp.117.ne.jp",
        "私は taro です",
    ],
)
def test_a_sentence_or_a_whole_address_is_no_partial_one(typed: str) -> None:
    assert partial_address(typed) is None


def test_a_japanese_full_stop_inside_an_address_is_a_dot() -> None:
    assert find_address("ｔａｒｏ＠ｖｐ。１１７。ｎｅ。ｊｐ") == "taro@vp.117.ne.jp"
    assert find_address("taro@vp.117.ne.jp。") == "taro@vp.117.ne.jp"


@pytest.mark.parametrize(
    "typed", ["taro @ vp.117.ne.jp", "taro@ vp.117.ne.jp", "ｔａｒｏ　＠　ｖｐ．１１７．ｎｅ．ｊｐ"]
)
def test_spaces_around_the_at_sign_are_no_obstacle(typed: str) -> None:
    assert find_address(typed) == "taro@vp.117.ne.jp"
    assert find_address(f"アドレスは{typed}です") == "taro@vp.117.ne.jp"


def test_a_lone_at_sign_in_a_sentence_joins_nothing() -> None:
    assert find_address("meet me @ the station") is None
    assert partial_address("taro @") == "taro"


@pytest.mark.parametrize("domain", ["vp.117.ne", "vp117.ne.jp", "vp.117.co.jp", "vp.117.net"])
def test_a_typo_in_our_domain_is_told_apart_from_another_provider(domain: str) -> None:
    assert misspelt_domain(f"taro@{domain}", ("vp.117.ne.jp",)) == "vp.117.ne.jp"


def test_a_typo_is_corrected_to_the_nearest_of_several_domains() -> None:
    domains = ("vp.117.ne.jp", "minato-cable.example.jp")
    assert misspelt_domain("taro@minato-cable.example", domains) == "minato-cable.example.jp"
    assert misspelt_domain("taro@vp.117.ne", domains) == "vp.117.ne.jp"


@pytest.mark.parametrize(
    "domain", ["vp.117.ne.jp", "gmail.com", "docomo.ne.jp", "ezweb.ne.jp", "yahoo.co.jp"]
)
def test_our_own_domain_and_other_providers_are_no_typo(domain: str) -> None:
    assert misspelt_domain(f"taro@{domain}", ("vp.117.ne.jp",)) is None


@pytest.mark.parametrize("stage", ADDRESS_STAGES)
@pytest.mark.parametrize(
    ("typed", "example"),
    [
        ("taro", "taro@vp.117.ne.jp"),
        ("yamada.taro", "yamada.taro@vp.117.ne.jp"),
        ("taro@", "taro@vp.117.ne.jp"),
        ("taro@vp117", "taro@vp.117.ne.jp"),
        ("taro@vp.117.ne", "taro@vp.117.ne.jp"),
        ("ｔａｒｏ＠ｖｐ．１１７．ｎｅ", "taro@vp.117.ne.jp"),
    ],
)
def test_a_partial_address_is_read_with_its_full_form(
    typed: str, example: str, stage: Stage, profile: MigrationProfile
) -> None:
    intent = read_text(typed, stage, ("skip",), profile)
    assert (intent.kind, intent.value) == (Kind.PARTIAL_ADDRESS, example)


@pytest.mark.parametrize("stage", ADDRESS_STAGES)
@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ", Kind.ADDRESS),
        ("taro@gmail.com", Kind.ADDRESS),
        ("わかりません", Kind.SKIP),
        ("スキップ", Kind.SKIP),
        ("メールが届かない", Kind.PROBLEM),
        ("hello", Kind.SMALL_TALK),
        # A bare yes is shown how to type the address (subscriber6), never taken for a name.
        ("ok", Kind.PARTIAL_ADDRESS),
        ("yes", Kind.PARTIAL_ADDRESS),
        # Which address is meant, explained (address.which; words: it was a question the bot
        # could not answer), never an address or a name.
        ("アドレスって何ですか？", Kind.PARTIAL_ADDRESS),
        ("thunderbird", Kind.PROGRAM),
    ],
)
def test_other_words_at_the_address_questions_are_read_as_before(
    typed: str, kind: Kind, stage: Stage, profile: MigrationProfile
) -> None:
    assert read_text(typed, stage, ("skip",), profile).kind is kind


def test_a_lone_word_is_no_partial_address_at_a_question(profile: MigrationProfile) -> None:
    # Only the address questions ask for one: elsewhere "taro" stays not understood.
    assert read_text("taro", Stage.Q1_MAIL_PROGRAM, ("yes",), profile).kind is not (
        Kind.PARTIAL_ADDRESS
    )


@pytest.mark.parametrize("stage", ADDRESS_STAGES)
@pytest.mark.parametrize(
    "typed",
    ["@vp.117.ne.jp", "vp.117.ne.jp", "「@vp.117.ne.jp」です", "vpop.117.ne.jp", "vp.117.ne"],
)
def test_only_the_domain_or_a_server_has_no_name_to_show(
    typed: str, stage: Stage, profile: MigrationProfile
) -> None:
    intent = read_text(typed, stage, ("skip",), profile)
    assert (intent.kind, intent.value) == (Kind.PARTIAL_ADDRESS, "")


@pytest.mark.parametrize(
    ("locale", "stars"), [("ja", "「@vp.117.ne.jp」で終わる"), ("en", "ending in @vp")]
)
def test_only_the_domain_is_asked_for_the_part_before_the_at(
    locale: Locale, stars: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs, locale)
    driver.type("@vp.117.ne.jp")
    text = texts_of(driver)
    assert stars in text
    assert "@vp.117.ne.jp@" not in text
    assert driver.state.address is None
    assert driver.offered()[0] == "skip"


@pytest.mark.parametrize(
    ("locale", "expected"),
    [
        ("ja", "「taro@vp.117.ne.jp」のように"),
        ("en", "that is taro@vp.117.ne.jp."),
    ],
)
def test_a_bare_name_gets_the_full_form_and_keeps_the_way_out(
    locale: Locale, expected: str, profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs, locale)
    driver.type("taro")
    text = texts_of(driver)
    assert expected in text
    assert catalogs(locale, "not_understood") not in text
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.address is None
    assert driver.offered()[0] == "skip"
    # The full address, typed next, is taken as before.
    driver.type("taro@vp.117.ne.jp")
    assert driver.state.address == "taro@vp.117.ne.jp"
    assert driver.state.stage is Stage.ASK_PROGRAM


def test_a_typo_in_the_domain_is_not_called_another_providers_address(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs, "ja")
    driver.type("taro@vp.117.ne")
    text = texts_of(driver)
    assert "「taro@vp.117.ne.jp」" in text
    assert "対象ではありません" not in text
    assert driver.state.address is None
    assert driver.offered()[0] == "skip"


def test_the_check_address_question_hints_and_can_still_be_cancelled(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_check_address(profile, catalogs)
    driver.type("hanako")
    assert "「hanako@vp.117.ne.jp」" in texts_of(driver)
    assert driver.state.stage is Stage.CHECK_ADDRESS
    assert Signal.CHECK_REQUESTED not in driver.last.signals
    assert driver.offered()[0] == "skip"
    driver.type("hanako@vp.117.ne.jp")
    assert Signal.CHECK_REQUESTED in driver.last.signals
    assert driver.state.address == "hanako@vp.117.ne.jp"


def test_another_providers_address_at_the_check_is_told_and_can_be_cancelled(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_check_address(profile, catalogs)
    driver.type("taro@gmail.com")
    text = texts_of(driver)
    assert "taro@gmail.com" in text
    assert "@vp.117.ne.jp" in text
    assert driver.state.stage is Stage.CHECK_ADDRESS
    assert driver.state.address is None
    assert driver.offered()[0] == "skip"
    driver.press("skip")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize("name", ["tls-migration.toml", "imap-move.toml"])
def test_the_full_form_uses_the_profiles_own_domain(name: str, catalogs: Catalogs) -> None:
    example = load_profile(EXAMPLES_DIR / name)
    domain = example.affected_domains[0]
    intent = read_text("taro", Stage.ASK_ADDRESS, ("skip",), example)
    assert intent.value == f"taro@{domain}"
    driver = at_address_question(example, catalogs, "ja")
    driver.type("taro")
    assert f"「taro@{domain}」" in texts_of(driver)


def test_a_hint_says_nothing_that_was_not_typed_or_in_the_profile(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_address_question(profile, catalogs, "ja")
    driver.type("taro@")
    # The hint is the question asked again, with its way out (not a text above the question).
    hint = next(r.text for r in driver.last.replies if isinstance(r, ChoicesReply))
    expected = catalogs("ja", "address.partial", domain="vp.117.ne.jp", example="taro@vp.117.ne.jp")
    assert hint == expected


# Another company's server typed at the address question (a subscriber reading the outgoing
# server off the screen) is no name before the @: the hint asked them to type
# 「smtp.gmail.com@vp.117.ne.jp」 as their address.
@pytest.mark.parametrize("stage", ADDRESS_STAGES)
@pytest.mark.parametrize(
    "typed", ["smtp.gmail.com", "mail.example.com", "pop.biglobe.ne.jp", "smtp.mail.me.com"]
)
def test_another_companys_server_has_no_name_to_show(
    typed: str, stage: Stage, profile: MigrationProfile
) -> None:
    intent = read_text(typed, stage, ("skip",), profile)
    assert (intent.kind, intent.value) == (Kind.PARTIAL_ADDRESS, "")


@pytest.mark.parametrize("typed", ["yamada.taro", "taro.1948", "t.yamada"])
def test_a_dotted_name_is_still_the_part_before_the_at(
    typed: str, profile: MigrationProfile
) -> None:
    intent = read_text(typed, Stage.ASK_ADDRESS, ("skip",), profile)
    assert (intent.kind, intent.value) == (Kind.PARTIAL_ADDRESS, f"{typed}@vp.117.ne.jp")
