"""An address read out with two words before the @, typed at a question, is asked about (review).

e095cc8 asked how 「taro yamada あっと vp.117.ne.jp」 is joined at the address question, but
at any other question (the first one, where many begin with their address) it was still
taken as yamada@vp.117.ne.jp, 「メールアドレスyamada@vp.117.ne.jpを承りました。」: the word
before the spelled @ kept, the other dropped, and the wrong mailbox carried on.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "said"),
    [("ja", "空白をはさんで書かれていました"), ("en", "with a space in it")],
)
def test_two_words_before_a_spelled_at_are_asked_about_at_the_first_question(
    profile: MigrationProfile, catalogs: Catalogs, locale: str, said: str
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    driver.type("taro yamada あっと vp.117.ne.jp")
    assert driver.state.address in ("", None)
    assert said in driver.said()
    assert "yamada@" not in driver.said()
    # The question on screen is asked again under it.
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM


def test_one_word_before_a_spelled_at_is_still_the_address(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    driver = Driver(profile, catalogs)
    driver.start("ja")
    driver.type("taro あっと vp.117.ne.jp")
    assert driver.state.address == "taro@vp.117.ne.jp"
