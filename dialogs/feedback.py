"""「解決しましたか？」: whether the bot's (or an agent's) help solved the subscriber's problem.

Asked at the end of the settings delivery, after the card and the guide, and when an agent
closes the conversation. The answer is a button (「解決した」 / 「解決しない」) or typed words
the answer reader already knows: 「できました」 (it works), 「まだだめです」 (still broken), or
the buttons' words typed. It becomes a signal (`FEEDBACK_SOLVED` / `FEEDBACK_UNSOLVED`), which the
runtime counts (`mailmove stats`, `/metrics`) like every other signal; 「解決しない」 offers a
person, as asking for one does.

It is asked just before the turn's closing question, whose buttons stay pressable beside
these two: both questions are open.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Final

from dialogs.reading.small_talk import SmallTalk
from dialogs.speaker import Speaker
from dialogs.state import Signal
from dialogs.texts import N_
from dialogs.understanding import Intent, Kind, normalise
from dialogs.vocabulary import Choice, ChoicesReply

SOLVED: Final = "feedback:solved"
UNSOLVED: Final = "feedback:unsolved"
CHOICES: Final = (SOLVED, UNSOLVED)

QUESTION_KEY: Final = N_("feedback.question")
CLOSED_KEY: Final = N_("feedback.closed")
# An agent takes a closed conversation again to follow it up (bot.desk.closing.reopen).
REOPENED_KEY: Final = N_("feedback.reopened")
_LABEL_KEYS: Final = {SOLVED: N_("feedback.solved"), UNSOLVED: N_("feedback.unsolved")}
_THANKS_KEYS: Final = {True: N_("feedback.thanks_solved"), False: N_("feedback.thanks_unsolved")}
_SIGNALS: Final = {True: Signal.FEEDBACK_SOLVED, False: Signal.FEEDBACK_UNSOLVED}
# 「解決しない」 typed, and its like; 「解決した」 is "it works" to the small-talk reader already.
_UNSOLVED_WORDS: Final = re.compile(
    r"^(?:まだ)?解決し(?:ない|ていない|てない|ません|ていません|てません|なかった)(?:です)?[。.!！]*$"
    r"|^(?:not solved|unsolved|not fixed|not yet)[.!]*$"
)


def question(say: Callable[[str], str], *, lead: str | None = None) -> ChoicesReply:
    """「解決しましたか？」 with its two buttons, worded by `say` (after `lead`'s text, if any)."""
    text = say(QUESTION_KEY)
    if lead is not None:
        text = f"{say(lead)}\n\n{text}"
    return ChoicesReply(text, tuple(Choice(c, say(_LABEL_KEYS[c])) for c in CHOICES))


def ask(words: Speaker) -> None:
    """Ask, just before the turn's closing question, keeping that question's buttons open.

    The closing question (「ほかにお手伝いできることはありますか？」) keeps the last word, and
    with it the numbers typed (「1」 is still its first button); ours are offered beside it.
    """
    asked = question(words.say)
    closing = words.replies[-1] if words.replies else None
    at = len(words.replies) - 1 if isinstance(closing, ChoicesReply) else len(words.replies)
    words.replies.insert(at, asked)
    words.offered = (*(c for c in words.offered if c not in CHOICES), *CHOICES)


def is_asked(offered: tuple[str, ...]) -> bool:
    """Whether the question is open: its buttons are among those offered last."""
    return SOLVED in offered


def read(raw: str, intent: Intent, offered: tuple[str, ...]) -> Intent:
    """`intent` (how the reader took `raw`), as an answer to the question when it is one.

    Only while the question is open. 「できました」 (it works) is solved; 「まだだめです」,
    which the reader takes as a request for a person because it is still broken, unsolved;
    so are the buttons' own words typed. A bare yes or no is not read as an answer: the
    question after this one (「ほかにお手伝いできることはありますか？」) has the last word, and
    「いいえ」 to it means "nothing else", not "not solved".
    """
    if not is_asked(offered):
        return intent
    if intent.kind is Kind.SMALL_TALK and intent.value == SmallTalk.WORKS.value:
        return Intent(Kind.CHOICE, SOLVED)
    if intent.kind is Kind.HUMAN and intent.value == "still_broken":
        return Intent(Kind.CHOICE, UNSOLVED)
    if _UNSOLVED_WORDS.match(normalise(raw)):
        return Intent(Kind.CHOICE, UNSOLVED)
    return intent


def answer_in(intent: Intent) -> bool | None:
    """True for 「解決した」, False for 「解決しない」, None for anything else."""
    if intent.kind is not Kind.CHOICE or intent.value not in CHOICES:
        return None
    return intent.value == SOLVED


def respond(words: Speaker, *, solved: bool) -> Signal:
    """Thank the subscriber for the answer; the signal that counts it."""
    words.text(_THANKS_KEYS[solved])
    return _SIGNALS[solved]
