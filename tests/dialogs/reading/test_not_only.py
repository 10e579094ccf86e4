"""'Not only at home' said in other words than 「家だけじゃない」 is not 'only at home'.

「家だけってわけじゃない」 'it is not that it is only home', 「家だけとは限らない」 'not
necessarily only home', and in dialect 「家だけちゃいます」「家だけとちゃう」「家だけやないです」,
「webメールだけちゃうで」「webメールだけじゃないです」 'not only webmail' were read as the
'only' they deny: the no that lowers the change needed (at the first question, 'nothing to
change').
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind

OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q2_OTHER_NETWORK, "家だけってわけじゃない"),
        (Stage.Q2_OTHER_NETWORK, "家だけとは限らない"),
        (Stage.Q2_OTHER_NETWORK, "家だけちゃいます"),
        (Stage.Q2_OTHER_NETWORK, "家だけとちゃう"),
        (Stage.Q2_OTHER_NETWORK, "家だけってわけちゃう"),
        (Stage.Q2_OTHER_NETWORK, "家だけやないです"),
        (Stage.Q1_MAIL_PROGRAM, "webメールだけちゃうで"),
        (Stage.Q1_MAIL_PROGRAM, "webメールだけじゃないです"),
        (Stage.Q1_MAIL_PROGRAM, "webメールだけってわけじゃない"),
    ],
)
def test_only_denied_is_no_only(
    profile: MigrationProfile, stage: Stage, text: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    assert read_text(text, stage, OFFERED, profile, analyser).kind is not Kind.NO


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q2_OTHER_NETWORK, "家だけです"),
        (Stage.Q2_OTHER_NETWORK, "家だけで使ってます"),
        (Stage.Q2_OTHER_NETWORK, "家でしか使いません"),
        (Stage.Q1_MAIL_PROGRAM, "webメールだけです"),
        (Stage.Q1_MAIL_PROGRAM, "webメールしか使ってない"),
    ],
)
def test_only_said_is_still_no(profile: MigrationProfile, stage: Stage, text: str) -> None:
    intent = read_text(text, stage, OFFERED, profile, japanese_analyser())
    assert intent.kind is Kind.NO


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q1_MAIL_PROGRAM, "not just webmail"),
        (Stage.Q1_MAIL_PROGRAM, "it's not only webmail"),
        (Stage.Q1_MAIL_PROGRAM, "I don't only use webmail"),
        (Stage.Q2_OTHER_NETWORK, "it isn't only at home"),
    ],
)
def test_not_only_in_english_is_no_only(profile: MigrationProfile, stage: Stage, text: str) -> None:
    assert read_text(text, stage, OFFERED, profile, None).kind is not Kind.NO


@pytest.mark.parametrize(
    ("stage", "text"),
    [
        (Stage.Q1_MAIL_PROGRAM, "only webmail"),
        (Stage.Q1_MAIL_PROGRAM, "I don't use a mail program, just webmail"),
        (Stage.Q2_OTHER_NETWORK, "only at home"),
    ],
)
def test_only_in_english_is_still_no(profile: MigrationProfile, stage: Stage, text: str) -> None:
    assert read_text(text, stage, OFFERED, profile, None).kind is Kind.NO
