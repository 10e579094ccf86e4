"""「迷惑メールが増えた」 and 「これで終わりですか」, which were not understood.

The notice says nothing about the spam a subscriber receives (its one mention is that
authenticated sending stops spoofed mail going out), so the bot says what this chat is for
and offers the desk; it never invents a spam-filter fact. 「これで終わりですか」 is answered
for where the conversation stands: after the card or a resting verdict "yes" and what to do
if something still fails; before, how many questions are left or what comes next.
"""

from __future__ import annotations

import pytest

from bot.ops.catalogs import Catalogs
from dialogs.knowledge import Topic
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind, normalise
from dialogs.vocabulary import Locale
from tests.dialogs.driver import Driver

OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize(
    "typed",
    [
        "迷惑メールが増えた",
        "最近迷惑メールが多くなりました",
        "スパムメールがたくさん来ます",
        "めいわくめーるがふえた",
        "I'm getting more spam",
        "Spam has increased since the change",
    ],
)
@pytest.mark.parametrize(
    "stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q3_USES_OUR_SMTP, Stage.SETTINGS_DELIVERED]
)
def test_spam_is_recognised(profile: MigrationProfile, typed: str, stage: Stage) -> None:
    read = read_text(normalise(typed), stage, OFFERED, profile, None)
    assert (read.kind, read.value) == (Kind.TOPIC, Topic.SPAM.value)


@pytest.mark.parametrize(
    ("locale", "typed", "words"),
    [
        ("ja", "迷惑メールが増えた", ("移行", "担当者")),
        ("en", "I'm getting more spam", ("move", "agent")),
    ],
)
def test_spam_gets_what_this_chat_is_for_and_the_desk(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    typed: str,
    words: tuple[str, ...],
) -> None:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    driver.type(typed)
    said = driver.said()
    for word in words:
        assert word in said
    # No fact the notice does not give: nothing about a filter or a spam setting.
    for invented in ("フィルタ", "filter", "迷惑メール設定", "junk folder", "迷惑メールフォルダ"):
        assert invented not in said
    # The question on screen is asked again, nothing answered.
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}
    assert "other_program" not in said


@pytest.mark.parametrize(
    "typed",
    [
        "これで終わりですか",
        "これで終わり？",
        "もう終わりですか",
        "以上ですか",
        "Is that all?",
        "Are we done?",
    ],
)
@pytest.mark.parametrize(
    "stage", [Stage.Q2_OTHER_NETWORK, Stage.ASK_PROGRAM, Stage.SETTINGS_DELIVERED]
)
def test_is_that_all_is_recognised(profile: MigrationProfile, typed: str, stage: Stage) -> None:
    read = read_text(normalise(typed), stage, OFFERED, profile, None)
    assert (read.kind, read.value) == (Kind.TOPIC, Topic.WHAT_IS_LEFT.value)


def _at_first_question(profile: MigrationProfile, catalogs: Catalogs, locale: Locale) -> Driver:
    driver = Driver(profile, catalogs)
    driver.start(locale)
    return driver


@pytest.mark.parametrize(
    ("locale", "typed", "said"),
    [
        ("ja", "これで終わりですか", "あと最大4問"),
        ("en", "Is that all?", "at most 4 more questions"),
    ],
)
def test_at_the_first_question_it_says_how_many_are_left(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, said: str
) -> None:
    driver = _at_first_question(profile, catalogs, locale)
    driver.type(typed)
    assert said in driver.said()
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    assert driver.state.answers == {}


@pytest.mark.parametrize(
    ("locale", "typed", "said"),
    [
        ("ja", "これで終わりですか", "この質問が最後"),
        ("en", "Is that all?", "This is the last question"),
    ],
)
def test_at_the_last_question_it_says_so(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, said: str
) -> None:
    driver = _at_first_question(profile, catalogs, locale)
    for answer in ("yes", "yes", "yes"):
        driver.press(answer)
    assert driver.state.stage is Stage.Q4_OP25B
    driver.type(typed)
    assert said in driver.said()
    assert driver.state.stage is Stage.Q4_OP25B


@pytest.mark.parametrize(
    ("locale", "typed", "said"),
    [("ja", "これで終わりですか", "まだ"), ("en", "Is that all?", "Not yet")],
)
def test_before_the_card_it_says_the_settings_come_next(
    profile: MigrationProfile, catalogs: Catalogs, locale: Locale, typed: str, said: str
) -> None:
    driver = _at_first_question(profile, catalogs, locale)
    driver.press("settings")
    driver.press("skip")
    assert driver.state.stage is Stage.ASK_PROGRAM
    driver.type(typed)
    assert driver.said().startswith(said)
    assert driver.state.stage is Stage.ASK_PROGRAM


@pytest.mark.parametrize(
    ("locale", "typed", "words"),
    [
        ("ja", "これで終わりですか", ("はい、ご案内はこれで終わりです", "エラー", "担当者")),
        ("en", "Is that all?", ("Yes, that is all", "error", "agent")),
    ],
)
def test_after_the_card_it_is_yes_and_what_to_do_if_it_still_fails(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    typed: str,
    words: tuple[str, ...],
) -> None:
    driver = _at_first_question(profile, catalogs, locale)
    driver.press("settings")
    driver.press("skip")
    driver.press("program:thunderbird")
    driver.press("yes")
    assert driver.state.stage is Stage.SETTINGS_DELIVERED
    driver.type(typed)
    said = driver.said()
    for word in words:
        assert word in said
    assert driver.state.stage is Stage.SETTINGS_DELIVERED


@pytest.mark.parametrize(
    ("locale", "typed", "words"),
    [
        ("ja", "これで終わりですか", ("はい、ご案内はこれで終わりです", "担当者")),
        ("en", "Is that all?", ("Yes, that is all", "agent")),
    ],
)
def test_at_a_resting_verdict_it_is_yes(
    profile: MigrationProfile,
    catalogs: Catalogs,
    locale: Locale,
    typed: str,
    words: tuple[str, ...],
) -> None:
    driver = _at_first_question(profile, catalogs, locale)
    driver.press("no")
    assert driver.state.stage is Stage.WEBMAIL_ONLY
    driver.type(typed)
    said = driver.said()
    for word in words:
        assert word in said
    # Not the card's "try sending and receiving": nothing was changed.
    assert "エラー" not in said if locale == "ja" else "error" not in said
    assert driver.state.stage is Stage.WEBMAIL_ONLY


@pytest.mark.parametrize("typed", ["迷惑メール対策って何ですか", "What spam measures?"])
def test_the_notices_spam_measure_is_what_the_change_is_for(
    profile: MigrationProfile, typed: str
) -> None:
    # The Q4 hint calls OP25B 「迷惑メール対策」: asking about it gets the notice's merits.
    read = read_text(normalise(typed), Stage.Q4_OP25B, OFFERED, profile, None)
    assert (read.kind, read.value) == (Kind.TOPIC, Topic.WHY.value)
