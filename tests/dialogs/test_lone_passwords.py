"""A password typed alone, at any point of the chat, is stored masked.

Only where the address was asked for was a lone password-like token taken for a password
(typed into the wrong box). Elsewhere 「ZqI99xK!w7」 — a paste into the wrong window, or a
subscriber showing what they typed — was kept as typed in the transcript and sent to the
desk. A token with lower and upper case, digits and a symbol, and nothing of a host name,
an address, a URL or an error code, is no answer to any question: it is masked everywhere.
Ordinary lone tokens (error codes, program names, host names) stay as typed, and so does a
capitalised word with digits and a mark ("Windows10!", and so "Passw0rd!" too): the rule wants
a capital inside the token.
"""

from __future__ import annotations

import pytest

from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import redact_at
from dialogs.redaction import MASK

STAGES = [
    Stage.Q1_MAIL_PROGRAM,
    Stage.Q3_USES_OUR_SMTP,
    Stage.ASK_PROGRAM,
    Stage.ASK_SMTP_HOST,
    Stage.SETTINGS_DELIVERED,
]


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize("typed", ["ZqI99xK!w7", "tr0uB4dor&3", " kQ7#mZ2pLx ", "pA55w0rd!"])
def test_a_lone_password_is_masked_at_every_stage(stage: Stage, typed: str) -> None:
    assert redact_at(typed, stage) == (MASK, True)


@pytest.mark.parametrize("stage", STAGES)
@pytest.mark.parametrize(
    "typed",
    [
        "0x800CCC0F",
        "Outlook2019",
        "iPhone15",
        "Becky!2",
        "sakura#2008",
        "vsmtp.117.ne.jp",
        "550-5.7.1",
        "https://Example.jp/a1",
        "Windows10!",
        "TLSv1.2",
        "はい",
        "Thunderbird",
    ],
)
def test_an_ordinary_lone_token_stays_as_typed(stage: Stage, typed: str) -> None:
    assert redact_at(typed, stage) == (typed, False)
