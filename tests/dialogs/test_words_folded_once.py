"""A message is folded for the readers once in its step, and the folding is not kept after it.

Several readers see one message (the stage's own, told answers, a program named, the address
form), and each asked `normalise` for it: 「はい」 was folded five times in its step.
"""

from __future__ import annotations

from collections import Counter

import pytest

import dialogs.understanding
from bot.ops.catalogs import Catalogs
from dialogs.conversation import step
from dialogs.profile import MigrationProfile
from dialogs.understanding import normalise
from dialogs.vocabulary import Inbound
from tests.dialogs.driver import Driver


@pytest.fixture
def folded(monkeypatch: pytest.MonkeyPatch) -> Counter[str]:
    """How many times each text was folded, counted from here on."""
    counts: Counter[str] = Counter()
    fold = dialogs.understanding._fold

    def counted(text: str) -> str:
        counts[text] += 1
        return fold(text)

    monkeypatch.setattr(dialogs.understanding, "_fold", counted)
    return counts


@pytest.mark.parametrize("typed", ["はい", "taro@vp.117.ne.jp", "Outlookを使っています"])
def test_a_typed_message_is_folded_once_in_its_step(
    profile: MigrationProfile, catalogs: Catalogs, folded: Counter[str], typed: str
) -> None:
    chat = Driver(profile, catalogs)
    chat.start()
    chat.press("yes")
    inbound = Inbound(channel="test", conversation_key="c", event_id="e", text=typed)
    folded.clear()
    step(chat.state, inbound, chat.context)
    assert folded[typed] == 1
    # Nothing of it is kept once the step is over: the next step folds it afresh.
    assert dialogs.understanding._NORMALISED == {}
    step(chat.state, inbound, chat.context)
    assert folded[typed] == 2


def test_folding_once_reads_as_folding_every_time() -> None:
    texts = [
        "ＴＡＲＯ＠ｖｐ．１１７．ｎｅ．ｊｐ",
        "はい\u200b",
        "outlook  2016",
        "ぱすわーど",
        "はい",
    ]
    for text in texts * 2:
        assert normalise(text) == dialogs.understanding._fold(text)
    dialogs.understanding.forget_normalised()


def test_what_is_kept_outside_a_step_is_bounded() -> None:
    dialogs.understanding.forget_normalised()
    for number in range(100):
        normalise(f"message {number}")
    assert len(dialogs.understanding._NORMALISED) <= dialogs.understanding._NORMALISED_LIMIT
    dialogs.understanding.forget_normalised()
