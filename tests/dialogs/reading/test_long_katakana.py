"""A long message all in katakana is read once, not a second time in hiragana.

「デキマシタ」, as some phones offer it, is read again in hiragana when its katakana meant
nothing. A 2,000-character message of katakana (or of half-width kana, which reading turns
into katakana) was so read twice: 14 ms of the turn's CPU against 5 ms for other 2,000
characters, and one client sending such messages slowed every other subscriber's turns
(attacker11, `python -m bench.long_messages`).
"""

from __future__ import annotations

import pytest

from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.reading import stage_reading
from dialogs.reading.stage_reading import read_text
from dialogs.understanding import Kind

OFFERED = ("yes", "no", "unsure", "back", "menu")


@pytest.mark.parametrize("text", ["メ" * 2000, "ｱｲｳｴｵ" * 400, ("デキマシタ、" * 400)[:2000]])
def test_a_long_katakana_message_is_read_once(
    text: str, profile: MigrationProfile, monkeypatch: pytest.MonkeyPatch
) -> None:
    reads: list[str] = []
    read_typed = stage_reading._read_typed

    def counted(raw: str, *args: object, **kwargs: object) -> object:
        reads.append(raw)
        return read_typed(raw, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(stage_reading, "_read_typed", counted)
    read_text(text, Stage.Q1_MAIL_PROGRAM, OFFERED, profile)
    assert len(reads) == 1


@pytest.mark.parametrize(
    ("typed", "kind"),
    [
        ("デキマシタ", Kind.SMALL_TALK),
        ("ツカッテイマス", Kind.YES),
        ("ハイ、ツカッテマス", Kind.YES),
    ],
)
def test_a_short_one_is_still_read_in_hiragana(
    typed: str, kind: Kind, profile: MigrationProfile
) -> None:
    assert read_text(typed, Stage.Q1_MAIL_PROGRAM, OFFERED, profile).kind is kind
