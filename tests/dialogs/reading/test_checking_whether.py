"""「家だけか確認します」 'I'll check whether it's only at home' is not sure, not the no it names.

The question's "no" word inside 'whether … , I'll check' was read as the answer: at the
network question 「家だけか確認します」 was 'home line only', at the sending-server question
「別のサーバーか確認してみます」 'another server', each lowering the change needed.
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
        (Stage.Q2_OTHER_NETWORK, "家だけか確認します"),
        (Stage.Q2_OTHER_NETWORK, "自宅だけかどうか調べてみます"),
        (Stage.Q3_USES_OUR_SMTP, "別のサーバーか確認してみます"),
        (Stage.Q3_USES_OUR_SMTP, "別のサーバーになってるか確認します"),
        (Stage.ASK_SMTP_HOST, "別のサーバーになってるか確認します"),
        (Stage.Q4_OP25B, "ブロックしてないか確かめます"),
    ],
)
def test_checking_whether_is_no_answer_yet(
    profile: MigrationProfile, stage: Stage, text: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    intent = read_text(text, stage, OFFERED, profile, analyser)
    assert intent.kind is not Kind.NO
