"""A turn reads its words for a password once, unless its two marks differ (speed9).

`_named` sets two marks on every turn from the same words: `password_named` (the next message
alone may be the password) and `password_announced` (the subscriber said so). Both readings
differ only in the mark they carry over (a hedge alone keeps it), so with both marks alike,
which is most turns (every press reads ""), the words are read once, not twice.
"""

from __future__ import annotations

from collections.abc import Callable, Collection

import pytest

import bot.engine
import dialogs.redaction
from bot.engine import _named
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import Inbound
from tests.bot.engine_turns import typed

Reading = Callable[..., bool]


@pytest.fixture
def readings(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, bool]]:
    """Every `names_a_password` call `_named` makes: its words and the mark carried over."""
    calls: list[tuple[str, bool]] = []
    real: Reading = dialogs.redaction.names_a_password

    def counted(text: str, *, accounts: Collection[str] = (), named_before: bool = False) -> bool:
        calls.append((text, named_before))
        return real(text, accounts=accounts, named_before=named_before)

    monkeypatch.setattr(bot.engine, "names_a_password", counted)
    return calls


def _pressed(choice: str) -> Inbound:
    return Inbound(channel="test", conversation_key="c1", event_id="p1", choice=choice)


@pytest.mark.parametrize("marks", [False, True])
def test_a_press_reads_its_words_once(readings: list[tuple[str, bool]], marks: bool) -> None:
    state = DialogState(stage=Stage.Q1_MAIL_PROGRAM, password_named=marks, password_announced=marks)
    after = _named(state, _pressed("yes"))
    assert readings == [("", marks)]
    assert (after.password_named, after.password_announced) == (False, False)


@pytest.mark.parametrize(
    ("text", "expected"),
    [("my password is", (True, True)), ("はい", (False, False)), ("パスワードは", (True, True))],
)
def test_words_read_once_give_both_marks(
    readings: list[tuple[str, bool]], text: str, expected: tuple[bool, bool]
) -> None:
    after = _named(DialogState(stage=Stage.Q1_MAIL_PROGRAM), typed("e1", text))
    assert len(readings) == 1
    assert (after.password_named, after.password_announced) == expected


def test_marks_that_differ_are_read_each_with_its_own(
    readings: list[tuple[str, bool]],
) -> None:
    # After the check's link (named, not announced) a hedge alone keeps what each mark was.
    state = DialogState(stage=Stage.Q1_MAIL_PROGRAM, password_named=True, password_announced=False)
    after = _named(state, typed("e1", "えーと"))
    assert sorted(readings) == [("えーと", False), ("えーと", True)]
    assert (after.password_named, after.password_announced) == (True, False)


def test_the_checks_link_marks_without_announcing(readings: list[tuple[str, bool]]) -> None:
    after = _named(DialogState(stage=Stage.Q1_MAIL_PROGRAM), typed("e1", "ok"), check_link=True)
    assert len(readings) == 1
    assert (after.password_named, after.password_announced) == (True, False)
