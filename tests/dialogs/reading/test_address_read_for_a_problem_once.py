"""An address typed is read for a problem once, not again by the address's own reading.

`recognise_problem` tries 36 rules, most of them long alternations of phrases, at every
position of the text. An address typed at the address question (all ASCII) was so read twice
in its turn, once for the problem the message reports and once more to tell a pasted error
from the address alone: about 740,000 instructions each, a fifth of the turn (speed7,
`bench.turn_instructions` with an address per subscriber).
"""

from __future__ import annotations

import pytest

from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading import problems, stage_reading
from dialogs.reading.problems import Problem
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind


@pytest.mark.parametrize(
    ("typed", "stage", "kind"),
    [
        ("taro5@vp.117.ne.jp", Stage.ASK_ADDRESS, Kind.ADDRESS),
        ("アドレスは taro5@vp.117.ne.jp です", Stage.ASK_ADDRESS, Kind.ADDRESS),
        # A program's error pasted where the address was asked for: its fix is said.
        (
            "ユーザー名 taro5@vp.117.ne.jp でサーバー vp.117.ne.jp へのログインに失敗しました",
            Stage.ASK_ADDRESS,
            Kind.PROBLEM,
        ),
        # After the card an error named with the address is the point.
        (
            "ユーザー名をtaro5@vp.117.ne.jpにしたのにパスワード違うって",
            Stage.SETTINGS_DELIVERED,
            Kind.PROBLEM,
        ),
        ("taro5@vp.117.ne.jp", Stage.SETTINGS_DELIVERED, Kind.ADDRESS),
    ],
)
def test_an_address_is_read_for_a_problem_once(
    typed: str,
    stage: Stage,
    kind: Kind,
    profile: MigrationProfile,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    reads: list[str] = []
    recognise = problems.recognise_problem

    def counted(text: str) -> Problem | None:
        reads.append(text)
        return recognise(text)

    monkeypatch.setattr(stage_reading, "recognise_problem", counted)
    intent = read_text(typed, stage, (), profile)

    assert intent.kind is kind
    assert len(reads) == len(set(reads)), reads
