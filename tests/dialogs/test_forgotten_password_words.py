"""A forgotten password's answer promises no person: the desk's own message says who helps."""

from __future__ import annotations

from typing import Final

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

PROMISE: Final = {"ja": "担当者がご案内します", "en": "will help you"}
TYPED: Final = {"ja": "パスワードを忘れました", "en": "I forgot my password"}


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_no_person_is_promised_where_none_can_be_reached(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    # Without a desk the chat read 「…このチャットではお調べできません。担当者がご案内します。」
    # and, in the next message, 「申し訳ありません。ただいま、このチャットでは担当者におつなぎ
    # できません。」; with one, 「担当者におつなぎします。」 said it again.
    driver = Driver(profile, catalogs, desk=False)
    driver.start(locale)
    driver.type(TYPED[locale])
    said = driver.said()
    assert catalogs(locale, "handoff.no_desk") in said
    assert PROMISE[locale] not in said


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("variant", ["", ".app_password", ".new_password", ".posted_password"])
def test_no_twin_of_the_answer_promises_a_person(
    catalogs: Catalogs, locale: Locale, variant: str
) -> None:
    assert PROMISE[locale] not in catalogs.raw(locale, f"topic.forgotten_password.answer{variant}")
