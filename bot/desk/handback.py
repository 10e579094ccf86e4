"""Giving a conversation back to the bot with what an agent knows: one path for every desk.

The agent API, the console and Chatwoot all end here, so "the bot greets and asks nothing
it was told" behaves the same whichever tool the agent used.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field

from bot.desk.agent_models import DEFAULT_AGENT, FactRefusal, Handback
from bot.desk.handoff import CLOSED_WHILE_WAITING_KEY, OwnerChange, announce, is_notice
from bot.engine import EDITED_MARK, FORWARDED_MARK, Engine, TurnOutcome
from bot.store.conversation_store import (
    ConversationRecord,
    Owner,
    TranscriptEntry,
    record_key,
)
from dialogs.back_to_bot import wants_the_bot_back
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Questionnaire
from dialogs.reading.stage_reading import ADDRESS_QUESTIONS
from dialogs.resume import apply_facts, resume_stage, started_over
from dialogs.state import DialogState
from dialogs.understanding import find_address, normalise
from dialogs.vocabulary import LOCALES, Inbound, SystemEvent


@dataclass(frozen=True, slots=True)
class HandbackFacts:
    """What the agent tells the bot; everything but `agent` and `step` is optional."""

    agent: str = DEFAULT_AGENT
    address: str | None = None
    program: str | None = None
    smtp_host: str | None = None
    answers: Mapping[str, str] = field(default_factory=dict)
    step: str = "questionnaire"
    # The subscriber stopped waiting (the late-reply notice's button), not an agent: the
    # bot says so instead of 「担当者から引き継ぎました」.
    by_subscriber: bool = False
    # The subscriber typed 「最初から」 while waiting: the questions from the first one, the
    # answers forgotten (`dialogs.resume.started_over`), not carried on from where they were.
    start_over: bool = False


class FactRefusedError(ValueError):
    """A hand-back fact the running profile cannot use; `reason` names which, for the console.

    The message is for a tool's developer, in English; the console words `reason` in the
    agent's language (it showed a Japanese agent 「address must be an address of …」).
    """

    def __init__(
        self, reason: FactRefusal, message: str, domains: tuple[str, ...] | None = None
    ) -> None:
        super().__init__(message)
        self.reason: FactRefusal = reason
        # The migrating domains, for `address_domain`: the agent sees which were meant.
        self.domains = domains


def facts_from(
    body: Handback, profile: MigrationProfile, answered: Mapping[str, str] | None = None
) -> HandbackFacts:
    """The facts of a hand-back body the model accepted; FactRefusedError names an unusable one.

    `answered`: the answers the conversation holds already, which the body's add to.

    Only the profile knows which domains migrate and which questions it asks, so these are
    the checks left after the model's (the address's with the message it has always had).
    """
    address = None
    if body.address is not None:
        # The chat's own grammar: what a subscriber could not type as their address (line
        # breaks, markup) must not reach the SMTP and POP dialogues of their login check.
        # Read as the chat reads it, an address copied from the subscriber's full-width
        # words (「ｔａｒｏ＠ｖｐ．１１７．ｎｅ．ｊｐ」) is theirs, kept as the chat keeps it.
        address = find_address(body.address)
        if address is None or address != normalise(body.address):
            raise FactRefusedError("address", "address must be one e-mail address and nothing else")
    if address is not None and not profile.is_affected(address):
        domains = ", ".join(profile.affected_domains)
        raise FactRefusedError(
            "address_domain",
            f"address must be an address of {domains}",
            tuple(profile.affected_domains),
        )
    questions = profile.questionnaire.flowchart.questions
    unknown = [question for question in body.answers or {} if question not in questions]
    if unknown:
        # The model takes any id: which questions there are is the running profile's.
        raise FactRefusedError(
            "answers",
            f"answers: {', '.join(map(repr, unknown))} is not a question of this profile "
            f"(its questions: {', '.join(questions)})",
        )
    step = body.step or "questionnaire"
    known = {**(answered or {}), **(body.answers or {})}
    if step != "questionnaire" and known:
        # Answers that rest on "nothing to change" (Q1 「いいえ」, webmail only) with the
        # settings or the check: the stored verdict became "change required" for both and
        # the bot sent a webmail user the new settings. Which the agent meant is hers to say
        # (the subscriber's own 「いいえ」 too: the console's form starts from it).
        flowchart = profile.questionnaire.flowchart
        last, _ = flowchart.walk(known)
        answer = known.get(last)
        leaf = flowchart.leaves.get(flowchart.questions[last].answers.get(answer or "", ""))
        if leaf is not None and not leaf.proceeds:
            raise FactRefusedError(
                "answers_step",
                f"answers: {last} {answer!r} means nothing to change ({leaf.id}), which "
                f"contradicts step {step!r}: give step 'questionnaire' (the bot says nothing "
                f"changes), or the answer that leads to the settings",
            )
    return HandbackFacts(
        agent=body.agent or DEFAULT_AGENT,
        address=address,
        program=body.program,
        smtp_host=body.smtp_host,
        answers={question: answer for question, answer in (body.answers or {}).items()},
        step=step,
    )


def unanswered(transcript: Sequence[TranscriptEntry]) -> str:
    """The subscriber's last words since a person or the bot last wrote to them ("" if none).

    A pressed button (`[id]`) is not a question; the words are as stored (masked), an
    edited message's as put right, without the mark the transcript shows them with. Words
    forwarded from someone else are not theirs: the words before them are looked at.
    """
    for line in reversed(transcript):
        if line.author in ("agent", "bot"):
            return ""
        if line.author == "subscriber" and line.text.startswith(FORWARDED_MARK):
            continue
        if line.author == "subscriber" and not (
            line.text.startswith("[") and line.text.endswith("]")
        ):
            return line.text.removeprefix(EDITED_MARK)
    return ""


def _typed_address(record: ConversationRecord | None, facts: HandbackFacts) -> str | None:
    """The address the subscriber typed under the address question while an agent had it.

    Still at that question with an address known, the address came so
    (`dialogs.resume.address_typed_while_held`); an address the agent gives wins.
    """
    if record is None or facts.address is not None or record.dialog.address is None:
        return None
    return record.dialog.address if record.dialog.stage in ADDRESS_QUESTIONS else None


def _resumed(
    dialog: DialogState, facts: HandbackFacts, questionnaire: Questionnaire
) -> DialogState:
    known = apply_facts(
        started_over(dialog) if facts.start_over else dialog,
        questionnaire=questionnaire,
        address=facts.address,
        program=facts.program,
        smtp_host=facts.smtp_host,
        answers=facts.answers,
    )
    return resume_stage(known, facts.step, questionnaire=questionnaire)


def preparation(
    facts: HandbackFacts, questionnaire: Questionnaire
) -> Callable[[ConversationRecord], ConversationRecord]:
    """The change the hand-back makes to the stored record, inside the bot's turn."""

    def prepare(record: ConversationRecord) -> ConversationRecord:
        dialog = _resumed(record.dialog, facts, questionnaire)
        return dataclasses.replace(record, owner=Owner.BOT, dialog=dialog)

    return prepare


async def hand_back(
    engine: Engine,
    channel: str,
    conversation_id: str,
    facts: HandbackFacts,
    event_id: str,
    *,
    only_as: ConversationRecord | None = None,
    only_lines: int | None = None,
) -> TurnOutcome:
    """Owner → bot with the facts, and the bot's greeting, in one turn.

    One turn, so a message arriving meanwhile is answered once, by whoever owns the
    conversation when it lands. What the subscriber asked after the agent last wrote goes
    with it, so the bot answers it if it can rather than leaving it unanswered. With
    `only_as`, only onto the record as it was read: a take-over (or anything else) landing
    between that read and the turn writes nothing, and the outcome has no record. With
    `only_lines`, also only while the transcript holds no more lines than that: an agent's
    words to a conversation she holds leave the record as it was, and still count.
    """
    key = record_key(channel, conversation_id)
    transcript = await engine.store.transcript(key)
    # The bot's notices (the desk closed, a late reply, a press passed on) answered nothing
    # the subscriber asked: read past them (older closed notices carry no mark: by text).
    notices = {engine.texts.fill(locale, CLOSED_WHILE_WAITING_KEY, {}) for locale in LOCALES}
    # Given back by the subscriber's own wish (「自動案内に戻る」「最初から」), the wish is no
    # question: the words before it are (「パスワードは変わりますか」 typed while waiting was
    # never answered, as the wish was read as the question and answered by nothing).
    wish = facts.by_subscriber
    left_over = unanswered(
        [
            x
            for x in transcript
            if not is_notice(x)
            and (x.author != "bot" or x.text not in notices)
            and not (wish and x.author == "subscriber" and wants_the_bot_back(x.text))
        ]
    )
    typed = _typed_address(only_as or await engine.store.load(key), facts)
    if typed and find_address(left_over) == typed:
        left_over = ""  # the address itself, answered by carrying on from it
    # The dialog reads the step only to start the login check (`check`); the others are in
    # the state `preparation` leaves. The audit line keeps its old shape for them.
    step = (("step", facts.step),) if facts.step == "check" else ()
    data = (
        ("agent", facts.agent),
        *((("by", "subscriber"),) if facts.by_subscriber else ()),
        # Kept in the line so the desks can say they started over, not carried on.
        *((("start", "over"),) if facts.start_over else ()),
        *step,
        *((("unanswered", left_over),) if left_over else ()),
        *((("typed_address", typed),) if typed else ()),
    )
    before: list[Owner] = []
    prepare = preparation(facts, engine.profile.questionnaire)

    def noting_owner(record: ConversationRecord) -> ConversationRecord | None:
        if only_as is not None and record != only_as:
            return None
        if only_lines is not None and record.lines > only_lines:
            return None
        before.append(record.owner)
        return prepare(record)

    outcome = await engine.handle(
        Inbound(
            channel=channel,
            conversation_key=conversation_id,
            event_id=event_id,
            event=SystemEvent("handback", data),
        ),
        create=False,
        prepare=noting_owner,
    )
    after = outcome.record
    if before and after is not None and not outcome.duplicate and before[-1] is not after.owner:
        # Every desk hears of it, not only the one whose agent handed back.
        announce(engine, OwnerChange(key, before[-1], after.owner, event_id))
    return outcome
