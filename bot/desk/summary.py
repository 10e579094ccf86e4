"""The summary an agent reads when a conversation is handed to them: ten seconds' worth.

Never a password: none is ever stored, so none can be summarised.
"""

from __future__ import annotations

import dataclasses
import datetime as dt
import itertools
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

from bot.engine import DESK_MESSAGE_LINE, PLACE_NOTE_LINE, PRESSED_QUESTION
from bot.ops.catalogs import Catalogs
from bot.store.conversation_store import WITHDRAWN_TEXT, TranscriptEntry
from bot.web.check_path import hide_check_tokens
from dialogs.desk_message import LEAVE_MESSAGE, answer_to_offer, callback_in
from dialogs.facts import word_date
from dialogs.vocabulary import LOCALES, LOCATION_CHOICE, MEDIA_CHOICE, STICKER_CHOICE, Locale

# How many of the subscriber's latest typed lines the summary quotes, and how long each:
# enough to say what is wrong, short enough to read in ten seconds.
LATEST_WORDS: Final = 3
# What a line the subscriber withdrew shows as (the thread's copy says the same).
WITHDRAWN_KEY: Final = "slack_desk.subscriber_withdrew"
MAX_WORDS: Final = 200
# A photo, voice message, file or location the subscriber sent (the engine's line for it),
# and what the desk reads there: the bot never sees it, so the agent must ask what it shows.
MEDIA_LINE: Final = f"[{MEDIA_CHOICE}]"
MEDIA_KEY: Final = "summary.media_sent"
# What the desk reads for each message without words, relayed while an agent has the chat.
WORDLESS_KEYS: Final[dict[str, str]] = {
    MEDIA_LINE: MEDIA_KEY,
    f"[{STICKER_CHOICE}]": "summary.sticker_sent",
    # A place shared (LINE): the desk reads that one was, not the raw mark.
    f"[{LOCATION_CHOICE}]": "summary.location_sent",
    # The web chat's language button (`lang:en`): a choice of the page's, which no question
    # offered, so no offer names its words; the agent reads which language the chat is in now.
    **{f"[lang:{locale}]": f"summary.language_chosen.{locale}" for locale in LOCALES},
}
# The start of a login check's audit line in the transcript (the engine's `kind: k=v …`).
CHECK_LINE: Final = "check_result:"
# The summary's kind when it tells of a message left for the desk rather than a handoff.
MESSAGE_LEFT: Final = "message_left"
# How much of a question is quoted beside a button pressed while an agent has the chat: the
# seed's longest (「117net以外のプロバイダや、会社のLANからインターネットに接続していますか？」,
# 41) whole, a longer one (most English ones) cut.
_QUESTION_CHARS: Final = 60
# The stages at which the bot is asking for the mail program, and how the desk says so.
_ASKING_PROGRAM: Final = {
    "ask_program": "summary.program_asked",
    "ask_outlook_kind": "summary.program_asked_outlook",
}
_ASIDE: Final = re.compile(r"（[^（）]*）|\s*\([^()]*\)")


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
    # What a "yes" to each question says, per locale (bot.desk.questions.question_facts), shown
    # beside the answer (「メールソフトを使用：はい」) where the profile words it.
    facts: dict[str, dict[str, str]] = field(default_factory=dict)
    # The subscriber's latest typed lines, oldest first (as stored: a password masked):
    # why they asked, in their words, where the reason only says that they did.
    said: tuple[str, ...] = ()
    # "handoff", or "message_left": the subscriber left words for the desk while no one
    # could take the chat (the bot still has it); `message` and `callback` are those words
    # and the phone number or address they gave to be called back on.
    kind: str = "handoff"
    message: str = ""
    callback: str = ""
    # Where the profile moves the addresses to a new domain: the address after the move
    # (the one to log in with), whichever was typed; "" where it stays as typed.
    new_address: str = ""
    # A message left for the desk: the same id however often it is shown (`event_tag` of the
    # conversation and when it was left), so a help desk behind the webhook can drop a
    # second copy, and `retried` when a desk is shown it again after failing: a desk that
    # can read back what it posted (Slack) looks for it first, as a 5xx may follow a post.
    notice: str = ""
    retried: bool = False
    # A "recommended" sending change: the old outgoing server's last day (ISO), after which
    # it is "required" (dialogs.advice). A message or note drawn today is read tomorrow too.
    sending_until: str = ""

    def as_json(self) -> dict[str, object]:
        """The webhook body."""
        return dataclasses.asdict(self)

    def question_label(self, question: str) -> str:
        """How the summary names `question`: its label, else its id."""
        return self.questions.get(question, question)

    def rows(self, catalogs: Catalogs, locale: Locale = "ja") -> list[str]:
        """Who, address, mail program, answers, verdict, last check and latest words, a line each.

        Stored values in the words the subscriber saw (「新しいOutlook」, 「はい」,
        「変更が必要」), never the dialog's ids; a value without a word is shown as it is.
        """

        def say(key: str, **params: object) -> str:
            return catalogs.fill(locale, key, params)

        def word(key: str, fallback: str) -> str:
            return catalogs.raw(locale, key) if key in catalogs.keys(locale) else fallback

        unknown = say("summary.unknown")
        # A line the subscriber withdrew (its words gone from the transcript) is said so in
        # the desk's words, as its copy in the Slack thread is, not in the store's marker.
        withdrawn = say(WITHDRAWN_KEY)
        marks = {WITHDRAWN_TEXT: withdrawn, MEDIA_LINE: say(MEDIA_KEY)}

        def shown(line: str) -> str:
            return marks.get(line, line)

        def answered(question: str, answer: str) -> str:
            said = word(f"slack_desk.answer.{answer}", answer)
            fact = self.facts.get(question, {}).get(locale)
            if fact:
                return say("summary.answer_fact", fact=fact, answer=said)
            return f"{self.question_label(question)}={said}"

        worded = [answered(q, a) for q, a in self.answers.items()]
        # Worded facts hold commas of their own (English): a mark that none does between them.
        answers = (" ・ " if self.facts else ", ").join(worded)
        receiving = word(f"slack_desk.verdict.{self.receiving}", self.receiving)
        sending = word(f"slack_desk.verdict.{self.sending}", self.sending)
        if self.sending == "recommended" and self.sending_until:
            last = word_date(catalogs, locale, dt.date.fromisoformat(self.sending_until))
            sending = say("summary.verdict.recommended_until", verdict=sending, date=last)
        program = word(f"program.{self.program}", self.program)
        if self.stage in _ASKING_PROGRAM and self.program in ("", "outlook_ambiguous"):
            # The bot is asking for it this very moment: said so, not 「不明」/「未確認」.
            program = say(_ASKING_PROGRAM[self.stage])
        # The platform as its users know it (「LINE」「Webチャット」), not the channel's id.
        channel = word(f"summary.channel.{self.channel}", self.channel)
        who = say("summary.who", sender=self.sender or unknown, channel=channel)
        if self.locale != locale:
            # The desk reads its own language: the agent would answer in it, not in the
            # subscriber's (the language button, Telegram's or LINE's language).
            language = say(f"summary.language.{self.locale}")
            who = say("summary.who_in_language", who=who, language=language)
        rows = [
            who,
            say("summary.address_moved", address=self.address, new_address=self.new_address)
            if self.new_address
            else say("summary.address", address=self.address or unknown),
            say("summary.program", program=program or unknown),
            say("summary.answers", answers=answers or unknown),
            say("summary.verdict", verdict=f"{receiving or unknown} / {sending or unknown}"),
            say("summary.check", check=worded_check(self.last_check, catalogs, locale) or unknown),
        ]
        if self.kind == MESSAGE_LEFT:
            # The message first: it is what the desk acts on; the call-back before the
            # words, so a desk that cuts a long line (Slack's 2,000) keeps the number.
            callback = self.callback or unknown
            message = "\n".join(map(shown, self.message.split("\n")))
            rows.insert(1, say("summary.message_left", message=message, callback=callback))
        elif self.said:
            quoted = "".join(say("summary.said_line", words=shown(w)) for w in self.said)
            rows.append(say("summary.said", said=quoted.strip()))
        return rows

    def title(self, catalogs: Catalogs, locale: Locale = "ja") -> str:
        """「【引き継ぎ】<reason>」, or 「【伝言】<reason>」 for a message left for the desk."""
        key = "summary.title_message" if self.kind == MESSAGE_LEFT else "summary.title"
        return catalogs.fill(locale, key, {"reason": self.reason})

    def as_text(self, catalogs: Catalogs, locale: Locale = "ja") -> str:
        """A few lines for a chat message or an internal note, in the desk's language."""
        title = self.title(catalogs, locale)
        link = catalogs.fill(locale, "summary.transcript", {"url": self.transcript_url})
        return "\n".join([title, *self.rows(catalogs, locale), link])


# The sides of a login check's audit line (`smtp=auth_failed pop=ok smtp_port=587 …`):
# the outcome's key, the port's key, and how the desk names the side.
_CHECK_SIDES: Final = (
    ("smtp", "smtp_port", "summary.check.sending"),
    ("pop", "pop_port", "summary.check.receiving"),
)


def worded_check(line: str, catalogs: Catalogs, locale: Locale) -> str:
    """A login check's audit line in `locale`'s words, as the handoff summary shows it.

    Each side's outcome and port, the test message, or why it did not run. Counts and
    timing are left out; an outcome without a word yet is shown as it is.
    """

    def say(key: str, **params: object) -> str:
        return catalogs.fill(locale, key, params)

    def word(key: str, fallback: str) -> str:
        return catalogs.raw(locale, key) if key in catalogs.keys(locale) else fallback

    data = dict(part.partition("=")[::2] for part in line.split())
    parts = []
    if refused := data.get("refused"):
        parts.append(word(f"summary.check.refused.{refused}", refused))
    for side, port, key in _CHECK_SIDES:
        if not (outcome := data.get(side)):
            continue
        worded = word(f"summary.outcome.{outcome}", outcome)
        if data.get(port):
            parts.append(say(f"{key}_port", port=data[port], outcome=worded))
        else:
            parts.append(say(key, outcome=worded))
    if trip := data.get("round_trip"):
        parts.append(
            say("summary.check.round_trip", outcome=word(f"summary.round_trip.{trip}", trip))
        )
    return say("summary.check.separator").join(parts)


def check_line(entry: TranscriptEntry) -> str | None:
    """The audit data of a login check's system line (`smtp=… pop=…`), else None."""
    if entry.author != "system" or not entry.text.startswith(CHECK_LINE):
        return None
    return entry.text.removeprefix(CHECK_LINE).strip()


def last_check(transcript: Sequence[TranscriptEntry]) -> str:
    """The most recent login check's audit line, if any."""
    for entry in reversed(transcript):
        if (data := check_line(entry)) is not None:
            return data
    return ""


def latest_words(transcript: Sequence[TranscriptEntry]) -> tuple[str, ...]:
    """The subscriber's last few typed lines, oldest first, each on one line and cut short.

    Pressed buttons (`[yes]`) are left out: the answers row says those in words. A line
    the subscriber withdrew stays, as WITHDRAWN_TEXT, for the rows to say so; so does a
    photo or voice message sent (MEDIA_LINE): often the trouble itself, on a screen the
    subscriber could not type out, which the agent must ask about.
    """
    typed = [
        # A check link pasted back (「このリンクが開きません https://…/check/…」): its token is
        # the subscriber's alone, not the desk's.
        " ".join(hide_check_tokens(line.text).split())
        for line in transcript
        if line.author == "subscriber"
        and (
            line.text in (WITHDRAWN_TEXT, MEDIA_LINE)
            or not (line.text.startswith("[") and line.text.endswith("]"))
        )
    ]
    return tuple(truncate_words(w) for w in typed[-LATEST_WORDS:] if w)


def truncate_words(words: str) -> str:
    """`words` cut to MAX_WORDS characters, an ellipsis saying so."""
    return words if len(words) <= MAX_WORDS else words[: MAX_WORDS - 1] + "…"


def pressed_labels(transcript: Sequence[TranscriptEntry]) -> dict[int, str]:
    """For each line that is a pressed button (`[choice id]`), the label the subscriber saw.

    The engine records the choice id, which is stable; the words on the button are in the
    bot line that offered it, so they are looked up there rather than stored twice.
    """
    return {seq: label for seq, (label, _) in pressed_answers(transcript).items()}


# The buttons a chat offers beside every question (the web chat's bar: メニュー, 最初から,
# 担当者と話す), by the catalog key of their words. Pressed while an agent has the
# conversation, no bot line offered them, and the console showed the agent 「[human]」.
STANDING_CHOICES: Final[dict[str, str]] = {
    "menu": "choice.menu",
    "restart": "choice.restart",
    "human": "menu.human",
    "back": "choice.back",
}


def standing_label(said: str, catalogs: Catalogs, locale: Locale) -> str | None:
    """A standing button's press (`[human]`) as its words in `locale`; None for any other."""
    key = STANDING_CHOICES.get(said[1:-1]) if said.startswith("[") and said.endswith("]") else None
    return catalogs.raw(locale, key) if key is not None else None


def pressed_answers(transcript: Sequence[TranscriptEntry]) -> dict[int, tuple[str, str]]:
    """For each pressed button's line, its label and the words of the offer it was on.

    The latest offer first, then an earlier one (a button of a question still on the
    subscriber's screen, pressed after the bot offered other choices or an agent took over).
    """
    return {seq: (label, offer.text) for seq, (label, offer) in _presses(transcript).items()}


def pressed_questions(transcript: Sequence[TranscriptEntry]) -> dict[int, str]:
    """For each pressed button's line that does not follow its question, that question.

    A press straight after the question reads as its answer. With lines between (the
    handoff, an agent's own questions), a bare 「いいえ」 could answer any of them: the
    console names the question beside it, as the Slack thread and the Chatwoot mirror do.
    """
    questions: dict[int, str] = {}
    before: dict[int, int] = {
        line.seq: previous.seq for previous, line in itertools.pairwise(transcript)
    }
    for seq, (_, offer) in _presses(transcript).items():
        if before.get(seq) != offer.seq and (question := question_in(offer.text)):
            questions[seq] = question
    return questions


@dataclass(frozen=True, slots=True)
class _Offer:
    seq: int
    text: str


def _presses(transcript: Sequence[TranscriptEntry]) -> dict[int, tuple[str, _Offer]]:
    """For each pressed button's line, its label and the bot line that offered it."""
    offered: dict[str, tuple[str, _Offer]] = {}
    earlier: dict[str, tuple[str, _Offer]] = {}
    # Each turn's offer by the turn's tag, which a press names (bot.engine PRESSED_QUESTION).
    by_turn: dict[str, dict[str, tuple[str, _Offer]]] = {}
    answers: dict[int, tuple[str, _Offer]] = {}
    for line in transcript:
        reply = line.reply or {}
        choices = reply.get("choices") if line.author == "bot" else None
        if isinstance(choices, list):
            earlier.update(offered)
            asked = _Offer(line.seq, str(reply.get("text") or ""))
            offered = {
                str(c.get("id")): (str(c.get("label")), asked)
                for c in choices
                if isinstance(c, dict)
            }
            if line.event is not None:
                by_turn[line.event] = offered
        elif line.author == "subscriber" and line.text.startswith("[") and line.text.endswith("]"):
            choice = line.text[1:-1]
            # The question the press names, where it does: the first question's 「はい」 pressed
            # under the second was shown as the second's answer.
            named = by_turn.get(str(reply.get(PRESSED_QUESTION)), {})
            answer = named.get(choice, offered.get(choice, earlier.get(choice)))
            if answer is not None:
                answers[line.seq] = answer
    return answers


def question_in(offer: str) -> str:
    """The question of an offer's words, short enough to stand beside a pressed button.

    The question is the last paragraph's first line (a lead such as 「それでは、続けましょう。」
    comes before it, a hint after it), up to its first question mark, without its asides
    in brackets (「メールソフト（Outlook、Thunderbird、…）」: examples the agent does not need).
    """
    line = offer.strip().rsplit("\n\n", 1)[-1].strip().split("\n", 1)[0].strip()
    line = _ASIDE.sub("", line)
    for mark in ("？", "?"):
        end = line.find(mark)
        if end >= 0:
            line = line[: end + 1]
            break
    return line if len(line) <= _QUESTION_CHARS else line[: _QUESTION_CHARS - 1] + "…"


def _left_words(before: Sequence[TranscriptEntry]) -> list[str]:
    """The subscriber's lines of a message for the desk, which end where `before` ends.

    They begin after the button that offered the message was answered; should that offer
    be gone from the lines, the last line (the one that said how to call back) is kept.
    """
    said: list[str] = []
    for line in reversed(before):
        if line.author == "subscriber":
            said.append(line.text)
        elif line.author == "bot" and _offers_message(line):
            # The first line after the offer is the answer to it, not the message. An offer
            # declined (or passed over) began none: the message is the one line that asked to
            # be called back and said where, taken at once (dialogs.turn's `_human`).
            if said and not _takes_offer(said[-1]):
                return said[:1]
            return list(reversed(said[:-1]))
        elif line.author == "system" and not line.text.startswith(PLACE_NOTE_LINE):
            # Where in a Slack DM the subscriber writes is no event of the message: a part
            # written in another place is still part of it.
            break
    return said[:1]


def _takes_offer(answer: str) -> bool:
    """Whether the subscriber's line under the offer to take a message accepted it."""
    return answer == f"[{LEAVE_MESSAGE}]" or answer_to_offer(answer) == LEAVE_MESSAGE


def _offers_message(line: TranscriptEntry) -> bool:
    choices = (line.reply or {}).get("choices")
    return isinstance(choices, list) and any(
        isinstance(c, dict) and c.get("id") == LEAVE_MESSAGE for c in choices
    )


def message_ending_at(before: Sequence[TranscriptEntry]) -> tuple[str, str | None]:
    """The words of a message for the desk that ends where `before` ends, and its call-back.

    Words added to a message left earlier (the chat asks for no second number) are given
    that message's call-back.
    """
    words = _left_words(before)
    callback = next(filter(None, map(callback_in, reversed(words))), None)
    if callback is None:
        for back, line in enumerate(reversed(before)):
            if line.author == "system" and line.text == DESK_MESSAGE_LINE:
                callback = message_ending_at(before[: len(before) - back - 1])[1]
                break
    return "\n".join(words), callback


def latest_left_message(transcript: Sequence[TranscriptEntry]) -> tuple[str, str]:
    """The latest message left for the desk and the call-back contact in it ("" for none)."""
    for back, line in enumerate(reversed(transcript)):
        if line.author == "system" and line.text == DESK_MESSAGE_LINE:
            words, callback = message_ending_at(transcript[: len(transcript) - back - 1])
            return hide_check_tokens(words), callback or ""
    return "", ""
