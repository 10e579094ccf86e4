"""Subscribers in their own words: subscriber9's leftovers and subscriber10's sweep.

Each line was misread before. At the network question a "no" that names the kind of line
(cable TV, フレッツ, the apartment's internet) was taken as "only 117net at home", though the
provider of such a line may be another company: the question is which company they connect
through, so the bot says how to tell and asks again instead of taking the no.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import LINE_NAMED, read_text
from dialogs.vocabulary import Locale
from testbed.utterances import reading_class
from tests.dialogs.driver import Driver

OFFERED = ("yes", "no", "unsure", "back", "menu")


def reading(text: str, stage: Stage, profile: MigrationProfile, *, analyser: bool) -> str:
    return reading_class(
        read_text(text, stage, OFFERED, profile, japanese_analyser() if analyser else None)
    )


@pytest.mark.parametrize("analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # The kind of line named after a no: the provider on it may be another company's.
        ("いいえ、ケーブルテレビです", f"choice:{LINE_NAMED}"),
        ("いいえ、フレッツです", f"choice:{LINE_NAMED}"),
        ("いいえ、フレッツ光です", f"choice:{LINE_NAMED}"),
        ("いいえ、マンションのネットです", f"choice:{LINE_NAMED}"),
        ("ケーブルテレビのネットです", f"choice:{LINE_NAMED}"),
        ("no, apartment internet", f"choice:{LINE_NAMED}"),
        ("no, cable", f"choice:{LINE_NAMED}"),
        ("no we have cable tv internet", f"choice:{LINE_NAMED}"),
        ("no, the building's wifi", f"choice:{LINE_NAMED}"),
        # The provider itself named with the line: the no it says.
        ("いいえ、117netのフレッツです", "no"),
        ("no, 117net over cable", "no"),
        # Unchanged: home only, and a line away from home.
        ("いいえ", "no"),
        ("家だけです", "no"),
        ("会社からも送ります", "yes"),
    ],
)
def test_a_line_named_at_the_network_question_asks_whose(
    profile: MigrationProfile, text: str, expected: str, analyser: bool
) -> None:
    assert reading(text, Stage.Q2_OTHER_NETWORK, profile, analyser=analyser) == expected


@pytest.mark.parametrize(
    ("locale", "first", "text", "words"),
    [
        ("ja", "はい", "いいえ、ケーブルテレビです", "請求書"),
        ("en", "yes", "no, apartment internet", "bill"),
    ],
)
def test_the_line_named_is_answered_with_how_to_tell(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    first: str,
    text: str,
    words: str,
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(first)
    driver.type(text)
    said = driver.said()
    assert words in said
    # Asked again, not taken for the no: no verdict yet, the same question's buttons.
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK
    assert "yes" in driver.offered()


@pytest.mark.parametrize("analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        # Gmail said not to be used, after a no: the no, not the Gmail app put right.
        (Stage.ASK_SMTP_HOST, "いいえ、gmailは使っていません", "no"),
        (Stage.ASK_SMTP_HOST, "いや、gmailは使ってないです", "no"),
        (Stage.ASK_SMTP_HOST, "いいえ、gmailです", "no"),
        # Office said not to be there: no classic Outlook (it was the classic's guide).
        (Stage.ASK_PROGRAM, "no office", "unknown"),
        (Stage.ASK_PROGRAM, "not office", "unknown"),
        (Stage.ASK_PROGRAM, "outlook, without office", "program:outlook_ambiguous"),
        (Stage.ASK_PROGRAM, "office", "program:outlook_classic"),
        (Stage.ASK_PROGRAM, "ms office outlook", "program:outlook_classic"),
        # Sent, in kana as a phone or an older subscriber types it.
        (Stage.SETTINGS_DELIVERED, "おくれました", "small_talk:works"),
        (Stage.SETTINGS_DELIVERED, "オクレマシタ", "small_talk:works"),
        (Stage.SETTINGS_DELIVERED, "とどきました", "small_talk:works"),
        (Stage.SETTINGS_DELIVERED, "ちゃんとおくれました、ありがとう", "small_talk:works"),
    ],
)
def test_leftovers_of_the_last_sweep(
    profile: MigrationProfile, stage: Stage, text: str, expected: str, analyser: bool
) -> None:
    assert reading(text, stage, profile, analyser=analyser) == expected


@pytest.mark.parametrize(
    ("locale", "first", "text", "words"),
    [
        ("ja", "はい", "できました", "質問"),
        ("en", "yes", "it works", "questions"),
    ],
)
def test_it_works_before_the_settings_says_where_the_check_is(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    first: str,
    text: str,
    words: str,
) -> None:
    """「できました」 at a question: nothing was guided yet, so no 「うまくいってよかったです」."""
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(first)
    driver.type(text)
    said = driver.said()
    assert words in said
    assert "よかったです" not in said
    assert "Glad" not in said
    assert driver.state.stage is Stage.Q2_OTHER_NETWORK


@pytest.mark.parametrize(
    ("locale", "answers", "text", "words"),
    [
        ("ja", ["はい"], "ログインできるか確認したい", "設定をご案内したあと"),
        ("ja", ["はい", "はい"], "ログインできるか確認したいです", "設定をご案内したあと"),
        ("en", ["yes"], "can i test my login", "after I show you the new settings"),
    ],
)
def test_the_login_check_asked_at_a_question_comes_after_the_card(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    answers: list[str],
    text: str,
    words: str,
) -> None:
    """「ログインできるか確認したい」 at a question was 'not sure', an answer never given."""
    driver = Driver(profile, catalogs)
    driver.start(locale)
    for answer in answers:
        driver.type(answer)
    asked = driver.state.stage
    driver.type(text)
    assert words in driver.said()
    assert driver.state.stage is asked
    # Not taken for an answer to the question on screen.
    assert asked.value not in driver.state.answers
