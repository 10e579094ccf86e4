"""Asking: each stage's question with its buttons, in the subscriber's language."""

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


class Prompter(Speaker):
    """Ends every turn with a question; `Turn` keeps the state these read."""

    state: Stage
    history: list[Stage]
    program: str | None

    def prompt(self, *, lead: str | None = None, offer_human: bool = False) -> None:
        """Ask the current stage's question again (or for the first time)."""
        stage = self.state
        head = f"{self.say(lead)}\n\n" if lead else ""
        extra = [self.choice("human", N_("menu.human"))] if offer_human else []
        if stage in QUESTIONS:
            question, hint = _QUESTION_KEYS[stage]
            text = head + self.say(question) + "\n" + self.say(hint)
            self.choices(text, [*self._answer_choices(), *extra])
        elif stage is Stage.ASK_ADDRESS:
            text = head + self.say(N_("address.question"))
            self.choices(text, [self.choice("skip", N_("address.skip")), *extra])
        elif stage is Stage.ASK_PROGRAM:
            self.choices(head + self.say(N_("program.question")), self._program_choices(extra))
        elif stage is Stage.ASK_OUTLOOK_KIND:
            choices = [
                Choice(f"program:{p.value}", self.say(mail_programs.label_key(p)))
                for p in (MailProgram.OUTLOOK_NEW, MailProgram.OUTLOOK_CLASSIC)
            ]
            text = head + self.say(N_("program.outlook_ambiguous.question"))
            self.choices(text, [*choices, self.choice("back", N_("choice.back")), *extra])
        elif stage is Stage.CHECK_ADDRESS:
            text = head + self.say(N_("check.need_address"))
            self.choices(text, [self.choice("skip", N_("check.cancel")), *extra])
        elif stage is Stage.ASK_SMTP_HOST:
            program = program_or_other(self.program)
            where = self.say(mail_programs.where_outgoing_server_key(program))
            text = head + self.say(N_("smtp_host.question")) + "\n" + where
            self.choices(text, [*self._answer_choices(), *extra])
        else:
            self.choices(head + self.say(N_("next.question")), self._next_choices())

    def _answer_choices(self) -> list[Choice]:
        choices = [
            self.choice("yes", N_("choice.yes")),
            self.choice("no", N_("choice.no")),
            self.choice("unsure", N_("choice.unsure")),
        ]
        if self.history:
            choices.append(self.choice("back", N_("choice.back")))
        choices.append(self.choice("menu", N_("choice.menu")))
        return choices

    def _program_choices(self, extra: list[Choice]) -> list[Choice]:
        choices = [
            Choice(f"program:{p.value}", self.say(mail_programs.label_key(p))) for p in MailProgram
        ]
        return [*choices, self.choice("back", N_("choice.back")), *extra]

    def _next_choices(self) -> list[Choice]:
        if self.state is Stage.SETTINGS_DELIVERED:
            return [
                self.choice("check", N_("check.offer")),
                self.choice("other_program", N_("next.other_program")),
                self.choice("menu", N_("next.questions")),
                self.choice("restart", N_("choice.restart")),
                self.choice("human", N_("menu.human")),
            ]
        return [
            self.choice("restart", N_("choice.restart")),
            self.choice("menu", N_("next.questions")),
            self.choice("human", N_("menu.human")),
        ]
