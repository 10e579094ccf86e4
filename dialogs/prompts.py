"""Asking: each stage's question with its buttons, in the subscriber's language.

Every turn ends with a question (or the next choices), so the subscriber always knows what
they can answer; `ask` adds it to the turn's words.
"""

from __future__ import annotations

from typing import Final

from dialogs import mail_programs
from dialogs.mail_programs import MailProgram
from dialogs.questionnaire import QUESTIONS, Stage
from dialogs.speaker import Speaker
from dialogs.texts import N_
from dialogs.vocabulary import Choice

_QUESTION_KEYS: Final[dict[Stage, tuple[str, str]]] = {
    Stage.Q1_MAIL_PROGRAM: (N_("q1.question"), N_("q1.hint")),
    Stage.Q2_OTHER_NETWORK: (N_("q2.question"), N_("q2.hint")),
    Stage.Q3_USES_OUR_SMTP: (N_("q3.question"), N_("q3.hint")),
    Stage.Q4_OP25B: (N_("q4.question"), N_("q4.hint")),
}


def program_or_other(value: str | None) -> MailProgram:
    """The stored program, or the generic guide when unknown."""
    try:
        return MailProgram(value) if value else MailProgram.OTHER
    except ValueError:
        return MailProgram.OTHER


def ask(
    words: Speaker,
    stage: Stage,
    *,
    can_go_back: bool,
    program: str | None,
    lead: str | None = None,
    offer_human: bool = False,
) -> None:
    """Ask `stage`'s question again (or for the first time), after `lead` if given."""
    head = f"{words.say(lead)}\n\n" if lead else ""
    extra = [words.choice("human", N_("menu.human"))] if offer_human else []
    if stage in QUESTIONS:
        question, hint = _QUESTION_KEYS[stage]
        text = head + words.say(question) + "\n" + words.say(hint)
        words.choices(text, [*_answer_choices(words, can_go_back=can_go_back), *extra])
    elif stage is Stage.ASK_ADDRESS:
        text = head + words.say(N_("address.question"))
        words.choices(text, [words.choice("skip", N_("address.skip")), *extra])
    elif stage is Stage.ASK_PROGRAM:
        words.choices(head + words.say(N_("program.question")), _program_choices(words, extra))
    elif stage is Stage.ASK_OUTLOOK_KIND:
        choices = [
            Choice(f"program:{p.value}", words.say(mail_programs.label_key(p)))
            for p in (MailProgram.OUTLOOK_NEW, MailProgram.OUTLOOK_CLASSIC)
        ]
        text = head + words.say(N_("program.outlook_ambiguous.question"))
        words.choices(text, [*choices, words.choice("back", N_("choice.back")), *extra])
    elif stage is Stage.CHECK_ADDRESS:
        text = head + words.say(N_("check.need_address"))
        words.choices(text, [words.choice("skip", N_("check.cancel")), *extra])
    elif stage is Stage.ASK_SMTP_HOST:
        where = words.say(mail_programs.where_outgoing_server_key(program_or_other(program)))
        text = head + words.say(N_("smtp_host.question")) + "\n" + where
        words.choices(text, [*_answer_choices(words, can_go_back=can_go_back), *extra])
    else:
        words.choices(head + words.say(N_("next.question")), _next_choices(words, stage))


def _answer_choices(words: Speaker, *, can_go_back: bool) -> list[Choice]:
    choices = [
        words.choice("yes", N_("choice.yes")),
        words.choice("no", N_("choice.no")),
        words.choice("unsure", N_("choice.unsure")),
    ]
    if can_go_back:
        choices.append(words.choice("back", N_("choice.back")))
    choices.append(words.choice("menu", N_("choice.menu")))
    return choices


def _program_choices(words: Speaker, extra: list[Choice]) -> list[Choice]:
    choices = [
        Choice(f"program:{p.value}", words.say(mail_programs.label_key(p))) for p in MailProgram
    ]
    return [*choices, words.choice("back", N_("choice.back")), *extra]


def _next_choices(words: Speaker, stage: Stage) -> list[Choice]:
    if stage is Stage.SETTINGS_DELIVERED:
        return [
            words.choice("check", N_("check.offer")),
            words.choice("other_program", N_("next.other_program")),
            words.choice("menu", N_("next.questions")),
            words.choice("restart", N_("choice.restart")),
            words.choice("human", N_("menu.human")),
        ]
    return [
        words.choice("restart", N_("choice.restart")),
        words.choice("menu", N_("next.questions")),
        words.choice("human", N_("menu.human")),
    ]
