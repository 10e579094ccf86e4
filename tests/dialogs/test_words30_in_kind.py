"""words30: a near miss of the domain said plainly, and a greeting answered in kind.

- 「hanako@117.ne.jp」 (near @vp.117.ne.jp) was told 「メールアドレスは、@から後ろまで全部入力
  してください」, though it had been: now told the domain looks different from @vp.117.ne.jp,
  and asked whether the address is hanako@vp.117.ne.jp.
- 「おはようございます」 and 「こんばんは」 were answered 「こんにちは。…」: now in kind.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


def _started(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs.with_variants(profile.text_variants))
    driver.start(locale)
    return driver


def _at_the_address(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = _started(profile, catalogs, locale)
    while driver.state.stage is not Stage.ASK_ADDRESS:
        driver.press("yes")
    return driver


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_domain_near_ours_typed_whole_is_said_to_look_different(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = _at_the_address(profile, catalogs, locale)
    driver.type("hanako@117.ne.jp")
    said = driver.said()
    # Before: "type your whole address, including the part after the @".
    assert said.startswith(
        catalogs(
            locale,
            "address.near_miss",
            typed="117.ne.jp",
            example="hanako@vp.117.ne.jp",
            domain="vp.117.ne.jp",
        )
    )
    assert driver.state.stage is Stage.ASK_ADDRESS
    assert driver.state.address is None
    driver.type("hanako@vp.117.ne.jp")
    assert driver.state.address == "hanako@vp.117.ne.jp"


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_an_address_cut_short_is_still_asked_for_whole(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = _at_the_address(profile, catalogs, locale)
    driver.type("hanako@vp.117")
    assert driver.said().startswith(
        catalogs(locale, "address.partial", example="hanako@vp.117.ne.jp", domain="vp.117.ne.jp")
    )


@pytest.mark.parametrize(
    ("locale", "typed", "key"),
    [
        ("ja", "おはようございます", "smalltalk.greeting.morning"),
        ("ja", "おはよう", "smalltalk.greeting.morning"),
        ("ja", "こんばんは", "smalltalk.greeting.evening"),
        ("ja", "こんにちは", "smalltalk.greeting"),
        ("en", "Good morning", "smalltalk.greeting.morning"),
        ("en", "good evening", "smalltalk.greeting.evening"),
        ("en", "hello", "smalltalk.greeting"),
    ],
)
def test_a_greeting_is_answered_in_kind(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, key: str
) -> None:
    driver = _started(profile, catalogs, locale)
    driver.type(typed)
    # Before: 「こんにちは。メールの設定変更についてご案内します。」 to each.
    assert driver.said().startswith(catalogs(locale, key))
    assert driver.offered()[:3] == ["yes", "no", "unsure"]


def test_regards_after_good_morning_are_still_regards(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = _started(profile, catalogs, "ja")
    driver.type("おはようございます、よろしくお願いします")
    assert driver.said().startswith(catalogs("ja", "smalltalk.regards"))
