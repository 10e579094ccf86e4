"""The notice's flowchart and the settings hand-over, as one `transitions` state machine.

The machine is data: stages, and transitions between them named by what the subscriber
did (`answer_yes`). It is built once, shared by every conversation, and never holds a
conversation itself: each turn fires an event on a fresh model object.

"I don't know" takes the branch that asks for more change (DESIGN.md section 1): at Q1 and
Q2 and Q3 that is "yes"; at Q4 it is "yes" too, because the new settings work whether or not
the line blocks port 25.
"""

from __future__ import annotations

import enum
from typing import Final

from transitions import Machine

from dialogs.vocabulary import Receiving, Sending


class Stage(enum.StrEnum):
    """Where a conversation stands."""

    Q1_MAIL_PROGRAM = "q1_mail_program"
    Q2_OTHER_NETWORK = "q2_other_network"
    Q3_USES_OUR_SMTP = "q3_uses_our_smtp"
    Q4_OP25B = "q4_op25b"
    WEBMAIL_ONLY = "webmail_only"
    OWN_LINE_RECOMMENDED = "own_line_recommended"
    SENDING_NOT_NEEDED = "sending_not_needed"
    POP_BEFORE_SMTP_RECOMMENDED = "pop_before_smtp_recommended"
    SENDING_REQUIRED = "sending_required"
    ASK_ADDRESS = "ask_address"
    ASK_PROGRAM = "ask_program"
    ASK_OUTLOOK_KIND = "ask_outlook_kind"
    ASK_SMTP_HOST = "ask_smtp_host"
    SETTINGS_DELIVERED = "settings_delivered"
    CHECK_ADDRESS = "check_address"


QUESTIONS: Final[tuple[Stage, ...]] = (
    Stage.Q1_MAIL_PROGRAM,
    Stage.Q2_OTHER_NETWORK,
    Stage.Q3_USES_OUR_SMTP,
    Stage.Q4_OP25B,
)

# The flowchart's leaves. WEBMAIL_ONLY is where a webmail user rests; the other four hand
# over to settings delivery at once (the `proceed` event).
VERDICTS: Final[dict[Stage, tuple[Receiving, Sending]]] = {
    Stage.WEBMAIL_ONLY: (Receiving.NOT_NEEDED, Sending.NOT_NEEDED),
    Stage.OWN_LINE_RECOMMENDED: (Receiving.REQUIRED, Sending.RECOMMENDED),
    Stage.SENDING_NOT_NEEDED: (Receiving.REQUIRED, Sending.NOT_NEEDED),
    Stage.POP_BEFORE_SMTP_RECOMMENDED: (Receiving.REQUIRED, Sending.RECOMMENDED),
    Stage.SENDING_REQUIRED: (Receiving.REQUIRED, Sending.REQUIRED),
}

# Stages where the subscriber answers; "back" returns to the previous one of these.
RESTING: Final[frozenset[Stage]] = frozenset(
    {
        *QUESTIONS,
        Stage.WEBMAIL_ONLY,
        Stage.ASK_ADDRESS,
        Stage.ASK_PROGRAM,
        Stage.ASK_OUTLOOK_KIND,
        Stage.ASK_SMTP_HOST,
        Stage.SETTINGS_DELIVERED,
        Stage.CHECK_ADDRESS,
    }
)


def _answers(source: Stage, yes: Stage, no: Stage) -> list[dict[str, object]]:
    return [
        {"trigger": "answer_yes", "source": source, "dest": yes},
        {"trigger": "answer_no", "source": source, "dest": no},
        {"trigger": "answer_unsure", "source": source, "dest": yes},
    ]


TRANSITIONS: Final[list[dict[str, object]]] = [
    *_answers(Stage.Q1_MAIL_PROGRAM, yes=Stage.Q2_OTHER_NETWORK, no=Stage.WEBMAIL_ONLY),
    *_answers(Stage.Q2_OTHER_NETWORK, yes=Stage.Q3_USES_OUR_SMTP, no=Stage.OWN_LINE_RECOMMENDED),
    *_answers(Stage.Q3_USES_OUR_SMTP, yes=Stage.Q4_OP25B, no=Stage.SENDING_NOT_NEEDED),
    *_answers(Stage.Q4_OP25B, yes=Stage.SENDING_REQUIRED, no=Stage.POP_BEFORE_SMTP_RECOMMENDED),
    {
        "trigger": "proceed",
        "source": [s for s in VERDICTS if s is not Stage.WEBMAIL_ONLY],
        "dest": Stage.ASK_ADDRESS,
    },
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
    # From anywhere: start over, or skip the questions and go straight to the settings.
    {"trigger": "restart", "source": "*", "dest": Stage.Q1_MAIL_PROGRAM},
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
]


def build_machine() -> Machine:
    """The shared machine. Models are passed per event, never registered on it."""
    return Machine(
        model=None,
        states=list(Stage),
        transitions=TRANSITIONS,
        initial=Stage.Q1_MAIL_PROGRAM,
        after_state_change="on_stage_entered",
        auto_transitions=False,
        ignore_invalid_triggers=False,
    )
