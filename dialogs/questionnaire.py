"""The profile's questionnaire and the settings hand-over, compiled into one `transitions` machine.

The questions and leaves are the profile's (`dialogs.flowchart`); the settings dialogue
after them (address, program, outgoing server, the live check) is code, the same for every
profile. The machine is built once per profile, shared by every conversation, and never
holds a conversation itself: each turn fires an event on a fresh model object, whose
`node` attribute (a plain string) the machine moves.
"""

from __future__ import annotations

import enum
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Final, TypeAlias

from transitions import Machine

from dialogs.flowchart import Flowchart, Leaf, Question, Reading, Refusal, parse_flowchart
from dialogs.vocabulary import Receiving, Sending


class Stage(enum.StrEnum):
    """Where a conversation stands, for the stages the code names."""

    # Not yet anywhere: the profile's first question comes next.
    START = "start"
    # The settings dialogue, the same for every profile.
    ASK_ADDRESS = "ask_address"
    ASK_PROGRAM = "ask_program"
    ASK_OUTLOOK_KIND = "ask_outlook_kind"
    ASK_SMTP_HOST = "ask_smtp_host"
    SETTINGS_DELIVERED = "settings_delivered"
    CHECK_ADDRESS = "check_address"
    # The seed profile's questions and leaves (bot/ops/default_profile.toml). The code gives
    # them no meaning; they have members because stored conversations, the agent API, the
    # reading corpus and the tests name them.
    Q1_MAIL_PROGRAM = "q1_mail_program"
    Q2_OTHER_NETWORK = "q2_other_network"
    Q3_USES_OUR_SMTP = "q3_uses_our_smtp"
    Q4_OP25B = "q4_op25b"
    WEBMAIL_ONLY = "webmail_only"
    OWN_LINE_RECOMMENDED = "own_line_recommended"
    SENDING_NOT_NEEDED = "sending_not_needed"
    POP_BEFORE_SMTP_RECOMMENDED = "pop_before_smtp_recommended"
    SENDING_REQUIRED = "sending_required"
    SENDING_REQUIRED_UNSURE = "sending_required_unsure"


class Node(str):
    """A question or leaf of a profile that `Stage` has no member for."""

    __slots__ = ()

    @property
    def value(self) -> str:
        """The node's id, as `Stage.value` gives a stage's."""
        return str.__str__(self)


Position: TypeAlias = Stage | Node
"""A conversation's place: a `Stage` member where one exists (so `is` compares), else a `Node`."""

_STAGES: Final[Mapping[str, Stage]] = {stage.value: stage for stage in Stage}
SETTINGS_STAGES: Final = (
    Stage.ASK_ADDRESS,
    Stage.ASK_PROGRAM,
    Stage.ASK_OUTLOOK_KIND,
    Stage.ASK_SMTP_HOST,
    Stage.SETTINGS_DELIVERED,
    Stage.CHECK_ADDRESS,
)
# Ids a profile's node cannot take: the code's own stages.
RESERVED: Final = frozenset(s.value for s in (Stage.START, *SETTINGS_STAGES))
# The seed's questions, as the agent API and the reading corpus name them.
QUESTIONS: Final[tuple[Stage, ...]] = (
    Stage.Q1_MAIL_PROGRAM,
    Stage.Q2_OTHER_NETWORK,
    Stage.Q3_USES_OUR_SMTP,
    Stage.Q4_OP25B,
)


def position(name: str) -> Position:
    """The position named `name`: its `Stage` member if it has one."""
    return _STAGES.get(name) or Node(name)


# The settings dialogue: the same machine part for every questionnaire.
_SETTINGS_TRANSITIONS: Final[tuple[dict[str, object], ...]] = (
    {"trigger": "give_address", "source": Stage.ASK_ADDRESS, "dest": Stage.ASK_PROGRAM},
    {"trigger": "skip_address", "source": Stage.ASK_ADDRESS, "dest": Stage.ASK_PROGRAM},
    {
        "trigger": "name_outlook",
        "source": [Stage.ASK_PROGRAM, Stage.SETTINGS_DELIVERED],
        "dest": Stage.ASK_OUTLOOK_KIND,
    },
    {
        "trigger": "choose_program",
        "source": [Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND],
        "dest": Stage.ASK_SMTP_HOST,
        "conditions": "needs_smtp_host",
    },
    {
        "trigger": "choose_program",
        "source": [Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND],
        "dest": Stage.SETTINGS_DELIVERED,
    },
    {"trigger": "tell_smtp_host", "source": Stage.ASK_SMTP_HOST, "dest": Stage.SETTINGS_DELIVERED},
    # From anywhere: skip the questions and go straight to the settings.
    {"trigger": "show_settings", "source": "*", "dest": Stage.ASK_ADDRESS},
    {"trigger": "other_program", "source": Stage.SETTINGS_DELIVERED, "dest": Stage.ASK_PROGRAM},
    # The live login check needs the address; ask for it if the settings went without one.
    {
        "trigger": "ask_check_address",
        "source": Stage.SETTINGS_DELIVERED,
        "dest": Stage.CHECK_ADDRESS,
    },
    {
        "trigger": "give_check_address",
        "source": Stage.CHECK_ADDRESS,
        "dest": Stage.SETTINGS_DELIVERED,
    },
    {"trigger": "cancel_check", "source": Stage.CHECK_ADDRESS, "dest": Stage.SETTINGS_DELIVERED},
)


@dataclass(frozen=True, slots=True)
class Questionnaire:
    """A profile's flowchart with the machine compiled from it."""

    flowchart: Flowchart
    machine: Machine = field(init=False, compare=False, repr=False)
    transitions: tuple[dict[str, object], ...] = field(init=False, compare=False, repr=False)

    def __post_init__(self) -> None:
        transitions = _transitions(self.flowchart)
        states = [
            *self.flowchart.questions,
            *self.flowchart.leaves,
            *(s.value for s in SETTINGS_STAGES),
        ]
        machine = Machine(
            model=None,
            states=states,
            transitions=[dict(t) for t in transitions],
            initial=self.flowchart.root,
            after_state_change="on_stage_entered",
            auto_transitions=False,
            ignore_invalid_triggers=False,
            # The model's `state` is a `Position`; the machine moves the plain id beneath it.
            model_attribute="node",
        )
        object.__setattr__(self, "machine", machine)
        object.__setattr__(self, "transitions", transitions)

    @property
    def root(self) -> Position:
        """The first question."""
        return position(self.flowchart.root)

    def question(self, at: str) -> Question | None:
        """The question at `at`, or None when it is not one of this questionnaire's."""
        return self.flowchart.questions.get(at)

    def leaf(self, at: str) -> Leaf | None:
        """The leaf at `at`, or None."""
        return self.flowchart.leaves.get(at)

    def resting_leaf(self, at: str) -> Leaf | None:
        """The leaf at `at` if nothing changes there, so the conversation rests on it."""
        leaf = self.flowchart.leaves.get(at)
        return leaf if leaf is not None and not leaf.proceeds else None

    def resolve(self, name: str) -> Position:
        """`name` as a position of this questionnaire; the root for one it does not have.

        A conversation stored under another profile (or before its first question) starts
        over rather than standing nowhere.
        """
        if name in self.flowchart.questions or name in self.flowchart.leaves:
            return position(name)
        stage = _STAGES.get(name)
        return stage if stage in SETTINGS_STAGES else self.root

    def walk(self, answers: Mapping[str, str]) -> tuple[Position, tuple[Position, ...]]:
        """`Flowchart.walk` as positions."""
        node, passed = self.flowchart.walk(answers)
        return position(node), tuple(position(p) for p in passed)

    def next(self, at: str, answer: str) -> Position:
        """Where `answer` at question `at` leads."""
        return position(self.flowchart.next(at, answer))

    def questions_left(self, at: str) -> int:
        """The most questions still to answer from `at`, itself included; 0 at a leaf."""
        questions = self.flowchart.questions
        if at not in questions:
            return 0
        following = set(questions[at].answers.values())
        return 1 + max(self.questions_left(node) for node in following)

    def using_a_program(self) -> dict[str, str]:
        """The answers a mail program's own error message proves: "yes, I use one"."""
        return {
            q.id: "yes"
            for q in self.flowchart.questions.values()
            if q.reading is Reading.MAIL_PROGRAM
        }

    def sending_required(self) -> dict[str, str]:
        """Answers that reach a leaf where sending must change ("yes" tried first); {} if none."""
        found: dict[str, str] = {}

        def reach(node: str) -> bool:
            leaf = self.flowchart.leaves.get(node)
            if leaf is not None:
                return leaf.sending is Sending.REQUIRED and leaf.receiving is Receiving.REQUIRED
            question = self.flowchart.questions[node]
            for answer in ("yes", "unsure", "no"):
                found[node] = answer
                if reach(question.answers[answer]):
                    return True
            del found[node]
            return False

        return found if reach(self.flowchart.root) else {}


def parse_questionnaire(data: object, source: str, refuse: Refusal) -> Questionnaire:
    """The profile's `[questionnaire]` table, checked and compiled; `refuse` builds the error."""
    return Questionnaire(parse_flowchart(data, source, refuse, reserved=RESERVED))


def _transitions(flowchart: Flowchart) -> tuple[dict[str, object], ...]:
    answers: list[dict[str, object]] = [
        {"trigger": f"answer_{answer}", "source": question.id, "dest": dest}
        for question in flowchart.questions.values()
        for answer, dest in question.answers.items()
    ]
    proceeding = [leaf.id for leaf in flowchart.leaves.values() if leaf.proceeds]
    proceed: list[dict[str, object]] = [
        {"trigger": "proceed", "source": proceeding, "dest": Stage.ASK_ADDRESS.value}
    ]
    restart: dict[str, object] = {"trigger": "restart", "source": "*", "dest": flowchart.root}
    # The machine knows states by their plain ids (an Enum would be looked up by its name).
    settings = [
        {name: _plain(value) for name, value in transition.items()}
        for transition in _SETTINGS_TRANSITIONS
    ]
    return (*answers, *(proceed if proceeding else ()), restart, *settings)


def _plain(value: object) -> object:
    if isinstance(value, Stage):
        return value.value
    if isinstance(value, list):
        return [_plain(item) for item in value]
    return value
