"""`:+1:` from a Slack client that sends no blocks is the 👍 the dialog reads.

Older clients and some integrations send a message's text alone. With no blocks to say
which `:name:` is an emoji, `:+1:` reached the dialog as words and was not understood,
while 👍 from a newer client (blocks) answered the question.
"""

from __future__ import annotations

import pytest

from adapters.slack import events as slack
from bot.ops.catalogs import Catalogs
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from tests.adapters.channel_contract import load_payload
from tests.dialogs.driver import Driver


def _dm_without_blocks(text: str) -> dict[str, object]:
    payload = load_payload("slack", "message_im")
    event = {key: value for key, value in payload["event"].items() if key != "blocks"}
    payload["event"] = {**event, "text": text}
    return payload


@pytest.mark.parametrize(
    ("text", "read"),
    [
        (":+1:", "👍"),
        (":thumbsup:", "👍"),
        (":+1::skin-tone-3:", "👍"),
        (":ok_hand:", "👌"),
        (":-1:", "👎"),
        ("はい :+1:", "はい 👍"),
        ("はい:+1:", "はい👍"),
    ],
)
def test_a_sign_named_without_blocks_reads_as_its_character(text: str, read: str) -> None:
    turn = slack.turn_from_event(_dm_without_blocks(text))
    assert turn is not None
    assert turn.inbound.text == read


@pytest.mark.parametrize("text", [":smile:", "10:30:00", ":partyparrot:", "ratio 1:+1:2"])
def test_other_colon_words_without_blocks_stay_as_typed(text: str) -> None:
    turn = slack.turn_from_event(_dm_without_blocks(text))
    assert turn is not None
    assert turn.inbound.text == text.strip()


def test_a_thumbs_up_without_blocks_answers_the_question(
    profile: MigrationProfile, catalogs: Catalogs
) -> None:
    turn = slack.turn_from_event(_dm_without_blocks(":+1:"))
    assert turn is not None
    assert turn.inbound.text is not None
    driver = Driver(profile, catalogs)
    driver.start("ja")
    assert driver.state.stage is Stage.Q1_MAIL_PROGRAM
    driver.type(turn.inbound.text)
    assert driver.state.answers.get("q1_mail_program") == "yes"
