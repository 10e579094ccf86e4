"""One dialog step: a stored state and one inbound message in, the next state and replies out.

Pure: the profile, the catalog lookup and today's date arrive in `StepContext`; nothing
here reads a file, a clock or the network, so every path can be tested synchronously.
"""

from __future__ import annotations

import re
from typing import Final

from dialogs import feedback, frozen
from dialogs.flowchart import ANSWERS
from dialogs.questionnaire import RESERVED, Stage
from dialogs.reading.answers import READ, says_not_used
from dialogs.reading.small_talk import SmallTalk
from dialogs.reading.stage_reading import PHONE_ASKED
from dialogs.state import DialogState, StepContext, StepResult
from dialogs.texts import N_
from dialogs.turn import READ_LENGTH, Turn
from dialogs.understanding import Intent, Kind, forget_normalised, normalise
from dialogs.vocabulary import (
    EDITED_CHOICE,
    EMOJI_CHOICE,
    FORWARDED_CHOICE,
    MEDIA_CHOICE,
    WORDLESS_CHOICES,
    Inbound,
    parse_locale,
)

# What a platform's first message may say that is answered at once. Not an answer (no
# question was asked yet: 「はい」 or 「Outlookです」 answers nothing) nor small talk; a
# password typed is told not to be (it is masked in the store as anywhere).
_SAID_FIRST: Final = frozenset(
    {Kind.HUMAN, Kind.PROBLEM, Kind.TOPIC, Kind.SHOW_SETTINGS, Kind.SECRET_TYPED}
)

# What a first message may answer of the first question, read there once it is asked: its
# yes. A no to a question not yet on screen would lower the change needed on words that
# may answer something else (the provider's own letter, a friend's question).
_ANSWERS: Final = frozenset({Kind.YES})

# A first message that says the program is used now (「Thunderbirdを使っています」 'I only use
# Thunderbird'), which is the first question's yes; 「Outlookです」 names it only. Any 使 was
# that yes: 「Outlookは使えますか」「Outlookを使いたいです」 'Can I use Thunderbird?' (asked
# before any question) and 「以前はOutlookを使っていました」 'I stopped using Outlook' went on
# to the second question as 「はい」.
_USES: Final = re.compile(
    r"(?:使|つか|利用し|りようし|使用し)(?:って|て)(?:い|おり)?(?:ます|る)|使用中|利用中"
    r"|(?<!can )(?<!could )(?<!should )(?<!may )\b(?:i|we)"
    r" (?:only |mainly |mostly |usually |always |just )?(?:use|am using)\b|\bi'm using\b",
    re.IGNORECASE,
)
# Asked, not said (the program is still theirs to keep).
_ASKED: Final = re.compile(r"[?？]|(?:か|かな|かね)[。.!！\s]*$")
# A use that ended or never was: neither the yes nor the program kept.
_NOT_NOW: Final = re.compile(
    r"やめ|止め|辞め|以前|(?<!名)前は|昔|たことが(?:ない|ありません|なかった)|たことはない"
    r"|\bno longer\b|\bany ?more\b|\bused to\b|\bstopped\b|\bnever\b",
    re.IGNORECASE,
)


def _not_in_use(text: str) -> bool:
    """Whether a first message says its program is not, or no longer, used."""
    return bool(_NOT_NOW.search(text)) or says_not_used(normalise(text))


# An answer to a question; by the name the answers keep.
_ANSWER_KINDS: Final = frozenset({Kind.YES, Kind.NO, Kind.UNSURE})
_ANSWER_KINDS_BY_NAME: Final = {"yes": Kind.YES, "no": Kind.NO, "unsure": Kind.UNSURE}

# What forwarded words are read for: an error in them, as if pasted, and a password in
# them, which the subscriber is told about as when typed (it is in the chat's history now).
_SHOWN: Final = frozenset({Kind.PROBLEM, Kind.SECRET_TYPED})

# Why the desk has the subscriber back after 「解決しない」 to the question an agent's close
# asked (handoff.reason.unsolved_after_close). The turn hands them over as after the
# settings (`still_broken`), which the desk read as 「設定変更後も「うまくいかない」とのこと」
# of a subscriber who may never have had the settings.
UNSOLVED_AFTER_CLOSE: Final = "unsolved_after_close"


def step(state: DialogState, inbound: Inbound, context: StepContext) -> StepResult:
    """Run one turn of the dialog."""
    try:
        return _step(state, inbound, context)
    finally:
        # The words read are folded once in a step (`normalise`), and kept no longer.
        forget_normalised()


def _step(state: DialogState, inbound: Inbound, context: StepContext) -> StepResult:
    state, question_gone = _past_a_question_gone(state, context)
    turn = Turn(state, context)
    if inbound.start:
        # The platform's language greets a new conversation. One under way (Telegram's /start
        # again, LINE's follow on unblocking) stays in its language, which the subscriber may
        # have chosen over their phone's ("Japanese please").
        # The first message after an agent's close (its 「解決しましたか？」 still offered)
        # keeps the closed conversation's language: an English chat on a Japanese phone was
        # thanked, and greeted again, in Japanese.
        fresh = (
            state.stage is Stage.START
            and not state.history
            and not feedback.is_asked(state.offered)
        )
        locale = (parse_locale(inbound.locale) if fresh else None) or state.locale
        if fresh and inbound.text and inbound.choice is None:
            # "Hi, I can't send email" as the first message on a Japanese phone: in English.
            turn.locale = locale
            turn.follow_the_first_words(inbound.text)
            locale = turn.locale
        solved = feedback.answer_in(turn.understand_choice(inbound.choice or ""))
        # In the platform's language first: the words are weighed against it (an English
        # phone's 'I want to talk to a person' is not offered Japanese).
        turn.locale = locale
        if context.earlier_ended:
            # Before the greeting: a button of a conversation no longer kept was pressed.
            turn.words.text(N_("earlier_ended.restarted"))
        # A platform's emoji carry only their names (「(help)」 is a picture): nothing to read.
        said = inbound.text if inbound.choice != EMOJI_CHOICE else None
        asked = turn.understand_text(said) if said else None
        if said and asked is not None and asked.kind is Kind.UNKNOWN:
            asked = _error_at_the_end(turn, said) or asked
        if inbound.choice == FORWARDED_CHOICE and asked is not None and asked.kind not in _SHOWN:
            asked = None  # someone else's words forwarded: only an error in them is read
        if solved is None and asked is not None and inbound.choice is None:
            # Typed under the 「解決しましたか？」 of an agent's close (still offered: the
            # runtime keeps it open for the first message after the close): 「はい」,
            # 「解決しました」, 「まだです」 answer it as its buttons do. A typed 「はい」 was
            # greeted as a new conversation and asked the first question.
            solved = feedback.answer_in(asked)
        if (
            solved is None
            and asked is not None
            and asked.kind is Kind.PROBLEM
            and inbound.choice is None
            and feedback.is_asked(state.offered)
        ):
            # 「まだ送れません」, 'No, still not working' under that question: not solved. Read as
            # a new conversation's problem, it was diagnosed afresh and the questions answered
            # before the close asked again; the agent is who they were with.
            solved = False
        if solved is not None:
            # 「解決しましたか？」 asked as an agent closed the conversation: this starts it
            # afresh, and the answer is what it says.
            turn.answer_feedback(solved, after_close=True)
            if turn.handoff_reason == "still_broken":
                turn.handoff_reason = UNSOLVED_AFTER_CLOSE
            if feedback.is_asked(turn.words.offered):
                # Answered, and nothing asked after a solved one: the next 「はい」 is no
                # second answer.
                turn.words.offered = ()
        elif asked is not None and asked.kind is Kind.LANGUAGE:
            # 「English please」 as the first words: greeted in that language.
            turn.begin("en" if asked.value == "en" else "ja")
        elif (
            asked is not None
            and asked.kind is Kind.SMALL_TALK
            and asked.value in (SmallTalk.ON_BEHALF, SmallTalk.CHANGED)
        ):
            # 「祖母のメールの設定です」 as the first message: greeted, then told whose computer
            # the questions are about, then the first question. 「もう設定は変えました」: told
            # the answers decide whether the change was the right one, then the question.
            turn.greet(locale)
            turn.handle(asked)
        elif asked is None and inbound.choice == MEDIA_CHOICE:
            # A photo of the screen as the first message: greeted, then told it cannot be
            # seen and offered the ways on, not asked the first question as if it were not.
            turn.greet(locale)
            turn.handle(turn.understand_choice(MEDIA_CHOICE))
        elif asked is not None and (
            asked.kind in _SAID_FIRST
            # 「スマホでもできますか」 as the first message asks something: answered (which
            # the first question it comes before is about), not the question alone.
            or (asked.kind is Kind.PHONE and asked.value == PHONE_ASKED)
        ):
            # A platform's first message (Telegram, LINE, Slack, Chatwoot) that asks for a
            # person, reports a problem or asks a question: greeted, then answered (handed on,
            # or offered a message), not asked the first question as if it had said nothing.
            turn.greet(locale)
            turn.handle(asked)
        else:
            turn.begin(locale)
            answer = (
                turn.understand_text(inbound.text)
                if inbound.text and inbound.choice is None
                else None
            )
            text = inbound.text or ""
            if (
                answer is not None
                and answer.kind in _ANSWERS
                # 「Thunderbirdを使っています」 'I only use Thunderbird at home': the yes names
                # its program, kept as when named at the question (words6: both were dropped).
                and (
                    answer.value == READ
                    or (
                        answer.value.startswith("program:")
                        and _USES.search(text)
                        and not _ASKED.search(text)
                        and not _not_in_use(text)
                    )
                )
            ):
                # 「はい使ってます」 as a LINE or Slack message that starts the conversation
                # answers the first question in its own words (a bare 「はい」, 「Outlookです」
                # answer nothing asked yet): it got the greeting and the question as if nothing
                # was said. The answer is taken under the question, said back so that 「戻る」
                # undoes it.
                turn.handle(answer)
            elif (
                answer is not None and answer.value.startswith("program:") and not _not_in_use(text)
            ):
                # 「Outlookです」 alone answers no question yet, but the program is theirs: kept
                # for the guide, as one named at a question is.
                turn.keep_the_program(answer.value.removeprefix("program:"))
            elif asked is not None and asked.kind is Kind.UNKNOWN and inbound.choice is None:
                turn.keep_if_unfinished(inbound.text or "")
    elif inbound.event is not None:
        turn.handle_event(inbound.event)
    elif state.leaving_message and inbound.choice in (
        *WORDLESS_CHOICES,
        EDITED_CHOICE,
        EMOJI_CHOICE,
    ):
        # A screenshot, a sticker or an edit while the message for the desk is written: the
        # message stays open for the words (and the way to call back) typed next.
        turn.wordless_desk_message(inbound.choice)
    elif inbound.choice == FORWARDED_CHOICE and not state.leaving_message:
        # Shown, not said: an error in the words is read as if pasted; anything else in them
        # (someone else's 「いいえ」, an address, a program) answers nothing. A message being
        # left for the desk takes them, as it takes a paste.
        shown = turn.understand_text(inbound.text) if inbound.text else None
        if inbound.text and shown is not None and shown.kind is Kind.UNKNOWN:
            shown = _error_at_the_end(turn, inbound.text) or shown
        if shown is None or shown.kind not in _SHOWN:
            shown = turn.understand_choice(FORWARDED_CHOICE)
        _answer_since_the_advice(turn, shown)
    elif inbound.choice is not None and inbound.choice != FORWARDED_CHOICE:
        _answer_since_the_advice(
            turn, turn.understand_choice(inbound.choice), question_gone=question_gone
        )
    elif state.leaving_message:
        # A message for the desk may be written days after it was asked for.
        turn.say_what_changed()
        turn.take_desk_message(inbound.text or "")
    else:
        if _nothing_answered_yet(state, turn, context):
            # The first words typed after the greeting (a web chat opened by a Japanese
            # browser, LINE's follow, Telegram's /start) choose the language as a platform's
            # first message does.
            turn.follow_the_first_words(inbound.text or "")
        intent = turn.read_in_pieces(inbound.text or "")
        if intent is not None and intent.kind is Kind.UNKNOWN:
            intent = _error_at_the_end(turn, inbound.text or "") or intent
        if intent is None:
            # 「メールが」: a sentence still being typed, read whole with its next piece.
            turn.say_what_changed()
            turn.go_on()
        else:
            _answer_since_the_advice(turn, intent, question_gone=question_gone)
    return turn.result()


def _error_at_the_end(turn: Turn, text: str) -> Intent | None:
    """An error at the end of a message too long to be read whole, or None.

    Only the first `READ_LENGTH` characters are read: a bounce pasted with its headers
    (「550 5.1.1 … User unknown」 after 2,700 characters) was 「うまく読み取れませんでした」,
    where its last lines alone were diagnosed (channels2). Its end is read for an error too.
    """
    if len(text) <= READ_LENGTH:
        return None
    end = turn.understand_text(text[-READ_LENGTH:])
    return end if end.kind is Kind.PROBLEM else None


def _nothing_answered_yet(state: DialogState, turn: Turn, context: StepContext) -> bool:
    """Whether the conversation stands at its greeting's first question, nothing said since."""
    return (
        not state.history
        and not state.answers
        and not state.language_offered
        and turn.node == context.profile.questionnaire.root.value
    )


def _answer_since_the_advice(turn: Turn, intent: Intent, *, question_gone: bool = False) -> None:
    """Answer `intent`, told first what changed since the advice it follows, if anything did.

    Not before starting over: the advice is dropped, and the notice of what changed in it
    followed by 「最初からやり直します」 said two things where one was meant.
    `question_gone`: the question on screen is not this profile's (`_past_a_question_gone`).
    """
    if intent.kind is not Kind.RESTART:
        turn.say_what_changed()
        if question_gone:
            turn.words.text(N_("resume.question_gone"))
            if intent.kind in _ANSWER_KINDS:
                # The yes or no answered the question that is gone, not the one asked now.
                known = turn.answers.get(turn.node)
                if known in ANSWERS:
                    # Every question of this profile's way is answered: its verdict.
                    turn.handle(Intent(_ANSWER_KINDS_BY_NAME[known]))
                else:
                    turn.prompt()
                return
    turn.handle(intent)


def _past_a_question_gone(state: DialogState, context: StepContext) -> tuple[DialogState, bool]:
    """Place a conversation at a question this profile lacks where its answers lead here.

    Returns the state, and whether it was moved. A rolling deploy of a profile that took
    a question out: the subscriber at Q3 under the old profile typed 「いいえ」 to it, and
    the new replica's turn stood at its first question (`Questionnaire.resolve`) and read
    it as 「メールソフトは使っていない」: "nothing to change, webmail", to a mail-program
    user who must change the receiving settings.
    """
    questionnaire = context.profile.questionnaire
    name = state.stage.value
    if (
        name in RESERVED
        or state.has_verdict
        or questionnaire.question(name) is not None
        or questionnaire.leaf(name) is not None
    ):
        return state, False
    at, passed = questionnaire.walk(state.answers)
    return frozen.replace(state, stage=at, history=passed, offered=()), True
