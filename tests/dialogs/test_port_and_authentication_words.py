"""「ポート」 and 「認証」, words on the card and in the questions, are explained when asked."""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver


@pytest.mark.parametrize(
    ("locale", "text", "key"),
    [
        ("ja", "ポートって何ですか", "term.port"),
        ("ja", "ぽーとってなに？", "term.port"),
        ("ja", "認証って何？", "term.auth"),
        ("ja", "にんしょうとは", "term.auth"),
        ("en", "What is a port?", "term.port"),
        ("en", "what's authentication?", "term.auth"),
    ],
)
def test_the_word_is_explained_and_the_question_stays(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, text: str, key: str
) -> None:
    # The card's 「受信ポート」「送信ポート」 and the questions' 「ポート25番」 and 「SMTP認証」
    # had no answer of their own: 「ポートって何ですか」 got the servers' names and numbers,
    # 「認証って何？」 and 'What is a port?' were not understood.
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.press("yes")
    driver.type(text)
    assert catalogs(locale, key) in driver.said()
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize("locale", ["ja", "en"])
def test_a_port_number_asked_for_is_still_the_servers_answer(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type("ポートは何番ですか" if locale == "ja" else "Which port do I use?")
    assert catalogs(locale, "term.port") not in driver.said()
    assert "587" in driver.said()
