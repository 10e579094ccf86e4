"""words9: 「変更しました。ありがとうございます」「設定しました」 say the change was made.

Read as "it works" (smalltalk.works: 「送受信ができているのでしたら何よりです」), though
nobody said mail works: the change said with thanks or regards after it, 「設定しました」 and
「新しい設定にしました」 (which sent the card again) are the 'already changed' reading, as
「設定を変更しました」 is (words6): before the card, whether it was the right change; after it,
the login check.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver, at_stage

SAID = [
    "変更しました。ありがとうございます",
    "設定を変更しました、ありがとう",
    "設定しました",
    "もう設定しました",
    "設定しました。よろしくお願いします",
    "新しい設定にしました",
    "設定いたしました。ありがとうございました。",
]


@pytest.mark.parametrize("typed", SAID)
def test_the_change_said_before_the_card_is_the_change(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    said = driver.said()
    assert catalogs.raw("ja", "changed.before_card") in said
    assert catalogs.raw("ja", "smalltalk.works_before_card") not in said
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize("typed", SAID)
def test_the_change_said_after_the_card_offers_the_check(
    profile: MigrationProfile, catalogs: Catalogs, typed: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    for press in ("yes", "yes", "no", "settings", "skip", "program:thunderbird"):
        driver.press(press)
    driver.type(typed)
    assert catalogs.raw("ja", "changed.check_offer") in driver.said()
    assert "check" in driver.offered()


def test_mail_working_with_thanks_is_still_it_works(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = at_stage(profile, catalogs, "ja", Stage.Q1_MAIL_PROGRAM)
    driver.type("送受信できました。ありがとうございます")
    assert catalogs.raw("ja", "changed.before_card") not in driver.said()


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("en", "I've already set it up"),
        ("en", "I set up the new settings"),
        ("en", "I made the changes"),
        ("ja", "設定し直しました"),
    ],
)
def test_set_up_and_done_again_are_the_change_too(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, typed: str
) -> None:
    driver = at_stage(profile, catalogs, locale, Stage.Q1_MAIL_PROGRAM)
    driver.type(typed)
    assert catalogs.raw(locale, "changed.before_card") in driver.said()  # type: ignore[arg-type]
