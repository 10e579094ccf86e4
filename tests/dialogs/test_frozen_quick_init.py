"""`frozen.quick_init` builds the object the dataclass's own `__init__` builds (speed9).

A frozen dataclass's generated `__init__` sets each field through `object.__setattr__`; a turn
makes about a hundred such objects, and setting each slot directly took about 4 % of a turn's
instructions off. Same parameters, same objects: checked on made-up classes of every kind of
field and on the classes that use it, against the generated `__init__` it stands in for.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import inspect
import pickle
from dataclasses import InitVar, dataclass, field
from typing import Any

import pytest

from bot.engine import TurnOutcome
from bot.store.conversation_store import (
    AuditEvent,
    Change,
    ConversationRecord,
    LinkGrant,
    Owner,
    TranscriptEntry,
)
from dialogs.frozen import quick_init
from dialogs.questionnaire import Stage
from dialogs.redaction import _Reading
from dialogs.settings_card import CardFacts
from dialogs.state import DialogState, StepContext, StepResult
from dialogs.understanding import Intent, Kind
from dialogs.vocabulary import (
    Choice,
    ChoicesReply,
    FileReply,
    Inbound,
    LinkReply,
    Sending,
    SettingsItem,
    SettingsReply,
    SystemEvent,
    TextReply,
    VerdictReply,
)

QUICK = [
    SystemEvent, Inbound, Choice, TextReply, ChoicesReply, VerdictReply, SettingsItem,
    SettingsReply, LinkReply, FileReply, StepContext, DialogState, StepResult, Intent,
    TurnOutcome, CardFacts, _Reading, TranscriptEntry, ConversationRecord, AuditEvent,
    LinkGrant, Change,
]  # fmt: skip


def _both(kind: type, *args: Any, **kwargs: Any) -> tuple[Any, Any]:
    """`kind(*args, **kwargs)` by its quick `__init__` and by the generated one it replaced."""
    quick = kind(*args, **kwargs)
    made: Any = object.__new__(kind)
    getattr(kind, "__init__").__wrapped__(made, *args, **kwargs)  # noqa: B009 - a class's
    return quick, made


def _same(quick: object, made: object) -> None:
    assert type(quick) is type(made)
    for one in dataclasses.fields(quick):  # type: ignore[arg-type]
        assert getattr(quick, one.name) == getattr(made, one.name), one.name
        assert type(getattr(quick, one.name)) is type(getattr(made, one.name)), one.name
    assert quick == made
    assert repr(quick) == repr(made)


@quick_init
@dataclass(frozen=True, slots=True)
class _Every:
    required: int
    text: str = "x"
    table: dict[str, int] = field(default_factory=dict)
    kind: str = field(default="every", init=False)
    made: list[int] = field(default_factory=list, init=False)
    keyword: int = field(default=3, kw_only=True)
    needed: str = field(kw_only=True, default="k")


@pytest.mark.parametrize("kind", [*QUICK, _Every])
def test_the_parameters_are_the_generated_ones(kind: type) -> None:
    init: Any = vars(kind)["__init__"]
    assert inspect.signature(init, follow_wrapped=False) == inspect.signature(init.__wrapped__)
    assert init.__qualname__ == f"{kind.__qualname__}.__init__"


@pytest.mark.parametrize(
    ("args", "kwargs"),
    [((1,), {}), ((1, "y", {"a": 1}), {"keyword": 5, "needed": "n"}), ((), {"required": 2})],
)
def test_every_kind_of_field_is_set_as_the_generated_init_sets_it(
    args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    quick, made = _both(_Every, *args, **kwargs)
    _same(quick, made)
    assert quick.table is not _Every(1).table  # a factory's value is made for each object
    assert quick.made == []


def test_the_same_mistakes_are_refused() -> None:
    with pytest.raises(TypeError):
        _Every()  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Every(1, "y", {}, 4)  # type: ignore[call-arg]
    with pytest.raises(TypeError):
        _Every(1, kind="other")  # type: ignore[call-arg]
    with pytest.raises(dataclasses.FrozenInstanceError):
        _Every(1).required = 2  # type: ignore[misc]


def test_its_objects_copy_pickle_and_compare_as_before() -> None:
    one = _Every(1, table={"a": 1})
    assert pickle.loads(pickle.dumps(one)) == one  # noqa: S301 - our own object
    assert dataclasses.replace(one, text="z") == _Every(1, "z", {"a": 1})
    assert hash(Choice("yes", "はい")) == hash(Choice("yes", "はい"))


NOW = dt.datetime(2008, 6, 1, 1, tzinfo=dt.UTC)
EXAMPLES: list[tuple[type, tuple[Any, ...], dict[str, Any]]] = [
    (SystemEvent, ("check_result",), {"data": (("smtp", "ok"),)}),
    (Inbound, (), {"channel": "webchat", "conversation_key": "k", "event_id": "e", "text": "x"}),
    (Choice, ("yes", "はい"), {}),
    (TextReply, ("こんにちは",), {}),
    (ChoicesReply, ("どちら？", (Choice("a", "A"),)), {}),
    (SettingsItem, ("pop", "POP", "vpop.117.ne.jp", True), {}),
    (LinkReply, ("確認", "https://x"), {}),
    (DialogState, (), {}),
    (DialogState, (), {"stage": Stage.ASK_ADDRESS, "answers": {"q1": "yes"}, "told": {"a": "b"}}),
    (StepResult, (DialogState(), (TextReply("x"),), ()), {"handoff_reason": "r"}),
    (Intent, (Kind.YES,), {}),
    (TurnOutcome, (), {"replies": (TextReply("x"),), "said": "s", "quiet": True}),
    (CardFacts, ("taro@vp.117.ne.jp", Sending.REQUIRED, None), {}),
    (TranscriptEntry, (NOW, "bot", "x", {"type": "text"}), {}),
    (ConversationRecord, ("webchat:k", "webchat", Owner.BOT, DialogState(), NOW, NOW), {}),
    (AuditEvent, (NOW, "webchat", "started"), {}),
    (LinkGrant, ("d", "webchat:k", NOW), {}),
    (Change, (None, [], None), {"audit": [AuditEvent(NOW, "webchat", "started")]}),
]


@pytest.mark.parametrize(("kind", "args", "kwargs"), EXAMPLES)
def test_the_turns_objects_are_the_generated_ones(
    kind: type, args: tuple[Any, ...], kwargs: dict[str, Any]
) -> None:
    _same(*_both(kind, *args, **kwargs))


def test_a_class_it_cannot_build_alike_keeps_its_init() -> None:
    @dataclass(frozen=True, slots=True)
    class Later:
        value: int
        scale: InitVar[int] = 1

        def __post_init__(self, scale: int) -> None:
            object.__setattr__(self, "value", self.value * scale)

    @dataclass(slots=True)
    class Unfrozen:
        value: int

    @dataclass(frozen=True)
    class Unslotted:
        value: int

    @dataclass(frozen=True, slots=True)
    class OwnName:
        _set_0: int

    for kind in (Later, Unfrozen, Unslotted, OwnName):
        generated = kind.__init__
        assert quick_init(kind).__init__ is generated
    assert Later(2, 3).value == 6


def test_a_class_with_an_init_of_its_own_keeps_it() -> None:
    # dataclasses leaves an `__init__` written in the class in place (and writes none with
    # init=False): replaced by the quick one, what it did was silently lost.
    @dataclass(frozen=True, slots=True, init=False)
    class Parsed:
        value: int

        def __init__(self, text: str) -> None:
            object.__setattr__(self, "value", int(text))

    @dataclass(frozen=True, slots=True)
    class Absolute:
        value: int

        def __init__(self, value: int) -> None:
            object.__setattr__(self, "value", abs(value))

    for kind in (Parsed, Absolute):
        own = kind.__init__
        assert quick_init(kind).__init__ is own
    assert Parsed("3").value == 3
    assert Absolute(-2).value == 2
