"""A synchronous driver for the pure dialog: press buttons, type words, read replies."""

from __future__ import annotations

import dataclasses
import datetime as dt
from itertools import count

from bot.japanese_analyser import japanese_analyser
from bot.ops.catalogs import Catalogs
from dialogs.conversation import step
from dialogs.profile import MigrationProfile
from dialogs.questionnaire import Stage
from dialogs.resume import apply_facts, resume_stage
from dialogs.state import DialogState, StepContext, StepResult
from dialogs.understanding import takes_the_password_back
from dialogs.vocabulary import (
    WORDLESS_CHOICES,
    ChoicesReply,
    Inbound,
    Locale,
    Reply,
    SettingsReply,
    SystemEvent,
    TextReply,
    VerdictReply,
)

IN_WINDOW_DAY = dt.date(2008, 6, 1)


class Driver:
    """One conversation, driven turn by turn."""

    def __init__(
        self,
        profile: MigrationProfile,
        catalogs: Catalogs,
        *,
        today: dt.date = IN_WINDOW_DAY,
        state: DialogState | None = None,
        desk: bool = False,
    ) -> None:
        self.context = StepContext(
            profile=profile,
            texts=catalogs,
            today=today,
            desk_available=desk,
            analyser=japanese_analyser(),
        )
        self.state = state or DialogState()
        self.results: list[StepResult] = []
        self._ids = count()

    def _run(self, **fields: object) -> StepResult:
        inbound = Inbound(
            channel="test",
            conversation_key="c",
            event_id=str(next(self._ids)),
            **fields,  # type: ignore[arg-type]
        )
        result = step(self.state, inbound, self.context)
        self.state = _remembered(result.state, inbound)
        self.results.append(result)
        return result

    def start(self, locale: Locale | None = None) -> StepResult:
        return self._run(start=True, locale=locale)

    def first_message(self, text: str, locale: Locale | None = None) -> StepResult:
        """A platform's first message (LINE, Slack, Telegram): it starts the conversation."""
        return self._run(start=True, text=text, locale=locale)

    def press(self, choice: str) -> StepResult:
        return self._run(choice=choice)

    def type(self, text: str) -> StepResult:
        return self._run(text=text)

    @property
    def last(self) -> StepResult:
        return self.results[-1]

    def all_replies(self) -> list[Reply]:
        return [reply for result in self.results for reply in result.replies]

    def said(self) -> str:
        """The last turn's words: its texts, questions and verdicts, one under the other."""
        return "\n".join(
            r.text
            for r in self.last.replies
            if isinstance(r, TextReply | ChoicesReply | VerdictReply)
        )

    def verdict(self) -> VerdictReply:
        verdicts = [r for r in self.all_replies() if isinstance(r, VerdictReply)]
        assert verdicts, "no verdict was given"
        return verdicts[-1]

    def settings(self) -> dict[str, str]:
        cards = [r for r in self.all_replies() if isinstance(r, SettingsReply)]
        assert cards, "no settings card was given"
        return {item.key: item.value for item in cards[-1].items}

    def offered(self) -> list[str]:
        """The choice ids of the last question asked."""
        questions = [r for r in self.last.replies if isinstance(r, ChoicesReply)]
        assert questions, f"the last turn asked nothing: {self.last.replies}"
        return [c.id for c in questions[-1].choices]


def at_stage(profile: MigrationProfile, catalogs: Catalogs, locale: str, stage: Stage) -> Driver:
    """A conversation started in `locale` and answered yes until it asks `stage`'s question."""
    driver = Driver(profile, catalogs)
    driver.start(locale)  # type: ignore[arg-type]
    while driver.state.stage is not stage:
        driver.press("yes")
    return driver


def handed_back_with_a_program(
    driver: Driver, profile: MigrationProfile, catalogs: Catalogs
) -> Driver:
    """`driver`'s conversation as an agent gives it back: 'iPhone, only the home line'."""
    q = profile.questionnaire
    stored = DialogState.from_json(driver.state.to_json())
    facts = apply_facts(
        stored, questionnaire=q, program="ios_mail", answers={"q2_other_network": "no"}
    )
    back = Driver(profile, catalogs, state=resume_stage(facts, "questionnaire", questionnaire=q))
    back._run(event=SystemEvent("handback", (("step", "questionnaire"),)))
    return back


def _remembered(state: DialogState, inbound: Inbound) -> DialogState:
    """`state` as the runtime notes what the subscriber last did (`bot.engine._remembered`).

    What 「さっきのはパスワードです」 withdraws is the latest message typed (never the saying
    itself, though it is no press); a press holds no words; a photo or sticker changes nothing.
    """
    if inbound.text is not None:
        if takes_the_password_back(inbound.text):
            return dataclasses.replace(state, last_pressed=False)
        return dataclasses.replace(state, last_words=inbound.event_id, last_pressed=False)
    if inbound.choice is not None and inbound.choice not in WORDLESS_CHOICES:
        return dataclasses.replace(state, last_pressed=True)
    return state
