"""Reading a message keeps none of its text in the process once read (subscriber19).

`stage_reading`'s two caches (of the topic asked, and of the parts beside a problem) kept
the last 256 and 64 texts typed, whoever typed them, a password among them, in the memory
of a process that serves every subscriber.
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading import stage_reading
from dialogs.reading.stage_reading import read_text

OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize(
    "typed",
    [
        "送信できません。会社から使っています",
        "いつまでに変更すればいいですか",
        "when does the old server stop?",
    ],
)
@pytest.mark.parametrize("stage", [Stage.Q1_MAIL_PROGRAM, Stage.Q3_USES_OUR_SMTP])
def test_no_text_is_cached_after_a_message_is_read(
    profile: MigrationProfile, typed: str, stage: Stage
) -> None:
    read_text(typed, stage, OFFERED, profile, japanese_analyser())
    assert stage_reading._topic.cache_info().currsize == 0
    assert stage_reading._beside_the_problem.cache_info().currsize == 0
