"""「解決しましたか？」: whether the bot's (or an agent's) help solved the subscriber's problem.

Asked at the end of the settings delivery, after the card and the guide, and when an agent
closes the conversation. The answer is a button (「解決した」 / 「解決しない」) or typed words
the answer reader already knows: 「できました」 (it works), 「まだだめです」 (still broken), or
the buttons' words typed. It becomes a signal (`FEEDBACK_SOLVED` / `FEEDBACK_UNSOLVED`), which the
runtime counts (`mailmove stats`, `/metrics`) like every other signal; 「解決しない」 offers a
person, as asking for one does.

It is asked in place of the turn's closing question (「ほかにお手伝いできることはありますか？」),
which comes once it is answered: two rows of buttons one under the other left a subscriber
not knowing which to press. The login check, where it is open, stays in its row. As the
last question, it is the one a bare 「はい」/「いいえ」 answers.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable, Collection
from typing import Final

from dialogs.reading.answers import READ
from dialogs.reading.small_talk import SmallTalk
from dialogs.speaker import Speaker
from dialogs.state import DialogState, Signal
from dialogs.texts import N_
from dialogs.understanding import Intent, Kind, normalise
from dialogs.vocabulary import Choice, ChoicesReply

SOLVED: Final = "feedback:solved"
UNSOLVED: Final = "feedback:unsolved"
CHOICES: Final = (SOLVED, UNSOLVED)

QUESTION_KEY: Final = N_("feedback.question")
CLOSED_KEY: Final = N_("feedback.closed")
# Closed where no agent wrote to the subscriber (from the queue, or the bot's conversation
# with a message left): feedback.closed would tell of an exchange with a person that never was.
CLOSED_UNANSWERED_KEY: Final = N_("feedback.closed_unanswered")
# An agent takes a closed conversation again to follow it up (bot.desk.closing.reopen).
REOPENED_KEY: Final = N_("feedback.reopened")
_LABEL_KEYS: Final = {SOLVED: N_("feedback.solved"), UNSOLVED: N_("feedback.unsolved")}
_THANKS_KEYS: Final = {True: N_("feedback.thanks_solved"), False: N_("feedback.thanks_unsolved")}
_SIGNALS: Final = {True: Signal.FEEDBACK_SOLVED, False: Signal.FEEDBACK_UNSOLVED}
# 「解決しない」 typed, and its like; 「解決した」 is "it works" to the small-talk reader already.
_UNSOLVED_WORDS: Final = re.compile(
    r"^(?:まだ)?解決し(?:ない|ていない|てない|ません|ていません|てません|なかった)(?:です)?[。.!！]*$"
    r"|^(?:not solved|unsolved|not fixed|not yet)[.!]*$"
    # The English the same way: "No, not yet.", "still no", "no, sorry", "not really", "no, it
    # didn't work" (each was "Sorry, I did not catch that" and the question left the screen).
    r"|^(?:(?:no|nope|nah)[,.!\s]*)?(?:(?:sorry|unfortunately)[,.!\s]*)?"
    r"(?:not (?:yet|really|quite|solved|fixed)|still (?:no|not(?: yet)?)"
    r"|(?:it )?(?:did ?n.?t|did not) (?:work|help|solve it|fix it))"
    r"(?:[,.!\s]*(?:sorry|unfortunately))?[.!\s]*$"
    r"|^(?:no|nope|nah)[,.!\s]+(?:sorry|unfortunately)[.!\s]*$"
    # A bare no, or 「まだです」 (not yet), to the question itself. 「大丈夫です」「特にないです」
    # 「いいえ、大丈夫です」, which the reader also takes as a no, decline an offer: read as
    # 'not solved' they called a person for a subscriber who was fine.
    r"|^(?:いいえ|いえ|いや|ううん|no|nope)[、,]?(?:まだ(?:です|だめです|ダメです)?)?[。.!！]*$"
    r"|^まだ(?:です|だめです|ダメです)?[。.!！]*$"
    # 「ダメ」「いまいち」「微妙です」「あんまり」, "kind of", "sort of", "no luck", "partly": not
    # (wholly) solved. 「ダメ」 alone was kept as a sentence begun (「はい。続きをどうぞ。」), the
    # others 「うまく読み取れませんでした」 with the question gone (words).
    # 「やっぱりだめでした」「結局ダメです」 too (greeted as a new conversation after a close).
    r"|^(?:(?:いいえ|いえ|いや|ううん|うーん)[、,\s]*)?(?:(?:やっぱり|やっぱ|やはり|結局)[、,\s]*)?"
    r"(?:全然|ぜんぜん|まだ)?"
    r"(?:だめ|ダメ|駄目|無理|むり|ムリ|いまいち|イマイチ|微妙|びみょう|あんまり|あまり)"
    r"(?:です|でした|だった|かな|ですね)?[。.!！…\s]*$"
    r"|^(?:(?:hmm|um|well)[,\s]+)?(?:kind of|sort of|kinda|sorta|partly|partially|no luck"
    r"|not (?:really |quite )?working|half(?: of it)?)(?:,? (?:sorry|unfortunately))?[.!\s]*$"
    # 「まだできてない」「いいえ、まだできていません」: not yet (not understood before).
    r"|^(?:(?:いいえ|いえ|いや|ううん)[、,]?)?まだ(?:でき|出来)て(?:い)?(?:ない|ません)(?:です)?[。.!！]*$"
)


def question(say: Callable[[str], str], *, lead: str | None = None) -> ChoicesReply:
    """「解決しましたか？」 with its two buttons, worded by `say` (after `lead`'s text, if any)."""
    text = say(QUESTION_KEY)
    if lead is not None:
        text = f"{say(lead)}\n\n{text}"
    return ChoicesReply(text, tuple(Choice(c, say(_LABEL_KEYS[c])) for c in CHOICES))


def ask(words: Speaker, *, keep: Collection[str] = ()) -> None:
    """Ask in place of the turn's closing question, which `answer_feedback` asks after it.

    One question with one row of buttons is the last word, and the numbers typed are its own
    (「1」 is 「解決した」). The closing question's buttons in `keep` (the login check, a way
    to find out whether it is solved) stay in the row, after the two answers.
    """
    kept: tuple[Choice, ...] = ()
    closing = words.replies[-1] if words.replies else None
    if isinstance(closing, ChoicesReply):
        words.replies.pop()
        kept = tuple(c for c in closing.choices if c.id in keep)
    asked = question(words.say)
    words.replies.append(ChoicesReply(asked.text, (*asked.choices, *kept)))
    words.offered = (*CHOICES, *(c.id for c in kept))


def is_asked(offered: tuple[str, ...]) -> bool:
    """Whether the question is open: its buttons are among those offered last."""
    return SOLVED in offered


def read(raw: str, intent: Intent, offered: tuple[str, ...]) -> Intent:
    """`intent` (how the reader took `raw`), as an answer to the question when it is one.

    Only while the question is open. 「できました」 (it works) is solved; 「まだだめです」,
    which the reader takes as a request for a person because it is still broken, unsolved;
    so are the buttons' own words typed. Asked alone, it is the last question: a yes answers
    it, and so do a bare no and 「まだです」; a no that declines (「大丈夫です」) is read as
    before, the end of the conversation.
    """
    if not is_asked(offered):
        return intent
    if intent.kind is Kind.YES and intent.value != READ:
        return Intent(Kind.CHOICE, SOLVED)
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


def taken_up(closed: DialogState, now: DialogState) -> DialogState:
    """`now`, 「解決しない」 or a person asked for under a close's question, knowing `closed`.

    A close starts the next message afresh; unsolved, the conversation is the same one still:
    the agent who takes it sees the subscriber's answers, verdict, program, address and where
    they stood (the desks read the record), and nothing they told is asked again (a hand-back,
    「自動案内を続ける」). What the answering turn itself learnt (an address typed with
    「まだです」) stays; the turn's own words (what it offered, a message being left) are `now`'s.
    """
    typed = now.address is not None
    return dataclasses.replace(
        now,
        stage=closed.stage,
        history=closed.history,
        answers=closed.answers,
        told=closed.told,
        address=now.address if typed else closed.address,
        address_from=now.address_from if typed else closed.address_from,
        address_skipped=closed.address_skipped,
        address_domain=closed.address_domain,
        program=now.program or closed.program,
        smtp_host=now.smtp_host or closed.smtp_host,
        receiving=closed.receiving,
        sending=closed.sending,
        check_failures=closed.check_failures,
        cannot_send=closed.cannot_send,
        trouble_said=closed.trouble_said,
        card_shown_for=closed.card_shown_for,
        advised_on=closed.advised_on,
        profile_key=closed.profile_key,
        profile_since=closed.profile_since,
    )
