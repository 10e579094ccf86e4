"""A number after a word that begins like a month is no date: "maybe 2", "decided 2".

0c06f31 read "June 20" as the schedule question by a month's first letters and any letters
after them, so "maybe 2 people told me …" (may…) and "I decided 2 days ago …" (dec…) were
asked about the dates instead of read for what they say.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from testbed.utterances import reading_class

OFFERED = ("settings", "questions", "human")
SCHEDULE = "topic:schedule"


@pytest.mark.parametrize(
    "text",
    [
        "maybe 2 people told me they didn't get my mail",
        "I decided 2 days ago to switch to thunderbird",
        "Thunderbird on my Mac, I think maybe 3 years old",
        "I marked 3 messages as spam and now they are gone",
        "the junk 5 folder is full",
    ],
)
def test_a_number_after_a_word_like_a_month_is_no_date(
    profile: MigrationProfile, text: str
) -> None:
    reading = reading_class(read_text(text, Stage.START, OFFERED, profile, japanese_analyser()))
    assert reading != SCHEDULE


@pytest.mark.parametrize(
    "text",
    [
        "What happens after June 20?",
        "can I still use it on jun 21",
        "what about after Sept. 1st",
        "Does it stop after Dec 31?",
        "What happens after 20th June?",
    ],
)
def test_a_month_named_with_its_day_is_the_schedule_question(
    profile: MigrationProfile, text: str
) -> None:
    reading = reading_class(read_text(text, Stage.START, OFFERED, profile, japanese_analyser()))
    assert reading == SCHEDULE
