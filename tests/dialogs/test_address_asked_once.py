"""A hint at an address question is the question: the question is not asked again under it."""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize("locale", ["ja", "en"])
@pytest.mark.parametrize("typed", ["はい", "taro", "090-1234-5678"])
def test_the_hint_is_not_followed_by_the_question_again(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    # 「はい」 at the address question was answered 「それでは、お使いのメールアドレスを
    # 「********@vp.117.ne.jp」の形で、半角の英数字で入力してください。…」 and then, in the next
    # message, 「新しい設定を、お客様のメールアドレスに合わせてご案内します。…メールアドレスを
    # 入力してください。…」: the same request twice, every time the subscriber answered.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("settings")
    assert driver.state.stage is Stage.ASK_ADDRESS
    driver.type(typed)
    assert driver.state.stage is Stage.ASK_ADDRESS
    said = driver.said()
    assert "@vp.117.ne.jp" in said
    assert catalogs(locale, "address.question", at_domains="@vp.117.ne.jp") not in said
    assert driver.offered() == ["skip"]


def test_at_the_check_address_the_hint_keeps_the_way_out(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    driver.press("check")
    assert driver.state.stage is Stage.CHECK_ADDRESS
    driver.type("taro")
    said = driver.said()
    assert "taro@vp.117.ne.jp" in said
    assert catalogs("ja", "check.need_address", at_domains="@vp.117.ne.jp") not in said
    assert driver.offered() == ["skip"]
