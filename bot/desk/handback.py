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
from bot.store.conversation_store import Change, ConversationRecord, Owner, TranscriptEntry
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


async def change_owner(
    engine: Engine,
    key: str,
    owner: Owner,
    line: str,
    *,
    event_id: str | None = None,
    only_if_different: bool = False,
) -> ConversationRecord | None:
    """Give the conversation to `owner`, with a system transcript line saying why.

    None when there is no such conversation, when `event_id` was handled before (a repeated
    click), or, with `only_if_different`, when `owner` already has it (nothing is written).
    """
    now = engine.now()

    def to_owner(stored: ConversationRecord | None) -> Change[ConversationRecord] | None:
        if stored is None or (only_if_different and stored.owner is owner):
            return None
        changed = dataclasses.replace(stored, owner=owner, updated_at=now)
        return Change(changed, [TranscriptEntry(now, "system", line)], changed)

    change = await engine.store.transact(key, event_id, to_owner)
    return None if change is None else change.result


async def take_over(
    engine: Engine, key: str, agent: str, *, event_id: str | None = None
) -> ConversationRecord | None:
    """Owner → agent, with a transcript line naming who took it; the bot falls silent.

    Recorded once however often it is asked for with the same `event_id`.
    """
    return await change_owner(engine, key, Owner.AGENT, f"taken over by {agent}", event_id=event_id)
