"""At the outgoing-server question, 'not the old server' only when the subscriber says so.

Read as 'not vs.117.ne.jp', the card tells the subscriber to keep the sending server they
have, which stops working with the old one if it was it. 「違うのが入ってます」 and
「vsmtpになってる」 say so; a guess (「違うのが入ってるかも」) or a question without its
mark (「vsmtpに変えればいいの」「vsmtpにするんですね」) does not, and was read as it.
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
    "text",
    [
        "違うのが入ってるかも",
        "違うのが入ってるかもしれません",
        "vsmtpに変えればいいの",
        "vsmtpにするんですね",
        "たぶんvsmtpになってる",
    ],
)
def test_a_guess_or_a_question_is_not_the_old_server_denied(
    profile: MigrationProfile, text: str, with_analyser: bool
) -> None:
    analyser = japanese_analyser() if with_analyser else None
    intent = read_text(text, Stage.ASK_SMTP_HOST, OFFERED, profile, analyser)
    assert intent.kind is not Kind.NO


@pytest.mark.parametrize(
    "text", ["違うのが入ってます", "vsmtpになってる", "vsmtp.117.ne.jpになってます"]
)
def test_saying_so_still_is(profile: MigrationProfile, text: str) -> None:
    intent = read_text(text, Stage.ASK_SMTP_HOST, OFFERED, profile, japanese_analyser())
    assert intent.kind is Kind.NO
