"""What a reported problem proves, its cause and its one fix, worded from the profile.

A problem report answers questions the subscriber was never asked: whoever pastes an
Outlook error uses a mail program (Q1), and a relay refusal from another network proves
all four. The proof only ever says "yes", the branch that asks for more change, so a
problem report can never lower the change needed. Facts in the wording come from the
profile through placeholders ({new_smtp}, {smtp_port}, {pop_server}, {old_pop_until}).
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from types import MappingProxyType
from typing import Final

from dialogs.knowledge import Timing, old_server_key
from dialogs.questionnaire import QUESTIONS, TRANSITIONS, Stage
from dialogs.reading.problems import Problem
from dialogs.texts import N_

_ALL_FOUR: Final = QUESTIONS
_Q1: Final = (Stage.Q1_MAIL_PROGRAM,)


@dataclass(frozen=True, slots=True)
class Diagnosis:
    """A problem's cause and fix (catalog keys, in order) and the questions it answers yes."""

    keys: tuple[str, ...]
    proves: tuple[Stage, ...]


def diagnose(problem: Problem, when: Timing) -> Diagnosis:
    """The diagnosis of `problem` today: whether the old servers still answer matters."""
    if problem is Problem.AUTH_MISSING:
        # The server asks for authentication: the sending settings must change, whatever
        # the network; the flowchart's answers are all "yes".
        return Diagnosis((N_("problem.auth_missing"),), _ALL_FOUR)
    if problem is Problem.RELAY_DENIED:
        return Diagnosis((N_("problem.relay_denied"),), _ALL_FOUR)
    if problem is Problem.SEND_CONNECT:
        return Diagnosis((N_("problem.send_connect"),), _ALL_FOUR)
    if problem is Problem.LOGIN_FAILED:
        return Diagnosis((N_("problem.login_failed"),), _Q1)
    if problem is Problem.RECEIVE_CONNECT:
        key = (
            N_("problem.receive_connect.old_up")
            if when.old_pop_up
            else N_("problem.receive_connect.old_gone")
        )
        return Diagnosis((key,), _Q1)
    if problem is Problem.CONNECT:
        return Diagnosis((N_("problem.connect"),), _Q1)
    if problem is Problem.CANT_SEND:
        key = N_("problem.cant_send") if when.old_smtp_up else N_("problem.cant_send.old_gone")
        return Diagnosis((key,), _Q1)
    if problem is Problem.CANT_RECEIVE:
        return Diagnosis((N_("problem.cant_receive"), old_server_key(when)), _Q1)
    if problem is Problem.MAIL_MISSING:
        return Diagnosis((N_("topic.old_mail.answer"), old_server_key(when)), _Q1)
    return Diagnosis((N_("problem.error_without_text"),), ())


# The flowchart as a lookup: (question, answer) → next stage ("unsure" goes as "yes").
_NEXT: Final[Mapping[tuple[Stage, str], Stage]] = MappingProxyType(
    {
        (source, str(t["trigger"]).removeprefix("answer_")): dest
        for t in TRANSITIONS
        if str(t["trigger"]).startswith("answer_")
        and isinstance(source := t["source"], Stage)
        and isinstance(dest := t["dest"], Stage)
    }
)


def first_open_question(answers: Mapping[str, str]) -> tuple[Stage, tuple[Stage, ...]]:
    """Walk the flowchart with `answers`.

    Returns the first question still open (or the question whose answer leads to a
    verdict), and the questions passed on the way there.
    """
    stage, passed = Stage.Q1_MAIL_PROGRAM, []
    while stage.value in answers:
        answer = answers[stage.value]
        following = _NEXT[(stage, "yes" if answer == "unsure" else answer)]
        if following not in QUESTIONS:
            break
        passed.append(stage)
        stage = following
    return stage, tuple(passed)
