"""words31: a filler before a plain answer is read away.

「うーん、はい」「えーと、いいえ」「あ、はい」 "hmm yes", "uh no" at a question were
「うまく読み取れませんでした」, as older subscribers type them: the filler is read away where the
rest is a plain answer, said back so it can be undone. A filler alone is still no answer.
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


@pytest.mark.parametrize(
    ("locale", "typed", "answer"),
    [
        ("ja", "うーん、はい", "yes"),
        ("ja", "えーと、いいえ", "no"),
        ("ja", "んー、はい", "yes"),
        ("ja", "あ、はい", "yes"),
        ("ja", "えっと、わからないです", "unsure"),
        ("ja", "あのー、はい、そうです", "yes"),
        ("en", "hmm yes", "yes"),
        ("en", "hmm, no", "no"),
        ("en", "well, yes", "yes"),
        ("en", "uh no", "no"),
    ],
)
def test_a_filler_before_a_plain_answer_is_read_away(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, answer: str
) -> None:
    driver = _started(profile, catalogs, locale)
    pressed = _started(profile, catalogs, locale)
    driver.type(typed)
    pressed.press(answer)
    said = driver.said()
    # Before: 「申し訳ありません、うまく読み取れませんでした。…」 and the question again.
    assert catalogs(locale, "not_understood") not in said
    assert said.startswith(
        catalogs(locale, "answer.read_as", answer=catalogs(locale, f"choice.{answer}"))
    )
    assert driver.state.stage is pressed.state.stage
    assert driver.state.stage is not Stage.Q1_MAIL_PROGRAM


@pytest.mark.parametrize(
    ("locale", "typed"),
    [
        ("ja", "うーん"),
        ("en", "hmm"),
        ("en", "well"),
        # Dismay, not the no that ends the questions.
        ("en", "oh no"),
        # "Hmm, let me think": the answer still to come.
        ("ja", "うーん、そうですね"),
        # A letter alone after a filler is a word begun, not "n" for no.
        ("en", "hmm n"),
    ],
)
def test_a_filler_alone_is_still_no_answer(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str
) -> None:
    driver = _started(profile, catalogs, locale)
    driver.type(typed)
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.offered()[:3] == ["yes", "no", "unsure"]
    assert catalogs(locale, "answer.read_as", answer=catalogs(locale, "choice.no")) not in (
        driver.said()
    )


def test_hmm_not_really_is_still_not_sure(profile: MigrationProfile, catalogs: Catalogs) -> None:
    # words30 (1f5fa14): a no that holds only mostly, not the no after a filler.
    driver = _started(profile, catalogs, "en")
    driver.type("hmm not really")
    assert driver.said().startswith(
        catalogs("en", "answer.read_as", answer=catalogs("en", "choice.unsure"))
    )
