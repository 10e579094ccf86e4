"""Where to pick a conversation up when an agent hands it to the bot with what they know.

Pure: the agent's facts are applied to the state, then the questionnaire is walked with the
answers already given, so the bot asks nothing it was told.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from typing import Final

from dialogs.flowchart import ANSWERS as FLOWCHART_ANSWERS
from dialogs.mail_programs import MailProgram
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Position, Questionnaire, Stage
from dialogs.reading.stage_reading import ADDRESS_QUESTIONS
from dialogs.settings_card import SmtpHost
from dialogs.state import DialogState
from dialogs.understanding import Kind, find_address, normalise, understand_command
from dialogs.vocabulary import Inbound, Receiving, Sending, parse_locale

# The answers an agent may hand back: every question's three (dialogs.flowchart).
ANSWERS: Final = frozenset(FLOWCHART_ANSWERS)
STEPS: Final = ("questionnaire", "settings", "check")


def apply_facts(
    state: DialogState,
    *,
    questionnaire: Questionnaire,
    address: str | None = None,
    program: str | None = None,
    smtp_host: str | None = None,
    answers: Mapping[str, str] | None = None,
) -> DialogState:
    """The state with an agent's facts added; invalid values raise ValueError naming them."""
    valid_answers = {}
    for question, answer in (answers or {}).items():
        if questionnaire.question(question) is None or answer not in ANSWERS:
            raise ValueError(f"answers: {question!r}: {answer!r} is not a question and answer")
        valid_answers[question] = answer
    if program is not None and program not in {p.value for p in MailProgram}:
        raise ValueError(f"program: {program!r} is not one of {[p.value for p in MailProgram]}")
    host = None
    if smtp_host is not None:
        try:
            host = SmtpHost(smtp_host)
        except ValueError:
            raise ValueError(f"smtp_host: {smtp_host!r} is not old, other or unsure") from None
    if host is None and any(
        answer == "yes" and named.names_old_smtp
        for question, answer in valid_answers.items()
        if (named := questionnaire.question(question)) is not None
    ):
        # A "yes" to a question that names the old outgoing server says which is in use.
        host = SmtpHost.OLD
    return dataclasses.replace(
        state,
        address=address or state.address,
        # An address the agent gives is no message of the subscriber's that could take it back.
        address_from=state.address_from if address in (None, "", state.address) else "",
        program=program or state.program,
        smtp_host=host or state.smtp_host,
        answers={**state.answers, **valid_answers},
        misunderstood=0,
        check_failures=0,
        # The agent who had the conversation has dealt with any message left for the desk.
        message_left=False,
    )


def started_over(state: DialogState) -> DialogState:
    """The state with the questionnaire's answers forgotten, as 「最初から」 forgets them.

    What `Turn._restart` clears: the answers, the verdict, the program and the outgoing
    server; the address stays (the subscriber's own, not an answer to redo).
    """
    return dataclasses.replace(
        state,
        answers={},
        told={},
        history=(),
        receiving=None,
        sending=None,
        smtp_host=None,
        program=None,
        cannot_send=False,
        trouble_said="",
        address_skipped=False,
        address_domain="",
        check_passed=False,
    )


def pressed_while_held(
    state: DialogState, choice: str | None, *, questionnaire: Questionnaire
) -> DialogState:
    """The state with a button of the question on screen pressed while a person had the chat.

    The question stays on the subscriber's screen after a handoff, and its answer is theirs
    to give: it counts as the bot's own turn would have counted it (the agent sees it among
    the facts), and the hand-back carries on from it instead of asking it again. So do the
    mail program's and the outgoing server's buttons. The stage does not move: the bot says
    nothing while a person has the conversation.
    """
    kind, _, value = (choice or "").partition(":")
    if kind == "program" and state.stage in (Stage.ASK_PROGRAM, Stage.ASK_OUTLOOK_KIND):
        # 「Outlook」 (not yet new or classic) is no program of its own: asked again.
        known = value in {program.value for program in MailProgram}
        return dataclasses.replace(state, program=value) if known else state
    if kind == "smtp" and state.stage is Stage.ASK_SMTP_HOST:
        try:
            return dataclasses.replace(state, smtp_host=SmtpHost(value))
        except ValueError:
            return state
    question = questionnaire.question(state.stage.value)
    if question is None or choice not in ANSWERS:
        return state
    host = state.smtp_host
    if question.names_old_smtp and choice == "yes":
        # As `apply_facts`: a "yes" to a question naming the old server says it is in use.
        host = SmtpHost.OLD
    answers = {**state.answers, state.stage.value: choice}
    return dataclasses.replace(state, answers=answers, smtp_host=host)


def address_typed_while_held(
    state: DialogState, text: str | None, *, profile: MigrationProfile
) -> DialogState:
    """The state with an address typed at the address question while a person had the chat.

    The question stays on the subscriber's screen, and an address of the migration typed
    under it is its answer, as the bot would have read it there: the agent sees it among the
    facts (and may put another in the hand-back: theirs wins), and the hand-back carries on
    from it instead of asking for it again. The stage does not move.
    """
    if state.stage not in ADDRESS_QUESTIONS or not text:
        return state
    address = find_address(text)
    if address is None or not profile.is_affected(address) or address == state.address:
        return state
    return dataclasses.replace(state, address=address)


def language_asked_while_held(state: DialogState, inbound: Inbound) -> DialogState:
    """The state in the language the subscriber asked for while a person had the chat.

    「English please」 (or the language button) reached the agent, who answered in it; the
    bot, given the conversation back, greeted in the language before. A long message is a
    story, not a request (as the bot reads one).
    """
    asked: str | None = None
    kind, _, value = (inbound.choice or "").partition(":")
    if kind == "lang":
        asked = value
    elif inbound.text and len(inbound.text) <= _REQUEST_LENGTH:
        command = understand_command(normalise(inbound.text))
        if command is not None and command.kind is Kind.LANGUAGE:
            asked = command.value
    locale = parse_locale(asked) if asked else None
    if locale is None or locale == state.locale:
        return state
    return dataclasses.replace(state, locale=locale)


# Past this, typed words are a story or a paste: a language named in them is no request.
_REQUEST_LENGTH: Final = 200


def resume_stage(state: DialogState, step: str, *, questionnaire: Questionnaire) -> DialogState:
    """The state positioned at the first thing still unknown from `step` on."""
    if step not in STEPS:
        raise ValueError(f"step: {step!r} is not one of {', '.join(STEPS)}")
    receiving, sending = state.receiving, state.sending
    history: list[Position] = []
    stage: Position
    if step == "questionnaire" and state.has_verdict and not state.answers:
        # The subscriber went straight to the settings, past every question: the questions'
        # continuation is the settings (the console's default step asked them from Q1).
        step = "settings"
    if step == "questionnaire":
        stage, passed = questionnaire.walk(state.answers)
        history = list(passed)
        answer = state.answers.get(stage.value)
        if answer not in ANSWERS:
            return dataclasses.replace(
                state, stage=stage, history=tuple(history), receiving=None, sending=None
            )
        history.append(stage)
        stage = questionnaire.next(stage.value, str(answer))
        leaf = questionnaire.leaf(stage.value)
        if leaf is None:
            # `walk` stops before a question only when the answer leads to a leaf.
            raise ValueError(f"answers: {answer!r} at {history[-1].value!r} leads to no leaf")
        receiving, sending = leaf.receiving, leaf.sending
        if not leaf.proceeds:
            return dataclasses.replace(
                state, stage=stage, history=tuple(history), receiving=receiving, sending=sending
            )
    if step != "questionnaire" and (receiving, sending) == (
        Receiving.NOT_NEEDED,
        Sending.NOT_NEEDED,
    ):
        # The settings asked for where the verdict was "nothing changes" (Q1 「いいえ」,
        # since answered 「はい」 by the agent): kept, the card and the guide said nothing
        # was to change. The verdict the answers reach now, else everything that may.
        last, _ = questionnaire.walk(state.answers)
        answer = state.answers.get(last.value)
        reached = questionnaire.next(last.value, str(answer)) if answer in ANSWERS else None
        leaf = questionnaire.leaf(reached.value) if reached is not None else None
        if leaf is not None and leaf.proceeds:
            receiving, sending = leaf.receiving, leaf.sending
        else:
            receiving, sending = None, None
    if receiving is None or sending is None:
        # Straight to the settings: everything that may change.
        receiving, sending = Receiving.REQUIRED, Sending.REQUIRED
    if step == "check":
        # The login check needs the address alone (the turn asks for it if missing): the
        # agent has seen to the settings, so no program or server is asked for first.
        stage = Stage.SETTINGS_DELIVERED
    elif state.address is None and not state.address_skipped:
        # The card would show the address in words (「お使いのメールアドレス（…）」) where the
        # subscriber's own could stand: asked for, once; a subscriber who chose to go on
        # without it is not asked again.
        stage = Stage.ASK_ADDRESS
    elif state.program is None and state.stage is Stage.ASK_OUTLOOK_KIND:
        # Handed over while asked which Outlook: the subscriber has said Outlook. The whole
        # list of programs (「お使いのメールソフトを選んでください」) asked it all again.
        stage = Stage.ASK_OUTLOOK_KIND
    elif state.program is None:
        stage = Stage.ASK_PROGRAM
    elif sending is not Sending.NOT_NEEDED and state.smtp_host is None:
        stage = Stage.ASK_SMTP_HOST
    else:
        stage = Stage.SETTINGS_DELIVERED
    return dataclasses.replace(
        state, stage=stage, history=tuple(history), receiving=receiving, sending=sending
    )
