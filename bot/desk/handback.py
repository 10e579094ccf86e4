"""Giving a conversation back to the bot with what an agent knows: one path for every desk.

The agent API, the console and Chatwoot all end here, so "the bot greets and asks nothing
it was told" behaves the same whichever tool the agent used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Final

from bot.engine import Engine, TurnOutcome
from bot.store.conversation_store import ConversationRecord, Owner
from dialogs.profile import MigrationProfile
from dialogs.resume import apply_facts, resume_stage
from dialogs.state import DialogState
from dialogs.vocabulary import Inbound, SystemEvent

FIELDS: Final = frozenset({"agent", "address", "program", "smtp_host", "answers", "step"})


@dataclass(frozen=True, slots=True)
class HandbackFacts:
    """What the agent tells the bot; everything but `agent` and `step` is optional."""

    agent: str = "an agent"
    address: str | None = None
    program: str | None = None
    smtp_host: str | None = None
    answers: Mapping[str, str] = field(default_factory=dict)
    step: str = "questionnaire"


def parse_facts(body: Mapping[str, object], profile: MigrationProfile) -> HandbackFacts:
    """Facts from a JSON body; ValueError names the field that cannot be used."""
    unknown = set(body) - FIELDS
    if unknown:
        raise ValueError(f"unknown field(s): {', '.join(sorted(unknown))}")

    def text(name: str) -> str | None:
        value = body.get(name)
        if value is not None and not isinstance(value, str):
            raise ValueError(f"{name} must be a string")
        return value

    answers = body.get("answers") or {}
    if not isinstance(answers, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in answers.items()
    ):
        raise ValueError("answers must map question ids to yes, no or unsure")
    agent = text("agent") or "an agent"
    if len(agent) > 100:
        raise ValueError("agent must be a name of at most 100 characters")
    facts = HandbackFacts(
        agent=agent,
        address=text("address"),
        program=text("program"),
        smtp_host=text("smtp_host"),
        answers=answers,
        step=text("step") or "questionnaire",
    )
    if facts.address is not None and not profile.is_affected(facts.address):
        domains = ", ".join(profile.affected_domains)
        raise ValueError(f"address must be an address of {domains}")
    # Validate now, so a bad request is refused before anything changes.
    _resumed(DialogState(), facts)
    return facts


def _resumed(dialog: DialogState, facts: HandbackFacts) -> DialogState:
    known = apply_facts(
        dialog,
        address=facts.address,
        program=facts.program,
        smtp_host=facts.smtp_host,
        answers=facts.answers,
    )
    return resume_stage(known, facts.step)


def preparation(facts: HandbackFacts) -> Callable[[ConversationRecord], ConversationRecord]:
    """The change the hand-back makes to the stored record, inside the bot's turn."""

    def prepare(record: ConversationRecord) -> ConversationRecord:
        return dataclasses.replace(record, owner=Owner.BOT, dialog=_resumed(record.dialog, facts))

    return prepare


async def hand_back(
    engine: Engine, channel: str, conversation_id: str, facts: HandbackFacts, event_id: str
) -> TurnOutcome:
    """Owner → bot with the facts, and the bot's greeting, in one turn.

    One turn, so a message arriving meanwhile is answered once, by whoever owns the
    conversation when it lands.
    """
    return await engine.handle(
        Inbound(
            channel=channel,
            conversation_key=conversation_id,
            event_id=event_id,
            event=SystemEvent("handback", (("agent", facts.agent),)),
        ),
        create=False,
        prepare=preparation(facts),
    )
