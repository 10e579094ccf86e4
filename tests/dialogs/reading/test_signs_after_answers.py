"""An answer ended with an emoji or a sign, as people type on LINE, Telegram and Slack.

「はい😊」「はい♪」「いいえ💦」「はい(^^)」 were 「うまく読み取れませんでした」, where 「はい」
and 「いいえ」 answer the question (Slack's `:blush:` arrives as 😊 too, adapters.slack.markup).
"""

from __future__ import annotations

import pytest

from bot.japanese_analyser import japanese_analyser
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading.stage_reading import read_text
from testbed.utterances import reading_class

OFFERED = ("yes", "no", "unsure", "back", "menu")
Q1, Q2, Q3 = Stage.Q1_MAIL_PROGRAM, Stage.Q2_OTHER_NETWORK, Stage.Q3_USES_OUR_SMTP


@pytest.mark.parametrize("with_analyser", [True, False], ids=["sudachi", "patterns"])
@pytest.mark.parametrize(
    ("stage", "text", "expected"),
    [
        (Q1, "はい😊", "yes"),
        (Q1, "はい♪", "yes"),
        (Q1, "はい✨", "yes"),
        (Q1, "はい🙇\u200d♀️", "yes"),
        (Q1, "はい！👍", "yes"),
        (Q1, "うん😄😄", "yes"),
        (Q2, "いいえ💦", "no"),
        (Q2, "いいえ😅 家だけです", "no"),
        (Q3, "わかりません😢", "unsure"),
        (Q1, "yes 🙂", "yes"),
        # Faces typed in brackets (kaomoji), full width as on a Japanese keyboard too.
        (Q1, "はい(^^)", "yes"),
        (Q1, "はい（＾＾）", "yes"),
        (Q1, "はい(*^^*)", "yes"),
        (Q1, "はい^^", "yes"),
        (Q1, "はい(笑)", "yes"),
        (Q2, "いいえ(^_^;)", "no"),
        (Q3, "わかりません(´・ω・`)", "unsure"),
        # The signs that are answers themselves still are.
        (Q1, "👍", "yes"),
        (Q2, "🙅", "no"),
    ],
)
def test_a_sign_after_an_answer_is_no_part_of_it(
    profile: MigrationProfile, stage: Stage, text: str, expected: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    assert reading_class(read_text(text, stage, OFFERED, profile, analyser)) == expected
