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

    def as_text(self, catalogs: Catalogs, locale: Locale = "ja") -> str:
        """A few lines for a chat message or an internal note, in the desk's language."""

        def say(key: str, **params: object) -> str:
            return catalogs.fill(locale, key, params)

        unknown = say("summary.unknown")
        answers = ", ".join(f"{self.question_label(q)}={a}" for q, a in self.answers.items())
        verdict = f"{self.receiving or unknown} / {self.sending or unknown}"
        rows = [
            say("summary.title", reason=self.reason),
            say("summary.who", sender=self.sender or unknown, channel=self.channel),
            say("summary.address", address=self.address or unknown),
            say("summary.program", program=self.program or unknown),
            say("summary.answers", answers=answers or unknown),
            say("summary.verdict", verdict=verdict),
            say("summary.check", check=self.last_check or unknown),
            say("summary.transcript", url=self.transcript_url),
        ]
        return "\n".join(rows)


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
