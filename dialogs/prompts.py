"""Asking: each stage's question with its buttons, in the subscriber's language.

Every turn ends with a question (or the next choices), so the subscriber always knows what
they can answer; `ask` adds it to the turn's words.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from dialogs import mail_programs
from dialogs.flowchart import ANSWERS, DEFAULT_LABELS, Wording
from dialogs.mail_programs import MailProgram
from dialogs.questionnaire import Position, Questionnaire, Stage
from dialogs.speaker import Speaker
from dialogs.texts import N_
from dialogs.vocabulary import Choice, Locale

# The address question's way on without an address, at one of several domains (`skip:<domain>`).
SKIP_AT: Final = "skip:"
_DEFAULT_LABELS: Final = {answer: Wording(key=key) for answer, key in DEFAULT_LABELS.items()}


def say(words: Speaker, wording: Wording, locale: Locale) -> str:
    """A profile's text: its catalog key's words, or its inline words in `locale`.

    Inline words take the profile's facts as a catalog text does (`{old_smtp_until}`).
    """
    return words.say(wording.key) if wording.key else words.fill(wording.inline(locale))


def program_or_other(value: str | None) -> MailProgram:
    """The stored program, or the generic guide when unknown."""
    try:
        return MailProgram(value) if value else MailProgram.OTHER
    except ValueError:
        return MailProgram.OTHER


def ask(
    words: Speaker,
    stage: Position,
    questionnaire: Questionnaire,
    locale: Locale,
    *,
    can_go_back: bool,
    program: str | None,
    lead: str | None = None,
    instead: str | None = None,
    check_open: bool = True,
    skip_domains: tuple[str, ...] = (),
) -> None:
    """Ask `stage`'s question again (or for the first time), after `lead` if given.

    `instead` asks an address question in other words (a hint that already asks for the
    address), with the question's own way out. `check_open`: whether the live login check
    is offered after the settings (not before the window). `skip_domains`: the address
    question goes on without an address by one button per domain (which one is theirs).
    """
    head = f"{words.say(lead)}\n\n" if lead else ""
    question = questionnaire.question(stage)
    if question is not None:
        text = head + say(words, question.text, locale)
        if question.hint is not None:
            text += "\n" + say(words, question.hint, locale)
        answers = _answer_choices(words, question.labels, locale, can_go_back=can_go_back)
        words.choices(text, answers)
    elif stage is Stage.ASK_ADDRESS:
        text = head + (instead or words.say(N_("address.question")))
        if not skip_domains:
            words.choices(text, [words.choice("skip", N_("address.skip"))])
            return
        if instead is None:
            text += "\n" + words.say(N_("address.skip_by_domain"))
        skips = [
            Choice(f"{SKIP_AT}{domain}", words.say(N_("address.skip_at"), domain=domain))
            for domain in skip_domains
        ]
        words.choices(text, skips)
    elif stage is Stage.ASK_PROGRAM:
        words.choices(head + words.say(N_("program.question")), _program_choices(words))
    elif stage is Stage.ASK_OUTLOOK_KIND:
        choices = [
            Choice(f"program:{p.value}", words.say(mail_programs.label_key(p)))
            for p in (MailProgram.OUTLOOK_NEW, MailProgram.OUTLOOK_CLASSIC)
        ]
        text = head + words.say(N_("program.outlook_ambiguous.question"))
        words.choices(text, [*choices, words.choice("back", N_("choice.back"))])
    elif stage is Stage.CHECK_ADDRESS:
        text = head + (instead or words.say(N_("check.need_address")))
        words.choices(text, [words.choice("skip", N_("check.cancel"))])
    elif stage is Stage.ASK_SMTP_HOST:
        where = words.say(mail_programs.where_outgoing_server_key(program_or_other(program)))
        text = head + words.say(N_("smtp_host.question")) + "\n" + where
        answers = _answer_choices(words, _DEFAULT_LABELS, locale, can_go_back=can_go_back)
        words.choices(text, answers)
    else:
        choices = _next_choices(words, stage, check_open=check_open)
        words.choices(head + words.say(N_("next.question")), choices)


def _answer_choices(
    words: Speaker, labels: Mapping[str, Wording], locale: Locale, *, can_go_back: bool
) -> list[Choice]:
    choices = [Choice(answer, say(words, labels[answer], locale)) for answer in ANSWERS]
    if can_go_back:
        choices.append(words.choice("back", N_("choice.back")))
    choices.append(words.choice("menu", N_("choice.menu")))
    return choices


def _program_choices(words: Speaker) -> list[Choice]:
    choices = [
        Choice(f"program:{p.value}", words.say(mail_programs.label_key(p))) for p in MailProgram
    ]
    return [*choices, words.choice("back", N_("choice.back"))]


def _next_choices(words: Speaker, stage: Position, *, check_open: bool) -> list[Choice]:
    if stage is Stage.SETTINGS_DELIVERED:
        check = [words.choice("check", N_("check.offer"))] if check_open else []
        return [
            *check,
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
