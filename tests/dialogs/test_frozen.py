"""`dialogs.frozen.replace` makes what `dataclasses.replace` makes, and refuses what it refuses."""

from __future__ import annotations

import dataclasses
import datetime as dt
from typing import Any

import pytest

from dialogs.frozen import replace
from dialogs.questionnaire import Stage
from dialogs.state import DialogState
from dialogs.vocabulary import Inbound, Receiving, Sending, TextReply

_STATE = DialogState(
    stage=Stage.ASK_ADDRESS,
    locale="en",
    answers={"q1": "yes"},
    address="taro@vp.117.ne.jp",
    receiving=Receiving.REQUIRED,
    sending=Sending.REQUIRED,
    history=(Stage.START,),
    offered=("yes", "no"),
    advised_on=dt.date(2008, 6, 1),
    last_words="0123456789abcdef",
)


@pytest.mark.parametrize(
    "changes",
    [
        {},
        {"last_words": ""},
        {"last_words": "", "last_pressed": True},
        {"stage": Stage.START, "answers": {}, "address": None, "misunderstood": 2},
        {
            field.name: getattr(DialogState(), field.name)
            for field in dataclasses.fields(DialogState)
        },
    ],
)
def test_a_dialog_state_copied_is_the_one_dataclasses_makes(changes: dict[str, Any]) -> None:
    copied = replace(_STATE, **changes)
    expected = dataclasses.replace(_STATE, **changes)
    assert copied == expected
    assert type(copied) is DialogState
    assert [getattr(copied, f.name) for f in dataclasses.fields(DialogState)] == [
        getattr(expected, f.name) for f in dataclasses.fields(DialogState)
    ]
    assert copied is not _STATE
    # Unchanged fields are the very objects of the original, as dataclasses.replace keeps them.
    assert copied.history is _STATE.history or "history" in changes


def test_the_copy_is_frozen_and_the_original_unchanged() -> None:
    copied = replace(_STATE, address="hanako@vp.117.ne.jp")
    assert _STATE.address == "taro@vp.117.ne.jp"
    with pytest.raises(dataclasses.FrozenInstanceError):
        copied.address = "x"  # type: ignore[misc]
    assert hash(replace(TextReply("a"), text="b")) == hash(TextReply("b"))


def test_a_field_init_does_not_take_is_kept_and_cannot_be_changed() -> None:
    reply = TextReply("one\n\ntwo", verdicts=(None, None))
    assert replace(reply, text="two") == dataclasses.replace(reply, text="two")
    assert replace(reply, text="two").type == "text"
    with pytest.raises(ValueError, match="init=False"):
        replace(reply, type="text")


def test_a_name_that_is_no_field_is_refused_as_dataclasses_refuses_it() -> None:
    with pytest.raises(TypeError, match="unexpected keyword argument 'nope'"):
        replace(_STATE, nope=1)
    with pytest.raises(TypeError):
        replace(Inbound(channel="webchat", conversation_key="c", event_id="e"), sender_name="x")


@dataclasses.dataclass(frozen=True)
class _Unslotted:
    name: str
    count: int = 0


@dataclasses.dataclass(frozen=True, slots=True)
class _Checked:
    count: int
    double: int = dataclasses.field(default=0, init=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "double", self.count * 2)


@dataclasses.dataclass(frozen=True, slots=True)
class _Listed:
    items: list[int] = dataclasses.field(default_factory=list, init=False)


def test_other_dataclasses_are_copied_by_dataclasses_itself() -> None:
    # No slots; a __post_init__ to run; a field made by a factory: the standard way.
    assert replace(_Unslotted("a"), count=3) == _Unslotted("a", 3)
    assert replace(_Checked(2), count=5).double == 10
    listed = _Listed()
    assert replace(listed) == listed
    assert replace(listed).items is not listed.items
