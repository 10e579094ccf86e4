"""The summary an agent reads when a conversation is handed to them: ten seconds' worth.

Never a password: none is ever stored, so none can be summarised.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from dataclasses import dataclass, field

from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import TranscriptEntry
from dialogs.vocabulary import Locale


@dataclass(frozen=True, slots=True)
class HandoffSummary:
    """What an agent needs in ten seconds. Never a password (none is ever stored)."""

    key: str
    channel: str
    conversation_id: str
    sender: str
    locale: Locale
    reason: str
    address: str
    program: str
    answers: dict[str, str]
    receiving: str
    sending: str
    stage: str
    last_check: str
    transcript_url: str
    # Each question's short label (「Q1」, in the profile's order: bot.desk.questions), so any
    # profile's answers read alike; an id without one is shown as it is.
    questions: dict[str, str] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        """The webhook body."""
        return dataclasses.asdict(self)

    def question_label(self, question: str) -> str:
        """How the summary names `question`: its label, else its id."""
        return self.questions.get(question, question)

    def rows(self, catalogs: Catalogs, locale: Locale = "ja") -> list[str]:
        """Who, address, mail program, answers, verdict and last check, one line each.

        Stored values in the words the subscriber saw (「新しいOutlook」, 「はい」,
        「変更が必要」), never the dialog's ids; a value without a word is shown as it is.
        """

        def say(key: str, **params: object) -> str:
            return catalogs.fill(locale, key, params)

        def word(key: str, fallback: str) -> str:
            return catalogs.raw(locale, key) if key in catalogs.keys(locale) else fallback

        unknown = say("summary.unknown")
        answers = ", ".join(
            f"{self.question_label(q)}={word(f'slack_desk.answer.{a}', a)}"
            for q, a in self.answers.items()
        )
        receiving = word(f"slack_desk.verdict.{self.receiving}", self.receiving)
        sending = word(f"slack_desk.verdict.{self.sending}", self.sending)
        program = word(f"program.{self.program}", self.program)
        return [
            say("summary.who", sender=self.sender or unknown, channel=self.channel),
            say("summary.address", address=self.address or unknown),
            say("summary.program", program=program or unknown),
            say("summary.answers", answers=answers or unknown),
            say("summary.verdict", verdict=f"{receiving or unknown} / {sending or unknown}"),
            say("summary.check", check=self.last_check or unknown),
        ]

    def as_text(self, catalogs: Catalogs, locale: Locale = "ja") -> str:
        """A few lines for a chat message or an internal note, in the desk's language."""
        title = catalogs.fill(locale, "summary.title", {"reason": self.reason})
        link = catalogs.fill(locale, "summary.transcript", {"url": self.transcript_url})
        return "\n".join([title, *self.rows(catalogs, locale), link])


def last_check(transcript: Sequence[TranscriptEntry]) -> str:
    """The most recent login check's audit line, if any."""
    for entry in reversed(transcript):
        if entry.author == "system" and entry.text.startswith("check_result:"):
            return entry.text.removeprefix("check_result:").strip()
    return ""


def pressed_labels(transcript: Sequence[TranscriptEntry]) -> dict[int, str]:
    """For each line that is a pressed button (`[choice id]`), the label the subscriber saw.

    The engine records the choice id, which is stable; the words on the button are in the
    bot line that offered it, so they are looked up there rather than stored twice: the
    latest offer first, then an earlier one (a button of a question still on the
    subscriber's screen, pressed after the bot offered other choices or an agent took over).
    """
    offered: dict[str, str] = {}
    earlier: dict[str, str] = {}
    labels: dict[int, str] = {}
    for line in transcript:
        reply = line.reply or {}
        choices = reply.get("choices") if line.author == "bot" else None
        if isinstance(choices, list):
            earlier.update(offered)
            offered = {
                str(c.get("id")): str(c.get("label")) for c in choices if isinstance(c, dict)
            }
        elif line.author == "subscriber" and line.text.startswith("[") and line.text.endswith("]"):
            choice = line.text[1:-1]
            label = offered.get(choice, earlier.get(choice))
            if label is not None:
                labels[line.seq] = label
    return labels
